"""Statement resource: PUT and POST (Communication 2.1.1, 2.1.2), stored properties (Data 2.4.1,
2.4.7-2.4.10)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import (  # noqa: E402,F401
    ACTIVITY,
    agent,
    error_message,
    new_id,
    statement_count,
    stmt,
)

from lms.db import db  # noqa: E402
from lms.xapi.formats import parse_timestamp  # noqa: E402
from lms.xapi.models import Statement, StatementActivity, StatementAgent  # noqa: E402


def test_post_single_statement_returns_its_new_id_and_stores_it(lrs):
    resp = lrs.post(stmt())
    assert resp.status_code == 200, resp.data
    ids = resp.get_json()
    assert len(ids) == 1 and len(ids[0]) == 36
    got = lrs.get({"statementId": ids[0]})
    assert got.status_code == 200
    data = got.get_json()
    assert data["id"] == ids[0]
    assert data["version"] == "1.0.0"
    assert data["authority"] == {
        "objectType": "Agent",
        "account": {"homePage": "http://lms.test", "name": lrs.key},
    }
    assert parse_timestamp(data["stored"]) is not None
    assert data["timestamp"] == data["stored"]  # filled in from stored when absent
    assert data["actor"]["mbox"] == "mailto:ana@example.org"


def test_post_batch_returns_ids_in_order(lrs):
    given = [new_id(), None, new_id()]
    batch = [stmt(id=sid) if sid else stmt() for sid in given]
    ids = lrs.store(*batch)
    assert ids[0] == given[0] and ids[2] == given[2] and len(ids[1]) == 36
    assert statement_count() == 3


def test_put_stores_with_the_given_id_and_answers_204(lrs):
    sid = new_id()
    resp = lrs.put(stmt(), sid)
    assert resp.status_code == 204
    assert resp.data == b""
    assert lrs.get({"statementId": sid}).get_json()["id"] == sid


def test_put_requires_statement_id_and_a_matching_id(lrs):
    missing = lrs.put(stmt(), None)
    assert missing.status_code == 400 and "statementId" in error_message(missing)
    sid = new_id()
    mismatch = lrs.put(stmt(id=new_id()), sid)
    assert mismatch.status_code == 400 and "statementId" in error_message(mismatch)
    bad = lrs.put(stmt(), "not-a-uuid")
    assert bad.status_code == 400
    array = lrs.put([stmt()], new_id())
    assert array.status_code == 400
    assert statement_count() == 0


def test_put_with_uppercase_id_is_found_case_insensitively(lrs):
    sid = new_id().upper()
    assert lrs.put(stmt(id=sid), sid).status_code == 204
    got = lrs.get({"statementId": sid.lower()})
    assert got.status_code == 200


def test_identical_statement_again_is_accepted_without_change(lrs):
    sid = new_id()
    s = stmt(id=sid, timestamp="2024-05-01T10:00:00.000Z")
    assert lrs.put(s, sid).status_code == 204
    stored_before = lrs.get({"statementId": sid}).get_json()["stored"]
    # Same statement: other verb display, activity definition, timestamp serialisation, group order
    again = stmt(
        id=sid,
        timestamp="2024-05-01T12:00:00.000+02:00",
        verb={"id": s["verb"]["id"], "display": {"fr": "a terminé"}},
        object={"objectType": "Activity", "id": ACTIVITY},
    )
    assert lrs.put(again, sid).status_code == 204
    assert lrs.post([again]).status_code == 204  # nothing new stored
    assert statement_count() == 1
    assert lrs.get({"statementId": sid}).get_json()["stored"] == stored_before


def test_different_statement_with_known_id_conflicts_and_changes_nothing(lrs):
    sid = new_id()
    assert lrs.put(stmt(id=sid), sid).status_code == 204
    other = stmt(id=sid, result={"success": True})
    resp = lrs.put(other, sid)
    assert resp.status_code == 409
    assert sid in error_message(resp)
    resp = lrs.post([stmt(), other])
    assert resp.status_code == 409
    assert statement_count() == 1  # the new statement of the refused batch was not stored either


def test_batch_with_the_same_id_twice_is_refused(lrs):
    sid = new_id()
    resp = lrs.post([stmt(id=sid), stmt(id=sid)])
    assert resp.status_code == 400
    assert "more than once" in error_message(resp)
    assert statement_count() == 0


def test_batch_with_one_bad_statement_stores_nothing(lrs):
    batch = [stmt(), stmt(), stmt(verb={"id": "not an iri"}), stmt()]
    resp = lrs.post(batch)
    assert resp.status_code == 400
    assert "statements[2].verb.id" in error_message(resp)
    assert statement_count() == 0
    assert db.session.query(StatementAgent).count() == 0


def test_stored_and_authority_sent_by_the_client_are_overwritten(lrs):
    s = stmt(stored="2001-01-01T00:00:00Z", authority=agent("boss@example.org"))
    sid = lrs.store(s)[0]
    data = lrs.get({"statementId": sid}).get_json()
    assert data["stored"] != "2001-01-01T00:00:00Z"
    assert data["authority"]["account"]["name"] == lrs.key


def test_given_version_is_kept(lrs):
    sid = lrs.store(stmt(version="1.0.3"))[0]
    assert lrs.get({"statementId": sid}).get_json()["version"] == "1.0.3"


def test_context_activities_come_back_as_arrays(lrs):
    s = stmt(context={"contextActivities": {"parent": {"id": "http://example.org/parent"}}})
    sid = lrs.store(s)[0]
    data = lrs.get({"statementId": sid}).get_json()
    assert data["context"]["contextActivities"]["parent"] == [{"id": "http://example.org/parent"}]


def test_indexed_columns_and_side_tables_are_filled(lrs, make_user):
    user = make_user()
    reg = new_id()
    s = stmt(
        actor={"objectType": "Agent", "account": {"homePage": "http://lms.test", "name": user.uuid}},
        result={"success": True, "completion": True, "score": {"scaled": 0.5}, "duration": "PT1M30S"},
        context={
            "registration": reg.upper(),
            "language": "fr",
            "instructor": agent("teacher@example.org"),
            "contextActivities": {
                "parent": [{"id": "http://example.org/p"}],
                "category": [{"id": "http://example.org/c"}],
            },
            "extensions": {"http://lms.test/xapi/extensions/country": "fr"},
        },
    )
    sid = lrs.store(s)[0]
    row = db.session.query(Statement).filter_by(statement_id=sid).one()
    assert row.user_id == user.id
    assert row.registration == reg.lower()
    assert row.result_success is True and row.result_completion is True
    assert row.result_score_scaled == 0.5 and row.result_duration_s == 90.0
    assert row.language == "fr" and row.country_code == "FR"
    assert row.verb_id == s["verb"]["id"] and row.object_activity_id == ACTIVITY
    assert row.authority_key and row.actor_key
    roles = {r.role for r in db.session.query(StatementAgent).filter_by(statement_pk=row.id)}
    assert roles == {"actor", "instructor", "authority"}
    acts = {
        (a.activity_id, a.role) for a in db.session.query(StatementActivity).filter_by(statement_pk=row.id)
    }
    assert acts == {
        (ACTIVITY, "object"),
        ("http://example.org/p", "parent"),
        ("http://example.org/c", "category"),
    }


def test_statement_recorded_signal_carries_the_stored_statement_and_user(lrs, make_user):
    from lms.signals import statement_recorded

    user = make_user()
    seen = []

    def receiver(sender, statement=None, user=None, **kw):
        seen.append((sender, statement, user))

    statement_recorded.connect(receiver)
    try:
        sid = lrs.store(stmt(actor={"account": {"homePage": "http://lms.test", "name": user.uuid}}))[0]
        lrs.store(stmt())
    finally:
        statement_recorded.disconnect(receiver)
    assert len(seen) == 2
    assert seen[0][0] == "lms.xapi" and seen[0][1]["id"] == sid and seen[0][1]["stored"]
    assert seen[0][2].id == user.id
    assert seen[1][2] is None


def test_malformed_json_and_wrong_content_type_are_refused(lrs):
    assert lrs.post(b'{"actor": ').status_code == 400
    dup = b'{"actor": {"mbox": "mailto:a@b.c"}, "actor": {"mbox": "mailto:a@b.c"}}'
    resp = lrs.post(dup)
    assert resp.status_code == 400 and "more than once" in error_message(resp)
    resp = lrs.post(b"{}", content_type="text/plain")
    assert resp.status_code == 400 and "Content-Type" in error_message(resp)
    assert lrs.post("42").status_code == 400
    assert lrs.post(b'{"a": NaN}').status_code == 400
    assert lrs.post(b"\xff\xfe").status_code == 400
    assert statement_count() == 0


def test_post_refuses_query_parameters(lrs):
    resp = lrs.post(stmt(), params={"statementId": new_id()})
    assert resp.status_code == 400
    assert statement_count() == 0


def test_resending_with_a_timestamp_after_the_lrs_filled_one_in_is_not_a_conflict(lrs):
    sid = new_id()
    assert lrs.put(stmt(), sid).status_code == 204  # no timestamp: the LRS sets it to stored
    assert lrs.put(stmt(timestamp="2020-01-01T00:00:00Z"), sid).status_code == 204
    assert statement_count() == 1
