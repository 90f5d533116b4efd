"""Dashboard snapshots: a computed payload is stored with the data version it was computed from and
served until the rollup job (or a change in users, certificates or referrals) moves the version.
The rollup job computes the unfiltered dashboards right after each run, so the pages most people
open are ready before anyone asks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Select, bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError

from analytics.dash import courses, media, overview, readiness
from analytics.dash.common import Filters
from analytics.models import RollupState, Snapshot
from analytics.scope import owned_refs_subquery
from lms.db import db, utcnow


@dataclass(frozen=True)
class Dashboard:
    name: str
    compute: Callable[..., dict]
    supports: frozenset
    live: tuple[str, ...] = ()
    """Fingerprint fields (see :func:`fingerprint`) of the live tables the dashboard also reads."""
    warm: bool = True
    snapshot: bool = True
    """Stored in the snapshot table (False: small live tables, computed on every cache miss)."""


def _opendata_all(f: Filters) -> dict:
    from analytics import opendata

    return opendata.compute_all()


def _opendata(f: Filters, year: str | None = None) -> dict:
    from analytics import opendata

    return opendata.of_period(get_payload("open_data_all"), year)


def _feedback(f: Filters) -> dict:
    from analytics.dash import feedback

    return feedback.compute(f)


PEOPLE = ("users", "certificates")
# A detail page's resource is in its URL: its filters are the others.
DETAIL = frozenset({"resource"})
DASHBOARDS = {
    d.name: d
    for d in (
        Dashboard("overview", overview.compute, frozenset(overview.SUPPORTS), PEOPLE),
        Dashboard("courses", courses.compute, frozenset(courses.SUPPORTS), PEOPLE),
        Dashboard("course", courses.compute_detail, frozenset(courses.SUPPORTS) - DETAIL, PEOPLE, warm=False),
        Dashboard("items", courses.compute_items, frozenset(), warm=False),
        Dashboard("webinars", media.compute_webinars, frozenset(media.WEBINAR_SUPPORTS)),
        Dashboard(
            "webinar", media.compute_webinar_detail, frozenset(media.WEBINAR_SUPPORTS) - DETAIL, warm=False
        ),
        Dashboard("workshops", media.compute_workshops, frozenset(media.WORKSHOP_SUPPORTS)),
        Dashboard("readiness", readiness.compute, frozenset(readiness.SUPPORTS), ("referrals",)),
        # Open data counts certificates but no accounts: a new account does not make the next visitor
        # wait for the suppression to be solved again (seconds at a million statements).
        # Public figures move with the data updates alone (the page dates them), never between two:
        # a certificate counted the minute it is issued could be told apart by comparing two loads.
        Dashboard("open_data_all", _opendata_all, frozenset()),
        Dashboard("open_data", _opendata, frozenset()),
        Dashboard(
            "feedback",
            _feedback,
            frozenset({"resource", "language"}),
            ("feedback",),
            warm=False,
            snapshot=False,
        ),
    )
}


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


@lru_cache(maxsize=2)
def _fingerprint_select(owned: bool) -> Select:
    """The fingerprint query, built once per process (building it cost more than running it on every
    dashboard request); with ``owned``, also the refs the user of bind parameter ``owner_id`` owns."""
    from analytics.models_feedback import Certificate, Evaluation, Feedback, ProblemReport, Referral
    from lms.models import User
    from lms.registry import LearningResource

    def sub(expr, model=None):
        stmt = select(expr)
        if model is RollupState:
            stmt = stmt.where(RollupState.name == "rollup")
        return stmt.scalar_subquery()

    return select(
        sub(RollupState.version, RollupState),
        sub(RollupState.last_run_dt, RollupState),
        sub(func.count(User.id)),
        sub(func.max(User.id)),
        sub(func.count(Certificate.id)),
        sub(func.max(Certificate.id)),
        sub(func.count(Referral.id)),
        sub(func.max(Referral.id)),
        sub(func.count(Feedback.id)),
        sub(func.max(Feedback.id)),
        sub(func.count(ProblemReport.id)),
        sub(func.max(ProblemReport.updated_dt)),
        sub(func.count(Evaluation.id)),
        sub(func.max(Evaluation.updated_dt)),
        sub(func.max(LearningResource.updated_dt)),
        *((owned_refs_subquery(bindparam("owner_id")),) if owned else ()),
    )


def fingerprint(owned_by: int | None = None) -> dict:
    """Everything a dashboard's freshness depends on, in one round trip to the database: the rollup
    version and last run, and counts/maxima of the live tables dashboards read besides the rollups.
    With ``owned_by`` (a trainer's user id), ``"owned"`` is also read in the same round trip: the refs
    they own (see :func:`analytics.scope.owned_refs_subquery`)."""
    if owned_by is None:
        row = db.session.execute(_fingerprint_select(False)).one()
    else:
        row = db.session.execute(_fingerprint_select(True), {"owner_id": owned_by}).one()
    fp = {
        "version": row[0] or 0,
        "last_run": row[1],
        "users": f"{row[2]}.{row[3]}",
        "certificates": f"{row[4]}.{row[5]}",
        "referrals": f"{row[6]}.{row[7]}",
        "feedback": f"{row[8]}.{row[9]}.{row[10]}.{row[11]}.{row[12]}.{row[13]}",
        "titles": row[14],
    }
    if owned_by is not None:
        fp["owned"] = row[15]
    return fp


def data_version() -> int:
    state = db.session.get(RollupState, "rollup")
    return state.version if state else 0


# Part of every snapshot's key: raised when what a dashboard computes changes (e.g. the open data's
# suppression), so snapshots stored by an older release are not served after an upgrade.
PAYLOAD_FORMAT = 3


def snapshot_key(name: str, f: Filters | None = None, fp: dict | None = None, **args) -> tuple[str, str]:
    """``(cache key, current data version)`` of a dashboard's snapshot."""
    dash = DASHBOARDS[name]
    fp = fp or fingerprint()
    f = f or Filters()
    params = {"filters": f.as_dict(), **args}
    if f.scope is not None:  # a trainer's own resources: a snapshot of its own
        params["scope"] = hashlib.sha256("\n".join(f.scope).encode()).hexdigest()
    key = json.dumps([name, params, PAYLOAD_FORMAT], sort_keys=True)
    cache_key = hashlib.sha256(key.encode()).hexdigest()
    return cache_key, ":".join([str(fp["version"]), *(fp[field] for field in dash.live)])


def get_payload(name: str, f: Filters | None = None, *, _key: tuple[str, str] | None = None, **args) -> dict:
    """The payload of dashboard ``name`` for filters ``f`` (and extra arguments such as a course key),
    from its snapshot when current, else computed and stored. Flushes; the caller commits."""
    dash = DASHBOARDS[name]
    f = f or Filters()
    if not dash.snapshot:
        return _computed(dash, f, args)
    cache_key, version = _key or snapshot_key(name, f, **args)
    row = db.session.scalar(select(Snapshot).filter_by(cache_key=cache_key))
    if row is not None and row.version == version:
        return row.payload
    payload = _computed(dash, f, args)
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Snapshot(cache_key=cache_key, dashboard=name, version=version, payload=payload)
                )
        except IntegrityError:  # computed at the same time by another request: theirs is as good
            pass
    else:
        row.version, row.payload, row.computed_dt = version, payload, utcnow()
    db.session.flush()
    return payload


def _computed(dash: Dashboard, f: Filters, args: dict) -> dict:
    payload = json.loads(json.dumps(dash.compute(f, **args), default=_jsonable))
    payload["computed"] = utcnow().isoformat()
    return payload


def refresh_after_run() -> None:
    """Drop snapshots of older data versions and compute the unfiltered dashboards. Commits (job)."""
    current = str(data_version())
    for row in db.session.execute(select(Snapshot.id, Snapshot.version)).all():
        if row.version.split(":")[0] != current:
            db.session.execute(delete(Snapshot).where(Snapshot.id == row.id))
    db.session.commit()
    for dash in DASHBOARDS.values():
        if dash.warm:
            get_payload(dash.name)
    db.session.commit()
