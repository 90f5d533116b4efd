"""Activities and Agents resources of the built-in LRS (Communication 2.4, 2.5), and the canonical
activity definitions behind the first.

- ``GET /xapi/activities?activityId=`` returns the LRS's canonical Activity object, kept up to date from
  stored statements by :mod:`lms.xapi.definitions`. An unknown activity still gets an Activity object
  with just its id (2.5.s2.b1).
- ``GET /xapi/agents?agent=`` returns a Person object. With the ``all`` or ``all/read`` scope it combines
  every identifier the LRS knows for the same platform user; otherwise only the requested agent's.
"""

from __future__ import annotations

import json

from flask import Response, current_app, g
from sqlalchemy import func, select

from lms.db import db, utcnow  # noqa: F401  (utcnow: tests use resources.utcnow)
from lms.xapi.auth import require_scope
from lms.xapi.definitions import (  # noqa: F401  (re-exported: part of this module's contract)
    merge_definition,
    statement_activities,
    upsert_definition,
)
from lms.xapi.models import ActivityDefinition, Statement
from lms.xapi.resource_params import agent_param, check_params, iri_param
from lms.xapi.views import bp

ANY_SCOPE = (
    "all",
    "all/read",
    "statements/read",
    "statements/read/mine",
    "statements/write",
    "define",
    "state",
    "profile",
)


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
    from lms.xapi.agents import actor_for

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
    latest = (
        select(Statement.id).where(Statement.user_id == user_id).order_by(Statement.id.desc()).limit(limit)
    )
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
