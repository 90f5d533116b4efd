"""Canonical activity definitions of the built-in LRS (behind the Activities resource, Communication 2.5).

Definitions come from stored statements: :func:`lms.xapi.store.store_statements` hands every batch it
stores to :func:`record_definitions`, which merges every definition the statements carry into
:class:`~lms.xapi.models.ActivityDefinition` when their authority may define activities (credentials
with the ``define`` or ``all`` scope, and always the platform itself). Language maps (name, description)
and extensions are merged key by key; other properties are replaced.

A batch costs at most one SELECT (of the activities whose definition adds something to what this
process knows is committed), one multi-row INSERT and one flush, instead of a SELECT per activity: most
statements repeat their activity's definition, and those cost nothing.
"""

from __future__ import annotations

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import event, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.db import db, savepoint, utcnow
from lms.xapi.models import ActivityDefinition

_STAGED = "lrs_definitions_staged"
_CACHE_KEY = "lrs_definition_cache"
_CACHE_MAX = 20000
_IN_CHUNK = 500
_MERGED_MAPS = ("name", "description", "extensions")


def merge_definition(old: dict, new: dict) -> dict:
    """``new`` over ``old``: language maps and extensions merged key by key, the rest replaced."""
    out = dict(old or {})
    for key, value in (new or {}).items():
        if key in _MERGED_MAPS and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _context_activities(context) -> list[dict]:
    found = []
    ca = (context or {}).get("contextActivities") or {}
    if isinstance(ca, dict):
        for value in ca.values():
            items = value if isinstance(value, list) else [value]
            found.extend(a for a in items if isinstance(a, dict))
    return found


def statement_activities(statement: dict) -> list[dict]:
    """Every Activity object in a statement (object, context activities, and a sub-statement's)."""
    found: list[dict] = []
    obj = statement.get("object") or {}
    if isinstance(obj, dict):
        if obj.get("objectType", "Activity") == "Activity" and "id" in obj:
            found.append(obj)
        elif obj.get("objectType") == "SubStatement":
            found.extend(statement_activities(obj))
    found.extend(_context_activities(statement.get("context")))
    return found


def _known_definitions() -> dict:
    """Canonical definitions this process knows to be committed (activity id -> definition)."""
    return current_app.extensions.setdefault(_CACHE_KEY, {})


def _staged() -> dict:
    """Definitions written by the current transaction (promoted to the cache once it commits)."""
    return db.session.info.setdefault(_STAGED, {})


@event.listens_for(Session, "after_commit")
def _promote_definitions(session):
    """Once the transaction commits, remember the definitions it wrote (never for a savepoint)."""
    staged = session.info.get(_STAGED)
    if not staged or session.in_nested_transaction() or not has_app_context():
        return
    known = _known_definitions()
    if len(known) + len(staged) > _CACHE_MAX:
        known.clear()
    known.update(staged)
    staged.clear()


@event.listens_for(Session, "after_transaction_end")
def _forget_staged_definitions(session, transaction):
    if transaction.parent is None:  # committed (promoted above), rolled back or closed
        session.info.pop(_STAGED, None)


def upsert_definition(activity_id: str, definition: dict) -> ActivityDefinition | None:
    """Merge ``definition`` into the canonical one (insert it when new). Flushes; a concurrent insert of
    the same activity is absorbed by a savepoint and turned into an update. Returns ``None`` without
    touching the database when the definition adds nothing to what this process knows is stored (the
    common case: statements repeat their activity's definition)."""
    staged = _staged()
    known = staged.get(activity_id) or _known_definitions().get(activity_id)
    if known is not None and merge_definition(known, definition) == known:
        return None
    row = _upsert_row(activity_id, definition)
    staged[activity_id] = dict(row.definition)
    return row


def _upsert_row(activity_id: str, definition: dict) -> ActivityDefinition:
    row = db.session.scalar(select(ActivityDefinition).where(ActivityDefinition.activity_id == activity_id))
    if row is None:
        try:
            with savepoint():
                row = ActivityDefinition(activity_id=activity_id, definition=dict(definition))
                db.session.add(row)
        except IntegrityError:
            row = db.session.scalar(
                select(ActivityDefinition).where(ActivityDefinition.activity_id == activity_id)
            )
        else:
            return row
    merged = merge_definition(row.definition, definition)
    if merged != row.definition:
        row.definition = merged
        row.updated_dt = utcnow()
        db.session.flush()
    return row


def may_define(authority: dict) -> bool:
    """Whether statements asserted by ``authority`` (in the current request) may define activities: the
    platform always; a client with the ``define`` or ``all`` scope."""
    from lms.xapi.agents import platform_authority
    from lms.xapi.ids import agent_key

    if isinstance(authority, dict) and agent_key(authority) == agent_key(platform_authority()):
        return True
    client = getattr(g, "lrs_client", None) if has_request_context() else None
    scopes = set(getattr(client, "scopes", None) or ())
    return bool(scopes & {"define", "all"})


def record_definitions(statements: list[dict]) -> None:
    """Merge the definitions a batch of newly stored statements carries into the canonical ones (the
    caller checked :func:`may_define`). Flushes."""
    wanted: dict[str, dict] = {}  # activity id -> the batch's definitions merged in order
    for statement in statements:
        for activity in statement_activities(statement):
            definition = activity.get("definition")
            if isinstance(definition, dict) and definition:
                aid = activity["id"]
                wanted[aid] = merge_definition(wanted[aid], definition) if aid in wanted else definition
    staged, known = _staged(), _known_definitions()
    todo = {}
    for aid, definition in wanted.items():
        current = staged.get(aid) or known.get(aid)
        if current is None or merge_definition(current, definition) != current:
            todo[aid] = definition
    if not todo:
        return
    ids = list(todo)
    rows: dict[str, ActivityDefinition] = {}
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        rows.update(
            (row.activity_id, row)
            for row in db.session.scalars(
                select(ActivityDefinition).where(ActivityDefinition.activity_id.in_(chunk))
            )
        )
    now = utcnow()
    missing = [aid for aid in ids if aid not in rows]
    if missing:
        try:
            with savepoint():
                db.session.execute(
                    insert(ActivityDefinition.__table__),
                    [
                        {"activity_id": aid, "definition": dict(todo[aid]), "updated_dt": now}
                        for aid in missing
                    ],
                )
        except IntegrityError:
            # Another transaction inserted one of them meanwhile: the savepoint undid the whole insert,
            # so merge them one by one (each absorbs the race by itself).
            for aid in missing:
                upsert_definition(aid, todo[aid])
        else:
            staged.update((aid, dict(todo[aid])) for aid in missing)
    changed = False
    for aid, row in rows.items():
        merged = merge_definition(row.definition, todo[aid])
        if merged != row.definition:
            row.definition = merged
            row.updated_dt = now
            changed = True
        staged[aid] = dict(merged)
    if changed:
        db.session.flush()
