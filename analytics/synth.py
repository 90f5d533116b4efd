"""Building statement rows directly (bulk), for the demo data set, the benchmark and the tests.

Real learning events go through :func:`lms.xapi.record_statement`; this module writes rows of the
statement store in bulk, with the same JSON shape and the same denormalised columns, so that millions
of synthetic statements can be generated in minutes. Actors are pseudonymous accounts.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from sqlalchemy import func, select, text

from analytics import parsing as p
from lms.db import db
from lms.xapi.models import Statement, StatementActivity

ADL = "http://adlnet.gov/expapi/verbs/"
VIDEO = "https://w3id.org/xapi/video/verbs/"
VERB_IRIS = {key: iri for iri, key in p.KNOWN_VERBS.items()}
VERB_IRIS.update(
    {
        k: ADL + k
        for k in (
            "registered",
            "completed",
            "answered",
            "passed",
            "failed",
            "voided",
            "initialized",
            "terminated",
            "experienced",
            "launched",
            "attended",
            "asked",
            "scored",
        )
    }
)
VERB_IRIS.update({k: VIDEO + k for k in ("played", "paused", "seeked")})
VERB_IRIS["submitted"] = "http://activitystrea.ms/submit"
try:  # the platform's own vocabulary
    from lms.xapi.verbs import VERBS as _PLATFORM

    VERB_IRIS.update({k: v["id"] for k, v in _PLATFORM.items()})
except ImportError:  # pragma: no cover
    pass


def agent_key(home_page: str, name: str) -> str:
    """The LRS's key for an ``account`` agent (SHA-256 of its canonical identifier)."""
    return hashlib.sha256(f"account:{home_page}|{name}".encode()).hexdigest()


def iso_duration(seconds: float) -> str:
    return f"PT{seconds:.0f}S"


def build(
    *,
    base_url: str,
    actor: str,
    verb: str,
    activity_id: str,
    ts: datetime,
    stored: datetime | None = None,
    language: str | None = "en",
    country: str | None = None,
    user_id: int | None = None,
    result: dict | None = None,
    definition: dict | None = None,
    context_extensions: dict | None = None,
    parents=(),
    grouping=(),
    registration: str | None = None,
    object_statement_id: str | None = None,
    statement_id: str | None = None,
) -> tuple[dict, list[tuple[str, str]]]:
    """``(Statement column values, [(activity_id, role), ...])`` for one statement."""
    verb_iri = VERB_IRIS.get(verb, verb)
    sid = statement_id or str(uuid.uuid4())
    stored = stored or ts
    data = {
        "id": sid,
        "version": "1.0.3",
        "actor": {"objectType": "Agent", "account": {"homePage": base_url, "name": actor}},
        "verb": {"id": verb_iri, "display": {"en-US": verb}},
        "timestamp": ts.isoformat(),
        "stored": stored.isoformat(),
        "authority": {"objectType": "Agent", "account": {"homePage": base_url, "name": "lms"}},
    }
    if object_statement_id:
        data["object"] = {"objectType": "StatementRef", "id": object_statement_id}
    else:
        obj = {"objectType": "Activity", "id": activity_id}
        if definition:
            obj["definition"] = definition
        data["object"] = obj
    context: dict = {}
    if language:
        context["language"] = language
    if registration:
        context["registration"] = registration
    if context_extensions:
        context["extensions"] = context_extensions
    activities = {}
    if parents:
        activities["parent"] = [{"id": a, "objectType": "Activity"} for a in parents]
    if grouping:
        activities["grouping"] = [{"id": a, "objectType": "Activity"} for a in grouping]
    if activities:
        context["contextActivities"] = activities
    if context:
        data["context"] = context
    result = dict(result or {})
    duration = result.pop("_duration_s", None)  # seconds, written as an ISO 8601 duration
    if duration is not None:
        result["duration"] = iso_duration(duration)
    if result:
        data["result"] = result
    score = (result.get("score") or {}).get("scaled") if isinstance(result.get("score"), dict) else None
    row = {
        "statement_id": sid,
        "data": data,
        "actor_key": agent_key(base_url, actor),
        "verb_id": verb_iri,
        "object_type": "StatementRef" if object_statement_id else "Activity",
        "object_activity_id": None if object_statement_id else activity_id,
        "object_statement_id": object_statement_id,
        "registration": registration,
        "timestamp_dt": ts,
        "stored_dt": stored,
        "is_voided": False,
        "user_id": user_id,
        "result_success": result.get("success"),
        "result_completion": result.get("completion"),
        "result_score_scaled": score,
        "result_duration_s": duration,
        "language": language,
        "country_code": country,
        "has_attachments": False,
    }
    links = [(activity_id, "object")] if not object_statement_id else []
    links += [(a, "parent") for a in parents] + [(a, "grouping") for a in grouping]
    return row, links


def insert_rows(built: list[tuple[dict, list]]) -> list[int]:
    """Insert built statements (and their activity links) in bulk; returns their ids. Flushes."""
    if not built:
        return []
    dialect = db.session.get_bind().dialect.name
    start = (db.session.scalar(select(func.max(Statement.id))) or 0) + 1
    rows = []
    links = []
    for i, (row, acts) in enumerate(built):
        rows.append({**row, "id": start + i})
        links.extend({"statement_pk": start + i, "activity_id": a, "role": role} for a, role in acts)
    db.session.execute(Statement.__table__.insert(), rows)
    if links:
        db.session.execute(StatementActivity.__table__.insert(), links)
    if dialect == "postgresql":
        db.session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence('xapi_statement', 'id'), "
                "(SELECT max(id) FROM xapi_statement))"
            )
        )
    db.session.flush()
    return [r["id"] for r in rows]


def void(statement_ids: list[str]) -> None:
    """Mark statements voided (what the LRS does when it stores a voiding statement). Flushes."""
    from sqlalchemy import update

    db.session.execute(
        update(Statement).where(Statement.statement_id.in_(statement_ids)).values(is_voided=True)
    )
    db.session.flush()
