"""Certificates: issued on completion, QR code, public verification (name, course, date only), and a
signed Open Badges 3.0 credential."""

from __future__ import annotations

import json

import pytest
from flask import g
from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import build_course


def earn_certificate(trainer, learner, source="en"):
    """A learner who completed a course written in ``source``, read in that language (through the
    services)."""
    from courses.models import Certificate
    from courses.services import learning
    from courses.services.publishing import published_view

    course = build_course(trainer, slug="basics", questions=False, publish=False, source=source)
    quiz = next(i for u in course.units for i in u.items if i.kind == "quiz")
    from courses.services import authoring, publishing

    authoring.delete_item(trainer, quiz)
    publishing.publish(trainer, course)
    view = published_view(course, source)
    enrolment, _ = learning.enrol(learner, course, view)
    for item in view.items:
        learning.mark_done(learner, enrolment, view, item)
    db.session.commit()
    return db.session.scalar(select(Certificate))


@pytest.fixture
def certificate(trainer, learner):
    return earn_certificate(trainer, learner)


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


def test_a_title_earned_in_another_language_carries_its_language_and_direction(
    client, trainer, learner, login
):
    # A French-only module read on an Arabic page: the title keeps French's left-to-right direction, so
    # screen readers pronounce it as French and its punctuation stays at the right end.
    cert = earn_certificate(trainer, learner, source="fr")
    assert cert.language == "fr"
    login(learner)
    client.get("/language/ar")
    page = client.get(f"/courses/certificates/{cert.uuid}").get_data(as_text=True)
    assert '<p class="cert-course" lang="fr" dir="ltr">The Convention in brief</p>' in page
    verified = client.get(f"/courses/verify/{cert.code}").get_data(as_text=True)
    assert '<dd lang="fr" dir="ltr">The Convention in brief</dd>' in verified
    # Read in the language it was earned in, the title needs no mark of its own.
    client.get("/language/fr")
    page = client.get(f"/courses/certificates/{cert.uuid}").get_data(as_text=True)
    assert '<p class="cert-course">The Convention in brief</p>' in page


def test_the_title_comes_in_the_readers_language_when_the_module_had_it(certificate):
    from courses.services.certificates import title_in

    certificate.course_titles = {"en": "The Convention in brief", "ar": "الاتفاقية باختصار"}
    assert title_in(certificate, "ar") == ("الاتفاقية باختصار", "ar")
    assert title_in(certificate, "ru") == ("The Convention in brief", "en")
    # Earned on an Arabic page while the module had only its English text: the title is English.
    certificate.language, certificate.course_titles = "ar", {"en": "The Convention in brief"}
    assert title_in(certificate, "ar") == ("The Convention in brief", "en")


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


def _pdf_text_and_fonts(data: bytes) -> tuple[str, dict[str, set[str]]]:
    """The page's text (as pypdf extracts it) and, per embedded font, which font file keys it has."""
    import io

    import pypdf

    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    fonts = {}
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        fonts[str(font["/BaseFont"]).split("+", 1)[-1]] = {
            k for k in ("/FontFile2", "/FontFile3") if k in desc
        }
    return page.extract_text().replace("\x00", ""), fonts


def _pdf_of(client, login, certificate, learner, *, name=None, title=None, lang="en"):
    if name:
        certificate.learner_name = name
    if title:
        certificate.course_title = title
        certificate.course_titles = {lang: title}
    db.session.commit()
    login(learner)
    resp = client.get(f"/courses/certificates/{certificate.uuid}/certificate.pdf?lang={lang}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf", resp.status_code
    assert resp.data.startswith(b"%PDF-") and resp.data.rstrip().endswith(b"%%EOF")
    return _pdf_text_and_fonts(resp.data)


def test_pdf_certificate(client, certificate, learner, login):
    text, fonts = _pdf_of(client, login, certificate, learner)
    assert "Léa Learner" in text and "The Convention in brief" in text
    assert certificate.code in text and f"/courses/verify/{certificate.code}" in text
    # Each of the two is named: the code, then the page it is checked on.
    assert text.index("Verification code:") < text.index(certificate.code)
    assert text.index(certificate.code) < text.index("Verification page:") < text.index("/courses/verify/")
    assert fonts and all(files for files in fonts.values())  # every font is embedded


def test_pdf_certificate_for_an_arabic_name(client, certificate, learner, login):
    text, fonts = _pdf_of(client, login, certificate, learner, name="ليلى أحمد")
    # Shaped and laid out right to left: extraction reads the words in visual order, letters intact.
    assert "ليلى" in text and "أحمد" in text
    assert any("Arabic" in name for name in fonts), fonts
    assert all(files for files in fonts.values())


def _code_x(pdf: bytes, code: str) -> float:
    """Where, from the page's left edge, the verification code is drawn (in points)."""
    import io

    from pypdf import PdfReader

    found = []

    def visit(text, cm, tm, font, size):
        if code in text:
            found.append(cm[4] + tm[4])

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert found, "no verification code on the page"
    return found[0]


def test_pdf_certificate_verification_sits_on_the_arabic_side(client, certificate, learner, login):
    # In Arabic the QR code, the code and the address sit at the bottom right (where the page starts),
    # as on the certificate's web page, not at the bottom left.
    from flask_babel import refresh

    login(learner)
    url = f"/courses/certificates/{certificate.uuid}/certificate.pdf"
    half = 297 / 25.4 * 72 / 2  # half an A4 landscape page, in points
    assert _code_x(client.get(url).data, certificate.code) < half
    learner.locale = "ar"
    db.session.commit()
    g.pop("_flask_babel", None)  # the test's app context keeps the first request's locale
    refresh()
    assert _code_x(client.get(url).data, certificate.code) > half


def test_pdf_certificate_for_a_russian_course(client, certificate, learner, login):
    title = "Минаматская конвенция о ртути"
    text, fonts = _pdf_of(client, login, certificate, learner, name="Анна Петрова", title=title, lang="ru")
    assert "Анна Петрова" in text and title in text
    assert all(files for files in fonts.values())


def test_pdf_certificate_for_a_chinese_title(client, certificate, learner, login):
    title = "关于汞的水俣公约"
    text, fonts = _pdf_of(client, login, certificate, learner, title=title, lang="zh")
    assert title in text
    assert any("CJK" in name for name in fonts), fonts
    assert all(files for files in fonts.values())


def test_pdf_is_built_once_per_certificate_and_language_and_erased_with_the_user(
    app, client, certificate, learner, login, monkeypatch
):
    from pathlib import Path

    from courses.services import pdf as certificate_pdfs
    from lms.signals import user_deleted

    built = []
    real = certificate_pdfs.certificate_pdf

    def counting(**kw):
        built.append(kw["locale"])
        return real(**kw)

    monkeypatch.setattr(certificate_pdfs, "certificate_pdf", counting)
    login(learner)
    url = f"/courses/certificates/{certificate.uuid}/certificate.pdf"
    first = client.get(url).data
    assert client.get(url).data == first and built == ["en"]  # the second is the cached file
    client.get("/language/fr")
    client.get(url)
    assert built == ["en", "fr"]
    client.get("/language/en")
    certificate.learner_name = "Léa Learner-Dupont"  # what the PDF shows changed: built again
    db.session.commit()
    assert "Learner-Dupont" in _pdf_text_and_fonts(client.get(url).data)[0]
    assert built == ["en", "fr", "en"]
    folder = Path(app.config["PDF_CACHE_DIR"]) / "certificates" / certificate.uuid
    assert len(list(folder.glob("*.pdf"))) == 3
    user_deleted.send(learner, pseudonym="pseudo-cache")
    db.session.commit()
    assert not folder.exists()  # the cached PDFs named the learner


def test_pdf_falls_back_to_print_for_a_script_no_font_has(client, certificate, learner, login):
    certificate.learner_name = "\U00010000\U00010001"  # Linear B: no installed font draws it
    db.session.commit()
    login(learner)
    resp = client.get(f"/courses/certificates/{certificate.uuid}/certificate.pdf")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        f"/courses/certificates/{certificate.uuid}"
    )


def test_the_badge_signing_key_is_written_whole_and_private(app, tmp_path, monkeypatch):
    import os
    import stat

    from courses.services import certificates

    key_file = tmp_path / "keys" / "badge.pem"
    key_file.parent.mkdir()
    app.config["COURSES_BADGE_KEY_FILE"] = str(key_file)
    seen_while_writing = []
    real_link = os.link

    def link(src, dst):
        # At the moment the key appears under its name it is complete and readable by its owner only.
        seen_while_writing.append((os.stat(src).st_mode, os.stat(src).st_size))
        return real_link(src, dst)

    monkeypatch.setattr(certificates.os, "link", link)
    with app.app_context():
        first = certificates.public_key_multibase()
        assert certificates.public_key_multibase() == first  # generated once, then read back
    mode, size = seen_while_writing[0]
    assert len(seen_while_writing) == 1 and stat.S_IMODE(mode) == 0o600 and size > 100
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["badge.pem"]  # no temporary file left


def test_certificate_page_in_chinese_puts_no_space_after_the_colon(client, certificate, learner, login):
    from flask_babel import refresh

    learner.locale = "zh"
    db.session.commit()
    login(learner)
    g.pop("_flask_babel", None)
    refresh()
    page = client.get(f"/courses/certificates/{certificate.uuid}").get_data(as_text=True)
    assert f'验证码：<strong class="code">{certificate.code}</strong>' in page
    assert '验证页面：<a href="' in page  # "Check it at" carried its own colon, and a space after it


def test_the_date_is_the_same_for_every_reader_whatever_their_time_zone(client, certificate, learner, login):
    """Issued at 23:30 UTC on 24 November: a reader in Kenya (already the 25th there) and a verifier
    without an account read the same date, on the page, the verification page and the PDF."""
    from datetime import UTC, datetime

    certificate.issued_dt = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    learner.country_code = "KE"
    db.session.commit()
    verified = client.get(f"/courses/verify/{certificate.code}").get_data(as_text=True)
    assert "November 24, 2026" in verified
    login(learner)
    page = client.get(f"/courses/certificates/{certificate.uuid}").get_data(as_text=True)
    assert "on November 24, 2026" in page and "November 25" not in page
    text, _fonts = _pdf_of(client, login, certificate, learner)
    assert "on November 24, 2026" in text
