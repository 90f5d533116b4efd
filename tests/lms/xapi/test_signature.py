"""Signed statements (Data 2.6): a JWS attachment, RS256/384/512, payload equal to the statement,
signature checked against the x5c certificate."""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import (  # noqa: E402
    SIGNATURE,
    b64url,
    certificate,
    error_message,
    jws,
    new_id,
    statement_count,
    stmt,
)

from lms.xapi.errors import XAPIError  # noqa: E402
from lms.xapi.signature import verify_jws  # noqa: E402


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def signed_request(lrs, statement: dict, token: str, *, content_type="application/octet-stream"):
    data = token.encode()
    att = {
        "usageType": SIGNATURE,
        "display": {"en-US": "Signature"},
        "contentType": content_type,
        "length": len(data),
        "sha2": hashlib.sha256(data).hexdigest(),
    }
    sent = {**statement, "attachments": [*statement.get("attachments", []), att]}
    boundary = "sig-boundary"
    body = (
        (
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json.dumps(sent)}\r\n"
            f"--{boundary}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {att['sha2']}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--".encode()
    )
    return lrs.post(body, content_type=f"multipart/mixed; boundary={boundary}")


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_signed_statement_is_accepted(lrs, key, alg):
    s = stmt(id=new_id(), timestamp="2024-04-01T12:00:00Z")
    resp = signed_request(lrs, s, jws(s, key, alg=alg))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    stored = lrs.get({"statementId": s["id"]}).get_json()
    assert stored["attachments"][0]["usageType"] == SIGNATURE


def test_signature_without_certificate_is_checked_for_payload_only(lrs, key):
    s = stmt(id=new_id())
    assert signed_request(lrs, s, jws(s, key, x5c=False)).status_code == 200


def test_payload_may_use_another_serialisation_of_the_same_statement(lrs, key):
    s = stmt(id=new_id(), timestamp="2024-04-01T12:00:00Z")
    signed = {**s, "timestamp": "2024-04-01T14:00:00+02:00", "verb": {"id": s["verb"]["id"]}}
    assert signed_request(lrs, s, jws(signed, key)).status_code == 200


@pytest.mark.parametrize(
    "case",
    [
        "other statement",
        "bad signature",
        "hs256",
        "ec key",
        "not jws",
        "json jws",
        "wrong content type",
        "bad certificate",
        "payload not json",
    ],
)
def test_malformed_signatures_are_refused(lrs, key, case):
    s = stmt(id=new_id())
    kwargs = {}
    if case == "other statement":
        token = jws(stmt(id=s["id"], result={"success": True}), key)
    elif case == "bad signature":
        token = jws(s, key)
        token = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    elif case == "hs256":
        token = jws(s, key, alg="HS256")
    elif case == "ec key":  # an x5c certificate whose key is not RSA
        token = jws(
            s,
            key,
            header_extra={
                "x5c": [base64.b64encode(certificate(ec.generate_private_key(ec.SECP256R1()))).decode()]
            },
            x5c=False,
        )
    elif case == "not jws":
        token = "this is not a signature"
    elif case == "json jws":
        token = json.dumps({"payload": b64url(json.dumps(s).encode()), "signatures": []})
    elif case == "wrong content type":
        token = jws(s, key)
        kwargs["content_type"] = "application/jose"
    elif case == "bad certificate":
        token = jws(s, key, x5c=False, header_extra={"x5c": ["bm90IGEgY2VydA=="]})
    else:
        header = b64url(json.dumps({"alg": "RS256"}).encode())
        token = header + "." + b64url(b"not json") + "." + b64url(b"sig")
    resp = signed_request(lrs, s, token, **kwargs)
    assert resp.status_code == 400, case
    assert error_message(resp), case
    assert statement_count() == 0


def test_signature_sent_by_file_url_only_is_refused(lrs):
    att = {
        "usageType": SIGNATURE,
        "display": {"en-US": "Signature"},
        "contentType": "application/octet-stream",
        "length": 10,
        "sha2": hashlib.sha256(b"x").hexdigest(),
        "fileUrl": "https://example.org/sig",
    }
    resp = lrs.post(stmt(attachments=[att]))
    assert resp.status_code == 400 and "multipart" in error_message(resp)


def test_verify_jws_reports_the_path(key):
    s = stmt()
    with pytest.raises(XAPIError) as info:
        verify_jws(jws(stmt(verb={"id": "http://example.org/other"}), key), s, "statements[3].attachments[0]")
    assert info.value.message.startswith("statements[3].attachments[0]")
