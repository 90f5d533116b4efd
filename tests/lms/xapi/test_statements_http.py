"""HTTP rules of the LRS (Communication 1 and 3.3): version header, About, alternate request syntax,
CORS, JSON errors, the SAVEPOINT that keeps a failed batch from leaving rows."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import error_message, new_id, statement_count, stmt  # noqa: E402

from lms.db import db  # noqa: E402


@pytest.mark.parametrize("version", ["1.0.0", "1.0.3", "1.0", "1.0.9"])
def test_accepted_version_headers(lrs, version):
    resp = lrs.get(version=version)
    assert resp.status_code == 200
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("version", [None, "", "0.95", "0.9", "1.1.0", "2.0.0", "1.0.x", "1"])
def test_missing_or_unsupported_version_is_400(lrs, version):
    resp = lrs.post(stmt(), version=version)
    assert resp.status_code == 400
    assert "X-Experience-API-Version" in error_message(resp)
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"
    assert statement_count() == 0


def test_about_ignores_the_version_header(client):
    for headers in ({}, {"X-Experience-API-Version": "0.9"}):
        resp = client.get("/xapi/about", headers=headers)
        assert resp.status_code == 200
        body = resp.get_json()
        assert "1.0.3" in body["version"] and "1.0.0" in body["version"]
        assert set(body) <= {"version", "extensions"}
        assert resp.headers["X-Experience-API-Version"] == "1.0.3"


def test_errors_are_json_with_the_version_header(lrs, client):
    resp = client.get("/xapi/nothing-here", headers=lrs.headers())
    assert resp.status_code == 404 and resp.mimetype == "application/json"
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"
    resp = client.delete("/xapi/statements", headers=lrs.headers())
    assert resp.status_code == 405 and resp.mimetype == "application/json"
    resp = lrs.post(stmt(result={"success": "yes"}))
    body = resp.get_json()
    assert body["code"] == 400 and body["error"] == "Bad Request" and "result.success" in body["message"]


def alt(client, form: dict, method: str, query: dict | None = None):
    q = {"method": method, **(query or {})}
    return client.post(
        "/xapi/statements?" + urlencode(q),
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )


def test_alternate_syntax_put_then_get(lrs, client):
    s = stmt(id=new_id())
    form = {
        "statementId": s["id"],
        "Authorization": lrs.headers()["Authorization"],
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "content": json.dumps(s),
    }
    resp = alt(client, form, "PUT")
    assert resp.status_code == 204, resp.get_data(as_text=True)
    get_form = {
        "statementId": s["id"],
        "Authorization": form["Authorization"],
        "X-Experience-API-Version": "1.0.3",
    }
    resp = alt(client, get_form, "GET")
    assert resp.status_code == 200 and resp.get_json()["id"] == s["id"]
    assert resp.headers["X-Experience-API-Consistent-Through"]
    head = alt(client, get_form, "HEAD")
    assert head.status_code == 200 and head.data == b""


def test_alternate_syntax_post_and_query(lrs, client):
    auth = {"Authorization": lrs.headers()["Authorization"], "X-Experience-API-Version": "1.0.3"}
    resp = alt(client, {**auth, "content": json.dumps([stmt(), stmt()])}, "POST")
    assert resp.status_code == 200 and len(resp.get_json()) == 2
    resp = alt(client, {**auth, "verb": stmt()["verb"]["id"], "limit": "1"}, "GET")
    page = resp.get_json()
    assert len(page["statements"]) == 1 and page["more"]


@pytest.mark.parametrize(
    "case", ["no auth", "no version", "bad method", "query params", "not a form", "unknown form param"]
)
def test_alternate_syntax_refusals_store_nothing(lrs, client, case):
    s = stmt(id=new_id())
    form = {
        "statementId": s["id"],
        "Authorization": lrs.headers()["Authorization"],
        "X-Experience-API-Version": "1.0.3",
        "content": json.dumps(s),
    }
    method, query, expected = "PUT", None, 400
    if case == "no auth":
        form.pop("Authorization")
        expected = 401
    elif case == "no version":
        form.pop("X-Experience-API-Version")
    elif case == "bad method":
        method = "PATCH"
    elif case == "query params":
        query = {"statementId": form.pop("statementId")}
    elif case == "unknown form param":
        form["mood"] = "happy"
    if case == "not a form":
        resp = client.post(
            "/xapi/statements?method=PUT",
            data=json.dumps(s),
            content_type="application/json",
            headers=lrs.headers(),
        )
    else:
        resp = alt(client, form, method, query)
    assert resp.status_code == expected, (case, resp.get_data(as_text=True))
    assert statement_count() == 0


def test_cors_headers_on_responses(lrs):
    resp = lrs.get(headers={"Origin": "https://content.example.net"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    exposed = resp.headers["Access-Control-Expose-Headers"]
    for name in ("ETag", "Last-Modified", "X-Experience-API-Consistent-Through", "X-Experience-API-Version"):
        assert name in exposed
    allowed = resp.headers["Access-Control-Allow-Headers"]
    for name in ("Authorization", "Content-Type", "X-Experience-API-Version", "If-Match", "If-None-Match"):
        assert name in allowed


def test_a_database_error_mid_batch_leaves_no_rows(lrs, monkeypatch):
    """The inserts run in a SAVEPOINT: when the side-table insert fails, the statement rows go too."""
    from lms.xapi import store

    real = store._activity_rows

    def broken(statement):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_activity_rows", broken)
    with pytest.raises(RuntimeError):
        store.store_statements([stmt(), stmt()], authority={"mbox": "mailto:a@example.org"})
    monkeypatch.setattr(store, "_activity_rows", real)
    # the outer transaction is still usable and holds nothing of the batch
    assert statement_count() == 0
    store.store_statements([stmt()], authority={"mbox": "mailto:a@example.org"})
    db.session.commit()
    assert statement_count() == 1


def test_store_only_flushes_so_the_callers_rollback_undoes_it(app):
    """The SAVEPOINT must not commit on its own (pysqlite opens transactions lazily)."""
    from lms.xapi import store

    db.session.rollback()  # start from a fresh transaction, as a request does
    store.store_statements([stmt()], authority={"mbox": "mailto:a@example.org"})
    assert statement_count() == 1
    db.session.rollback()
    assert statement_count() == 0


class TestSizeLimits:
    @pytest.fixture
    def app_config(self):
        return {"MAX_CONTENT_LENGTH": 4000, "XAPI_MAX_BATCH": 3}

    def test_too_many_statements_is_413(self, lrs):
        resp = lrs.post([stmt() for _ in range(4)])
        assert resp.status_code == 413
        assert "at most 3" in error_message(resp)
        assert statement_count() == 0
        assert lrs.post([stmt() for _ in range(3)]).status_code == 200

    def test_too_large_body_is_413_json(self, lrs):
        resp = lrs.post(stmt(result={"response": "x" * 5000}))
        assert resp.status_code == 413
        assert resp.mimetype == "application/json"
        assert resp.headers["X-Experience-API-Version"] == "1.0.3"
        assert statement_count() == 0


def _store_meanwhile(monkeypatch, statements):
    """Another request stores ``statements`` between this batch's existence check and its insert."""
    from lms.xapi import store

    real = store._site_users
    done = []

    def sneaky(prepared, resolver):
        if not done:
            done.append(1)
            store.store_statements(statements, authority={"mbox": "mailto:other@example.org"})
        return real(prepared, resolver)

    monkeypatch.setattr(store, "_site_users", sneaky)


def test_a_different_statement_stored_concurrently_with_the_same_id_is_a_409_and_leaves_no_rows(
    lrs, monkeypatch
):
    sid = new_id()
    _store_meanwhile(monkeypatch, [stmt(id=sid)])
    resp = lrs.post([stmt(), stmt(id=sid, result={"success": True})])
    assert resp.status_code == 409
    assert "already stored" in error_message(resp)
    assert statement_count() == 0  # the refused request was rolled back


def test_the_same_statement_stored_concurrently_is_accepted_with_the_rest_of_its_batch(lrs, monkeypatch):
    # A page's last statements, sent again by the next page while the first request is still storing.
    same = stmt(id=new_id())
    _store_meanwhile(monkeypatch, [dict(same)])
    other = stmt(id=new_id())
    resp = lrs.post([other, same])
    assert resp.status_code == 200, error_message(resp)
    assert resp.get_json() == [other["id"], same["id"]]
    assert statement_count() == 2
