"""Attachments: multipart/mixed requests and responses (Communication 1.5.2, Data 2.4.11)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import error_message, new_id, statement_count, stmt  # noqa: E402

from lms.db import db  # noqa: E402
from lms.xapi.attachments import build_multipart, parse_multipart  # noqa: E402
from lms.xapi.errors import XAPIError  # noqa: E402
from lms.xapi.models import AttachmentContent  # noqa: E402

BOUNDARY = "abcABC0123'()+_,-./:=?"
TEXT = b"here is a simple attachment"
SHA = hashlib.sha256(TEXT).hexdigest()
USAGE = "http://example.com/attachment-usage/test"


def attachment(data: bytes = TEXT, content_type="text/plain", **extra) -> dict:
    return {
        "usageType": USAGE,
        "display": {"en-US": "A test attachment"},
        "contentType": content_type,
        "length": len(data),
        "sha2": hashlib.sha256(data).hexdigest(),
        **extra,
    }


def part(data: bytes, *, content_type="text/plain", sha=None, encoding="binary") -> tuple[dict, bytes]:
    headers = {"Content-Type": content_type, "X-Experience-API-Hash": sha or hashlib.sha256(data).hexdigest()}
    if encoding:
        headers["Content-Transfer-Encoding"] = encoding
    return headers, data


def multipart(statements, *parts, boundary=BOUNDARY) -> tuple[bytes, str]:
    chunks = [
        f"--{boundary}\r\nContent-Type:application/json\r\n\r\n".encode(),
        json.dumps(statements).encode(),
    ]
    for headers, data in parts:
        head = "".join(f"{k}:{v}\r\n" for k, v in headers.items())
        chunks += [f"\r\n--{boundary}\r\n{head}\r\n".encode(), data]
    chunks.append(f"\r\n--{boundary}--".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'


def send(lrs, statements, *parts, method="POST", statement_id=None, **kw):
    body, content_type = multipart(statements, *parts, **kw)
    if method == "PUT":
        return lrs.put(body, statement_id, content_type=content_type)
    return lrs.post(body, content_type=content_type)


def test_the_spec_example_is_stored_and_returned_with_attachments(lrs):
    s = stmt(id=new_id(), attachments=[attachment(content_type="text/plain; charset=ascii")])
    assert SHA == "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"
    resp = send(lrs, s, part(TEXT))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert db.session.get(AttachmentContent, SHA).content == TEXT
    got = lrs.get({"statementId": s["id"], "attachments": "true"})
    assert got.status_code == 200
    assert got.mimetype == "multipart/mixed"
    first, parts = parse_multipart(got.data, got.headers["Content-Type"])
    assert json.loads(first)["id"] == s["id"]
    assert parts == [
        (
            {
                "content-type": "text/plain; charset=ascii",
                "content-transfer-encoding": "binary",
                "x-experience-api-hash": SHA,
            },
            TEXT,
        )
    ]
    plain = lrs.get({"statementId": s["id"]})
    assert plain.mimetype == "application/json"
    assert plain.get_json()["attachments"][0]["sha2"] == SHA


def test_put_with_attachment_and_listing_with_attachments(lrs):
    sid = new_id()
    binary = bytes(range(256)) * 4
    s = stmt(attachments=[attachment(binary, content_type="application/octet-stream")])
    assert (
        send(
            lrs, s, part(binary, content_type="application/octet-stream"), method="PUT", statement_id=sid
        ).status_code
        == 204
    )
    got = lrs.get({"attachments": "true"})
    first, parts = parse_multipart(got.data, got.headers["Content-Type"])
    assert [st["id"] for st in json.loads(first)["statements"]] == [sid]
    assert parts[0][1] == binary


def test_one_part_serves_two_statements_with_the_same_attachment(lrs):
    batch = [stmt(attachments=[attachment()]), stmt(attachments=[attachment()])]
    resp = send(lrs, batch, part(TEXT))
    assert resp.status_code == 200
    assert statement_count() == 2


def test_file_url_only_attachments_are_fine_as_json(lrs):
    s = stmt(attachments=[attachment(fileUrl="https://example.org/certificate.pdf")])
    assert lrs.post(s).status_code == 200


def test_multipart_without_attachments_is_accepted(lrs):
    assert send(lrs, [stmt()]).status_code == 200


@pytest.mark.parametrize(
    "case",
    [
        "missing part",
        "unmatched part",
        "hash mismatch",
        "no hash header",
        "no transfer encoding",
        "base64 encoding",
        "type mismatch",
        "json without part",
    ],
)
def test_bad_attachment_requests_store_nothing(lrs, case):
    good = [stmt(), stmt(attachments=[attachment()])]
    other = b"another file"
    if case == "missing part":
        resp = send(lrs, good)
    elif case == "unmatched part":
        resp = send(lrs, good, part(TEXT), part(other))
    elif case == "hash mismatch":
        resp = send(lrs, good, part(TEXT, sha=SHA.replace("4", "5")))
    elif case == "no hash header":
        resp = send(lrs, good, ({"Content-Type": "text/plain", "Content-Transfer-Encoding": "binary"}, TEXT))
    elif case == "no transfer encoding":
        resp = send(lrs, good, part(TEXT, encoding=None))
    elif case == "base64 encoding":
        resp = send(lrs, good, part(TEXT, encoding="base64"))
    elif case == "type mismatch":
        resp = send(lrs, good, part(TEXT, content_type="image/png"))
    else:
        resp = lrs.post(good)
    assert resp.status_code == 400, case
    assert error_message(resp), case
    assert statement_count() == 0
    assert db.session.query(AttachmentContent).count() == 0


def test_an_attachments_declared_length_is_the_producers_statement_not_checked(lrs):
    # Communication 1.5.2: the part is matched to its attachment by SHA-2; the LRS does not verify the
    # declared length (the ADL conformance suite, XAPI-00127, declares a length the data does not have).
    s = stmt(attachments=[{**attachment(), "length": 99}])
    resp = send(lrs, [s], part(TEXT))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert db.session.query(AttachmentContent).count() == 1


@pytest.mark.parametrize(
    "body,content_type",
    [
        (
            b"--b\r\nContent-Type: application/json\r\n\r\n[]\r\n--b--",
            "multipart/mixed",
        ),  # no boundary parameter
        (b"--b\r\nContent-Type: application/json\r\n\r\n[]", "multipart/mixed; boundary=b"),  # not closed
        (
            b"--b\r\nContent-Type: text/plain\r\n\r\n[]\r\n--b--",
            "multipart/mixed; boundary=b",
        ),  # first part not JSON
        (
            b"--b\r\nContent-Type application/json\r\n\r\n[]\r\n--b--",
            "multipart/mixed; boundary=b",
        ),  # bad header
        (b"nothing", "multipart/mixed; boundary=b"),
    ],
)
def test_malformed_multipart_is_refused(lrs, body, content_type):
    resp = lrs.post(body, content_type=content_type)
    assert resp.status_code == 400
    assert statement_count() == 0


def test_multipart_round_trip():
    body, content_type = build_multipart(b'{"a":1}', {SHA: ("text/plain", TEXT)})
    first, parts = parse_multipart(body, content_type)
    assert first == b'{"a":1}' and parts[0][1] == TEXT
    with pytest.raises(XAPIError):
        parse_multipart(body, "multipart/mixed; boundary=other")
