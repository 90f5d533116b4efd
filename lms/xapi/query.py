"""Reading statements from the built-in LRS (Communication 2.1.3 GET Statements).

Filters run on indexed columns of ``xapi_statement`` and its side tables (``xapi_statement_agent``,
``xapi_statement_activity``), identically on SQLite and PostgreSQL. Results come newest ``stored`` first
(or oldest first with ``ascending``); a page that has more results returns a ``more`` IRL whose signed
``cursor`` holds the query and the position after the last statement returned (stored time, row id), so
it stays valid however many statements arrive meanwhile.

Statements that target another statement (StatementRef objects, voiding included) match the non-time
filters when the statement they target (recursively) matches; voided statements are never returned in
lists (Communication 2.1.3.s3 and 2.1.4).
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import aliased

from lms.db import db
from lms.xapi import formats
from lms.xapi.errors import XAPIError
from lms.xapi.ids import agent_key, normalise_uuid
from lms.xapi.models import Statement, StatementActivity, StatementAgent
from lms.xapi.presentation import format_statements
from lms.xapi.validation import agent_or_group, parse_json

QUERY_PARAMS = (
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
)
FORMATS = ("ids", "exact", "canonical")
DEFAULT_LIMIT = 100
_AGENT_ROLES = ("actor", "object")


def _bool_param(params, name: str) -> bool:
    value = params.get(name)
    if value is None:
        return False
    if value not in ("true", "false"):
        raise XAPIError(400, f"parameter {name}: must be true or false")
    return value == "true"


def parse_format(params) -> str:
    fmt = params.get("format", "exact")
    if fmt not in FORMATS:
        raise XAPIError(400, "parameter format: must be ids, exact or canonical")
    return fmt


def parse_query(params) -> dict:
    """Validate the filter parameters (strings, as received) into a query dict. XAPIError(400)."""
    unknown = [k for k in params if k not in QUERY_PARAMS]
    if unknown:
        raise XAPIError(400, f"unknown parameter(s) for GET statements: {', '.join(sorted(unknown))}")
    q: dict = {"format": parse_format(params)}
    for name in ("related_activities", "related_agents", "attachments", "ascending"):
        q[name] = _bool_param(params, name)
    if "agent" in params:
        agent = parse_json(params["agent"], "parameter agent")
        if not isinstance(agent, dict):
            raise XAPIError(400, "parameter agent: must be an Agent or identified Group (JSON object)")
        agent_or_group(agent, "parameter agent")
        q["agent"] = agent_key(agent)
        if q["agent"] is None:
            raise XAPIError(400, "parameter agent: an anonymous group cannot be used as a filter")
    for name in ("verb", "activity"):
        if name in params:
            if not formats.is_iri(params[name]):
                raise XAPIError(400, f"parameter {name}: must be an IRI")
            q[name] = params[name]
    if "registration" in params:
        if not formats.is_uuid(params["registration"]):
            raise XAPIError(400, "parameter registration: must be a UUID")
        q["registration"] = normalise_uuid(params["registration"])
    for name in ("since", "until"):
        if name in params:
            dt = formats.parse_timestamp(params[name])
            if dt is None:
                raise XAPIError(400, f"parameter {name}: must be an ISO 8601 timestamp")
            q[name] = dt
    limit = params.get("limit", "0")
    if not (limit.isascii() and limit.isdigit()):
        raise XAPIError(400, "parameter limit: must be a non-negative integer")
    maximum = int(current_app.config.get("XAPI_STATEMENTS_MAX_LIMIT", DEFAULT_LIMIT))
    q["limit"] = min(int(limit), maximum) if int(limit) else maximum
    return q


def _filters(entity, q: dict) -> list:
    """The non-time filters on ``entity`` (the Statement model or an alias of it)."""
    conds = []
    if "agent" in q:
        sub = select(StatementAgent.statement_pk).where(StatementAgent.agent_key == q["agent"])
        if not q["related_agents"]:
            sub = sub.where(StatementAgent.role.in_(_AGENT_ROLES))
        conds.append(entity.id.in_(sub))
    if "verb" in q:
        conds.append(entity.verb_id == q["verb"])
    if "activity" in q:
        if q["related_activities"]:
            conds.append(
                entity.id.in_(
                    select(StatementActivity.statement_pk).where(
                        StatementActivity.activity_id == q["activity"]
                    )
                )
            )
        else:
            conds.append(entity.object_activity_id == q["activity"])
    if "registration" in q:
        conds.append(entity.registration == q["registration"])
    return conds


def _targeting(q: dict) -> list[int]:
    """Row ids of statements whose StatementRef object targets (recursively) a statement matching the
    non-time filters."""
    base = select(Statement.id.label("origin"), Statement.object_statement_id.label("target")).where(
        Statement.object_statement_id.is_not(None)
    )
    chain = base.cte("chain", recursive=True)
    hop = aliased(Statement)
    chain = chain.union(
        select(chain.c.origin, hop.object_statement_id)
        .join(hop, hop.statement_id == chain.c.target)
        .where(hop.object_statement_id.is_not(None))
    )
    target = aliased(Statement)
    found = (
        select(chain.c.origin).join(target, target.statement_id == chain.c.target).where(*_filters(target, q))
    )
    return list(db.session.scalars(found.distinct()))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="xapi-statements-more")


def _more_url(params: dict, after: tuple[datetime, int]) -> str:
    token = _serializer().dumps({"p": params, "a": [formats.format_timestamp(after[0]), after[1]]})
    try:
        return url_for("xapi.statements", cursor=token, _external=False)
    except RuntimeError:  # outside a request, without SERVER_NAME
        return "/xapi/statements?cursor=" + token


def read_cursor(token: str) -> tuple[dict, tuple[datetime, int]]:
    try:
        data = _serializer().loads(token)
        after = formats.parse_timestamp(data["a"][0]), int(data["a"][1])
        params = dict(data["p"])
    except (BadSignature, KeyError, TypeError, ValueError, IndexError):
        raise XAPIError(400, "parameter cursor: not a cursor this LRS issued") from None
    if after[0] is None:
        raise XAPIError(400, "parameter cursor: not a cursor this LRS issued")
    return params, after


def query_statements(params, *, authority_key: str | None = None, accept_language: str | None = None):
    """Run a GET statements query. ``params``: the request's parameters (strings), or ``{"cursor":
    token}`` from a ``more`` IRL. ``authority_key``: restrict to statements of that authority (the
    ``statements/read/mine`` scope). Returns ``(statements, more_url)`` (``more_url`` is ``""`` when
    there are no more)."""
    params = dict(params)
    after = None
    if "cursor" in params:
        if len(params) > 1:
            raise XAPIError(400, "parameter cursor: cannot be combined with other parameters")
        params, after = read_cursor(params["cursor"])
    q = parse_query(params)
    conds = _filters(Statement, q)
    if conds:
        extra = _targeting(q)
        match = or_(and_(*conds), Statement.id.in_(extra)) if extra else and_(*conds)
    else:
        match = None
    stmt = select(Statement.id, Statement.stored_dt, Statement.data).where(Statement.is_voided == false())
    if match is not None:
        stmt = stmt.where(match)
    if "since" in q:
        stmt = stmt.where(Statement.stored_dt > q["since"])
    if "until" in q:
        stmt = stmt.where(Statement.stored_dt <= q["until"])
    if authority_key is not None:
        stmt = stmt.where(Statement.authority_key == authority_key)
    if after is not None:
        stored, pk = after
        if q["ascending"]:
            stmt = stmt.where(
                or_(Statement.stored_dt > stored, and_(Statement.stored_dt == stored, Statement.id > pk))
            )
        else:
            stmt = stmt.where(
                or_(Statement.stored_dt < stored, and_(Statement.stored_dt == stored, Statement.id < pk))
            )
    if q["ascending"]:
        stmt = stmt.order_by(Statement.stored_dt.asc(), Statement.id.asc())
    else:
        stmt = stmt.order_by(Statement.stored_dt.desc(), Statement.id.desc())
    rows = db.session.execute(stmt.limit(q["limit"] + 1)).all()
    more = ""
    if len(rows) > q["limit"]:
        rows = rows[: q["limit"]]
        more = _more_url(params, (rows[-1].stored_dt, rows[-1].id))
    statements = format_statements([r.data for r in rows], q["format"], accept_language)
    return statements, more


def get_statement(
    statement_id: str,
    voided: bool = False,
    *,
    authority_key: str | None = None,
    format: str = "exact",
    accept_language: str | None = None,
) -> dict | None:
    """One statement by id: with ``voided=False`` only if it is not voided (``statementId``), with
    ``voided=True`` only if it is (``voidedStatementId``). ``None`` when there is no such statement."""
    if not formats.is_uuid(statement_id):
        raise XAPIError(400, "statementId: must be a UUID")
    stmt = select(Statement.data).where(
        Statement.statement_id == normalise_uuid(statement_id),
        Statement.is_voided == (true() if voided else false()),
    )
    if authority_key is not None:
        stmt = stmt.where(Statement.authority_key == authority_key)
    data = db.session.scalar(stmt)
    if data is None:
        return None
    return format_statements([data], format, accept_language)[0]
