"""xAPI Communication 3.2 Error Codes: 400 for malformed requests and unknown / wrong-case parameters,
404, 405, error messages, size limits."""

from __future__ import annotations

import json

import pytest
from xapi_helpers import BASE, VERSION, activity_id, agent_mbox, statement, uid


@pytest.mark.parametrize(
    "params",
    [{"actor": {"mbox": "mailto:a@example.org"}}, {"foo": "bar"}, {"statementIds": uid()}, {"offset": 10}],
    ids=["actor", "foo", "statementIds", "offset"],
)
def test_unknown_parameter_rejected(lrs, params):
    # Communication 3.2.s3.b7: the LRS MUST reject with 400 any request using parameters it does not
    # recognise in their intended context.
    lrs.store(statement())
    assert lrs.get_statements(params).status_code == 400


def test_unknown_parameter_on_post_statements_rejected(lrs):
    # Communication 3.2.s3.b7 (POST /statements accepts no query parameters).
    stmt = statement(id=uid())
    resp = lrs.request("POST", "statements", params={"verbose": "true"}, json_body=stmt)
    assert resp.status_code == 400
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"statementID": "S"},
        {"StatementId": "S"},
        {"Verb": "http://v.example.org/v"},
        {"LIMIT": 1},
        {"voidedStatementID": "S"},
        {"Ascending": "true"},
    ],
    ids=["statementID", "StatementId", "Verb", "LIMIT", "voidedStatementID", "Ascending"],
)
def test_parameter_in_wrong_case_rejected(lrs, params):
    # Communication 3.2.s3.b8: the LRS MUST reject with 400 parameters matching the spec's in all but case.
    stmt_id = lrs.store(statement())
    params = {k: (stmt_id if v == "S" else v) for k, v in params.items()}
    assert lrs.get_statements(params).status_code == 400


def test_put_statement_parameter_in_wrong_case_rejected(lrs):
    # Communication 3.2.s3.b8 on PUT; nothing stored.
    stmt = statement(id=uid())
    resp = lrs.request("PUT", "statements", params={"statementID": stmt["id"]}, json_body=stmt)
    assert resp.status_code == 400
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


@pytest.mark.parametrize("body", [b"{", b'{"actor": }', b"\xff\xfe not utf-8", b"<statement/>"])
def test_malformed_json_400(lrs, body):
    # Communication 3.2.s2.b1: 400 for malformed JSON; 1.4.s1.b1: strings are UTF-8.
    resp = lrs.request("POST", "statements", data=body, content_type="application/json")
    assert resp.status_code == 400


@pytest.mark.xapi_should
def test_error_response_explains_the_cause(lrs):
    # Communication 3.2.s3.b2: the LRS SHOULD return a message explaining the cause of the error
    # (Data 2.6.s5.b2 likewise for rejected statements).
    resp = lrs.post_statements(statement(result={"success": "yes"}))
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert len(text.strip()) > 10
    if resp.mimetype == "application/json":
        body = resp.get_json()
        assert any(
            isinstance(v, str) and v.strip() for v in (body.values() if isinstance(body, dict) else [])
        )


def test_unknown_resource_404(lrs):
    # Communication 3.2.s2.b4 / s3.b1: the most appropriate code for an unknown resource is 404.
    resp = lrs.request("GET", "nothing-here")
    assert resp.status_code == 404
    assert resp.headers.get("X-Experience-API-Version") == VERSION


@pytest.mark.parametrize(
    "method,resource",
    [
        ("DELETE", "statements"),
        ("PATCH", "statements"),
        ("POST", "about"),
        ("PUT", "activities"),
        ("DELETE", "agents"),
    ],
)
def test_unsupported_method_405(lrs, method, resource):
    # Communication 3.2.s3.b1: the LRS MUST return the code most appropriate to the error condition
    # (a method the resource does not define: 405 Method Not Allowed).
    assert lrs.request(method, resource).status_code == 405


def test_statements_cannot_be_deleted(lrs):
    # Data 2.3: Statements are immutable; the only way to undo one is to void it.
    stmt_id = lrs.store(statement())
    lrs.request("DELETE", "statements", params={"statementId": stmt_id})
    assert lrs.get_statements({"statementId": stmt_id}).status_code == 200


@pytest.mark.xapi_should
def test_content_type_not_matching_content_rejected(lrs):
    # Communication 3.2.s3.b6: the LRS SHOULD* reject with 400 a request whose content type header does not
    # match the content (JSON sent as text/plain).
    stmt = statement(id=uid())
    resp = lrs.request("POST", "statements", data=json.dumps(stmt), content_type="text/plain")
    assert resp.status_code == 400
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


@pytest.mark.xapi_should
def test_form_post_without_method_rejected(lrs, client):
    # Communication 3.2.s3.b6: application/x-www-form-urlencoded is expected to carry a method parameter.
    resp = client.post(
        f"{BASE}/statements",
        data={
            "Authorization": lrs.authorization,
            "X-Experience-API-Version": VERSION,
            "content": json.dumps(statement()),
        },
    )
    assert resp.status_code == 400


def test_reasonable_sizes_accepted(lrs):
    # Communication 3.2.s3.b16: the LRS MUST be configurable to accept Statements and documents of any
    # reasonable size (here the default configuration: a 1 MB extension, a 100-Statement batch, a 2 MB
    # document).
    big = statement(id=uid(), result={"extensions": {"http://lms.example.org/ext/blob": "x" * 1_000_000}})
    assert lrs.post_statements(big).status_code == 200
    assert lrs.post_statements([statement() for _ in range(100)]).status_code == 200
    params = {"activityId": activity_id(), "agent": agent_mbox(), "stateId": "big"}
    data = b"\x01" * 2_000_000
    assert lrs.doc("PUT", "activities/state", params, data, "application/octet-stream").status_code == 204
    assert lrs.doc("GET", "activities/state", params).get_data() == data
