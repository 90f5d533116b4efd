"""Signed statements (xAPI 1.0.3, Data 2.6).

A signed statement carries a JSON Web Signature as an attachment with usageType
``http://adlnet.gov/expapi/attachments/signature`` and contentType ``application/octet-stream``. The LRS
decodes the JWS (compact serialization), checks the algorithm is RS256, RS384 or RS512, checks the
signed payload is the statement as it was before the signature was added (statement comparison rules),
and, when the JWS header carries an X.509 chain (``x5c``), verifies the signature with the first
certificate's public key. Any failure is a 400: "malformed signature".
"""

from __future__ import annotations

import base64
import json

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from lms.xapi.compare import statements_match, without_signatures
from lms.xapi.errors import XAPIError
from lms.xapi.validation import SIGNATURE_USAGE

ALGORITHMS = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}


def _b64url(text: str, what: str, path: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise XAPIError(400, f"{path}: the JWS {what} is not base64url") from None


def _json(raw: bytes, what: str, path: str):
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise XAPIError(400, f"{path}: the JWS {what} is not JSON") from None


def verify_jws(token: str, statement: dict, path: str) -> None:
    """Check one compact JWS against ``statement``; XAPIError(400) when it is malformed or does not
    match."""
    pieces = token.strip().split(".")
    if len(pieces) != 3 or not all(pieces):
        raise XAPIError(
            400, f"{path}: the signature must be a JWS in compact serialization (header.payload.signature)"
        )
    header = _json(_b64url(pieces[0], "header", path), "header", path)
    if not isinstance(header, dict):
        raise XAPIError(400, f"{path}: the JWS header must be a JSON object")
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise XAPIError(400, f"{path}: the JWS algorithm must be RS256, RS384 or RS512 (got {alg!r})")
    signed = _json(_b64url(pieces[1], "payload", path), "payload", path)
    if not isinstance(signed, dict):
        raise XAPIError(400, f"{path}: the JWS payload must be the signed statement (a JSON object)")
    if not statements_match(without_signatures(statement), without_signatures(signed)):
        raise XAPIError(400, f"{path}: the signed statement in the JWS payload differs from the statement")
    chain = header.get("x5c")
    if chain is None:
        return
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise XAPIError(400, f"{path}: the JWS x5c header must be an array of base64 certificates")
    try:
        cert = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
    except ValueError:
        raise XAPIError(400, f"{path}: the first x5c certificate cannot be read") from None
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise XAPIError(400, f"{path}: the x5c certificate does not hold an RSA key")
    signature = _b64url(pieces[2], "signature", path)
    try:
        key.verify(
            signature, f"{pieces[0]}.{pieces[1]}".encode("ascii"), padding.PKCS1v15(), ALGORITHMS[alg]()
        )
    except (InvalidSignature, UnicodeEncodeError):
        raise XAPIError(400, f"{path}: the JWS signature does not verify with the x5c certificate") from None


def verify_signatures(statement: dict, payloads: dict[str, tuple[str, bytes]], path: str) -> None:
    """Verify every signature attachment of ``statement`` (payloads by lowercase sha2)."""
    for j, att in enumerate(statement.get("attachments") or ()):
        if att.get("usageType") != SIGNATURE_USAGE:
            continue
        apath = f"{path}.attachments[{j}]"
        if att["contentType"].split(";")[0].strip().lower() != "application/octet-stream":
            raise XAPIError(
                400, f"{apath}.contentType: a signature attachment must be application/octet-stream"
            )
        payload = payloads.get(att["sha2"].lower())
        if payload is None:
            raise XAPIError(400, f"{apath}: the signature (JWS) must be sent as a multipart part")
        try:
            token = payload[1].decode("ascii")
        except UnicodeDecodeError:
            raise XAPIError(400, f"{apath}: the signature must be a JWS in compact serialization") from None
        verify_jws(token, statement, apath)
