"""The result as a PDF: real content (parsed back with pypdf) in the reader's language, Arabic included,
for the people who may see the result, and the print view when no font is installed."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from lms import pdf
from readiness import results, services
from tests.readiness.conftest import full_answers, submit


@pytest.fixture
def fonts(app):
    found = pdf.available_fonts()
    if not {"base", "arabic", "cjk"} <= found.keys():
        pytest.skip("Noto fonts not installed (Debian: fonts-noto-core fonts-noto-cjk)")
    return found


@pytest.fixture
def submitted(assessment, coordinator, questionnaire):
    submit(assessment, coordinator, full_answers(questionnaire, 3) | {"2.3": "no"})
    return assessment


def _pdf(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "application/pdf" and "attachment" in resp.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(resp.data))
    # pypdf separates the two-byte CID glyphs of the CJK subset with NULs when extracting
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    return reader, text


def _fonts(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_pdf_shows_the_profile_levels_and_recommendations(client_for, submitted, coordinator, fonts):
    c = client_for(coordinator)
    _reader, text = _pdf(c, f"/readiness/a/{submitted.uuid}/result.pdf")
    stored = results.latest_result(submitted)
    assert "France" in text and "2026" in text and "2025.1" in text
    assert "National reporting under Article 21" in text and "Governance and coordination" in text
    level = stored.profile["dimensions"]["reporting"]["level"]
    assert f"Level {level}" in text and "Defined" in text and "Optimising" in text  # levels and meanings
    assert "Recommendations" in text and "Review of the national reporting workflow" in text
    assert "Because: question 2.3" in text  # the reason of a recommendation
    assert "Change since" not in text  # no earlier cycle


def test_the_result_page_links_the_pdf(client_for, submitted, coordinator):
    html = client_for(coordinator).get(f"/readiness/a/{submitted.uuid}/result").get_data(as_text=True)
    assert f'href="/readiness/a/{submitted.uuid}/result.pdf"' in html


def test_an_arabic_reader_gets_an_arabic_pdf(client_for, submitted, coordinator, fonts):
    c = client_for(coordinator)
    c.get("/language/ar")
    reader, text = _pdf(c, f"/readiness/a/{submitted.uuid}/result.pdf")
    assert any("Arabic" in f for f in _fonts(reader))  # the Arabic face is embedded and used
    assert "National reporting under Article 21" not in text  # the dimension names are Arabic
    # shaped Arabic comes back from the PDF in presentation forms; compare letters, ignoring joining
    import unicodedata

    plain = unicodedata.normalize("NFKC", text)
    # The header lines mix Arabic and digits: the cycle and date (2026) and the questionnaire and rules
    # versions (2025.1) must all come back as digits, not as glyphs of a font without them.
    assert plain.count("2026") >= 3 and plain.count("2025") >= 2
    words = ["الحوكمة", "والتنسيق"]  # "governance and coordination"
    assert all(w in plain or w[::-1] in plain for w in words), plain[:400]


def test_a_chinese_and_a_russian_pdf(client_for, submitted, coordinator, fonts):
    c = client_for(coordinator)
    c.get("/language/zh")
    reader, text = _pdf(c, f"/readiness/a/{submitted.uuid}/result.pdf")
    assert "治理与协调" in text and any("CJK" in f for f in _fonts(reader))
    c.get("/language/ru")
    _reader, text = _pdf(c, f"/readiness/a/{submitted.uuid}/result.pdf")
    assert "Управление и координация" in text


def test_the_trend_is_in_the_pdf(client_for, coordinator, questionnaire, secretariat, fonts):
    earlier = services.start_assessment(coordinator, cycle="2024", language="fr")
    submit(earlier, coordinator, full_answers(questionnaire, 1))
    current = services.start_assessment(coordinator, cycle="2026", language="fr")
    submit(current, coordinator, full_answers(questionnaire, 3))
    _reader, text = _pdf(client_for(coordinator), f"/readiness/a/{current.uuid}/result.pdf")
    assert "Change since 2024" in text and "Previous cycle (2024)" in text and "up " in text


def test_a_secretariat_member_gets_the_pdf_of_a_submitted_assessment(
    client_for, submitted, secretariat, fonts
):
    _reader, text = _pdf(client_for(secretariat), f"/readiness/a/{submitted.uuid}/result.pdf")
    assert "France" in text


def test_without_fonts_the_print_view_is_offered(app, client_for, submitted, coordinator, tmp_path):
    original = app.config.get("PDF_FONT_DIRS")
    app.config["PDF_FONT_DIRS"] = [str(tmp_path)]
    try:
        resp = client_for(coordinator).get(f"/readiness/a/{submitted.uuid}/result.pdf")
    finally:
        app.config["PDF_FONT_DIRS"] = original
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        f"/readiness/a/{submitted.uuid}/result/print"
    )
