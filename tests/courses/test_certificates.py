"""Certificates: issued on completion, QR code, public verification (name, course, date only), and a
signed Open Badges 3.0 credential."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import build_course


@pytest.fixture
def certificate(trainer, learner):
    """A learner who completed a course (through the services)."""
    from courses.models import Certificate
    from courses.services import learning
    from courses.services.publishing import published_view

    course = build_course(trainer, slug="basics", questions=False, publish=False)
    quiz = next(i for u in course.units for i in u.items if i.kind == "quiz")
    from courses.services import authoring, publishing

    authoring.delete_item(trainer, quiz)
    publishing.publish(trainer, course)
    view = published_view(course, "en")
    enrolment, _ = learning.enrol(learner, course, view)
    for item in view.items:
        learning.mark_done(learner, enrolment, view, item)
    db.session.commit()
    return db.session.scalar(select(Certificate))


def test_completion_issues_one_certificate(certificate, learner):
    assert certificate.user_id == learner.id and certificate.learner_name == "Léa Learner"
    assert certificate.course_title == "The Convention in brief"
    assert len(certificate.code) == 14 and certificate.code[4] == "-"


def test_certificate_page_has_code_qr_and_print_styles(client, certificate, learner, login):
    login(learner)
    resp = client.get(f"/courses/certificates/{certificate.uuid}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Léa Learner" in html and certificate.code in html
    assert 'src="data:image/svg+xml' in html and "QR code" in html
    assert f"/courses/verify/{certificate.code}" in html
    with client.get("/courses/static/courses.css") as static:
        css = static.get_data(as_text=True)
    assert "@media print" in css and "@page" in css


def test_other_learners_cannot_see_a_certificate(client, certificate, make_user, login):
    login(make_user(role="learner"))
    assert client.get(f"/courses/certificates/{certificate.uuid}").status_code == 403
    assert client.get(f"/courses/certificates/{certificate.uuid}/badge.json").status_code == 403


def test_public_verification_shows_name_course_date_only(client, certificate, learner):
    resp = client.get(f"/courses/verify/{certificate.code.lower().replace('-', ' ')}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "This certificate is valid." in html
    assert "Léa Learner" in html and "The Convention in brief" in html
    assert learner.email not in html and learner.uuid not in html and "SN" not in html.split("<main")[1]
    resp = client.get("/courses/verify/AAAA-BBBB-CCCC")
    assert resp.status_code == 404 and "No certificate has this code." in resp.get_data(as_text=True)
    resp = client.get(f"/courses/verify?code={certificate.code}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        f"/courses/verify/{certificate.code}"
    )
    assert client.get("/courses/verify?code=" + "x" * 40).status_code == 200  # too long: form error


def test_open_badge_credential_is_signed_and_verifiable(client, certificate, learner, login):
    from courses.services.certificates import verify_credential

    login(learner)
    resp = client.get(f"/courses/certificates/{certificate.uuid}/badge.json")
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    assert "attachment" in resp.headers["Content-Disposition"]
    cred = json.loads(resp.data)
    assert cred["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" in cred["@context"]
    subject = cred["credentialSubject"]
    assert subject["achievement"]["name"] == "The Convention in brief"
    assert learner.email not in resp.get_data(as_text=True)
    issuer = json.loads(client.get("/courses/badges/issuer.json").data)
    key = issuer["verificationMethod"][0]["publicKeyMultibase"]
    assert cred["proof"]["verificationMethod"] == issuer["verificationMethod"][0]["id"]
    assert verify_credential(cred, key)
    cred["credentialSubject"]["name"] = "Someone Else"
    assert not verify_credential(cred, key)


def test_pdf_certificate(client, certificate, learner, login):
    import zlib  # noqa: F401  (the PDF is not compressed: its text can be checked directly)

    login(learner)
    resp = client.get(f"/courses/certificates/{certificate.uuid}/certificate.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    data = resp.data
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert b"(L\\351a Learner)" in data or b"(L\351a Learner)" in data  # é in WinAnsi, octal-escaped
    assert certificate.code.encode() in data and b" re" in data  # the QR code's squares
    xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[xref : xref + 4] == b"xref"


def test_pdf_falls_back_to_print_for_other_scripts(client, certificate, learner, login):
    certificate.learner_name = "ليا"
    db.session.commit()
    login(learner)
    resp = client.get(f"/courses/certificates/{certificate.uuid}/certificate.pdf")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        f"/courses/certificates/{certificate.uuid}"
    )
