"""Storing statements in the built-in LRS (and, re-exported from :mod:`lms.xapi.query`, reading them).

:func:`store_batch` (and :func:`store_statements`, which returns only the ids) is the one way statements
enter the store, from the HTTP API and from the platform's own ``record_statement``. It validates the
whole batch first and writes all of it or nothing: every check (structure, attachments, signatures,
conflicts, voiding rules) runs before the first row is written, and the writes run inside a SAVEPOINT,
so even a database error mid-batch leaves no row behind. It flushes only; the request (or the
service's caller) commits.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from lms.db import db, new_uuid, savepoint, utcnow
from lms.signals import statement_checking, statement_recorded
from lms.xapi import formats
from lms.xapi.attachments import check_payloads
from lms.xapi.bulk import in_values, insert_family
from lms.xapi.compare import statements_match
from lms.xapi.definitions import may_define, record_definitions
from lms.xapi.errors import XAPIError
from lms.xapi.forwarding import enqueue_statements
from lms.xapi.ids import agent_and_member_keys, group_key
from lms.xapi.models import AttachmentContent, Statement, StatementActivity, StatementAgent
from lms.xapi.query import get_statement, query_statements  # noqa: F401  (part of this module's contract)
from lms.xapi.signature import verify_signatures
from lms.xapi.validation import VOIDED_VERB, normalise, validate_statements

COUNTRY_EXTENSION = "/xapi/extensions/country"
"""Path (under BASE_URL) of the context extension carrying the actor's ISO 3166 alpha-2 country."""


def _known(ids: list[str]) -> tuple[dict[str, dict], set[str]]:
    """``({id: stored statement} for the ids already stored, {ids voided by a stored voiding
    statement})``, in one query (an id can be voided before it is stored: voiding an unknown id is
    allowed)."""
    wanted = set(ids)
    existing, voided = {}, set()
    columns = (Statement.statement_id, Statement.data, Statement.verb_id, Statement.object_statement_id)
    rows = db.session.execute(
        select(*columns).where(
            # Not "verb_id = voided AND ...": SQLite would then search ix_xapi_statement_verb_stored,
            # i.e. every voiding statement; few statements reference one of a batch's new ids.
            or_(in_values(Statement.statement_id, ids), in_values(Statement.object_statement_id, ids))
        )
    )
    for sid, data, verb_id, target in rows:
        if sid in wanted:
            existing[sid] = data
        if verb_id == VOIDED_VERB and target in wanted:
            voided.add(target)
    return existing, voided


def _is_voiding(statement: dict) -> bool:
    return statement["verb"]["id"] == VOIDED_VERB


def _site_users(prepared: list[dict], user_resolver):
    """account name -> User for actors with an account on this site (one query for the batch)."""
    home = current_app.config["BASE_URL"].rstrip("/")
    names = set()
    for s in prepared:
        account = s["actor"].get("account") if s["actor"].get("objectType", "Agent") == "Agent" else None
        if account and str(account.get("homePage", "")).rstrip("/") == home:
            names.add(account["name"])
    if not names:
        return {}
    if user_resolver is not None:
        return {name: user_resolver(name) for name in names}
    from lms.models import User

    return {u.uuid: u for u in db.session.scalars(select(User).where(User.uuid.in_(names)))}


def _actor_user(statement: dict, users: dict):
    account = statement["actor"].get("account")
    if not account or statement["actor"].get("objectType", "Agent") != "Agent":
        return None
    home = current_app.config["BASE_URL"].rstrip("/")
    if str(account.get("homePage", "")).rstrip("/") != home:
        return None
    return users.get(account["name"])


def _agent_rows(statement: dict) -> set[tuple[str, str]]:
    rows: set[tuple[str, str]] = set()

    def add(agent, role):
        if isinstance(agent, dict):
            for key in agent_and_member_keys(agent):
                rows.add((key, role))

    def add_body(body, prefix):
        add(body["actor"], prefix + "actor")
        obj = body["object"]
        if obj.get("objectType") in ("Agent", "Group"):
            add(obj, prefix + "object")
        ctx = body.get("context") or {}
        add(ctx.get("instructor"), prefix + "instructor")
        add(ctx.get("team"), prefix + "team")

    add_body(statement, "")
    add(statement.get("authority"), "authority")
    if statement["object"].get("objectType") == "SubStatement":
        add_body(statement["object"], "sub_")
    return rows


def _activity_rows(statement: dict) -> set[tuple[str, str]]:
    rows: set[tuple[str, str]] = set()

    def add_body(body, prefix):
        obj = body["object"]
        if obj.get("objectType", "Activity") == "Activity":
            rows.add((obj["id"], prefix + "object"))
        ca = (body.get("context") or {}).get("contextActivities") or {}
        for kind, items in ca.items():
            for item in items:
                rows.add((item["id"], prefix + kind))

    add_body(statement, "")
    if statement["object"].get("objectType") == "SubStatement":
        add_body(statement["object"], "sub_")
    return rows


def _statement_row(s: dict, *, stored_dt, authority_key, user, voided: bool, country_ext: str) -> dict:
    obj = s["object"]
    otype = obj.get("objectType", "Activity")
    ctx = s.get("context") or {}
    res = s.get("result") or {}
    score = res.get("score") or {}
    country = (ctx.get("extensions") or {}).get(country_ext)
    duration = formats.duration_seconds(res["duration"]) if "duration" in res else None
    return {
        "statement_id": s["id"],
        "data": s,
        "actor_key": group_key(s["actor"]),
        "authority_key": authority_key,
        "verb_id": s["verb"]["id"],
        "object_type": otype,
        "object_activity_id": obj["id"] if otype == "Activity" else None,
        "object_statement_id": obj["id"].lower() if otype == "StatementRef" else None,
        "registration": ctx["registration"].lower() if "registration" in ctx else None,
        "timestamp_dt": formats.parse_timestamp(s["timestamp"]),
        "stored_dt": stored_dt,
        "is_voided": voided,
        "user_id": user.id if user is not None else None,
        "result_success": res.get("success"),
        "result_completion": res.get("completion"),
        "result_score_scaled": float(score["scaled"]) if "scaled" in score else None,
        "result_duration_s": duration,
        "language": ctx["language"][:35] if "language" in ctx else None,
        "country_code": country.upper() if isinstance(country, str) and len(country) == 2 else None,
        "has_attachments": bool(s.get("attachments")),
    }


class StoredBatch(NamedTuple):
    ids: list[str]
    """The statement ids in the batch's order."""
    new: int
    """How many of them were not stored before (0: the whole batch was sent again)."""


def store_statements(
    statements: list[dict],
    *,
    authority: dict,
    attachments: dict[str, tuple[str, bytes]] | None = None,
    user_resolver=None,
) -> list[str]:
    """:func:`store_batch`, returning only the statement ids in the batch's order."""
    return store_batch(
        statements, authority=authority, attachments=attachments, user_resolver=user_resolver
    ).ids


def store_batch(
    statements: list[dict],
    *,
    authority: dict,
    attachments: dict[str, tuple[str, bytes]] | None = None,
    user_resolver=None,
) -> StoredBatch:
    """Validate and store a batch, all or nothing; returns its ids and how many were new.

    - ``authority``: the Agent (or Group of application and user) asserting the statements; it replaces
      any authority the statements carry.
    - ``attachments``: ``{sha2: (content_type, data)}`` from a multipart request; every attachment
      without ``fileUrl`` needs its data here, and every payload must belong to an attachment.
    - ``user_resolver``: optional ``callable(account_name) -> User | None`` used instead of a query to
      find the platform user behind actors with an account on this site (``BASE_URL``).

    Raises :class:`XAPIError` (400 invalid, 409 an id already stored with different content, or
    whatever a receiver of :data:`lms.signals.statement_checking`, sent for each new statement once the
    LRS's own checks passed, raises) before anything is written. A statement whose id is already stored
    with the same content is accepted and left unchanged. New statements update the canonical activity
    definitions (when ``authority`` may define) and are queued for forwarding, in the same transaction;
    then
    :data:`lms.signals.statement_recorded` is sent for each.
    """
    try:
        return _store_batch(statements, authority, attachments, user_resolver)
    except _StoredConcurrently:
        # Another request stored one of these ids between the check and the insert (a page's last
        # statements sent again by the next page, a second tab): once more, they are known now, so an
        # identical statement is accepted unchanged and a different one refused (409), as the spec asks.
        try:
            return _store_batch(statements, authority, attachments, user_resolver)
        except _StoredConcurrently:
            raise XAPIError(409, "a statement of this batch was stored concurrently; send it again") from None


class _StoredConcurrently(Exception):
    """The batch's rows were undone: another request stored one of its ids meanwhile."""


def _store_batch(statements, authority, attachments, user_resolver) -> StoredBatch:
    if not isinstance(statements, list):
        raise XAPIError(400, "statements: expected a statement or an array of statements")
    validate_statements(statements)
    prepared = [normalise(s) for s in statements]
    seen: set[str] = set()
    for i, s in enumerate(prepared):
        sid = s["id"].lower() if "id" in s else new_uuid()
        if sid in seen:
            raise XAPIError(400, f"statements[{i}].id: the batch contains this id more than once")
        seen.add(sid)
        s["id"] = sid
        if "timestamp" in s:
            s["timestamp"] = formats.utc_timestamp(s["timestamp"])
        if s["object"].get("objectType") == "SubStatement" and "timestamp" in s["object"]:
            s["object"]["timestamp"] = formats.utc_timestamp(s["object"]["timestamp"])
    payloads = attachments or {}
    check_payloads(prepared, payloads)
    for i, s in enumerate(prepared):
        verify_signatures(s, payloads, f"statements[{i}]")

    ids = [s["id"] for s in prepared]
    existing, voided_by_stored = _known(ids)
    new: list[dict] = []
    for i, s in enumerate(prepared):
        if s["id"] in existing:
            old = existing[s["id"]]
            if old.get("timestamp") == old.get("stored"):  # filled in by the LRS: not part of the comparison
                old = {k: v for k, v in old.items() if k != "timestamp"}
            if not statements_match(s, old):
                raise XAPIError(
                    409,
                    f"statements[{i}].id: a different statement with id {s['id']} is "
                    "already stored (statements are immutable)",
                )
        else:
            new.append(s)
    if not new:
        return StoredBatch(ids, 0)

    by_id = {s["id"]: s for s in new}
    targets = {s["object"]["id"].lower() for s in new if _is_voiding(s)}
    # A voiding statement cannot be voided (Data 2.3.2.s2.b3): one that targets another voiding statement
    # is stored, as the ADL conformance suite requires (XAPI-00016), and voids nothing.
    stored_targets: list[str] = []
    if targets:
        stored_targets = [
            sid
            for sid, verb_id in db.session.execute(
                select(Statement.statement_id, Statement.verb_id).where(Statement.statement_id.in_(targets))
            )
            if verb_id != VOIDED_VERB
        ]
    # Statements voided by a voiding statement stored earlier (voiding an unknown id is allowed).
    voided_new = (voided_by_stored | targets) & by_id.keys()

    stored_dt = utcnow()
    stored = formats.format_timestamp(stored_dt)
    authority_key = group_key(authority)
    users = _site_users(new, user_resolver)
    country_ext = current_app.config["BASE_URL"].rstrip("/") + COUNTRY_EXTENSION
    rows, new_users = [], []
    for s in new:
        s["stored"] = stored
        s["authority"] = authority
        s.setdefault("version", "1.0.0")
        s.setdefault("timestamp", stored)
        user = _actor_user(s, users)
        new_users.append(user)
        rows.append(
            _statement_row(
                s,
                stored_dt=stored_dt,
                authority_key=authority_key,
                user=user,
                voided=s["id"] in voided_new and not _is_voiding(s),
                country_ext=country_ext,
            )
        )

    for i, (s, user) in enumerate(zip(new, new_users, strict=True)):
        statement_checking.send("lms.xapi", statement=s, user=user, authority=authority, earlier=new[:i])

    try:
        _write(new, rows, stored_targets, payloads, define=may_define(authority))
    except IntegrityError:
        # The SAVEPOINT undid this batch's rows. Another request storing one of these ids meanwhile is
        # a conflict; any other integrity error is a bug and goes on up.
        if db.session.scalar(select(Statement.id).where(Statement.statement_id.in_(list(by_id))).limit(1)):
            raise _StoredConcurrently from None
        raise

    for s, user in zip(new, new_users, strict=True):
        statement_recorded.send("lms.xapi", statement=s, user=user)
    return StoredBatch(ids, len(new))


def _write(
    new: list[dict], rows: list[dict], stored_targets: list[str], payloads: dict, *, define: bool
) -> None:
    """All the writes of a batch, inside one SAVEPOINT: the statements and their side tables, voiding,
    attachments, canonical activity definitions and the forwarding queue, each in one round trip (or a
    few) for the whole batch rather than one per statement."""
    with savepoint():
        # No ORM bookkeeping per row; on PostgreSQL one round trip for the three tables (lms.xapi.bulk).
        table = Statement.__table__
        agent_rows, activity_rows = [], []
        for s in new:
            sid = s["id"]
            agent_rows += [{"statement_id": sid, "agent_key": k, "role": r} for k, r in _agent_rows(s)]
            activity_rows += [
                {"statement_id": sid, "activity_id": a, "role": r} for a, r in _activity_rows(s)
            ]
        insert_family(
            table,
            rows,
            "statement_id",
            [
                (StatementAgent.__table__, "statement_pk", agent_rows),
                (StatementActivity.__table__, "statement_pk", activity_rows),
            ],
        )
        if stored_targets:
            db.session.execute(
                update(table).where(table.c.statement_id.in_(stored_targets)).values(is_voided=True)
            )
        _store_payloads(new, payloads)
        if define:
            record_definitions(new)
        enqueue_statements(new)


def _store_payloads(new: list[dict], payloads: dict) -> None:
    wanted = {
        a["sha2"].lower(): a["contentType"]
        for s in new
        for a in s.get("attachments") or ()
        if a["sha2"].lower() in payloads
    }
    if not wanted:
        return
    have = set(db.session.scalars(select(AttachmentContent.sha2).where(AttachmentContent.sha2.in_(wanted))))
    now = utcnow()
    rows = [
        {"sha2": sha2, "content_type": wanted[sha2][:255], "content": payloads[sha2][1], "created_dt": now}
        for sha2 in sorted(wanted.keys() - have)
    ]
    if rows:
        db.session.execute(insert(AttachmentContent), rows)
