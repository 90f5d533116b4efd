"""The Statement and About resources authenticate LRS clients (HTTP Basic), never the site's session:
whatever a visitor's role, without LRS credentials the Statement resource answers 401 (and stores
nothing); with credentials holding the scope it answers 200/204. About is public (Communication 2.8.s5.b3).
Preflight OPTIONS requests are answered without authentication (CORS)."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import basic, make_credentials, statement_count, stmt  # noqa: E402

ENDPOINTS_COVERED = {"xapi.statements", "xapi.about"}
ROLES = ("anonymous", "learner", "trainer", "coordinator", "admin")
VERSION = {"X-Experience-API-Version": "1.0.3"}


def _cases():
    sid = str(uuid.uuid4())
    return [
        ("GET", "/xapi/statements", {}, None, 200),
        ("HEAD", "/xapi/statements", {}, None, 200),
        ("POST", "/xapi/statements", {}, json.dumps(stmt()), 200),
        ("PUT", "/xapi/statements", {"statementId": sid}, json.dumps(stmt()), 204),
    ]


@pytest.fixture
def signed_in(client, make_user, login):
    def _as(role):
        if role != "anonymous":
            login(make_user(role=role))

    return _as


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", range(4))
def test_statements_need_lrs_credentials_whatever_the_role(client, signed_in, role, case):
    method, path, params, body, ok = _cases()[case]
    signed_in(role)
    resp = client.open(
        path,
        method=method,
        query_string=params,
        data=body,
        content_type="application/json" if body else None,
        headers=VERSION,
    )
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Basic")
    assert statement_count() == 0
    _c, key, secret = make_credentials(("all",))
    resp = client.open(
        path,
        method=method,
        query_string=params,
        data=body,
        content_type="application/json" if body else None,
        headers={**VERSION, "Authorization": basic(key, secret)},
    )
    assert resp.status_code == ok, resp.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_about_is_public(client, signed_in, role):
    signed_in(role)
    resp = client.get("/xapi/about")  # no credentials, no version header
    assert resp.status_code == 200
    assert "1.0.3" in resp.get_json()["version"]


@pytest.mark.parametrize("role", ROLES)
def test_preflight_needs_no_credentials(client, signed_in, role):
    signed_in(role)
    resp = client.options(
        "/xapi/statements",
        headers={
            "Origin": "https://content.example.net",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization,content-type,x-experience-api-version",
        },
    )
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
