"""Certificates: issued on completion with a verification code; a QR code to the public verification
page; an Open Badges 3.0 credential (JSON-LD) signed with an Ed25519 Data Integrity proof
(``eddsa-jcs-2022``) whose key is published in the issuer profile."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
from pathlib import Path

import segno
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses.models import Certificate
from courses.services.snapshot import CourseView
from lms.db import db
from lms.registry import get_resource
from lms.signals import certificate_issued

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ISSUER_NAME = "Secretariat of the Minamata Convention on Mercury"
_ISSUER_NAME = _l("Secretariat of the Minamata Convention on Mercury")
_CRITERIA = _l("Completed every required lesson and passed every required quiz of the self-paced module.")


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def issue_certificate(user, enrolment, view: CourseView) -> Certificate:
    """Issue (once) the certificate of a completed enrolment; emits ``certificate_issued``."""
    existing = db.session.scalar(select(Certificate).filter_by(enrolment_id=enrolment.id))
    if existing is not None:
        return existing
    code = new_code()
    while db.session.scalar(select(Certificate.id).filter_by(code=code)) is not None:
        code = new_code()
    cert = Certificate(
        code=code,
        enrolment_id=enrolment.id,
        course_id=enrolment.course_id,
        user_id=user.id,
        learner_name=user.name,
        course_title=view.title,
        course_titles=view.titles(),
        language=view.language,
        version_number=view.version or 0,
    )
    db.session.add(cert)
    db.session.flush()
    resource = get_resource("course", view.uuid)
    certificate_issued.send("courses", user=user, resource=resource, verification_code=code)
    return cert


def find_by_code(code: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).filter_by(code=normalise_code(code)))


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def verification_url(cert: Certificate) -> str:
    return f"{base_url()}/courses/verify/{cert.code}"


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data: URI (allowed by the Content-Security-Policy for images)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def title_in(cert: Certificate, language: str) -> tuple[str, str]:
    """``(title, its language)``: the module's title in ``language`` when the module had one at issue,
    else the title as it was earned. The language comes back so that pages can mark a title read in
    another language (and, for Arabic, another direction)."""
    titles = cert.course_titles or {}
    if titles.get(language):
        return titles[language], language
    # The earned title is in the certificate's language, unless that module was then shown in its
    # source language (no translation yet): find which language's title it is.
    if titles.get(cert.language) == cert.course_title:
        return cert.course_title, cert.language
    shown = next((code for code, title in titles.items() if title == cert.course_title), cert.language)
    return cert.course_title, shown


# Open Badges 3.0 -----------------------------------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


def b58decode(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number * 58 + _B58.index(ch)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + raw


def _signing_key():
    """The issuer's Ed25519 key, generated once into the instance folder (or ``COURSES_BADGE_KEY_FILE``)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = Path(
        current_app.config.get("COURSES_BADGE_KEY_FILE")
        or Path(current_app.instance_path) / "courses_badge_key.pem"
    )
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Written whole to a private temporary file, then linked into place: another worker never reads
        # a half-written key, the key is never readable by others, and when two workers race the first
        # link wins and both use its key.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".badge-key-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_multibase() -> str:
    from cryptography.hazmat.primitives import serialization

    raw = _signing_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58btc(b"\xed\x01" + raw)


def issuer_id() -> str:
    return f"{base_url()}/courses/badges/issuer.json"


def issuer_profile() -> dict:
    """The issuer profile with its verification method (Multikey), referenced by every proof."""
    ident = issuer_id()
    return {
        "@context": OB_CONTEXT + ["https://w3id.org/security/multikey/v1"],
        "id": ident,
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": base_url() + "/",
        "verificationMethod": [
            {
                "id": f"{ident}#key-1",
                "type": "Multikey",
                "controller": ident,
                "publicKeyMultibase": public_key_multibase(),
            }
        ],
        "assertionMethod": [f"{ident}#key-1"],
    }


def jcs(value) -> bytes:
    """JSON Canonicalization Scheme (RFC 8785) for the strings, lists, dicts and booleans used here."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _hash_data(document: dict, proof_options: dict) -> bytes:
    config = dict(proof_options, **{"@context": document["@context"]})
    return hashlib.sha256(jcs(config)).digest() + hashlib.sha256(jcs(document)).digest()


def badge_credential(cert: Certificate, summary: str = "") -> dict:
    """The certificate as a signed OpenBadgeCredential. The learner is identified by a salted hash of
    their pseudonymous account id (never the e-mail) plus their name as printed on the certificate."""
    base = base_url()
    salt = hashlib.sha256(f"{cert.uuid}:{current_app.config['SECRET_KEY']}".encode()).hexdigest()[:16]
    identity = "sha256$" + hashlib.sha256((cert.user.uuid + salt).encode()).hexdigest()
    issued = cert.issued_dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    course = cert.course
    with force_locale(cert.language or "en"):  # the words of the credential in the certificate's language
        issuer_name, criteria, evidence = str(_ISSUER_NAME), str(_CRITERIA), _("Verification page")
    document = {
        "@context": OB_CONTEXT,
        "id": f"{base}/courses/certificates/{cert.uuid}/badge.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": issuer_name, "url": base + "/"},
        "validFrom": issued,
        "name": cert.course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": cert.learner_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity,
                    "identityType": "identifier",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": f"{base}/courses/{course.slug}#achievement",
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": cert.course_title,
                "description": summary or cert.course_title,
                "criteria": {"narrative": criteria},
                "inLanguage": cert.language or "en",
            },
        },
        "evidence": [{"id": f"{base}/courses/verify/{cert.code}", "type": ["Evidence"], "name": evidence}],
    }
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": issued,
        "verificationMethod": f"{issuer_id()}#key-1",
        "proofPurpose": "assertionMethod",
    }
    signature = _signing_key().sign(_hash_data(document, proof))
    return dict(document, proof=dict(proof, proofValue="z" + base58btc(signature)))


def verify_credential(credential: dict, public_multibase: str) -> bool:
    """Check an ``eddsa-jcs-2022`` proof against a Multikey public key (used by tests and admins)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    proof = dict(credential.get("proof") or {})
    value = proof.pop("proofValue", "")
    document = {k: v for k, v in credential.items() if k != "proof"}
    key_bytes = b58decode(public_multibase[1:])
    if not key_bytes.startswith(b"\xed\x01") or not value.startswith("z"):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key_bytes[2:]).verify(
            b58decode(value[1:]), _hash_data(document, proof)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
