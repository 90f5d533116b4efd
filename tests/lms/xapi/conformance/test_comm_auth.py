"""xAPI Communication 4.0 Authentication (HTTP Basic), 3.2 Error Codes 401 / 403, and 4.2 scopes."""

from __future__ import annotations

import base64
import json

import pytest
from xapi_helpers import BASE, VERSION, activity_id, agent_mbox, basic, statement, uid

RESOURCES = [
    ("GET", "statements", None),
    ("POST", "statements", "statement"),
    ("PUT", "statements", "statement"),
    ("GET", "activities/state", {"activityId": "A", "agent": "G", "stateId": "s"}),
    ("GET", "activities/profile", {"activityId": "A", "profileId": "p"}),
    ("GET", "agents/profile", {"agent": "G", "profileId": "p"}),
    ("GET", "activities", {"activityId": "A"}),
    ("GET", "agents", {"agent": "G"}),
]


def _send(lrs, method, resource, spec, auth):
    stmt = statement(id=uid())
    params = None
    if isinstance(spec, dict):
        params = {k: {"A": activity_id(), "G": agent_mbox()}.get(v, v) for k, v in spec.items()}
    if method == "PUT" and resource == "statements":
        params = {"statementId": stmt["id"]}
    body = stmt if spec == "statement" else None
    kw = {"json_body": body} if body is not None else {}
    return lrs.request(method, resource, params=params, auth=auth, **kw), stmt


@pytest.mark.parametrize("method,resource,spec", RESOURCES, ids=[f"{m} {r}" for m, r, _s in RESOURCES])
def test_no_credentials_401(lrs, method, resource, spec):
    # Communication 3.2.s2.b2: 401 Unauthorized when authentication is required; 4.0.s3.b1 (the LRS
    # authenticates with HTTP Basic here). Nothing is stored.
    resp, stmt = _send(lrs, method, resource, spec, auth=False)
    assert resp.status_code == 401
    assert resp.headers.get("X-Experience-API-Version") == VERSION
    if spec == "statement":
        assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        basic("unknown-key", "whatever"),
        "Basic !!!not-base64!!!",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Bearer abcdef",
        "Basic Og==",  # empty username and password
    ],
    ids=["unknown key", "not base64", "no colon", "bearer scheme", "empty credentials"],
)
def test_refused_credentials_401(lrs, header):
    # Communication 3.2.s2.b2: 401 when the given credentials have been refused.
    assert lrs.get_statements(auth=header).status_code == 401
    stmt = statement(id=uid())
    assert lrs.post_statements(stmt, auth=header).status_code == 401
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


def test_wrong_secret_401(lrs):
    # Communication 3.2.s2.b2 / 4.0.s2.b2 (RFC 7235).
    assert lrs.get_statements(auth=basic(lrs.key, lrs.secret + "x")).status_code == 401


def test_401_has_basic_challenge(lrs):
    # Communication 4.0.s2.b2: HTTP Basic per RFC 7235, whose 401 responses carry a WWW-Authenticate
    # challenge.
    resp = lrs.get_statements(auth=False)
    assert resp.status_code == 401
    assert resp.headers.get("WWW-Authenticate", "").lower().startswith("basic")


def test_browser_session_is_not_lrs_credentials(lrs, client, make_user, login):
    # Communication 4.0: the xAPI resources authenticate their own clients; a signed-in site admin's cookie
    # alone is not an xAPI credential.
    login(make_user(role="admin"))
    resp = client.get(f"{BASE}/statements", headers={"X-Experience-API-Version": VERSION})
    assert resp.status_code == 401


def test_scope_statements_read_cannot_write(make_lrs):
    # Communication 4.2.s2 table (statements/read: read any Statement) + 3.2.s3.b10: requests the
    # credentials are not permitted to make MUST be rejected with 403 Forbidden; nothing stored.
    reader = make_lrs(["statements/read"], name="reader")
    stmt = statement(id=uid())
    assert reader.post_statements(stmt).status_code == 403
    assert reader.put_statement(stmt).status_code == 403
    assert reader.get_statements().status_code == 200
    assert reader.get_statements({"statementId": stmt["id"]}).status_code == 404


def test_scope_statements_write_cannot_read(make_lrs):
    # Communication 4.2.s2 table (statements/write only) + 3.2.s3.b10.
    writer = make_lrs(["statements/write"], name="writer")
    stmt_id = writer.store(statement())
    assert writer.get_statements().status_code == 403
    assert writer.get_statements({"statementId": stmt_id}).status_code == 403


def test_scope_all_read_cannot_write_documents(make_lrs):
    # Communication 4.2.s2 table (all/read: unrestricted read access) + 3.2.s3.b10.
    reader = make_lrs(["all/read"], name="all-reader")
    params = {"activityId": activity_id(), "agent": agent_mbox(), "stateId": "s"}
    assert reader.doc("PUT", "activities/state", params, b"{}", "application/json").status_code == 403
    assert reader.doc("GET", "activities/state", params).status_code == 404
    assert reader.get_statements().status_code == 200
    assert reader.post_statements(statement()).status_code == 403


def test_scope_state_only(make_lrs):
    # Communication 4.2.s2 table (state: read/write state data) + 3.2.s3.b10.
    state = make_lrs(["state"], name="state-only")
    params = {"activityId": activity_id(), "agent": agent_mbox(), "stateId": "s"}
    assert state.doc("PUT", "activities/state", params, b"{}", "application/json").status_code == 204
    assert state.get_statements().status_code == 403
    assert state.post_statements(statement()).status_code == 403
    prof = {"activityId": activity_id(), "profileId": "p"}
    assert (
        state.doc(
            "PUT", "activities/profile", prof, b"{}", "application/json", headers={"If-None-Match": "*"}
        ).status_code
        == 403
    )


def test_scope_profile_only(make_lrs):
    # Communication 4.2.s2 table (profile: read/write profile data) + 3.2.s3.b10.
    prof = make_lrs(["profile"], name="profile-only")
    params = {"activityId": activity_id(), "profileId": "p"}
    assert (
        prof.doc(
            "PUT", "activities/profile", params, b"{}", "application/json", headers={"If-None-Match": "*"}
        ).status_code
        == 204
    )
    state = {"activityId": activity_id(), "agent": agent_mbox(), "stateId": "s"}
    assert prof.doc("GET", "activities/state", state).status_code == 403
    assert prof.get_statements().status_code == 403


def test_scope_read_mine_only_sees_own_statements(lrs, make_lrs):
    # Communication 4.2.s2 table (statements/read/mine: read Statements whose authority matches what the
    # LRS would assign for the current credentials); 2.1.3.s2.b3: filtering by permissions.
    mine_client = make_lrs(["statements/write", "statements/read/mine"], name="mine")
    mine = mine_client.store(statement())
    theirs = lrs.store(statement())
    got = {s["id"] for s in mine_client.fetch_all()}
    assert mine in got and theirs not in got
    assert mine_client.get_statements({"statementId": theirs}).status_code in (403, 404)
    assert mine_client.get_statements({"statementId": mine}).status_code == 200


def test_alt_syntax_bad_credentials_store_nothing(lrs, client):
    # Communication 1.3.s3.b7 + 3.2.s2.b2.
    stmt = statement(id=uid())
    form = {
        "Authorization": basic(lrs.key, "wrong"),
        "X-Experience-API-Version": VERSION,
        "Content-Type": "application/json",
        "content": json.dumps(stmt),
    }
    resp = client.post(f"{BASE}/statements", query_string={"method": "POST"}, data=form)
    assert resp.status_code == 401
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


def test_basic_scheme_is_case_insensitive(lrs):
    # Communication 4.0.s2.b2: HTTP Basic as defined in RFC 7235, where the auth-scheme is case-insensitive.
    token = lrs.authorization.split(" ", 1)[1]
    assert lrs.get_statements(auth="basic " + token).status_code == 200
    assert lrs.get_statements(auth="BASIC " + token).status_code == 200
