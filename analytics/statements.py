"""Reading stored xAPI statements as :class:`~analytics.fold.StatementRow` for the rollup job
(:mod:`analytics.rollup`) and for refolding what voided statements fed (:mod:`analytics.voiding`)."""

from __future__ import annotations

from sqlalchemy import select

from analytics import parsing as p
from analytics.fold import StatementRow
from lms.db import db
from lms.xapi.models import Statement, StatementActivity

_COLUMNS = (
    Statement.id,
    Statement.actor_key,
    Statement.verb_id,
    Statement.object_activity_id,
    Statement.object_statement_id,
    Statement.registration,
    Statement.timestamp_dt,
    Statement.stored_dt,
    Statement.user_id,
    Statement.result_success,
    Statement.result_completion,
    Statement.result_score_scaled,
    Statement.result_duration_s,
    Statement.language,
    Statement.country_code,
)


def _resolve(rows: list[StatementRow]) -> None:
    """Verb keys and resources; statements about foreign activities (imported packages) are attributed
    to the platform resource named in their context (parent, then grouping)."""
    foreign = []
    for r in rows:
        r.verb = p.verb_key(r.verb_id)
        r.resource = p.parse_activity(r.object_activity_id)
        if r.resource is None and r.object_activity_id:
            foreign.append(r)
    if not foreign:
        return
    by_pk: dict[int, list] = {}
    stmt = select(
        StatementActivity.statement_pk, StatementActivity.role, StatementActivity.activity_id
    ).where(
        StatementActivity.statement_pk.in_([r.id for r in foreign]),
        StatementActivity.role.in_(("parent", "grouping")),
    )
    for pk, role, iri in db.session.execute(stmt):
        by_pk.setdefault(pk, []).append((0 if role == "parent" else 1, iri))
    for r in foreign:
        for _rank, iri in sorted(by_pk.get(r.id, [])):
            parsed = p.parse_activity(iri)
            if parsed:
                r.resource, r.foreign_object = (parsed[0], parsed[1], ""), True
                break


def read_statements(where) -> list[StatementRow]:
    """The statements matching ``where`` (SQL conditions on :class:`Statement`), in id order, resolved."""
    rows = [
        StatementRow(*r) for r in db.session.execute(select(*_COLUMNS).where(*where).order_by(Statement.id))
    ]
    _resolve(rows)
    return rows


def fill_countries(rows: list[StatementRow]) -> None:
    """Statements without the country extension get their user's country."""
    from lms.models import User

    missing = {r.user_id for r in rows if not r.country_code and r.user_id}
    if not missing:
        return
    countries = dict(db.session.execute(select(User.id, User.country_code).where(User.id.in_(missing))).all())
    for r in rows:
        if not r.country_code and r.user_id:
            r.country_code = countries.get(r.user_id)


def read_after(last: int, high: int, batch_size: int) -> list[StatementRow]:
    """The next ``batch_size`` statements above ``last`` up to ``high``, in id order, resolved."""
    stmt = (
        select(*_COLUMNS)
        .where(Statement.id > last, Statement.id <= high)
        .order_by(Statement.id)
        .limit(batch_size)
    )
    rows = [StatementRow(*r) for r in db.session.execute(stmt)]
    _resolve(rows)
    return rows
