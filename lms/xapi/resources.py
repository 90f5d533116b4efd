"""Activities and Agents resources of the built-in LRS (Communication 2.4, 2.5), and the canonical
activity definitions behind the first.

- ``GET /xapi/activities?activityId=`` returns the LRS's canonical Activity object. Definitions come
  from stored statements: a receiver of :data:`lms.signals.statement_recorded` merges every definition
  a statement carries into :class:`~lms.xapi.models.ActivityDefinition` when its authority may define
  activities (credentials with the ``define`` or ``all`` scope, and always the platform itself). Language
  maps (name, description) and extensions are merged key by key; other properties are replaced. An
  unknown activity still gets an Activity object with just its id (2.5.s2.b1).
- ``GET /xapi/agents?agent=`` returns a Person object. With the ``all`` or ``all/read`` scope it combines
  every identifier the LRS knows for the same platform user; otherwise only the requested agent's.
"""

from __future__ import annotations

import json

from flask import Response, current_app, g, has_app_context, has_request_context
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.db import db, utcnow
from lms.signals import statement_recorded
from lms.xapi.auth import require_scope
from lms.xapi.models import ActivityDefinition, Statement
from lms.xapi.resource_params import agent_param, check_params, iri_param
from lms.xapi.views import bp

_STAGED = "lrs_definitions_staged"
_CACHE_KEY = "lrs_definition_cache"
_CACHE_MAX = 20000
ANY_SCOPE = ("all", "all/read", "statements/read", "statements/read/mine", "statements/write", "define",
             "state", "profile")
_MERGED_MAPS = ("name", "description", "extensions")


# --- canonical definitions --------------------------------------------------------------------------------


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


def _savepoint():
    """A SAVEPOINT in the current transaction (pysqlite begins transactions lazily: open one first, or
    releasing the savepoint would commit)."""
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN")
    return db.session.begin_nested()


def _known_definitions() -> dict:
    """Canonical definitions this process knows to be committed (activity id -> definition)."""
    return current_app.extensions.setdefault(_CACHE_KEY, {})


def upsert_definition(activity_id: str, definition: dict) -> ActivityDefinition | None:
    """Merge ``definition`` into the canonical one (insert it when new). Flushes; a concurrent insert of
    the same activity is absorbed by a savepoint and turned into an update. Returns ``None`` without
    touching the database when the definition adds nothing to what this process knows is stored (the
    common case: statements repeat their activity's definition)."""
    staged = db.session.info.setdefault(_STAGED, {})
    known = staged.get(activity_id) or _known_definitions().get(activity_id)
    if known is not None and merge_definition(known, definition) == known:
        return None
    row = _upsert_row(activity_id, definition)
    staged[activity_id] = dict(row.definition)
    return row


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


def _upsert_row(activity_id: str, definition: dict) -> ActivityDefinition:
    row = db.session.scalar(select(ActivityDefinition).where(ActivityDefinition.activity_id == activity_id))
    if row is None:
        try:
            with _savepoint():
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


def _may_define(statement: dict) -> bool:
    from lms.xapi.ids import agent_key
    from lms.xapi.platform import platform_authority

    authority = statement.get("authority")
    if isinstance(authority, dict) and agent_key(authority) == agent_key(platform_authority()):
        return True
    client = getattr(g, "lrs_client", None) if has_request_context() else None
    scopes = set(getattr(client, "scopes", None) or ())
    return bool(scopes & {"define", "all"})


@statement_recorded.connect
def _record_definitions(sender, statement=None, user=None, **kwargs):
    """Receiver: keep canonical definitions up to date from statements allowed to define."""
    if not isinstance(statement, dict) or not _may_define(statement):
        return
    for activity in statement_activities(statement):
        definition = activity.get("definition")
        if isinstance(definition, dict) and definition:
            upsert_definition(activity["id"], definition)


def activity_object(activity_id: str) -> dict:
    row = db.session.scalar(select(ActivityDefinition).where(ActivityDefinition.activity_id == activity_id))
    out = {"objectType": "Activity", "id": activity_id}
    if row is not None and row.definition:
        out["definition"] = row.definition
    return out


# --- persons ------------------------------------------------------------------------------------------


def _platform_user_id(agent: dict, key: str) -> int | None:
    from lms.models import User

    account = agent.get("account") or {}
    if account.get("homePage") == current_app.config["BASE_URL"]:
        user_id = db.session.scalar(select(User.id).where(User.uuid == account.get("name")))
        if user_id is not None:
            return user_id
    return db.session.scalar(
        select(Statement.user_id).where(Statement.actor_key == key, Statement.user_id.is_not(None)).limit(1)
    )


def known_agents(agent: dict, key: str, limit: int = 200) -> list[dict]:
    """The requested agent plus every other actor the LRS has seen for the same platform user."""
    agents = [agent]
    user_id = _platform_user_id(agent, key)
    if user_id is None:
        return agents
    from lms.models import User
    from lms.xapi.record import actor_for

    user = db.session.get(User, user_id)
    if user is not None:
        agents.append(actor_for(user))
    # One statement per identifier the user acted under, plus the latest ones (for the names used).
    firsts = (
        select(func.min(Statement.id))
        .where(Statement.user_id == user_id)
        .group_by(Statement.actor_key)
        .limit(limit)
    )
    latest = (select(Statement.id).where(Statement.user_id == user_id)
              .order_by(Statement.id.desc()).limit(limit))
    wanted = set(db.session.scalars(firsts)) | set(db.session.scalars(latest))
    for data in db.session.scalars(select(Statement.data).where(Statement.id.in_(wanted))):
        actor = data.get("actor") if isinstance(data, dict) else None
        if isinstance(actor, dict) and actor.get("objectType", "Agent") == "Agent":
            agents.append(actor)
    return agents


def person_object(agents: list[dict]) -> dict:
    person: dict = {"objectType": "Person"}
    for prop in ("name", "mbox", "mbox_sha1sum", "openid", "account"):
        values: list = []
        for agent in agents:
            value = agent.get(prop)
            if value is not None and value not in values:
                values.append(value)
        if values:
            person[prop] = values
    return person


# --- routes ---------------------------------------------------------------------------------------------


def _json(body: dict) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=200, mimetype="application/json")


@bp.route("/activities", methods=["GET"], endpoint="activities")
@require_scope(*ANY_SCOPE)
def activities():
    params = check_params({"activityId"})
    return _json(activity_object(iri_param(params, "activityId")))


@bp.route("/agents", methods=["GET"], endpoint="agents")
@require_scope(*ANY_SCOPE)
def agents():
    params = check_params({"agent"})
    agent, key = agent_param(params, "agent")
    client = getattr(g, "lrs_client", None)
    scopes = set(getattr(client, "scopes", None) or ())
    if scopes & {"all", "all/read"}:
        return _json(person_object(known_agents(agent, key)))
    return _json(person_object([agent]))
