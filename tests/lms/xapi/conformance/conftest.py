"""Fixtures of the xAPI 1.0.3 conformance suite for the built-in LRS at /xapi/.

- ``lrs``: an :class:`LRS` helper bound to the Flask test client and credentials with the ``all`` scope.
- ``make_lrs(scopes, name=...)``: the same with other credentials (scope tests).
- Builders for statements live in ``xapi_helpers`` (imported by the test modules).

Tests marked ``xapi_should`` check a SHOULD / SHOULD* of the specification (or a design expectation
beyond it, such as CORS), not a MUST; a failure there is a recommendation missed, not a conformance bug.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from xapi_helpers import BASE, VERSION, basic  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "xapi_should: checks an xAPI SHOULD/SHOULD* (not a MUST)")


_MISSING = object()


def _valid_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str) and len(value) == 36


class LRS:
    """Talks to the built-in LRS through the Flask test client, adding HTTP Basic credentials and the
    ``X-Experience-API-Version`` header (Communication 3.3.s4.b1) unless told otherwise."""

    def __init__(self, client, key: str, secret: str):
        self.client = client
        self.key = key
        self.secret = secret

    @property
    def authorization(self) -> str:
        return basic(self.key, self.secret)

    def headers(self, extra: dict | None = None, *, auth=True, version=VERSION) -> dict:
        headers = {}
        if auth is True:
            headers["Authorization"] = self.authorization
        elif auth:
            headers["Authorization"] = auth
        if version:
            headers["X-Experience-API-Version"] = version
        headers.update(extra or {})
        return headers

    def request(
        self,
        method: str,
        resource: str,
        *,
        params: dict | None = None,
        json_body=_MISSING,
        data=None,
        content_type: str | None = None,
        headers: dict | None = None,
        auth=True,
        version=VERSION,
    ):
        """``resource`` is relative to /xapi/ (``statements``, ``activities/state`` ...) or a path
        starting with ``/`` (e.g. a "more" IRL). Dict/list parameter values are sent as JSON."""
        path = resource if resource.startswith("/") else f"{BASE}/{resource}"
        query = None
        if params is not None:
            query = {k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in params.items()}
        if json_body is not _MISSING:
            data = json.dumps(json_body)
            content_type = content_type or "application/json"
        return self.client.open(
            path,
            method=method,
            query_string=query,
            data=data,
            content_type=content_type,
            headers=self.headers(headers, auth=auth, version=version),
        )

    # Statement resource -----------------------------------------------------------------------------
    def post_statements(self, body, **kw):
        return self.request("POST", "statements", json_body=body, **kw)

    def put_statement(self, stmt, statement_id: str | None = None, **kw):
        sid = statement_id or stmt.get("id")
        return self.request("PUT", "statements", params={"statementId": sid}, json_body=stmt, **kw)

    def get_statements(self, params: dict | None = None, **kw):
        return self.request("GET", "statements", params=params or {}, **kw)

    def store(self, stmt: dict) -> str:
        """POST one valid statement; return its id (asserting 200 and a one-id array)."""
        resp = self.post_statements(stmt)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        ids = resp.get_json()
        assert isinstance(ids, list) and len(ids) == 1
        return ids[0]

    def store_many(self, stmts: list[dict]) -> list[str]:
        resp = self.post_statements(stmts)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.get_json()

    def fetch(self, statement_id: str, **params) -> dict:
        """GET one statement by id (asserting 200)."""
        resp = self.get_statements({"statementId": statement_id, **params})
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.get_json()

    def fetch_all(self, params: dict | None = None) -> list[dict]:
        """GET statements following every "more" IRL; return all statements."""
        resp = self.get_statements(params)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        body = resp.get_json()
        out = list(body["statements"])
        seen = 0
        while body.get("more"):
            seen += 1
            assert seen < 100, "too many pages"
            resp = self.request("GET", body["more"])
            assert resp.status_code == 200, resp.get_data(as_text=True)
            body = resp.get_json()
            out.extend(body["statements"])
        return out

    def rejects(self, stmt, status: int = 400) -> None:
        """POST ``stmt``; assert it is refused with ``status`` and that nothing was stored."""
        resp = self.post_statements(stmt)
        assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:300])
        stmt_id = stmt.get("id") if isinstance(stmt, dict) else None
        if _valid_uuid(stmt_id):
            assert self.get_statements({"statementId": stmt_id}).status_code == 404

    # Documents --------------------------------------------------------------------------------------
    def doc(
        self,
        method: str,
        resource: str,
        params: dict,
        body: bytes | str | None = None,
        content_type: str | None = None,
        headers: dict | None = None,
        **kw,
    ):
        return self.request(
            method, resource, params=params, data=body, content_type=content_type, headers=headers, **kw
        )


@pytest.fixture
def app_config():
    """The LRS is core: run it without the content plugins (they play no part in xAPI conformance)."""
    return {"PLUGINS": []}


@pytest.fixture
def make_lrs(app, client):
    """Factory: ``make_lrs(["statements/read"], name="reader")`` -> :class:`LRS` with those scopes."""
    from lms.db import db
    from lms.xapi.auth import create_client

    def _make(scopes=("all",), name="conformance"):
        _record, key, secret = create_client(name, list(scopes))
        db.session.commit()
        return LRS(client, key, secret)

    return _make


@pytest.fixture
def lrs(make_lrs):
    """Credentials with the ``all`` scope (Communication 4.2.s6.b3: the LRS MUST support "all")."""
    return make_lrs(["all"], name="conformance")
