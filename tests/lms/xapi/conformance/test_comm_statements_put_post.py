"""xAPI Communication 2.1.1 PUT Statements and 2.1.2 POST Statements (single, batch, conflicts)."""

from __future__ import annotations

import json

import pytest
from xapi_helpers import activity, assert_same_statement, full_statement, mutate, statement, uid

CT = "X-Experience-API-Consistent-Through"


def test_put_stores_statement_204_no_content(lrs):
    # Communication 2.1.1: PUT stores a single Statement with the given id; Returns 204 No Content.
    stmt = full_statement()
    resp = lrs.put_statement(stmt)
    assert resp.status_code == 204
    assert resp.get_data() == b""
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


def test_put_without_id_in_body_uses_parameter(lrs):
    # Communication 2.1.1 table: statementId is the id of the Statement to record.
    stmt_id = uid()
    assert lrs.put_statement(statement(), statement_id=stmt_id).status_code == 204
    assert lrs.fetch(stmt_id)["id"] == stmt_id


def test_put_without_statement_id_parameter_rejected(lrs):
    # Communication 2.1.1 table: statementId is Required (missing argument: 3.2.s2.b1, 400).
    stmt = statement(id=uid())
    resp = lrs.request("PUT", "statements", json_body=stmt)
    assert resp.status_code == 400
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


def test_put_id_must_match_parameter(lrs):
    # Communication 2.1.1.s3.b3: where provided, the "id" of the Statement MUST match "statementId".
    stmt = statement(id=uid())
    other = uid()
    assert lrs.put_statement(stmt, statement_id=other).status_code == 400
    for stmt_id in (stmt["id"], other):
        assert lrs.get_statements({"statementId": stmt_id}).status_code == 404


def test_put_array_rejected(lrs):
    # Communication 2.1.1: PUT stores a *single* Statement.
    stmt_id = uid()
    resp = lrs.request(
        "PUT", "statements", params={"statementId": stmt_id}, json_body=[statement(id=stmt_id)]
    )
    assert resp.status_code == 400


def test_post_single_returns_id_array(lrs):
    # Communication 2.1.2: Returns 200 OK, Array of Statement id(s).
    stmt = full_statement()
    resp = lrs.post_statements(stmt)
    assert resp.status_code == 200
    assert resp.get_json() == [stmt["id"]]
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


def test_post_batch_returns_ids_in_order(lrs):
    # Communication 2.1.2: ids "in the same order as the corresponding stored Statements";
    # 1.5.1.s1.b1: MUST accept batches of Statements without Attachments.
    stmts = [statement(id=uid()), statement(), full_statement(), statement(id=uid())]
    resp = lrs.post_statements(stmts)
    assert resp.status_code == 200
    ids = resp.get_json()
    assert len(ids) == 4
    for sent, stmt_id in zip(stmts, ids, strict=True):
        if "id" in sent:
            assert stmt_id == sent["id"]
        assert_same_statement(sent, lrs.fetch(stmt_id))


def test_json_with_charset_accepted(lrs):
    # Communication 1.5: requests normally use application/json (parameters such as charset allowed).
    stmt = statement(id=uid())
    resp = lrs.request(
        "POST", "statements", data=json.dumps(stmt).encode(), content_type="application/json; charset=utf-8"
    )
    assert resp.status_code == 200


def test_batch_with_one_invalid_statement_stores_nothing(lrs, app):
    # Communication 3.2.s3.b9: the LRS MUST reject a batch of statements if any Statement within it is
    # rejected (and Data 2.2: the bad one is malformed). Nothing may be half-written.
    from lms.db import db
    from lms.xapi.models import Statement

    before = db.session.query(Statement).count()
    good = [statement(id=uid()), statement(id=uid())]
    bad = mutate(statement(id=uid()), "result", {"success": "yes"})
    resp = lrs.post_statements([good[0], bad, good[1]])
    assert resp.status_code == 400
    for stmt in (*good, bad):
        assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404
    db.session.expire_all()
    assert db.session.query(Statement).count() == before
    assert lrs.get_statements().get_json()["statements"] == []


@pytest.mark.xapi_should
def test_batch_with_duplicate_ids_rejected(lrs):
    # Communication 2.1.2.s2.b6: a batch with two or more Statements with the same id SHOULD* be rejected
    # with 400 Bad Request.
    stmt_id = uid()
    resp = lrs.post_statements([statement(id=stmt_id), statement(id=stmt_id)])
    assert resp.status_code == 400
    assert lrs.get_statements({"statementId": stmt_id}).status_code == 404


def _conflicting(original: dict) -> dict:
    changed = mutate(original, "verb.id", "http://adlnet.gov/expapi/verbs/passed")
    return mutate(changed, "object.definition.name", {"en-US": "Changed name"})


@pytest.mark.parametrize("first,second", [("POST", "POST"), ("POST", "PUT"), ("PUT", "POST"), ("PUT", "PUT")])
def test_existing_id_never_modifies_anything(lrs, first, second):
    # Communication 2.1.1.s2.b2 / 2.1.2.s2.b4: the LRS MUST NOT make any modification to its state on
    # receiving a Statement with an id it already has (neither the Statement nor any other Object, e.g.
    # the Activity definition); it answers 409 Conflict or 204/200.
    original = statement(id=uid(), object=activity())
    send = {"POST": lrs.post_statements, "PUT": lrs.put_statement}
    assert send[first](original).status_code in (200, 204)
    resp = send[second](_conflicting(original))
    assert resp.status_code in (409, 204, 200)
    assert_same_statement(original, lrs.fetch(original["id"]))
    act = lrs.request("GET", "activities", params={"activityId": original["object"]["id"]})
    assert act.get_json()["definition"]["name"] == original["object"]["definition"]["name"]
    assert len(lrs.get_statements().get_json()["statements"]) == 1


@pytest.mark.xapi_should
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_conflicting_statement_409(lrs, method):
    # Communication 2.1.1.s2.b3 / 2.1.2.s2.b5: the LRS SHOULD verify the received Statement matches the
    # existing one and SHOULD return 409 Conflict if they do not match.
    original = statement(id=uid(), object=activity())
    lrs.store(original)
    send = {"POST": lrs.post_statements, "PUT": lrs.put_statement}
    assert send[method](_conflicting(original)).status_code == 409


@pytest.mark.xapi_should
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_identical_statement_resent_is_not_a_conflict(lrs, method):
    # Communication 2.1.1.s2.b3 + Data 2.3.1.s9: a matching Statement (differences only in exception
    # properties such as stored / authority) is not a conflict; nothing changes.
    original = statement(id=uid())
    lrs.store(original)
    stored_before = lrs.fetch(original["id"])["stored"]
    send = {"POST": lrs.post_statements, "PUT": lrs.put_statement}
    assert send[method](original).status_code in (200, 204)
    assert lrs.fetch(original["id"])["stored"] == stored_before


def test_consistent_through_on_write_responses(lrs):
    # Communication 2.1.3.s2.b5: "X-Experience-API-Consistent-Through" MUST be on all responses to
    # Statement Resource requests.
    assert CT in lrs.post_statements(statement()).headers
    assert CT in lrs.put_statement(statement(id=uid())).headers


@pytest.mark.parametrize("body", [b"{not json", b"", b"null", b'"a statement"', b"42", b"[1, 2]", b"[null]"])
def test_body_not_statements_rejected(lrs, body):
    # Communication 3.2.s2.b1: 400 for malformed JSON or invalid Object structures (2.1.2: the content is
    # a Statement or an array of Statements).
    resp = lrs.request("POST", "statements", data=body, content_type="application/json")
    assert resp.status_code == 400
    assert lrs.get_statements().get_json()["statements"] == []


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_resent_statement_differing_only_by_immutability_exceptions_is_not_a_conflict(lrs, method):
    # Data 2.3.1.s9.b1: when comparing Statements, differences which could have been caused by the
    # exceptions to immutability MUST be ignored: timestamp serialisation / timezone (2.3.1.b4), Group
    # member order (2.3.1.b5), case of the e-mail domain (2.3.1.b7). So no 409 (2.1.1.s2.b3 only for
    # Statements that do not match), and nothing changes (2.1.1.s2.b2).
    members = [{"mbox": "mailto:one@example.org"}, {"mbox": "mailto:two@example.org"}]
    original = statement(
        id=uid(),
        actor={"objectType": "Group", "member": members},
        object={"objectType": "Agent", "mbox": "mailto:ada@example.org"},
        timestamp="2024-03-14T09:26:53.589Z",
    )
    lrs.store(original)
    resent = dict(
        original,
        actor={"objectType": "Group", "member": members[::-1]},
        object={"objectType": "Agent", "mbox": "mailto:ada@EXAMPLE.ORG"},
        timestamp="2024-03-14T11:26:53.589+02:00",
    )
    send = {"POST": lrs.post_statements, "PUT": lrs.put_statement}
    assert send[method](resent).status_code in (200, 204)
    assert_same_statement(original, lrs.fetch(original["id"]))


def test_post_of_statements_all_already_stored_204(lrs):
    # Communication 2.1.2.s2.b4: an LRS receiving Statements with ids it already has makes no change and
    # answers 409 Conflict or 204 No Content; the same Statements sent again match, so 204.
    first, second = statement(id=uid()), statement(id=uid())
    assert lrs.store_many([first, second]) == [first["id"], second["id"]]
    stored_before = lrs.fetch(first["id"])["stored"]
    for batch in ([first, second], first, [dict(second, id=second["id"].upper())]):
        resp = lrs.post_statements(batch)
        assert resp.status_code == 204 and resp.get_data() == b""
        assert CT in resp.headers
    assert lrs.fetch(first["id"])["stored"] == stored_before
    assert len(lrs.get_statements().get_json()["statements"]) == 2


def test_post_of_a_batch_with_new_statements_returns_all_ids(lrs):
    # Communication 2.1.2: a batch that stores anything returns 200 and the ids of all its Statements, in
    # order, those already stored included.
    old = statement(id=uid())
    lrs.store(old)
    new = statement()
    resp = lrs.post_statements([old, new])
    assert resp.status_code == 200
    ids = resp.get_json()
    assert ids[0] == old["id"] and len(ids) == 2
    assert lrs.fetch(ids[1])["id"] == ids[1]
