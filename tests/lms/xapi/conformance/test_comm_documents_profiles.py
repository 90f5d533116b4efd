"""xAPI Communication 2.6 Agent Profile and 2.7 Activity Profile Resources, with 3.1 Concurrency
(ETag, If-Match, If-None-Match, 409, 412) and 2.2 JSON merge on POST."""

from __future__ import annotations

import hashlib
import json
import time

import pytest
from xapi_helpers import activity_id, agent_mbox, now_iso

STALE = '"' + "0" * 40 + '"'


class Api:
    def __init__(self, lrs, kind):
        self.lrs = lrs
        self.resource = "activities/profile" if kind == "activity" else "agents/profile"
        self.context = {"activityId": activity_id()} if kind == "activity" else {"agent": agent_mbox("Ada")}

    def params(self, profile_id=None, **extra):
        p = dict(self.context, **extra)
        if profile_id is not None:
            p["profileId"] = profile_id
        return p

    def put(self, pid, body, ctype="application/json", headers=None):
        data = json.dumps(body) if isinstance(body, (dict, list)) else body
        return self.lrs.doc("PUT", self.resource, self.params(pid), data, ctype, headers=headers)

    def post(self, pid, body, ctype="application/json", headers=None):
        data = json.dumps(body) if isinstance(body, (dict, list)) else body
        return self.lrs.doc("POST", self.resource, self.params(pid), data, ctype, headers=headers)

    def get(self, pid=None, **extra):
        return self.lrs.doc("GET", self.resource, self.params(pid, **extra))

    def delete(self, pid, headers=None):
        return self.lrs.doc("DELETE", self.resource, self.params(pid), headers=headers)

    def create(self, pid, body):
        resp = self.put(pid, body, headers={"If-None-Match": "*"})
        assert resp.status_code == 204, resp.get_data(as_text=True)
        return self.get(pid).headers["ETag"]


@pytest.fixture(params=["activity", "agent"])
def api(request, lrs):
    return Api(lrs, request.param)


def test_create_with_if_none_match_then_get(api):
    # Communication 2.6.s3 / 2.7.s3: PUT stores (204 No Content), GET returns the document (200 OK);
    # 3.1.s4.b1 / b2 / b4: GET MUST carry an ETag, the quoted hex SHA-1 of the contents.
    body = json.dumps({"syllabus": ["Art. 3", "Art. 14"]}).encode()
    resp = api.put("syllabus", body, headers={"If-None-Match": "*"})
    assert resp.status_code == 204 and resp.get_data() == b""
    got = api.get("syllabus")
    assert got.status_code == 200 and got.get_data() == body and got.mimetype == "application/json"
    assert got.headers["ETag"].lower() == f'"{hashlib.sha1(body).hexdigest()}"'  # noqa: S324


def test_if_none_match_star_on_existing_412(api):
    # Communication 3.1.s4.b6 / b9 / b10: If-None-Match: * with an existing resource -> 412, unchanged.
    api.create("p", {"v": 1})
    assert api.put("p", {"v": 2}, headers={"If-None-Match": "*"}).status_code == 412
    assert json.loads(api.get("p").get_data()) == {"v": 1}


def test_put_without_precondition_on_existing_409_with_explanation(api):
    # Communication 3.1.s4.b13 / b14 / b15: a PUT without If-Match / If-None-Match for an existing resource
    # MUST get 409 Conflict, a response explaining to check the state and use If-Match, and no change.
    api.create("p", {"v": 1})
    resp = api.put("p", {"v": 2})
    assert resp.status_code == 409
    assert resp.get_data(as_text=True).strip()
    assert json.loads(api.get("p").get_data()) == {"v": 1}


@pytest.mark.parametrize(
    "body,ctype", [(b'{"v": 1}', "application/json"), (b"/ asdf / undefined", "application/octet-stream")]
)
def test_put_without_precondition_on_new_document_refused(api, body, ctype):
    # Communication 3.1.s3.b1: a PUT of a profile document MUST carry If-Match or If-None-Match; the ADL
    # conformance suite (XAPI-00273, XAPI-00293) expects the LRS to refuse one without either (400) even
    # when the document does not exist yet, and nothing is stored. 3.1.s4.b13: when it exists, 409.
    resp = api.put("p", body, ctype)
    assert resp.status_code == 400 and "If-None-Match" in resp.get_data(as_text=True)
    assert api.get("p").status_code == 404
    resp = api.put("p", body, ctype, headers={"If-None-Match": "*"})
    assert resp.status_code == 204, resp.get_data(as_text=True)
    got = api.get("p")
    assert got.status_code == 200 and got.get_data() == body and got.mimetype == ctype
    assert api.put("p", body, ctype).status_code == 409  # now it exists (3.1.s4.b13)


def test_post_without_content_rejected(api):
    # Communication 2.2.s7 / 3.2.s2.b1: a POST stores or merges the document it carries; one without any
    # content is a missing argument (400) and stores nothing.
    resp = api.lrs.doc("POST", api.resource, api.params("p"))
    assert resp.status_code == 400
    assert api.get("p").status_code == 404


def test_delete_with_content_rejected_and_nothing_deleted(api):
    # Communication 2.6.s3 / 2.7.s3: DELETE takes its parameters in the query string and no content;
    # 3.2.s3.b6: a request whose structure does not match the one the specification gives it -> 400.
    api.create("p", {"v": 1})
    resp = api.lrs.doc("DELETE", api.resource, api.params("p"), b'{"v": 1}', "application/json")
    assert resp.status_code == 400
    assert json.loads(api.get("p").get_data()) == {"v": 1}
    assert api.delete("p").status_code == 204


def test_if_match_current_etag_updates(api):
    # Communication 3.1.s4.b5: If-Match with the current ETag (as given by the LRS: 3.1.s3.b4) succeeds.
    etag = api.create("p", {"v": 1})
    assert api.put("p", {"v": 2}, headers={"If-Match": etag}).status_code == 204
    got = api.get("p")
    assert json.loads(got.get_data()) == {"v": 2}
    assert got.headers["ETag"] != etag


def test_if_match_stale_etag_412(api):
    # Communication 3.1.s4.b5 / b9 / b10: If-Match with another ETag -> 412 and no modification.
    etag = api.create("p", {"v": 1})
    api.put("p", {"v": 2}, headers={"If-Match": etag})
    assert api.put("p", {"v": 3}, headers={"If-Match": etag}).status_code == 412
    assert json.loads(api.get("p").get_data()) == {"v": 2}


def test_if_match_on_missing_document_412(api):
    # Communication 3.1.s4.b5 (RFC 2616 14.24: If-Match with no current entity -> 412).
    assert api.put("missing", {"v": 1}, headers={"If-Match": STALE}).status_code == 412
    assert api.get("missing").status_code == 404


@pytest.mark.xapi_should
def test_post_and_delete_honour_if_match(api):
    # Communication 3.1.s4.b7 / b11 / b12: POST and DELETE SHOULD* handle If-Match (412, no change).
    etag = api.create("p", {"v": 1})
    assert api.post("p", {"w": 2}, headers={"If-Match": STALE}).status_code == 412
    assert api.delete("p", headers={"If-Match": STALE}).status_code == 412
    assert json.loads(api.get("p").get_data()) == {"v": 1}
    assert api.delete("p", headers={"If-Match": etag}).status_code == 204


@pytest.mark.xapi_should
def test_post_honours_if_none_match(api):
    # Communication 3.1.s4.b8: POST SHOULD* handle If-None-Match: *.
    api.create("p", {"v": 1})
    assert api.post("p", {"w": 2}, headers={"If-None-Match": "*"}).status_code == 412
    assert json.loads(api.get("p").get_data()) == {"v": 1}


def test_post_merges_json(api):
    # Communication 2.2.s7 / 2.2.s8.b2: JSON merge of top-level properties; 204 No Content.
    api.create("p", {"x": "foo", "y": "bar"})
    assert api.post("p", {"x": "bash", "z": "faz"}).status_code == 204
    assert json.loads(api.get("p").get_data()) == {"x": "bash", "y": "bar", "z": "faz"}


def test_post_merge_with_non_json_refused(api):
    # Communication 2.2.s8.b1: 400 and no update when a document is not a JSON Object.
    api.create("p", {"x": "foo"})
    assert api.post("p", b"plain", "text/plain").status_code == 400
    assert json.loads(api.get("p").get_data()) == {"x": "foo"}


@pytest.mark.parametrize("body", [b"1", b"true"])
def test_post_for_a_missing_document_stores_it_whatever_its_type(api, body):
    # Communication 2.2.s7 / 2.2.s4.b2: a POST for a document not yet in the LRS is treated as a PUT and
    # stores it, whatever its content type.
    assert api.post("p", body, "application/x-www-form-urlencoded").status_code == 204
    got = api.get("p")
    assert got.get_data() == body and got.mimetype == "application/x-www-form-urlencoded"


def test_delete_document(api):
    # Communication 2.6.s3 / 2.7.s3: DELETE returns 204; the document is gone (404).
    etag = api.create("p", {"v": 1})
    assert api.delete("p", headers={"If-Match": etag}).status_code == 204
    assert api.get("p").status_code == 404


def test_multiple_get_ids_and_since(api):
    # Communication 2.6.s4 / 2.7.s4: without profileId GET returns the profile ids; "since" keeps those
    # stored or updated after the Timestamp (exclusive).
    api.create("one", {"a": 1})
    api.create("two", {"a": 2})
    resp = api.get()
    assert resp.status_code == 200 and sorted(resp.get_json()) == ["one", "two"]
    time.sleep(0.05)
    mark = now_iso()
    time.sleep(0.05)
    api.create("three", {"a": 3})
    etag = api.get("one").headers["ETag"]
    api.put("one", {"a": 10}, headers={"If-Match": etag})
    assert sorted(api.get(since=mark).get_json()) == ["one", "three"]


def test_binary_profile_document(api):
    # Communication 1.5.b1: documents can have any content type.
    data = b"%PDF-1.4\n\x00\xff binary"
    assert api.put("pdf", data, "application/pdf", headers={"If-None-Match": "*"}).status_code == 204
    got = api.get("pdf")
    assert got.get_data() == data and got.mimetype == "application/pdf"


@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
def test_missing_context_parameter_rejected(api, method):
    # Communication 2.6.s3 / 2.7.s3 tables: agent / activityId Required (3.2.s2.b1: 400).
    body = b'{"a": 1}' if method in ("PUT", "POST") else None
    resp = api.lrs.doc(
        method,
        api.resource,
        {"profileId": "p"},
        body,
        "application/json" if body else None,
        headers={"If-None-Match": "*"} if method == "PUT" else None,
    )
    assert resp.status_code == 400


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_missing_profile_id_on_write_rejected(api, method):
    # Communication 2.6.s3 / 2.7.s3 tables: profileId Required for a single document.
    resp = api.lrs.doc(
        method, api.resource, api.params(), b'{"a": 1}', "application/json", headers={"If-None-Match": "*"}
    )
    assert resp.status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"activityId": "not an iri", "profileId": "p"},
        {"activityId": activity_id(), "profileId": "p", "agent": agent_mbox()},  # not a parameter here
        {"activityId": activity_id(), "profileID": "p"},  # wrong case
        {"activityId": activity_id(), "since": "last week"},
    ],
    ids=["activityId not an IRI", "unknown parameter", "wrong case", "bad since"],
)
def test_activity_profile_bad_parameters(lrs, params):
    # Data 2.2.s4.b4 (parameter values validated); Communication 3.2.s3.b7 / b8 (unknown or wrong-case
    # parameters rejected with 400).
    assert lrs.doc("GET", "activities/profile", params).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"agent": "ada@example.org", "profileId": "p"},
        {"agent": {"name": "No IFI"}, "profileId": "p"},
        {
            "agent": {
                "mbox": "mailto:a@example.org",
                "account": {"homePage": "http://h.example.org", "name": "a"},
            },
            "profileId": "p",
        },
        {"agent": agent_mbox(), "profileId": "p", "activityId": activity_id()},
        {"Agent": agent_mbox(), "profileId": "p"},
    ],
    ids=["agent not JSON", "agent without IFI", "agent with two IFIs", "unknown parameter", "wrong case"],
)
def test_agent_profile_bad_parameters(lrs, params):
    # Same requirements for the Agent Profile Resource.
    assert lrs.doc("GET", "agents/profile", params).status_code == 400


def test_post_with_current_if_match_merges(api):
    # Communication 3.1.s4.b7: If-Match with the current ETag lets the POST through (merge, 204).
    etag = api.create("p", {"x": 1})
    assert api.post("p", {"y": 2}, headers={"If-Match": etag}).status_code == 204
    assert json.loads(api.get("p").get_data()) == {"x": 1, "y": 2}


@pytest.mark.xapi_should
def test_last_modified_on_profile_documents(api):
    # Communication 2.2.s6.b1 / b2: SHOULD* include Last-Modified for single and multiple documents.
    api.create("p", {"x": 1})
    assert api.get("p").headers.get("Last-Modified")
    assert api.get().headers.get("Last-Modified")


@pytest.mark.xapi_should
def test_if_match_star(api):
    # Communication 3.1.s4.b5 refers to RFC 2616 14.24: "If-Match: *" matches any current entity and fails
    # (412) when there is none.
    assert api.put("p", {"v": 1}, headers={"If-Match": "*"}).status_code == 412
    api.create("p", {"v": 1})
    assert api.put("p", {"v": 2}, headers={"If-Match": "*"}).status_code == 204
    assert json.loads(api.get("p").get_data()) == {"v": 2}
