"""Builders and helpers for the xAPI 1.0.3 conformance suite (plain functions, usable at collection time).

Everything here is written from the specification text (adlnet/xAPI-Spec, xAPI-Data.md and
xAPI-Communication.md), never from the LRS implementation.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import uuid
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import HTTP

VERSION = "1.0.3"
BASE = "/xapi"
DELETE = object()  # sentinel for mutate(): remove the key

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"


def basic(key: str, secret: str) -> str:
    """An HTTP Basic Authorization header value."""
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def uid() -> str:
    return str(uuid.uuid4())


def unique_email() -> str:
    return f"mailto:conformance-{uuid.uuid4().hex[:12]}@example.org"


# --- Actors --------------------------------------------------------------------------------------


def agent_mbox(name: str | None = "Ada Focal", mbox: str | None = None) -> dict:
    agent = {"objectType": "Agent", "mbox": mbox or unique_email()}
    if name:
        agent["name"] = name
    return agent


def agent_account(name: str | None = "Opaque Learner", account_name: str | None = None) -> dict:
    agent = {
        "objectType": "Agent",
        "account": {"homePage": "http://lms.example.org", "name": account_name or uuid.uuid4().hex},
    }
    if name:
        agent["name"] = name
    return agent


def agent_openid() -> dict:
    return {"objectType": "Agent", "openid": f"http://openid.example.org/{uuid.uuid4().hex}"}


def agent_sha1() -> dict:
    mbox = unique_email()
    return {"objectType": "Agent", "mbox_sha1sum": hashlib.sha1(mbox.encode()).hexdigest()}  # noqa: S324


def group_anonymous(*members: dict, name: str | None = "Ad hoc team") -> dict:
    group = {"objectType": "Group", "member": list(members) or [agent_mbox("Member One"), agent_account()]}
    if name:
        group["name"] = name
    return group


def group_identified(*members: dict, name: str | None = "Country team") -> dict:
    group = {"objectType": "Group", "mbox": unique_email()}
    if name:
        group["name"] = name
    if members:
        group["member"] = list(members)
    return group


# --- Verb / Object -------------------------------------------------------------------------------


def verb(verb_id: str = EXPERIENCED, display: dict | None = None) -> dict:
    return {"id": verb_id, "display": display if display is not None else {"en-US": "experienced"}}


def activity_id() -> str:
    return f"http://lms.example.org/xapi/activities/module/{uuid.uuid4().hex}"


def activity(act_id: str | None = None, definition: bool = True) -> dict:
    obj = {"objectType": "Activity", "id": act_id or activity_id()}
    if definition:
        obj["definition"] = {
            "name": {"en-US": "Mercury supply and trade", "fr": "Offre et commerce de mercure"},
            "description": {"en-US": "Article 3 module"},
            "type": "http://adlnet.gov/expapi/activities/module",
        }
    return obj


def choice_activity(act_id: str | None = None) -> dict:
    return {
        "objectType": "Activity",
        "id": act_id or activity_id(),
        "definition": {
            "name": {"en-US": "Which article covers trade?", "fr": "Quel article couvre le commerce ?"},
            "description": {"en-US": "Quiz question"},
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "interactionType": "choice",
            "correctResponsesPattern": ["art3"],
            "choices": [
                {"id": "art3", "description": {"en-US": "Article 3", "fr": "Article 3 (fr)"}},
                {"id": "art14", "description": {"en-US": "Article 14", "fr": "Article 14 (fr)"}},
            ],
        },
    }


def statement_ref(statement_id: str) -> dict:
    return {"objectType": "StatementRef", "id": statement_id}


def substatement(**overrides) -> dict:
    sub = {
        "objectType": "SubStatement",
        "actor": agent_mbox("Sub Actor"),
        "verb": verb("http://example.org/verbs/planned", {"en-US": "will visit"}),
        "object": activity(),
    }
    sub.update(overrides)
    return sub


# --- Result / Context ----------------------------------------------------------------------------


def result() -> dict:
    return {
        "score": {"scaled": 0.75, "raw": 15, "min": 0, "max": 20},
        "success": True,
        "completion": True,
        "response": "art3",
        "duration": "PT4M35.12S",
        "extensions": {"http://lms.example.org/xapi/extensions/attempt": 2},
    }


def context(parent_id: str | None = None) -> dict:
    return {
        "registration": uid(),
        "instructor": agent_mbox("Instructor"),
        "team": group_anonymous(name="Team"),
        "contextActivities": {
            "parent": [{"objectType": "Activity", "id": parent_id or activity_id()}],
            "grouping": [{"id": activity_id()}],
            "category": [{"id": "http://lms.example.org/xapi/profiles/minamata"}],
            "other": [{"id": activity_id()}],
        },
        "revision": "1.2",
        "platform": "Minamata LMS",
        "language": "en-US",
        "statement": statement_ref(uid()),
        "extensions": {"http://lms.example.org/xapi/extensions/country": "FR"},
    }


# --- Statements ----------------------------------------------------------------------------------


def statement(**overrides) -> dict:
    """A minimal valid Statement (actor, verb, object); keyword arguments replace or add properties."""
    stmt = {"actor": agent_mbox(), "verb": verb(), "object": activity()}
    for key, value in overrides.items():
        if value is DELETE:
            stmt.pop(key, None)
        else:
            stmt[key] = value
    return stmt


def full_statement(**overrides) -> dict:
    """A valid Statement using result, context and timestamp too."""
    stmt = statement(id=uid(), result=result(), context=context(), timestamp="2024-03-14T09:26:53.589Z")
    stmt.update(overrides)
    return stmt


def voiding_statement(target_id: str, actor: dict | None = None) -> dict:
    return statement(
        actor=actor or agent_mbox("Secretariat Admin"),
        verb={"id": VOIDED, "display": {"en-US": "voided"}},
        object=statement_ref(target_id),
    )


def mutate(obj: dict, path: str, value) -> dict:
    """Return a deep copy of ``obj`` with ``path`` (dotted, list indexes as numbers) set to ``value``
    (or removed when ``value`` is :data:`DELETE`)."""
    out = copy.deepcopy(obj)
    parts = path.split(".")
    node = out
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        if value is DELETE:
            del node[int(last)]
        else:
            node[int(last)] = value
    elif value is DELETE:
        node.pop(last, None)
    else:
        node[last] = value
    return out


# --- Attachments ---------------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def attachment(
    content: bytes = b"here is a simple attachment",
    content_type: str = "text/plain",
    file_url: str | None = None,
    usage: str = "http://lms.example.org/attachment-usage/essay",
) -> dict:
    att = {
        "usageType": usage,
        "display": {"en-US": "Essay"},
        "description": {"en-US": "An essay about Article 14"},
        "contentType": content_type,
        "length": len(content),
        "sha2": sha256(content),
    }
    if file_url:
        att["fileUrl"] = file_url
    return att


def multipart(
    first: object,
    parts: list[tuple[bytes, str] | dict],
    boundary: str | None = None,
    first_content_type: str = "application/json",
) -> tuple[bytes, str]:
    """Build a multipart/mixed body: the JSON ``first`` part then attachment parts. A part is either
    ``(content, content_type)`` (standard headers are added) or a dict with ``content`` and ``headers``
    (used as given, to build malformed parts). Returns (body, content type header)."""
    boundary = boundary or f"xapi-{uuid.uuid4().hex}"
    crlf = b"\r\n"
    first_bytes = first if isinstance(first, bytes) else json.dumps(first).encode()
    chunks = [b"--" + boundary.encode(), f"Content-Type: {first_content_type}".encode(), b"", first_bytes]
    for part in parts:
        if isinstance(part, dict):
            content, headers = part["content"], part["headers"]
        else:
            content, ctype = part
            headers = {
                "Content-Type": ctype,
                "Content-Transfer-Encoding": "binary",
                "X-Experience-API-Hash": sha256(content),
            }
        chunks.append(b"--" + boundary.encode())
        chunks.extend(f"{k}: {v}".encode() for k, v in headers.items())
        chunks.append(b"")
        chunks.append(content)
    chunks.append(b"--" + boundary.encode() + b"--")
    return crlf.join(chunks) + crlf, f'multipart/mixed; boundary="{boundary}"'


def parse_multipart(content_type: str, body: bytes) -> list[tuple[dict, bytes]]:
    """Split a multipart/mixed response into [(headers, payload bytes)]."""
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + body
    msg = message_from_bytes(raw, policy=HTTP)
    assert msg.is_multipart(), "response is not multipart"
    out = []
    for part in msg.iter_parts():
        headers = {k.lower(): str(v) for k, v in part.items()}
        out.append((headers, part.get_payload(decode=True) or b""))
    return out


# --- JWS (signed statements) ---------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _rsa_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _self_signed_der(key) -> bytes:
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xAPI conformance signer")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def rsa_jws(payload: dict, alg: str = "RS256", x5c: str | None = None) -> bytes:
    """A JWS compact serialisation of ``payload`` signed with a fresh RSA key. ``x5c``: None (no
    certificate), "match" (the signing key's self-signed certificate) or "other" (another key's)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    key = _rsa_key()
    header_obj: dict = {"alg": alg}
    if x5c:
        cert_key = key if x5c == "match" else _rsa_key()
        header_obj["x5c"] = [base64.b64encode(_self_signed_der(cert_key)).decode()]
    header = b64url(json.dumps(header_obj).encode())
    body = b64url(json.dumps(payload).encode())
    digest = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}[alg]
    signature = key.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), digest)
    return f"{header}.{body}.{b64url(signature)}".encode()


def hmac_jws(payload: dict) -> bytes:
    import hmac

    header = b64url(json.dumps({"alg": "HS256"}).encode())
    body = b64url(json.dumps(payload).encode())
    sig = hmac.new(b"secret", f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64url(sig)}".encode()


# --- Comparison ----------------------------------------------------------------------------------


def parse_ts(value: str) -> datetime:
    """Parse an ISO 8601 timestamp as returned by the LRS (must carry a zone to compare instants)."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def normalise(stmt: dict) -> dict:
    """Drop what the LRS may assign (id, stored, authority, version, timestamp: Data 2.3.1.b1) and put
    unordered lists (group members: Data 2.3.1.b5) in a stable order."""
    out = copy.deepcopy(stmt)
    for key in ("id", "stored", "authority", "version", "timestamp"):
        out.pop(key, None)

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
            if node.get("objectType") == "Group" and isinstance(node.get("member"), list):
                node["member"].sort(key=lambda m: json.dumps(m, sort_keys=True))
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(out)
    return out


def assert_same_statement(sent: dict, got: dict) -> None:
    assert normalise(got) == normalise(sent)
    if "timestamp" in sent:
        assert same_instant(got["timestamp"], sent["timestamp"])


def same_instant(a: str, b: str) -> bool:
    """Equal points in time, allowing truncation or rounding to milliseconds (Data 4.5.s1.b7)."""
    return abs((parse_ts(a) - parse_ts(b)).total_seconds()) < 0.001


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
