"""xAPI Data 2.4.11 Attachments, Communication 1.5 content types (application/json and multipart/mixed),
Data 2.6 Signed Statements."""

from __future__ import annotations

import json

import pytest
from xapi_helpers import (
    DELETE,
    SIGNATURE_USAGE,
    attachment,
    hmac_jws,
    multipart,
    mutate,
    parse_multipart,
    rsa_jws,
    sha256,
    statement,
    uid,
)

ESSAY = "Article 14 capacity-building: مساعدة تقنية، 技术援助。".encode()


def _post_multipart(lrs, stmts, parts, **kw):
    body, ctype = multipart(stmts, parts, **kw)
    return lrs.request("POST", "statements", data=body, content_type=ctype)


def test_multipart_statement_with_attachment_stored_and_returned(lrs):
    # Communication 1.5.2.s3.b4: MUST accept batches with Attachments in the transmission format;
    # 1.5.2.s3.b1 / 2.1.3.s2.b6: with attachments=true the LRS MUST use the multipart format and include
    # all Attachments (first part the JSON, each other part with X-Experience-API-Hash + binary encoding).
    att = attachment(ESSAY, "text/plain; charset=utf-8")
    stmt = statement(id=uid(), attachments=[att])
    resp = _post_multipart(lrs, stmt, [(ESSAY, "text/plain; charset=utf-8")])
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json() == [stmt["id"]]

    got = lrs.get_statements({"statementId": stmt["id"], "attachments": "true"})
    assert got.status_code == 200
    assert got.mimetype == "multipart/mixed"
    parts = parse_multipart(got.headers["Content-Type"], got.get_data())
    assert len(parts) == 2
    first_headers, first_body = parts[0]
    assert first_headers["content-type"].startswith("application/json")
    assert json.loads(first_body)["attachments"] == [att]
    headers, payload = parts[1]
    assert payload == ESSAY
    assert headers["x-experience-api-hash"] == att["sha2"]
    assert headers["content-transfer-encoding"] == "binary"


def test_statement_results_with_attachments_true_multipart(lrs):
    # Communication 2.1.3.s2.b6 for StatementResult queries too.
    data = b"\x00\x01binary\xff\xfe" * 50
    stmt = statement(id=uid(), attachments=[attachment(data, "application/octet-stream")])
    assert _post_multipart(lrs, [stmt], [(data, "application/octet-stream")]).status_code == 200
    got = lrs.get_statements({"attachments": "true"})
    assert got.status_code == 200 and got.mimetype == "multipart/mixed"
    parts = parse_multipart(got.headers["Content-Type"], got.get_data())
    assert any(payload == data and h["x-experience-api-hash"] == sha256(data) for h, payload in parts[1:])


def test_multipart_response_boundary_is_a_bare_token(lrs):
    # Communication 1.5.2 / RFC 2046: the boundary parameter of the response is sent unquoted, so that
    # "--" + the parameter's text is the delimiter found in the body, even for a client that does not
    # unquote parameters.
    stmt = statement(id=uid(), attachments=[attachment(ESSAY)])
    assert _post_multipart(lrs, [stmt], [(ESSAY, "text/plain")]).status_code == 200
    got = lrs.get_statements({"statementId": stmt["id"], "attachments": "true"})
    content_type = got.headers["Content-Type"]
    boundary = content_type.split("boundary=", 1)[1].split(";")[0]
    assert '"' not in boundary
    body = got.get_data()
    assert body.startswith(f"--{boundary}\r\n".encode()) and body.count(f"--{boundary}".encode()) == 3


def test_attachments_false_reports_json_without_raw_data(lrs):
    # Communication 2.1.3.s2.b7: with attachments=false the LRS MUST NOT include raw data and MUST
    # report application/json (false is the default).
    stmt = statement(id=uid(), attachments=[attachment(ESSAY)])
    assert _post_multipart(lrs, [stmt], [(ESSAY, "text/plain")]).status_code == 200
    for params in ({"statementId": stmt["id"], "attachments": "false"}, {"statementId": stmt["id"]}):
        resp = lrs.get_statements(params)
        assert resp.status_code == 200
        assert resp.mimetype == "application/json"
        assert ESSAY not in resp.get_data()
        assert resp.get_json()["attachments"][0]["sha2"] == sha256(ESSAY)


def test_put_with_multipart(lrs):
    # Communication 1.5.2.s2.b2.b2: attachments are available on PUT as well as POST.
    stmt = statement(id=uid(), attachments=[attachment(ESSAY)])
    body, ctype = multipart(stmt, [(ESSAY, "text/plain")])
    resp = lrs.request("PUT", "statements", params={"statementId": stmt["id"]}, data=body, content_type=ctype)
    assert resp.status_code == 204
    assert lrs.fetch(stmt["id"])["attachments"][0]["sha2"] == sha256(ESSAY)


def test_batch_sharing_one_attachment_part(lrs):
    # Communication 1.5.2.s2.b2.b5: one copy of an Attachment's data when several Statements use it.
    stmts = [statement(id=uid(), attachments=[attachment(ESSAY)]) for _ in range(2)]
    resp = _post_multipart(lrs, stmts, [(ESSAY, "text/plain")])
    assert resp.status_code == 200
    assert resp.get_json() == [s["id"] for s in stmts]


def test_json_with_file_url_attachment_accepted(lrs):
    # Communication 1.5.1.s1.b2: with application/json the LRS MUST accept batches whose Attachment
    # Objects all have a populated fileUrl.
    stmt = statement(
        id=uid(), attachments=[attachment(ESSAY, file_url="https://lms.example.org/files/essay.txt")]
    )
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["attachments"] == stmt["attachments"]


def test_json_attachment_without_file_url_rejected(lrs):
    # Communication 1.5.2.s2.b1: an application/json request MUST include a fileUrl for every Attachment.
    lrs.rejects(statement(id=uid(), attachments=[attachment(ESSAY)]))


def test_multipart_missing_attachment_part_rejected(lrs):
    # Communication 1.5.2.s3.b5: MUST reject batches having Attachments that neither contain a fileUrl
    # nor match a received Attachment part based on their hash. The whole batch (3.2.s3.b9).
    good = statement(id=uid())
    bad = statement(id=uid(), attachments=[attachment(ESSAY)])
    resp = _post_multipart(lrs, [good, bad], [(b"some other data", "text/plain")])
    assert resp.status_code == 400
    for stmt_id in (good["id"], bad["id"]):
        assert lrs.get_statements({"statementId": stmt_id}).status_code == 404


def test_multipart_part_without_hash_header_rejected(lrs):
    # Communication 1.5.2.s2.b2.b3: each part after the first MUST include X-Experience-API-Hash;
    # without it the attachment matches no part (1.5.2.s3.b5).
    stmt = statement(id=uid(), attachments=[attachment(ESSAY)])
    part = {
        "content": ESSAY,
        "headers": {"Content-Type": "text/plain", "Content-Transfer-Encoding": "binary"},
    }
    assert _post_multipart(lrs, stmt, [part]).status_code == 400
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


def test_multipart_first_part_not_json_rejected(lrs):
    # Communication 1.5.2.s2.b2.b1 / b6: the first part MUST contain the Statements, type application/json.
    stmt = statement(id=uid(), attachments=[attachment(ESSAY)])
    resp = _post_multipart(lrs, stmt, [(ESSAY, "text/plain")], first_content_type="text/plain")
    assert resp.status_code == 400
    assert lrs.get_statements({"statementId": stmt["id"]}).status_code == 404


@pytest.mark.xapi_should
def test_multipart_without_attachments_accepted(lrs):
    # Communication 1.5.2.s3.b8: SHOULD* accept multipart batches containing no Attachment Objects.
    stmt = statement(id=uid())
    assert _post_multipart(lrs, [stmt], []).status_code == 200


def att_base():
    return statement(
        id=uid(), attachments=[attachment(ESSAY, file_url="https://lms.example.org/f/essay.txt")]
    )


MALFORMED = [
    # Data 2.4.11 table: usageType, display, contentType, length, sha2 are Required.
    ("without usageType", "attachments.0.usageType", DELETE),
    ("without display", "attachments.0.display", DELETE),
    ("without contentType", "attachments.0.contentType", DELETE),
    ("without length", "attachments.0.length", DELETE),
    ("without sha2", "attachments.0.sha2", DELETE),
    ("usageType not an IRI", "attachments.0.usageType", "essay"),
    ("display a string", "attachments.0.display", "Essay"),
    ("display bad language tag", "attachments.0.display", {"a12345": "Essay"}),
    ("description a string", "attachments.0.description", "An essay"),
    ("contentType a number", "attachments.0.contentType", 1),
    ("length a string", "attachments.0.length", "27"),  # Data 2.2.s4.b1.b2
    ("length not an integer", "attachments.0.length", 27.5),
    ("sha2 a number", "attachments.0.sha2", 12345),
    ("fileUrl without scheme", "attachments.0.fileUrl", "lms.example.org/essay.txt"),
    ("extra property", "attachments.0.content", "aGVsbG8="),
    ("null value", "attachments.0.description", None),
    ("attachments not an array", "attachments", {"usageType": "http://lms.example.org/u"}),
    ("attachments null", "attachments", None),
]


@pytest.mark.parametrize("path,value", [(p, v) for _d, p, v in MALFORMED], ids=[d for d, _p, _v in MALFORMED])
def test_malformed_attachment_rejected(lrs, path, value):
    lrs.rejects(mutate(att_base(), path, value))


# --- Signed statements (Data 2.6) -----------------------------------------------------------------


def _signed(jws: bytes, content_type: str = "application/octet-stream", stmt: dict | None = None):
    stmt = stmt or statement(id=uid())
    att = attachment(jws, content_type, usage=SIGNATURE_USAGE)
    return dict(stmt, attachments=[att]), jws


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_well_formed_signed_statement_accepted(lrs, alg):
    # Data 2.6.s4: JWS as an Attachment (signature usageType, application/octet-stream), payload the
    # Statement before the signature was added, algorithm RS256/RS384/RS512.
    original = statement(id=uid())
    signed, jws = _signed(rsa_jws(original, alg), stmt=original)
    resp = _post_multipart(lrs, signed, [(jws, "application/octet-stream")])
    assert resp.status_code == 200, resp.get_data(as_text=True)


def test_signature_payload_not_matching_statement_rejected(lrs):
    # Data 2.6.s5.b3.b2: the LRS MUST validate that the original Statement is logically equivalent to the
    # received one; 2.6.s5.b1: malformed signatures MUST be rejected with 400.
    original = statement(id=uid())
    tampered = mutate(original, "verb.id", "http://adlnet.gov/expapi/verbs/passed")
    signed, jws = _signed(rsa_jws(original), stmt=tampered)
    assert _post_multipart(lrs, signed, [(jws, "application/octet-stream")]).status_code == 400
    assert lrs.get_statements({"statementId": original["id"]}).status_code == 404


def test_signature_with_disallowed_algorithm_rejected(lrs):
    # Data 2.6.s4.b4: the JWS MUST use RS256, RS384 or RS512 (HS256 is not allowed); 2.6.s5.b1.
    original = statement(id=uid())
    signed, jws = _signed(hmac_jws(original), stmt=original)
    assert _post_multipart(lrs, signed, [(jws, "application/octet-stream")]).status_code == 400


def test_signature_not_a_jws_rejected(lrs):
    # Data 2.6.s5.b3.b1: the LRS MUST decode the JWS; an undecodable signature is malformed (2.6.s5.b1).
    signed, jws = _signed(b"this is not a JWS")
    assert _post_multipart(lrs, signed, [(jws, "application/octet-stream")]).status_code == 400


def test_signature_with_wrong_content_type_rejected(lrs):
    # Data 2.6.s4.b1: the signature attachment MUST have contentType application/octet-stream.
    original = statement(id=uid())
    signed, jws = _signed(rsa_jws(original), content_type="text/plain", stmt=original)
    assert _post_multipart(lrs, signed, [(jws, "text/plain")]).status_code == 400


def test_signature_with_matching_x509_certificate_accepted(lrs):
    # Data 2.6.s4.b5 / b6: signed with the key of an X.509 certificate given in "x5c"; 2.6.s5.b3.b3 the LRS
    # validates the signature against it.
    original = statement(id=uid())
    signed, jws = _signed(rsa_jws(original, x5c="match"), stmt=original)
    assert _post_multipart(lrs, signed, [(jws, "application/octet-stream")]).status_code == 200


def test_signature_not_matching_x509_certificate_rejected(lrs):
    # Data 2.6.s5.b3.b3: if the JWS header includes an X.509 certificate, the LRS MUST validate the
    # signature against it; a failed validation is a malformed signature (2.6.s5.b1: 400).
    original = statement(id=uid())
    signed, jws = _signed(rsa_jws(original, x5c="other"), stmt=original)
    assert _post_multipart(lrs, signed, [(jws, "application/octet-stream")]).status_code == 400
    assert lrs.get_statements({"statementId": original["id"]}).status_code == 404


def test_several_attachments_in_one_statement(lrs):
    # Data 2.4.11: "attachments" is an ordered array; every part is kept and returned.
    one, two = b"first file", b"second file \x00\x01"
    stmt = statement(id=uid(), attachments=[attachment(one), attachment(two, "application/octet-stream")])
    resp = _post_multipart(lrs, stmt, [(one, "text/plain"), (two, "application/octet-stream")])
    assert resp.status_code == 200
    got = lrs.get_statements({"statementId": stmt["id"], "attachments": "true"})
    parts = parse_multipart(got.headers["Content-Type"], got.get_data())
    assert [a["sha2"] for a in json.loads(parts[0][1])["attachments"]] == [sha256(one), sha256(two)]
    assert {payload for _h, payload in parts[1:]} == {one, two}


def test_signature_equivalence_ignores_immutability_exceptions(lrs):
    # Data 2.6.s5.b3.b2 + 2.3.1.s9.b1: "logically equivalent" ignores differences allowed by the
    # immutability exceptions (here the timestamp written in another timezone).
    original = statement(id=uid(), timestamp="2024-03-14T09:26:53.589Z")
    received = dict(original, timestamp="2024-03-14T11:26:53.589+02:00")
    signed, jws = _signed(rsa_jws(original), stmt=received)
    assert _post_multipart(lrs, signed, [(jws, "application/octet-stream")]).status_code == 200


def test_multipart_with_bare_lf_line_ends_accepted(lrs):
    # Communication 1.5.2: a multipart/mixed body saved with Unix line ends (LF instead of the CRLF of
    # RFC 2046) is still read; the attachment data is what lies between the blank line and the next
    # boundary line.
    att = attachment(ESSAY, "text/plain; charset=utf-8")
    stmt = statement(id=uid(), attachments=[att])
    body, ctype = multipart(stmt, [(ESSAY, "text/plain; charset=utf-8")])
    resp = lrs.request("POST", "statements", data=body.replace(b"\r\n", b"\n"), content_type=ctype)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    got = lrs.get_statements({"statementId": stmt["id"], "attachments": "true"})
    assert got.status_code == 200
    parts = parse_multipart(got.headers["Content-Type"], got.get_data())
    assert parts[1][1] == ESSAY
