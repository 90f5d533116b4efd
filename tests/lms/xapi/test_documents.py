"""State, Activity Profile and Agent Profile resources (Communication 2.2-2.7) and their concurrency
rules (3.1)."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_testing import error_message, make_client  # noqa: E402

from lms.db import db  # noqa: E402
from lms.xapi.models import Document  # noqa: E402

ACTIVITY = "http://lms.test/xapi/activities/course/minamata-basics"
AGENT = {"objectType": "Agent", "mbox": "mailto:focal.point@example.org"}
OTHER_AGENT = {"objectType": "Agent", "account": {"homePage": "https://example.org", "name": "u2"}}
REG = "6f8a2f7e-0d6b-4c9b-9a64-0f4b0c3d1e2a"


@pytest.fixture
def auth(app):
    return make_client(["all"])


def req(client, headers, method, resource, params, body=None, content_type=None, extra=None):
    query = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return client.open(
        f"/xapi/{resource}",
        method=method,
        query_string=query,
        data=body,
        content_type=content_type,
        headers={**headers, **(extra or {})},
    )


def state(client, auth, method, body=None, content_type=None, extra=None, **params):
    base = {"activityId": ACTIVITY, "agent": AGENT}
    base.update(params)
    base = {k: v for k, v in base.items() if v is not None}
    return req(client, auth, method, "activities/state", base, body, content_type, extra)


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha1(content).hexdigest() + '"'  # noqa: S324 - the xAPI ETag


def _docs():
    return db.session.scalar(select(func.count()).select_from(Document))


# --- State ---


def test_put_then_get_returns_the_document_with_etag_and_last_modified(client, auth):
    body = "lesson-3 ☿".encode()
    resp = state(client, auth, "PUT", body, "text/plain; charset=utf-8", stateId="bookmark")
    assert resp.status_code == 204, resp.get_data(as_text=True)
    resp = state(client, auth, "GET", stateId="bookmark")
    assert resp.status_code == 200
    assert resp.data == body
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert resp.headers["ETag"] == etag_of(body)
    assert resp.headers["Last-Modified"]
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"
    head = state(client, auth, "HEAD", stateId="bookmark")
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"] == etag_of(body)
    assert state(client, auth, "GET", stateId="missing").status_code == 404


def test_binary_documents_round_trip(client, auth):
    blob = bytes(range(256)) * 4
    assert state(client, auth, "PUT", blob, "application/octet-stream", stateId="blob").status_code == 204
    resp = state(client, auth, "GET", stateId="blob")
    assert resp.data == blob and resp.headers["Content-Type"] == "application/octet-stream"


def test_registration_is_part_of_the_state_context(client, auth):
    state(client, auth, "PUT", b"a", "text/plain", stateId="s", registration=REG)
    assert state(client, auth, "GET", stateId="s").status_code == 404
    assert state(client, auth, "GET", stateId="s", registration=REG.upper()).data == b"a"


def test_post_merges_top_level_properties_of_json_objects(client, auth):
    state(client, auth, "POST", json.dumps({"x": "foo", "y": "bar"}), "application/json", stateId="vars")
    resp = state(
        client, auth, "POST", json.dumps({"x": "bash", "z": "faz"}), "application/json", stateId="vars"
    )
    assert resp.status_code == 204
    got = state(client, auth, "GET", stateId="vars")
    assert got.get_json() == {"x": "bash", "y": "bar", "z": "faz"}
    assert got.headers["ETag"] == etag_of(got.data)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"x": 1}', "text/plain"),  # not declared JSON
        ("[1, 2]", "application/json"),  # not an object
        ("{not json", "application/json"),  # not JSON
    ],
)
def test_post_refuses_what_cannot_be_merged_and_changes_nothing(client, auth, body, content_type):
    state(client, auth, "PUT", json.dumps({"keep": True}), "application/json", stateId="vars")
    resp = state(client, auth, "POST", body, content_type, stateId="vars")
    assert resp.status_code == 400
    assert error_message(resp)
    assert state(client, auth, "GET", stateId="vars").get_json() == {"keep": True}


def test_post_onto_a_stored_non_json_document_is_refused(client, auth):
    state(client, auth, "PUT", b"plain", "text/plain", stateId="s")
    resp = state(client, auth, "POST", '{"a": 1}', "application/json", stateId="s")
    assert resp.status_code == 400
    assert state(client, auth, "GET", stateId="s").data == b"plain"


def test_put_of_invalid_json_declared_as_json_is_refused(client, auth):
    assert state(client, auth, "PUT", "{nope", "application/json", stateId="s").status_code == 400
    assert _docs() == 0


def test_state_ids_since_and_delete(client, auth):
    from lms.db import utcnow

    state(client, auth, "PUT", b"1", "text/plain", stateId="a")
    time.sleep(0.01)
    cut = utcnow().isoformat()
    time.sleep(0.01)
    state(client, auth, "PUT", b"2", "text/plain", stateId="b")
    state(client, auth, "PUT", b"3", "text/plain", stateId="c", registration=REG)
    resp = state(client, auth, "GET")
    assert resp.status_code == 200 and resp.headers["Last-Modified"] and resp.headers["ETag"]
    assert sorted(state(client, auth, "GET").get_json()) == ["a", "b", "c"]
    assert sorted(state(client, auth, "GET", since=cut).get_json()) == ["b", "c"]
    assert state(client, auth, "GET", registration=REG).get_json() == ["c"]
    # Another agent's state is separate.
    assert state(client, auth, "GET", agent=OTHER_AGENT).get_json() == []
    assert state(client, auth, "DELETE", stateId="a").status_code == 204
    assert sorted(state(client, auth, "GET").get_json()) == ["b", "c"]
    assert state(client, auth, "DELETE", registration=REG).status_code == 204
    assert state(client, auth, "GET").get_json() == ["b"]
    assert state(client, auth, "DELETE").status_code == 204
    assert state(client, auth, "GET").get_json() == [] and _docs() == 0


def test_state_honours_preconditions_but_does_not_require_them(client, auth):
    state(client, auth, "PUT", b"v1", "text/plain", stateId="s")
    assert state(client, auth, "PUT", b"v2", "text/plain", stateId="s").status_code == 204  # no header: fine
    resp = state(client, auth, "PUT", b"v3", "text/plain", stateId="s", extra={"If-Match": etag_of(b"v1")})
    assert resp.status_code == 412
    assert state(client, auth, "GET", stateId="s").data == b"v2"
    assert state(client, auth, "DELETE", stateId="s", extra={"If-Match": '"0000"'}).status_code == 412
    assert state(client, auth, "DELETE", stateId="s", extra={"If-Match": etag_of(b"v2")}).status_code == 204


# --- profiles ---


def profile(client, auth, kind, method, body=None, content_type=None, extra=None, **params):
    base = {"activityId": ACTIVITY} if kind == "activity" else {"agent": AGENT}
    base.update(params)
    resource = "activities/profile" if kind == "activity" else "agents/profile"
    return req(client, auth, method, resource, base, body, content_type, extra)


@pytest.mark.parametrize("kind", ["activity", "agent"])
def test_profile_concurrency(client, auth, kind):
    v1, v2 = b'{"v": 1}', b'{"v": 2}'
    resp = profile(client, auth, kind, "PUT", v1, "application/json", profileId="new")
    assert resp.status_code == 400  # even a new document needs If-None-Match: * (or If-Match)
    assert profile(client, auth, kind, "GET", profileId="new").status_code == 404
    assert profile(client, auth, kind, "GET", profileId="p").status_code == 404
    create = {"If-None-Match": "*"}
    assert (
        profile(client, auth, kind, "PUT", v1, "application/json", profileId="p", extra=create).status_code
        == 204
    )
    resp = profile(client, auth, kind, "PUT", v2, "application/json", profileId="p")
    assert resp.status_code == 409 and "If-Match" in error_message(resp)
    resp = profile(
        client, auth, kind, "PUT", v2, "application/json", profileId="p", extra={"If-None-Match": "*"}
    )
    assert resp.status_code == 412
    resp = profile(
        client,
        auth,
        kind,
        "PUT",
        v2,
        "application/json",
        profileId="p",
        extra={"If-Match": etag_of(b"stale")},
    )
    assert resp.status_code == 412
    assert profile(client, auth, kind, "GET", profileId="p").data == v1
    resp = profile(
        client, auth, kind, "PUT", v2, "application/json", profileId="p", extra={"If-Match": etag_of(v1)}
    )
    assert resp.status_code == 204
    assert profile(client, auth, kind, "GET", profileId="p").data == v2
    # If-None-Match: * creates a document that does not exist yet; If-Match on a missing one fails.
    assert (
        profile(
            client, auth, kind, "PUT", v1, "application/json", profileId="q", extra={"If-None-Match": "*"}
        ).status_code
        == 204
    )
    assert (
        profile(
            client, auth, kind, "PUT", v1, "application/json", profileId="r", extra={"If-Match": "*"}
        ).status_code
        == 412
    )
    assert (
        profile(
            client,
            auth,
            kind,
            "POST",
            b'{"w": 3}',
            "application/json",
            profileId="p",
            extra={"If-Match": etag_of(v1)},
        ).status_code
        == 412
    )
    assert (
        profile(client, auth, kind, "DELETE", profileId="p", extra={"If-Match": etag_of(v1)}).status_code
        == 412
    )
    assert (
        profile(client, auth, kind, "DELETE", profileId="p", extra={"If-Match": etag_of(v2)}).status_code
        == 204
    )
    assert profile(client, auth, kind, "GET", profileId="p").status_code == 404


@pytest.mark.parametrize("kind", ["activity", "agent"])
def test_profile_ids_since(client, auth, kind):
    from lms.db import utcnow

    profile(client, auth, kind, "PUT", b"1", "text/plain", profileId="one", extra={"If-None-Match": "*"})
    time.sleep(0.01)
    cut = utcnow().isoformat()
    time.sleep(0.01)
    profile(client, auth, kind, "PUT", b"2", "text/plain", profileId="two", extra={"If-None-Match": "*"})
    resp = profile(client, auth, kind, "GET")
    assert (
        sorted(resp.get_json()) == ["one", "two"] and resp.headers["ETag"] and resp.headers["Last-Modified"]
    )
    assert profile(client, auth, kind, "GET", since=cut).get_json() == ["two"]


# --- bad input ---


@pytest.mark.parametrize(
    ("resource", "params", "message"),
    [
        ("activities/state", {"agent": AGENT, "stateId": "s"}, "activityId"),
        ("activities/state", {"activityId": "not an iri", "agent": AGENT, "stateId": "s"}, "activityId"),
        ("activities/state", {"activityId": ACTIVITY, "stateId": "s"}, "agent"),
        ("activities/state", {"activityId": ACTIVITY, "agent": "{not json", "stateId": "s"}, "agent"),
        (
            "activities/state",
            {"activityId": ACTIVITY, "agent": {"objectType": "Group", "member": []}, "stateId": "s"},
            "Agent",
        ),
        (
            "activities/state",
            {"activityId": ACTIVITY, "agent": {"mbox": "focal.point@example.org"}, "stateId": "s"},
            "mailto",
        ),
        (
            "activities/state",
            {
                "activityId": ACTIVITY,
                "agent": {"mbox": "mailto:a@b.org", "openid": "http://x.org/a"},
                "stateId": "s",
            },
            "exactly one",
        ),
        (
            "activities/state",
            {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s", "registration": "abc"},
            "registration",
        ),
        ("activities/state", {"activityId": ACTIVITY, "agent": AGENT, "stateid": "s"}, "stateId"),
        (
            "activities/state",
            {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s", "colour": "red"},
            "colour",
        ),
        ("activities/state", {"activityId": ACTIVITY, "agent": AGENT, "since": "yesterday"}, "since"),
        ("activities/profile", {"activityId": ACTIVITY}, "profileId"),
        ("agents/profile", {"agent": AGENT, "activityId": ACTIVITY, "profileId": "p"}, "activityId"),
    ],
)
def test_bad_parameters_are_refused_with_a_reason_and_nothing_is_stored(
    client, auth, resource, params, message
):
    resp = req(client, auth, "PUT", resource, params, b"x", "text/plain")
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert message in error_message(resp)
    assert _docs() == 0


def test_get_with_since_and_an_id_returns_the_document_but_a_bad_since_is_refused(client, auth):
    state(client, auth, "PUT", b"v1", "text/plain", stateId="s")
    resp = state(client, auth, "GET", stateId="s", since="2999-05-01T00:00:00Z")
    assert resp.status_code == 200 and resp.data == b"v1"
    resp = state(client, auth, "GET", stateId="s", since="not a timestamp")
    assert resp.status_code == 400 and "since" in error_message(resp)


def test_profile_delete_needs_the_profile_id(client, auth):
    profile(client, auth, "agent", "PUT", b"1", "text/plain", profileId="p", extra={"If-None-Match": "*"})
    assert profile(client, auth, "agent", "DELETE").status_code == 400
    assert _docs() == 1


def test_documents_over_the_size_limit_are_refused(app, client, auth):
    app.config["XAPI_DOCUMENT_MAX_BYTES"] = 1000
    assert state(client, auth, "PUT", b"x" * 1001, "text/plain", stateId="big").status_code == 413
    assert state(client, auth, "PUT", b"x" * 1000, "text/plain", stateId="big").status_code == 204


def test_alternate_request_syntax_stores_a_document(client, auth):
    form = {
        "content": "cross-domain",
        "Content-Type": "text/plain",
        "activityId": ACTIVITY,
        "agent": json.dumps(AGENT),
        "stateId": "ie9",
        **auth,
    }
    resp = client.post("/xapi/activities/state?method=PUT", data=form)
    assert resp.status_code == 204, resp.get_data(as_text=True)
    assert state(client, auth, "GET", stateId="ie9").data == b"cross-domain"
    form = {"activityId": ACTIVITY, "agent": json.dumps(AGENT), "stateId": "ie9", **auth}
    resp = client.post("/xapi/activities/state?method=GET", data=form)
    assert resp.status_code == 200 and resp.data == b"cross-domain"


def test_two_requests_creating_the_same_document_at_once_conflict_cleanly(client, auth, monkeypatch):
    """The loser of a creation race (both saw no document) hits the unique identity of the document and
    gets 409 instead of a duplicate; the winner's document is intact."""
    from lms.xapi import documents

    assert state(client, auth, "PUT", b"winner", "text/plain", stateId="race").status_code == 204
    monkeypatch.setattr(documents, "find_document", lambda ref: None)  # the loser looked before the commit
    resp = state(client, auth, "PUT", b"loser", "text/plain", stateId="race")
    assert resp.status_code == 409 and "If-Match" in error_message(resp)
    monkeypatch.undo()
    assert state(client, auth, "GET", stateId="race").data == b"winner"
    assert _docs() == 1
