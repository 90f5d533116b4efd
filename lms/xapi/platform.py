"""Statements from the platform itself: the implementation of :func:`lms.xapi.record_statement`, the
platform's authority, and the pseudonymisation of a deleted user's learning records.

A platform statement is built with ``tincan`` (Agent with an account, Verb with display names in the
six UN languages, Activity with its definition, Result, Context with registration, language, context
activities, platform and the learner's country and UN region as extensions), serialised for xAPI 1.0.3
and stored through :func:`lms.xapi.store.store_statements` with the platform as authority, inside the
caller's transaction (flush only).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import tincan
from flask import current_app
from sqlalchemy import select, update

from lms.db import db, utcnow
from lms.signals import user_deleted
from lms.xapi.agents import actor_for, platform_authority
from lms.xapi.verbs import activity_type_iri, verb_object

PLATFORM_NAME = "Minamata LMS"
XAPI_VERSION = "1.0.3"


def base_url() -> str:
    return current_app.config["BASE_URL"]


def extension_iri(name: str) -> str:
    """The platform's own extension IRIs: ``{BASE_URL}/xapi/extensions/{name}``."""
    return f"{base_url().rstrip('/')}/xapi/extensions/{name}"


def _language_map(value: dict[str, str] | str | None) -> tincan.LanguageMap | None:
    if not value:
        return None
    if isinstance(value, str):
        value = {"en": value}
    return tincan.LanguageMap({k: v for k, v in value.items() if v})


def _definition(activity_type, name, description, extra) -> tincan.ActivityDefinition | None:
    props: dict = dict(extra or {})
    if activity_type:
        props["type"] = activity_type_iri(activity_type)
    if name:
        props["name"] = _language_map(name)
    if description:
        props["description"] = _language_map(description)
    if "extensions" in props:
        props["extensions"] = tincan.Extensions(props["extensions"])
    return tincan.ActivityDefinition(props) if props else None


def _result(result: dict | None, result_extensions: dict | None) -> tincan.Result | None:
    if not result and not result_extensions:
        return None
    props = dict(result or {})
    score = props.pop("score", None)
    out = tincan.Result(props)
    if score is not None:
        out.score = tincan.Score(score)
    if result_extensions:
        out.extensions = tincan.Extensions(result_extensions)
    return out


def _context(user, *, registration, parents, grouping, category, language, extensions) -> tincan.Context:
    ext: dict = {}
    if getattr(user, "country_code", None):
        ext[extension_iri("country")] = user.country_code
        country = getattr(user, "country", None)
        if country is not None and country.region:
            ext[extension_iri("region")] = country.region
    ext.update(extensions or {})
    ca = {}
    for name, ids in (("parent", parents), ("grouping", grouping), ("category", category)):
        if ids:
            ca[name] = [tincan.Activity(id=i) for i in ids]
    context = tincan.Context(platform=PLATFORM_NAME)
    if registration:
        context.registration = str(registration)
    if language:
        context.language = language
    if ca:
        context.context_activities = tincan.ContextActivities(**ca)
    if ext:
        context.extensions = tincan.Extensions(ext)
    return context


def build_statement(
    *,
    user,
    verb,
    activity_id,
    activity_type=None,
    activity_name=None,
    activity_description=None,
    activity_extra=None,
    result=None,
    registration=None,
    parents=(),
    grouping=(),
    category=(),
    language=None,
    extensions=None,
    result_extensions=None,
    timestamp: datetime | None = None,
) -> dict:
    """The statement JSON (with a new id) a platform event becomes; raises ValueError/KeyError on
    unusable arguments (an unknown verb key, a naive timestamp ...)."""
    if timestamp is not None and timestamp.tzinfo is None:
        raise ValueError("record_statement: timestamp must be timezone-aware (UTC)")
    timestamp = timestamp or utcnow()
    actor = actor_for(user)["account"]
    verb_json = verb_object(verb)
    statement = tincan.Statement(
        id=str(uuid.uuid4()),
        actor=tincan.Agent(account=tincan.AgentAccount(home_page=actor["homePage"], name=actor["name"])),
        verb=tincan.Verb(id=verb_json["id"], display=_language_map(verb_json.get("display"))),
        object=tincan.Activity(
            id=activity_id,
            definition=_definition(activity_type, activity_name, activity_description, activity_extra),
        ),
        context=_context(
            user,
            registration=registration,
            parents=parents,
            grouping=grouping,
            category=category,
            language=language,
            extensions=extensions,
        ),
        timestamp=timestamp,
    )
    res = _result(result, result_extensions)
    if res is not None:
        statement.result = res
    data = statement.as_version(XAPI_VERSION)
    data = json.loads(json.dumps(data))  # plain JSON types only
    data.pop("version", None)  # the LRS sets the statement version
    return data


def record(**kwargs) -> dict:
    """Implementation of :func:`lms.xapi.record_statement` (see its docstring). Flushes."""
    from lms.xapi.models import Statement
    from lms.xapi.store import store_statements

    data = build_statement(**kwargs)
    user = kwargs["user"]
    ids = store_statements(
        [data], authority=platform_authority(), user_resolver=lambda name: user if name == user.uuid else None
    )
    row = db.session.scalar(select(Statement).where(Statement.statement_id == ids[0]))
    return dict(row.data) if row is not None else data


# --- pseudonymisation ---------------------------------------------------------------------------------


def _rewrite_agents(value, old_name: str, new_name: str, home_page: str):
    """A copy of ``value`` where every account agent ``{homePage, old_name}`` is renamed."""
    if isinstance(value, list):
        return [_rewrite_agents(v, old_name, new_name, home_page) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: _rewrite_agents(v, old_name, new_name, home_page) for k, v in value.items()}
    account = out.get("account")
    if isinstance(account, dict) and account.get("homePage") == home_page and account.get("name") == old_name:
        out["account"] = {**account, "name": new_name}
    return out


def pseudonymise_user_records(user, pseudonym: str, *, batch: int = 500) -> int:
    """Rewrite ``user``'s statements to carry ``pseudonym`` as account name (statement JSON, actor key,
    agent side table), detach them from the user and delete the user's State and Agent Profile
    documents. Counts (aggregates) are unchanged. Flushes; returns the number of statements rewritten."""
    from lms.xapi.ids import agent_key
    from lms.xapi.models import Document, Statement, StatementAgent

    home_page = base_url()
    old_actor = actor_for(user)
    old_key = agent_key(old_actor)
    new_key = agent_key({"objectType": "Agent", "account": {"homePage": home_page, "name": pseudonym}})
    done = 0
    while True:
        rows = db.session.scalars(
            select(Statement)
            .where((Statement.user_id == user.id) | (Statement.actor_key == old_key))
            .order_by(Statement.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            row.data = _rewrite_agents(row.data, user.uuid, pseudonym, home_page)
            if row.actor_key == old_key:
                row.actor_key = new_key
            row.user_id = None
            done += 1
        db.session.flush()
    # Statements that mention the user elsewhere (as instructor, team member, object agent).
    ids = select(StatementAgent.statement_pk).where(StatementAgent.agent_key == old_key)
    for row in db.session.scalars(select(Statement).where(Statement.id.in_(ids))):
        row.data = _rewrite_agents(row.data, user.uuid, pseudonym, home_page)
    db.session.execute(
        update(StatementAgent).where(StatementAgent.agent_key == old_key).values(agent_key=new_key)
    )
    for doc in db.session.scalars(select(Document).where(Document.agent_key == old_key)):
        db.session.delete(doc)
    db.session.flush()
    return done


@user_deleted.connect
def _on_user_deleted(sender, pseudonym=None, **kwargs):
    if pseudonym:
        pseudonymise_user_records(sender, pseudonym)
