"""xAPI Communication 2.2 Document Resources and 2.3 State Resource (single and multiple documents, JSON
merge, registration scoping, ETags)."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from xapi_helpers import activity_id, agent_account, agent_mbox, now_iso, uid

R = "activities/state"


def ctx(**extra):
    return {"activityId": activity_id(), "agent": agent_mbox("Ada"), **extra}


def put(lrs, params, body, ctype="application/json", **kw):
    data = json.dumps(body) if isinstance(body, (dict, list)) else body
    return lrs.doc("PUT", R, params, data, ctype, **kw)


def post(lrs, params, body, ctype="application/json", **kw):
    data = json.dumps(body) if isinstance(body, (dict, list)) else body
    return lrs.doc("POST", R, params, data, ctype, **kw)


def get(lrs, params, **kw):
    return lrs.doc("GET", R, params, **kw)


def test_put_then_get_same_document_and_type(lrs):
    # Communication 2.3.s3: PUT stores the document (204 No Content); GET returns it (200 OK).
    params = {**ctx(), "stateId": "bookmark"}
    resp = put(lrs, params, {"lesson": 4, "page": "Article 14"})
    assert resp.status_code == 204 and resp.get_data() == b""
    got = get(lrs, params)
    assert got.status_code == 200
    assert got.mimetype == "application/json"
    assert json.loads(got.get_data()) == {"lesson": 4, "page": "Article 14"}


def test_binary_document_kept_byte_for_byte(lrs):
    # Communication 1.5.b1: documents can have any content type; 2.2.s2 table: contents arbitrary binary.
    data = bytes(range(256)) * 10
    params = {**ctx(), "stateId": "blob"}
    assert put(lrs, params, data, "application/octet-stream").status_code == 204
    got = get(lrs, params)
    assert got.get_data() == data and got.mimetype == "application/octet-stream"


def test_etag_is_quoted_sha1_of_contents(lrs):
    # Communication 3.1.s4.b1 / b2 / b4: a GET response MUST have an ETag: the quoted hexadecimal SHA-1 of
    # the contents (identity transfer encoding).
    params = {**ctx(), "stateId": "bookmark"}
    put(lrs, params, b"plain text state", "text/plain")
    got = get(lrs, params)
    sha1 = hashlib.sha1(b"plain text state").hexdigest()  # noqa: S324
    assert got.headers["ETag"].lower() == f'"{sha1}"'


def test_put_overwrites_without_concurrency_headers(lrs):
    # Communication 3.1.s3: the State Resource permits PUT, POST and DELETE without concurrency headers.
    params = {**ctx(), "stateId": "bookmark"}
    put(lrs, params, {"page": 1})
    assert put(lrs, params, {"other": True}).status_code == 204
    assert json.loads(get(lrs, params).get_data()) == {"other": True}


def test_put_with_stale_if_match_412_and_unchanged(lrs):
    # Communication 3.1.s4.b5 / b9 / b10: a PUT MUST handle If-Match; on failure 412 and no modification.
    params = {**ctx(), "stateId": "bookmark"}
    put(lrs, params, {"page": 1})
    resp = put(lrs, params, {"page": 2}, headers={"If-Match": '"' + "0" * 40 + '"'})
    assert resp.status_code == 412
    assert json.loads(get(lrs, params).get_data()) == {"page": 1}
    etag = get(lrs, params).headers["ETag"]
    assert put(lrs, params, {"page": 3}, headers={"If-Match": etag}).status_code == 204


def test_post_merges_json_top_level(lrs):
    # Communication 2.2.s7: POST application/json onto an application/json document MUST merge the top-level
    # properties; 2.2.s8.b2: 204 No Content on success.
    params = {**ctx(), "stateId": "progress"}
    put(lrs, params, {"x": "foo", "y": "bar", "nested": {"a": 1, "b": 2}})
    resp = post(lrs, params, {"x": "bash", "z": "faz", "nested": {"c": 3}})
    assert resp.status_code == 204
    assert json.loads(get(lrs, params).get_data()) == {
        "x": "bash",
        "y": "bar",
        "z": "faz",
        "nested": {"c": 3},
    }


def test_post_creates_missing_document(lrs):
    # Communication 2.3.s3: POST stores or changes the document.
    params = {**ctx(), "stateId": "new"}
    assert post(lrs, params, {"a": 1}).status_code == 204
    assert json.loads(get(lrs, params).get_data()) == {"a": 1}


@pytest.mark.parametrize("body", [b"1", b"true", b"/ asdf / undefined"])
def test_post_for_a_missing_document_stores_it_whatever_its_type(lrs, body):
    # Communication 2.2.s7 / 2.2.s4.b2: a POST for a document not yet in the LRS is treated as a PUT and
    # stores a new document; the LRS cannot refuse it for its contents (the merge rules of 2.2.s8.b1 apply
    # once a document exists).
    params = {**ctx(), "stateId": "new"}
    assert post(lrs, params, body, "application/x-www-form-urlencoded").status_code == 204
    got = get(lrs, params)
    assert got.status_code == 200 and got.get_data() == body
    assert got.mimetype == "application/x-www-form-urlencoded"
    assert post(lrs, params, {"a": 1}).status_code == 400  # stored, not JSON: no merge
    assert get(lrs, params).get_data() == body


@pytest.mark.parametrize(
    "existing,existing_type,posted,posted_type",
    [
        ({"a": 1}, "application/json", b"not json", "text/plain"),
        ({"a": 1}, "application/json", b"{broken", "application/json"),
        ({"a": 1}, "application/json", b"[1, 2]", "application/json"),
        (b"plain", "text/plain", {"a": 1}, "application/json"),
        (b"[1, 2]", "application/json", {"a": 1}, "application/json"),
    ],
)
def test_post_merge_refused_unless_both_json_objects(lrs, existing, existing_type, posted, posted_type):
    # Communication 2.2.s8.b1: if either document is not application/json or cannot be parsed as a JSON
    # Object, the LRS MUST respond 400 and MUST NOT update the document.
    params = {**ctx(), "stateId": "doc"}
    assert put(lrs, params, existing, existing_type).status_code == 204
    before = get(lrs, params).get_data()
    assert post(lrs, params, posted, posted_type).status_code == 400
    assert get(lrs, params).get_data() == before


def test_delete_single_document(lrs):
    # Communication 2.3.s3: DELETE deletes the document (204); afterwards GET is 404 (3.2.s2.b4).
    params = {**ctx(), "stateId": "bookmark"}
    put(lrs, params, {"a": 1})
    assert lrs.doc("DELETE", R, params).status_code == 204
    assert get(lrs, params).status_code == 404


def test_missing_document_404(lrs):
    # Communication 3.2.s2.b4: 404 for a request targeting a specific document that does not exist.
    assert get(lrs, {**ctx(), "stateId": "never"}).status_code == 404


def test_registration_scopes_documents(lrs):
    # Communication 2.3.s3: the document exists in the context of Activity, Agent and registration.
    base = ctx()
    reg1, reg2 = uid(), uid()
    put(lrs, {**base, "stateId": "s", "registration": reg1}, {"r": 1})
    put(lrs, {**base, "stateId": "s", "registration": reg2}, {"r": 2})
    put(lrs, {**base, "stateId": "s"}, {"r": 0})
    for reg, value in ((reg1, 1), (reg2, 2)):
        assert json.loads(get(lrs, {**base, "stateId": "s", "registration": reg}).get_data()) == {"r": value}
    assert json.loads(get(lrs, {**base, "stateId": "s"}).get_data()) == {"r": 0}


def test_agent_and_activity_scope_documents(lrs):
    # Communication 2.3.s3: another Agent or Activity is another context.
    base = ctx()
    put(lrs, {**base, "stateId": "s"}, {"mine": True})
    assert get(lrs, {**base, "agent": agent_account(), "stateId": "s"}).status_code == 404
    assert get(lrs, {**base, "activityId": activity_id(), "stateId": "s"}).status_code == 404


def test_multiple_get_returns_ids_and_since_is_exclusive(lrs):
    # Communication 2.3.s4: without stateId GET returns the array of State ids for the context; "since"
    # limits to those stored or updated since the Timestamp (exclusive).
    base = ctx()
    put(lrs, {**base, "stateId": "first"}, {"a": 1})
    put(lrs, {**base, "stateId": "second"}, {"a": 2})
    put(lrs, {**ctx(), "stateId": "elsewhere"}, {"a": 3})
    resp = get(lrs, base)
    assert resp.status_code == 200
    assert sorted(resp.get_json()) == ["first", "second"]
    time.sleep(0.05)
    mark = now_iso()
    time.sleep(0.05)
    put(lrs, {**base, "stateId": "third"}, {"a": 4})
    assert get(lrs, {**base, "since": mark}).get_json() == ["third"]


def test_multiple_get_respects_registration(lrs):
    # Communication 2.3.s4: Activity + Agent [+ registration if specified].
    base, reg = ctx(), uid()
    put(lrs, {**base, "stateId": "with-reg", "registration": reg}, {"a": 1})
    put(lrs, {**base, "stateId": "other-reg", "registration": uid()}, {"a": 1})
    assert get(lrs, {**base, "registration": reg}).get_json() == ["with-reg"]


def test_multiple_get_empty_array(lrs):
    # Communication 2.3.s4: Returns 200 OK, Array of State id(s) (empty when none).
    resp = get(lrs, ctx())
    assert resp.status_code == 200 and resp.get_json() == []


def test_multiple_delete_clears_context(lrs):
    # Communication 2.3.s5: DELETE without stateId deletes all state data for the context (204).
    base, reg = ctx(), uid()
    put(lrs, {**base, "stateId": "a"}, {"a": 1})
    put(lrs, {**base, "stateId": "b"}, {"b": 1})
    put(lrs, {**base, "stateId": "c", "registration": reg}, {"c": 1})
    other = {**ctx(), "stateId": "keep"}
    put(lrs, other, {"keep": 1})
    assert lrs.doc("DELETE", R, {**base, "registration": reg}).status_code == 204
    assert get(lrs, {**base, "stateId": "c", "registration": reg}).status_code == 404
    assert get(lrs, {**base, "stateId": "a"}).status_code == 200
    assert lrs.doc("DELETE", R, base).status_code == 204
    assert get(lrs, base).get_json() == []
    assert get(lrs, other).status_code == 200


def test_unknown_agent_and_activity_accepted(lrs):
    # Communication 2.2.s4.b2: the LRS MUST NOT reject documents for lack of prior knowledge of the
    # Activity and/or Agent.
    params = {
        "activityId": f"urn:lms:never-seen:{uid()}",
        "agent": {"openid": f"http://o.example.org/{uid()}"},
        "stateId": "s",
    }
    assert put(lrs, params, {"a": 1}).status_code == 204


BAD = [
    # Communication 2.3.s3 table: activityId, agent, stateId Required; Data 2.2.s4.b4: values validated.
    ("missing activityId", {"agent": agent_mbox(), "stateId": "s"}),
    ("missing agent", {"activityId": activity_id(), "stateId": "s"}),
    ("activityId not an IRI", {"activityId": "module-1", "agent": agent_mbox(), "stateId": "s"}),
    ("agent not JSON", {"activityId": activity_id(), "agent": "ada@example.org", "stateId": "s"}),
    ("agent without IFI", {"activityId": activity_id(), "agent": {"name": "Ada"}, "stateId": "s"}),
    ("agent bad mbox", {"activityId": activity_id(), "agent": {"mbox": "ada@example.org"}, "stateId": "s"}),
    (
        "registration not a UUID",
        {"activityId": activity_id(), "agent": agent_mbox(), "stateId": "s", "registration": "r1"},
    ),
    ("since not a timestamp", {"activityId": activity_id(), "agent": agent_mbox(), "since": "yesterday"}),
    (
        "unknown parameter",
        {"activityId": activity_id(), "agent": agent_mbox(), "stateId": "s", "profileId": "p"},
    ),
    ("parameter in wrong case", {"activityID": activity_id(), "agent": agent_mbox(), "stateId": "s"}),
]


@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
@pytest.mark.parametrize("params", [p for _d, p in BAD], ids=[d for d, _p in BAD])
def test_bad_parameters_rejected(lrs, method, params):
    # Communication 3.2.s2.b1 (missing/invalid arguments: 400), 3.2.s3.b7 / b8 (unknown parameters or
    # parameters differing only in case: 400). Nothing is stored.
    if method in ("PUT", "POST") and "stateId" not in params:
        params = {**params, "stateId": "s"}
    body = b'{"a": 1}' if method in ("PUT", "POST") else None
    resp = lrs.doc(method, R, params, body, "application/json" if body else None)
    assert resp.status_code == 400, resp.get_data(as_text=True)[:200]


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_since_refused_on_writes(lrs, method):
    # Communication 2.3.s4: "since" is a parameter of the multiple document GET only (3.2.s3.b7).
    params = {**ctx(), "stateId": "s", "since": "2024-01-01T00:00:00Z"}
    body = b'{"a": 1}' if method != "DELETE" else None
    resp = lrs.doc(method, R, params, body, "application/json" if body else None)
    assert resp.status_code == 400 and "since" in resp.get_json()["message"]


def test_get_single_document_with_since(lrs):
    # Communication 2.3.s3 / 2.3.s4: "since" limits the list of ids; a GET with a stateId returns that
    # document (200) whatever the "since", which must still be a Timestamp (400 otherwise).
    params = {**ctx(), "stateId": "s"}
    put(lrs, params, {"a": 1})
    resp = get(lrs, {**params, "since": "2999-01-01T00:00:00Z"})
    assert resp.status_code == 200 and json.loads(resp.get_data()) == {"a": 1}
    resp = get(lrs, {**params, "since": "not a timestamp"})
    assert resp.status_code == 400 and "since" in resp.get_json()["message"]


def test_put_without_state_id_rejected(lrs):
    # Communication 2.3.s3 table: stateId is Required for PUT / POST of a single document.
    assert put(lrs, ctx(), {"a": 1}).status_code == 400
    assert post(lrs, ctx(), {"a": 1}).status_code == 400


def test_put_if_none_match_star_on_existing_412(lrs):
    # Communication 3.1.s4.b6 / b9 / b10: a PUT MUST handle If-None-Match: * (here on the State Resource).
    params = {**ctx(), "stateId": "bookmark"}
    assert put(lrs, params, {"page": 1}, headers={"If-None-Match": "*"}).status_code == 204
    assert put(lrs, params, {"page": 2}, headers={"If-None-Match": "*"}).status_code == 412
    assert json.loads(get(lrs, params).get_data()) == {"page": 1}


@pytest.mark.xapi_should
def test_last_modified_on_documents(lrs):
    # Communication 2.2.s6.b1 / b2: SHOULD* include Last-Modified for single and multiple documents.
    base = ctx()
    put(lrs, {**base, "stateId": "a"}, {"a": 1})
    assert get(lrs, {**base, "stateId": "a"}).headers.get("Last-Modified")
    assert get(lrs, base).headers.get("Last-Modified")


def test_post_without_content_rejected(lrs):
    # Communication 2.2.s7 / 3.2.s2.b1: a POST stores or merges the document it carries; one without any
    # content is a missing argument (400) and stores nothing.
    params = {**ctx(), "stateId": "bookmark"}
    assert lrs.doc("POST", R, params).status_code == 400
    assert get(lrs, params).status_code == 404


def test_delete_with_content_rejected_and_nothing_deleted(lrs):
    # Communication 2.3.s3: DELETE takes its parameters in the query string and no content; 3.2.s3.b6: a
    # request whose structure does not match the one the specification gives it -> 400, nothing deleted.
    params = {**ctx(), "stateId": "bookmark"}
    assert put(lrs, params, {"page": 3}).status_code == 204
    assert lrs.doc("DELETE", R, params, b'{"page": 3}', "application/json").status_code == 400
    assert get(lrs, params).status_code == 200
