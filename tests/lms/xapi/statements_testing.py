"""Helpers of the Statement-resource tests (test_statements*, test_validation*, test_auth*,
test_attachments*, test_signature*). Test modules put this folder on ``sys.path`` and import from here;
fixtures imported into a module are available to its tests.

- :class:`Client`: the Flask test client with an LRS client's HTTP Basic credentials and the version header
  (the ``lrs`` and ``make_lrs`` fixtures of ``conftest.py`` build them).
- :func:`stmt`: a small valid statement, with overrides.
- :func:`jws`: a JWS signature of a statement (RS256/384/512, with or without the x5c certificate), for
  signed statements (``SIGNATURE`` is the attachment usage type).
"""

from __future__ import annotations

import base64
import copy
import json
import uuid
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import NameOID

VERSION = "1.0.3"
ACTIVITY = "http://lms.test/xapi/activities/course/c1"
VERB = "http://adlnet.gov/expapi/verbs/completed"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
HASHES = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}


def certificate(private_key) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Minamata test signer")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(private_key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jws(payload: dict, private_key, *, alg="RS256", x5c=True, header_extra=None) -> str:
    header = {"alg": alg, **(header_extra or {})}
    if x5c:
        header["x5c"] = [base64.b64encode(certificate(private_key)).decode()]
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())
    signature = private_key.sign(signing_input.encode(), padding.PKCS1v15(), HASHES.get(alg, hashes.SHA256)())
    return signing_input + "." + b64url(signature)


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def stmt(**overrides) -> dict:
    """A valid statement: mbox actor, ``completed`` verb, an activity; ``overrides`` replace top-level
    properties (``None`` removes one)."""
    base = {
        "actor": {"objectType": "Agent", "name": "Ana", "mbox": "mailto:ana@example.org"},
        "verb": {"id": VERB, "display": {"en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": ACTIVITY,
            "definition": {
                "name": {"en": "Course one"},
                "type": "http://adlnet.gov/expapi/activities/course",
            },
        },
    }
    for key, value in overrides.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = copy.deepcopy(value)
    return base


def agent(email: str) -> dict:
    return {"objectType": "Agent", "mbox": f"mailto:{email}"}


def new_id() -> str:
    return str(uuid.uuid4())


class Client:
    def __init__(self, client, key: str, secret: str):
        self.client = client
        self.key = key
        self.secret = secret

    def headers(self, extra=None, *, auth=True, version=VERSION) -> dict:
        h = {}
        if auth:
            h["Authorization"] = basic(self.key, self.secret)
        if version:
            h["X-Experience-API-Version"] = version
        h.update(extra or {})
        return h

    def post(self, body, *, params=None, headers=None, **kw):
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        kw.setdefault("content_type", "application/json")
        return self.client.post(
            "/xapi/statements",
            data=data,
            query_string=params,
            headers=self.headers(headers, **self._hkw(kw)),
            **kw,
        )

    def put(self, body, statement_id, *, params=None, headers=None, **kw):
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        kw.setdefault("content_type", "application/json")
        q = {"statementId": statement_id} if statement_id is not None else {}
        q.update(params or {})
        return self.client.put(
            "/xapi/statements",
            data=data,
            query_string=q,
            headers=self.headers(headers, **self._hkw(kw)),
            **kw,
        )

    def get(self, params=None, *, headers=None, path="/xapi/statements", **kw):
        q = {k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in (params or {}).items()}
        return self.client.get(path, query_string=q, headers=self.headers(headers, **self._hkw(kw)), **kw)

    def head(self, params=None, *, headers=None, **kw):
        return self.client.head(
            "/xapi/statements", query_string=params, headers=self.headers(headers, **self._hkw(kw)), **kw
        )

    @staticmethod
    def _hkw(kw):
        return {k: kw.pop(k) for k in ("auth", "version") if k in kw}

    def store(self, *statements) -> list[str]:
        resp = self.post(list(statements))
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.get_json()


def make_credentials(scopes=("all",), name="tests", **kwargs):
    from lms.db import db
    from lms.xapi.auth import create_client

    client, key, secret = create_client(name, list(scopes), **kwargs)
    db.session.commit()
    return client, key, secret


def error_message(resp) -> str:
    data = resp.get_json(silent=True) or {}
    return data.get("message", "")


def statement_count() -> int:
    from sqlalchemy import func, select

    from lms.db import db
    from lms.xapi.models import Statement

    return db.session.scalar(select(func.count()).select_from(Statement))


DELETE = object()


def mutate(statement: dict, path: str, value) -> dict:
    """A deep copy of ``statement`` with the dotted ``path`` set to ``value`` (intermediate objects are
    created; numbers index lists; :data:`DELETE` removes the property)."""
    out = copy.deepcopy(statement)
    parts = path.split(".")
    node = out
    for part in parts[:-1]:
        if isinstance(node, list):
            node = node[int(part)]
        else:
            node = node.setdefault(part, {})
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif value is DELETE:
        node.pop(last, None)
    else:
        node[last] = value
    return out


def assert_invalid(statement: dict, fragment: str) -> None:
    """Validation refuses ``statement`` with a 400 whose message contains ``fragment``."""
    import pytest

    from lms.xapi.errors import XAPIError
    from lms.xapi.validation import validate_statement

    with pytest.raises(XAPIError) as info:
        validate_statement(statement)
    assert info.value.status == 400
    assert fragment in info.value.message, info.value.message
