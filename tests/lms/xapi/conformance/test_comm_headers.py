"""xAPI Communication 1.1 HEAD, 1.2 Headers, 3.3 Versioning (X-Experience-API-Version), 1.3 Alternate
Request Syntax, and cross-origin (CORS) access."""

from __future__ import annotations

import json

import pytest
from xapi_helpers import BASE, VERSION, activity_id, agent_mbox, statement, uid

V = "X-Experience-API-Version"


# --- X-Experience-API-Version ---------------------------------------------------------------------


def test_version_header_on_every_response(lrs, client):
    # Communication 3.3.s3.b1 / b2: the LRS MUST include the header in every response, set to the latest
    # patch version (1.0.3), including errors and unauthenticated requests.
    stmt_id = lrs.store(statement())
    responses = [
        lrs.post_statements(statement()),
        lrs.get_statements({"statementId": stmt_id}),
        lrs.get_statements(),
        lrs.get_statements({"statementId": uid()}),  # 404
        lrs.post_statements({"actor": "bad"}),  # 400
        lrs.get_statements(auth=False),  # 401
        lrs.request("GET", "about"),
        lrs.doc(
            "GET", "activities/state", {"activityId": activity_id(), "agent": agent_mbox(), "stateId": "nope"}
        ),  # 404
        client.get(f"{BASE}/about"),  # no headers at all
    ]
    for resp in responses:
        assert resp.headers.get(V) == VERSION, (resp.status_code, dict(resp.headers))


@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.9"])
def test_version_1_0_x_accepted(lrs, version):
    # Communication 3.3.s3.b3: "1.0" MUST be accepted as "1.0.0"; 3.3.s3.b5: any "1.0." version MUST be
    # accepted if the request is otherwise valid.
    assert lrs.post_statements(statement(), version=version).status_code == 200
    assert lrs.get_statements(version=version).status_code == 200


@pytest.mark.parametrize("version", ["0.9", "0.95", "1.1.0", "1.1", "2.0.0", "one", ""])
def test_other_versions_rejected_with_message(lrs, version):
    # Communication 3.3.s3.b4 (prior to 1.0.0), b6 (1.1.0 or greater): MUST reject; b7: with 400 Bad
    # Request and a short description of the problem.
    stmt = statement(id=uid())
    resp = lrs.post_statements(stmt, headers={V: version}, version=None)
    assert resp.status_code == 400
    assert resp.get_data(as_text=True).strip()
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


def _minimal_params(resource):
    return {
        "statements": None,
        "activities/state": {"activityId": activity_id(), "agent": agent_mbox(), "stateId": "s"},
        "activities": {"activityId": activity_id()},
        "agents": {"agent": agent_mbox()},
        "activities/profile": {"activityId": activity_id(), "profileId": "p"},
        "agents/profile": {"agent": agent_mbox(), "profileId": "p"},
    }[resource]


@pytest.mark.parametrize(
    "resource",
    ["statements", "activities/state", "activities", "agents", "activities/profile", "agents/profile"],
)
def test_missing_version_header_rejected_on_get(lrs, resource):
    # Communication 3.3.s4.b1: the Client MUST include the header in every request; a request without it
    # is missing an argument (3.2.s2.b1: 400 Bad Request). The About resource is exempt (2.8.s5.b4).
    params = _minimal_params(resource)
    assert lrs.request("GET", resource, params=params).status_code in (200, 404)  # valid with the header
    assert lrs.request("GET", resource, params=params, version=None).status_code == 400


def test_missing_version_header_rejected_on_post_statement(lrs):
    # Communication 3.3.s4.b1 + 3.2.s2.b1, as above; nothing is stored.
    stmt = statement(id=uid())
    assert lrs.post_statements(stmt, version=None).status_code == 400
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


# --- HEAD -----------------------------------------------------------------------------------------


def test_head_statement_like_get_without_body(lrs):
    # Communication 1.1.s3.b1: respond to HEAD as to GET, except the message-body MUST be omitted.
    stmt_id = lrs.store(statement())
    get = lrs.get_statements({"statementId": stmt_id})
    head = lrs.request("HEAD", "statements", params={"statementId": stmt_id})
    assert head.status_code == 200 == get.status_code
    assert head.get_data() == b""
    assert head.headers.get(V) == VERSION
    assert head.headers.get("Content-Type") == get.headers.get("Content-Type")
    assert "X-Experience-API-Consistent-Through" in head.headers


def test_head_missing_statement_404(lrs):
    # Communication 1.1.s3.b1: same status as the GET would have.
    head = lrs.request("HEAD", "statements", params={"statementId": uid()})
    assert head.status_code == 404 and head.get_data() == b""


@pytest.mark.parametrize("resource", ["statements", "about"])
def test_head_lists_and_about(lrs, resource):
    # Communication 1.1.s1: all resources that support GET also support HEAD.
    head = lrs.request("HEAD", resource)
    assert head.status_code == 200 and head.get_data() == b""


def test_head_document_has_etag_and_no_body(lrs):
    # Communication 1.1.s2: clients check documents with HEAD; 3.1.s4.b1: ETag as on GET.
    params = {"activityId": activity_id(), "agent": agent_mbox(), "stateId": "bookmark"}
    assert lrs.doc("PUT", "activities/state", params, b'{"page": 3}', "application/json").status_code == 204
    get = lrs.doc("GET", "activities/state", params)
    head = lrs.doc("HEAD", "activities/state", params)
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["ETag"] == get.headers["ETag"]


# --- Alternate request syntax (Communication 1.3) -------------------------------------------------


def _alt(client, lrs, resource, method, form, *, query=None):
    q = {"method": method, **(query or {})}
    return client.post(
        f"{BASE}/{resource}", query_string=q, data=form, content_type="application/x-www-form-urlencoded"
    )


def _auth_form(lrs):
    return {"Authorization": lrs.authorization, V: VERSION}


def test_alt_syntax_put_and_get_statement(lrs, client):
    # Communication 1.3.s3.b1-b7, b13-b15 (Appendix C): POST with method=PUT, headers and query
    # parameters as form parameters, the content URL-encoded in "content". The LRS MUST support it.
    stmt = statement(id=uid())
    form = {
        **_auth_form(lrs),
        "statementId": stmt["id"],
        "Content-Type": "application/json",
        "content": json.dumps(stmt),
    }
    resp = _alt(client, lrs, "statements", "PUT", form)
    assert resp.status_code == 204, resp.get_data(as_text=True)
    assert resp.headers.get(V) == VERSION
    got = _alt(client, lrs, "statements", "GET", {**_auth_form(lrs), "statementId": stmt["id"]})
    assert got.status_code == 200
    assert got.get_json()["id"] == stmt["id"]


def test_alt_syntax_form_header_fields_are_the_headers(lrs, client):
    # Communication 1.3.s3.b7: the LRS MUST treat the form parameters Authorization,
    # X-Experience-API-Version, Content-Type, Content-Length, If-Match and If-None-Match as header
    # parameters; a form saying version 0.8 is refused (3.3.s4.b1) even when the request also carries a
    # real 1.0.3 header (ADL conformance suite, XAPI-00336), and nothing is stored.
    stmt = statement(id=uid())
    form = {
        V: "0.8",
        "statementId": stmt["id"],
        "Content-Type": "application/json",
        "content": json.dumps(stmt),
    }
    resp = client.post(
        f"{BASE}/statements",
        query_string={"method": "PUT"},
        data=form,
        content_type="application/x-www-form-urlencoded",
        headers=lrs.headers(),
    )
    assert resp.status_code == 400 and V in resp.get_json()["message"]
    resp = _alt(client, lrs, "statements", "PUT", {**form, "Authorization": lrs.authorization})
    assert resp.status_code == 400 and V in resp.get_json()["message"]
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404
    # The form's version (and credential) apply when right, whatever the real header says.
    resp = client.post(
        f"{BASE}/statements",
        query_string={"method": "PUT"},
        data={**form, V: "1.0.3", "Authorization": lrs.authorization},
        content_type="application/x-www-form-urlencoded",
        headers={V: "0.9"},
    )
    assert resp.status_code == 204, resp.get_data(as_text=True)
    assert lrs.fetch(stmt["id"])["id"] == stmt["id"]


def test_alt_syntax_get_statements_with_filters(lrs, client):
    # Communication 2.1.2.s2.b2 / b3: GET Statements MAY be called using POST and form parameters; the
    # LRS MUST tell it apart from storing Statements by the parameters passed.
    verb_id = f"http://lms.example.org/verbs/{uid()}"
    stmt_id = lrs.store(statement(verb={"id": verb_id}))
    lrs.store(statement())
    resp = _alt(client, lrs, "statements", "GET", {**_auth_form(lrs), "verb": verb_id})
    assert resp.status_code == 200
    assert [s["id"] for s in resp.get_json()["statements"]] == [stmt_id]


def test_alt_syntax_post_statement(lrs, client):
    # Communication 1.3.s3.b4 / b5: the content form parameter is interpreted as a UTF-8 string.
    stmt = statement(id=uid(), result={"response": "水俣 — ميناماتا"})
    form = {**_auth_form(lrs), "Content-Type": "application/json", "content": json.dumps(stmt)}
    resp = _alt(client, lrs, "statements", "POST", form)
    assert resp.status_code == 200
    assert lrs.fetch(stmt["id"])["result"]["response"] == "水俣 — ميناماتا"


def test_alt_syntax_state_document(lrs, client):
    # Communication 1.3: applies to every resource (here the State Resource: PUT, GET, DELETE).
    params = {"activityId": activity_id(), "agent": json.dumps(agent_mbox()), "stateId": "bookmark"}
    put = _alt(
        client,
        lrs,
        "activities/state",
        "PUT",
        {**_auth_form(lrs), **params, "Content-Type": "application/json", "content": '{"page": 7}'},
    )
    assert put.status_code == 204
    got = _alt(client, lrs, "activities/state", "GET", {**_auth_form(lrs), **params})
    assert got.status_code == 200 and json.loads(got.get_data()) == {"page": 7}
    assert _alt(client, lrs, "activities/state", "DELETE", {**_auth_form(lrs), **params}).status_code == 204
    assert _alt(client, lrs, "activities/state", "GET", {**_auth_form(lrs), **params}).status_code == 404


def test_alt_syntax_if_none_match_as_form_parameter(lrs, client):
    # Communication 1.3.s3.b6 / b7: If-Match / If-None-Match form parameters are treated as headers.
    params = {"activityId": activity_id(), "profileId": "syllabus"}
    form = {
        **_auth_form(lrs),
        **params,
        "Content-Type": "application/json",
        "content": '{"a": 1}',
        "If-None-Match": "*",
    }
    assert _alt(client, lrs, "activities/profile", "PUT", form).status_code == 204
    assert _alt(client, lrs, "activities/profile", "PUT", form).status_code == 412


def test_alt_syntax_authorization_checked(lrs, client):
    # Communication 1.3.s3.b7: the Authorization form parameter is treated as the header (401 if wrong).
    form = {"Authorization": "Basic " + "bm9ib2R5Om5vdGhpbmc=", V: VERSION}
    assert _alt(client, lrs, "statements", "GET", form).status_code == 401


@pytest.mark.parametrize("method", ["put", "Put"])
def test_alt_syntax_method_in_any_case(lrs, client, method):
    # Communication 1.3.s3.b2 / b15: the intended method is the value of the "method" parameter, and the
    # LRS MUST support the syntax; clients send it in lower case too ("put"), which names the same method.
    stmt = statement(id=uid())
    form = {**_auth_form(lrs), "statementId": stmt["id"], "content": json.dumps(stmt)}
    resp = _alt(client, lrs, "statements", method, form)
    assert resp.status_code == 204, resp.get_data(as_text=True)
    assert lrs.fetch(stmt["id"])["id"] == stmt["id"]
    resp = _alt(client, lrs, "statements", "get", {**_auth_form(lrs), "statementId": stmt["id"]})
    assert resp.status_code == 200 and resp.get_json()["id"] == stmt["id"]


def test_alt_syntax_get_without_any_form(lrs, client):
    # Communication 1.3.s3.b6 / 2.1.2.s2.b2: form parameters are optional ("MAY"); a POST ?method=GET whose
    # client sets the headers itself and has no parameter to send has no body and no form content type,
    # and is still a GET (200, a StatementResult).
    stmt_id = lrs.store(statement())
    resp = client.post(f"{BASE}/statements", query_string={"method": "GET"}, headers=lrs.headers())
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert [s["id"] for s in body["statements"]] == [stmt_id] and body["more"] == ""


def test_alt_syntax_non_form_content_still_rejected(lrs, client):
    # Communication 1.3.s3.b4: content MUST be sent URL encoded as the "content" form parameter; a JSON
    # body is not the alternate syntax (400), however the request declares it.
    stmt = statement(id=uid())
    resp = client.post(
        f"{BASE}/statements",
        query_string={"method": "PUT"},
        data=json.dumps({"statementId": stmt["id"], "content": json.dumps(stmt)}),
        content_type="application/json",
        headers=lrs.headers(),
    )
    assert resp.status_code == 400
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


@pytest.mark.xapi_should
def test_alt_syntax_other_query_parameters_rejected(lrs, client):
    # Communication 1.3.s3.b3 / b13: the Learning Record Provider MUST NOT include query parameters other
    # than "method" (they MUST be form parameters). Rejecting them is what the ADL suite expects, but the
    # spec puts no explicit MUST on the LRS here (and Appendix C's own example has statementId in the URL).
    stmt = statement(id=uid())
    form = {**_auth_form(lrs), "Content-Type": "application/json", "content": json.dumps(stmt)}
    resp = _alt(client, lrs, "statements", "PUT", form, query={"statementId": stmt["id"]})
    assert resp.status_code == 400
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


# --- CORS (Communication 1.3.s1: cross-domain tracking from browsers) --------------------------------

ORIGIN = "https://content.example.net"


@pytest.mark.xapi_should
def test_cors_preflight(lrs, client):
    resp = client.options(
        f"{BASE}/statements",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type, x-experience-api-version",
        },
    )
    assert resp.status_code in (200, 204)
    assert resp.headers.get("Access-Control-Allow-Origin") in ("*", ORIGIN)
    assert "PUT" in resp.headers.get("Access-Control-Allow-Methods", "").upper()
    allowed = resp.headers.get("Access-Control-Allow-Headers", "").lower()
    for header in ("authorization", "content-type", "x-experience-api-version"):
        assert header in allowed or allowed == "*"


@pytest.mark.xapi_should
def test_cors_actual_request_exposes_xapi_headers(lrs):
    resp = lrs.get_statements(headers={"Origin": ORIGIN})
    assert resp.status_code == 200
    assert resp.headers.get("Access-Control-Allow-Origin") in ("*", ORIGIN)
    exposed = resp.headers.get("Access-Control-Expose-Headers", "").lower()
    for header in (
        "x-experience-api-version",
        "x-experience-api-consistent-through",
        "etag",
        "last-modified",
    ):
        assert header in exposed


@pytest.mark.parametrize("resource", ["activities/profile", "agents/profile", "activities", "agents"])
def test_head_on_other_resources(lrs, resource):
    # Communication 1.1.s1 / 1.1.s3.b1: every resource supporting GET supports HEAD (same status, no body).
    params = _minimal_params(resource)
    if resource.endswith("profile"):
        body = b'{"a": 1}'
        lrs.doc("PUT", resource, params, body, "application/json", headers={"If-None-Match": "*"})
    get = lrs.request("GET", resource, params=params)
    head = lrs.request("HEAD", resource, params=params)
    assert head.status_code == get.status_code == 200
    assert head.get_data() == b""
    if resource.endswith("profile"):
        assert head.headers["ETag"] == get.headers["ETag"]
