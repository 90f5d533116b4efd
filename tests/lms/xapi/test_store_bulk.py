"""The statement store's bulk writes (:mod:`lms.xapi.bulk`) store exactly what the ORM would, link side
rows to the right statements, refuse a duplicate id as an IntegrityError, and the batch's single lookup
of known and voided ids tells voiding from other statement references."""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_testing import statement  # noqa: E402
from test_store_batches import counted_sql  # noqa: E402

from lms.db import db  # noqa: E402
from lms.xapi.agents import platform_authority  # noqa: E402
from lms.xapi.bulk import insert_family, insert_rows  # noqa: E402
from lms.xapi.models import ActivityDefinition, Statement, StatementActivity, StatementAgent  # noqa: E402
from lms.xapi.store import store_statements  # noqa: E402

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def _row(sid: str, **extra) -> dict:
    row = {
        "statement_id": sid,
        "data": {"id": sid, "name": {"ar": "تجربة", "zh": "实验"}, "n": [1, 2.5, None, True]},
        "actor_key": "a" * 64,
        "authority_key": None,
        "verb_id": "http://adlnet.gov/expapi/verbs/experienced",
        "object_type": "Activity",
        "object_activity_id": "http://lms.test/a/1",
        "object_statement_id": None,
        "registration": None,
        "timestamp_dt": datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=UTC),
        "stored_dt": datetime(2024, 5, 1, 10, 0, 1, 456789, tzinfo=UTC),
        "is_voided": False,
        "user_id": None,
        "result_success": True,
        "result_completion": None,
        "result_score_scaled": 0.875,
        "result_duration_s": 5.5,
        "language": "fr-CA",
        "country_code": "SN",
        "has_attachments": False,
    }
    row.update(extra)
    return row


def _family(rows):
    agents = [
        {"statement_id": r["statement_id"], "agent_key": f"{i:064x}", "role": "actor"}
        for i, r in enumerate(rows)
    ]
    activities = [
        {"statement_id": r["statement_id"], "activity_id": f"http://lms.test/a/{i}", "role": role}
        for i, r in enumerate(rows)
        for role in ("object", "parent")
    ]
    return [
        (StatementAgent.__table__, "statement_pk", agents),
        (StatementActivity.__table__, "statement_pk", activities),
    ]


def test_insert_family_stores_what_the_orm_reads_back_and_links_side_rows(app):
    rows = [_row(str(uuid.uuid4())) for _ in range(3)]
    rows[1]["result_success"] = None
    rows[2]["stored_dt"] = datetime(2030, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    insert_family(Statement.__table__, rows, "statement_id", _family(rows))
    db.session.commit()
    stored = {s.statement_id: s for s in db.session.scalars(select(Statement))}
    assert set(stored) == {r["statement_id"] for r in rows}
    for i, row in enumerate(rows):
        obj = stored[row["statement_id"]]
        for name, value in row.items():
            assert getattr(obj, name) == value, name
        agents = db.session.scalars(select(StatementAgent).where(StatementAgent.statement_pk == obj.id)).all()
        assert [(a.agent_key, a.role) for a in agents] == [(f"{i:064x}", "actor")]
        activities = db.session.scalars(
            select(StatementActivity).where(StatementActivity.statement_pk == obj.id)
        ).all()
        assert sorted((a.activity_id, a.role) for a in activities) == [
            (f"http://lms.test/a/{i}", "object"),
            (f"http://lms.test/a/{i}", "parent"),
        ]


def test_insert_family_is_one_statement_on_postgresql(app):
    rows = [_row(str(uuid.uuid4())) for _ in range(50)]
    with counted_sql() as seen:
        insert_family(Statement.__table__, rows, "statement_id", _family(rows))
    expected = 1 if db.engine.dialect.name == "postgresql" else 3
    assert len(seen) == expected, seen
    db.session.rollback()


def test_a_duplicate_id_is_an_integrity_error_and_a_savepoint_keeps_nothing(app):
    sid = str(uuid.uuid4())
    insert_family(Statement.__table__, [_row(sid)], "statement_id", [])
    db.session.commit()
    rows = [_row(str(uuid.uuid4())), _row(sid)]
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            insert_family(Statement.__table__, rows, "statement_id", _family(rows))
    db.session.commit()
    assert db.session.scalars(select(Statement.statement_id)).all() == [sid]
    assert db.session.scalars(select(StatementAgent.id)).all() == []


def test_insert_rows_returns_the_keys_of_every_row(app):
    now = datetime.now(UTC)
    rows = [
        {"activity_id": f"http://lms.test/a/{i}", "definition": {"n": i}, "updated_dt": now} for i in range(7)
    ]
    pks = insert_rows(ActivityDefinition.__table__, rows, key="activity_id")
    db.session.commit()
    assert len(set(pks.values())) == 7
    for pk, row in ((pks[r["activity_id"]], r) for r in rows):
        stored = db.session.get(ActivityDefinition, pk)
        assert (stored.activity_id, stored.definition, stored.updated_dt) == (
            row["activity_id"],
            row["definition"],
            now,
        )


def _ref(target: str, verb: str) -> dict:
    s = statement(verb=verb)
    s["object"] = {"objectType": "StatementRef", "id": target}
    return s


def _voided(sid: str) -> bool:
    return db.session.scalar(select(Statement.is_voided).where(Statement.statement_id == sid))


def test_only_a_voiding_reference_stored_earlier_voids_a_new_statement(app):
    voided_id, referenced_id = str(uuid.uuid4()), str(uuid.uuid4())
    store_statements(
        [_ref(voided_id, VOIDED), _ref(referenced_id, "http://adlnet.gov/expapi/verbs/commented")],
        authority=platform_authority(),
    )
    db.session.commit()
    store_statements([statement(sid=voided_id), statement(sid=referenced_id)], authority=platform_authority())
    db.session.commit()
    assert _voided(voided_id) is True
    assert _voided(referenced_id) is False


def test_a_statement_referenced_but_not_stored_is_not_taken_for_a_known_id(app):
    target = str(uuid.uuid4())
    store_statements(
        [_ref(target, "http://adlnet.gov/expapi/verbs/commented")], authority=platform_authority()
    )
    db.session.commit()
    # The reference is returned by the batch's lookup (object_statement_id matches) but is no stored copy
    # of the new id: a different statement under that id is accepted, not a 409.
    ids = store_statements(
        [statement(sid=target, verb="http://adlnet.gov/expapi/verbs/attempted")],
        authority=platform_authority(),
    )
    db.session.commit()
    assert ids == [target]
    assert db.session.scalar(select(Statement.verb_id).where(Statement.statement_id == target)).endswith(
        "attempted"
    )


def test_a_naive_datetime_is_refused_on_every_database(app):
    row = _row(str(uuid.uuid4()), stored_dt=datetime(2024, 5, 1, 10, 0))  # no zone: ambiguous
    with pytest.raises(ValueError, match="naive"):
        insert_family(Statement.__table__, [row], "statement_id", [])
    db.session.rollback()


def test_json_keeps_what_only_a_json_column_accepts(app):
    """A NUL character (``\\u0000`` in JSON) is valid in a string of a statement; PostgreSQL's ``json``
    column stores it, though its JSON-to-text functions refuse it."""
    sid = str(uuid.uuid4())
    row = _row(sid)
    row["data"] = {"id": sid, "result": {"response": "a\x00b"}, "name": {"en": "\u00e9\U0001f600"}}
    insert_family(Statement.__table__, [row], "statement_id", _family([row]))
    db.session.commit()
    stored = db.session.scalar(select(Statement).where(Statement.statement_id == sid))
    assert stored.data == row["data"]
