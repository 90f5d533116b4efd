"""lms.pdf: PDFs in every UN language, fonts found on the system."""

import io
import os

import pytest
from pypdf import PdfReader

from lms import pdf

ARABIC_NAME = "أحمد بن علي"
CHINESE = "关于汞的水俣公约"
RUSSIAN = "Минаматская конвенция о ртути"


def _render(app, text, **kw):
    with app.app_context():
        doc = pdf.new_document("L", sample=text, **kw)
        doc.add_page()
        doc.set_font(pdf.FAMILY, "B", 20)
        doc.multi_cell(0, 10, text, align="C")
        pdf.draw_qr(doc, "https://example.org/verify/ABC", x=20, y=120, size=30)
        return pdf.pdf_bytes(doc)


def _fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def noto(app):
    with app.app_context():
        fonts = pdf.available_fonts()
    if not {"base", "arabic", "cjk"} <= fonts.keys():
        reason = "Noto fonts not installed (Debian: fonts-noto-core fonts-noto-cjk)"
        if os.environ.get("LMS_REQUIRE_PDF_FONTS"):  # CI installs them: there a missing font is a failure
            pytest.fail(reason)
        pytest.skip(reason)
    return fonts


def test_every_script_renders_with_embedded_fonts(app, noto):
    data = _render(app, f"Certificate — {RUSSIAN} — {ARABIC_NAME} — {CHINESE}")
    assert data.startswith(b"%PDF-")
    # pypdf separates the two-byte CID glyphs of the CJK subset with NULs when extracting.
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\x00", "")
    assert "Certificate" in text and "Минаматская" in text and CHINESE in text
    fonts = _fonts(data)
    # The base face, the Arabic face and the CJK face are all embedded (as subsets: "ABCDEF+Name").
    assert any("NotoSansBold" in f for f in fonts)
    assert any("Arabic" in f for f in fonts)
    assert any("CJK" in f for f in fonts)


def test_cjk_font_is_only_loaded_when_needed(app, noto):
    assert not any("CJK" in f for f in _fonts(_render(app, RUSSIAN)))
    with app.app_context():

        def families(**kw):
            doc = pdf.new_document(**kw)
            doc.close_fonts()
            return doc.fonts.keys()

        russian = families(sample=RUSSIAN)
        assert not any("cjk" in f for f in russian) and not any("arabic" in f for f in russian)
        assert any("cjk" in f for f in families(locale="zh"))
        assert any("arabic" in f for f in families(sample=ARABIC_NAME))


def test_unsupported_lists_characters_no_font_draws(app, noto):
    with app.app_context():
        assert pdf.unsupported(f"{ARABIC_NAME} {CHINESE} {RUSSIAN}") == set()
        assert pdf.unsupported("Linear B: \U00010000") == {"\U00010000"}


def test_no_font_directory_means_pdf_unavailable(app, tmp_path):
    app.config["PDF_FONT_DIRS"] = [str(tmp_path)]
    with app.app_context():
        assert pdf.available_fonts() == {}
        with pytest.raises(pdf.PdfUnavailable):
            pdf.new_document()


def test_dejavu_alone_covers_arabic_and_cyrillic(app):
    app.config["PDF_FONT_DIRS"] = ["/usr/share/fonts/truetype/dejavu"]
    with app.app_context():
        fonts = pdf.available_fonts()
        if "base" not in fonts:
            pytest.skip("DejaVu fonts not installed")
        assert fonts["arabic"].path.name == "DejaVuSans.ttf" and "cjk" not in fonts
        assert pdf.unsupported(ARABIC_NAME + RUSSIAN) == set()
        assert pdf.unsupported(CHINESE) == set(CHINESE)


def test_latin_after_a_line_drawn_in_the_fallback_font_keeps_its_glyphs(app, noto):
    # A line drawn entirely in the Arabic fallback, then same-size lines with digits and Latin text:
    # the base face must be selected again for them (fpdf2 otherwise keeps the fallback as the current
    # font and draws the digits with a face that has none).
    with app.app_context():
        doc = pdf.new_document(locale="ar", sample=ARABIC_NAME)
        doc.add_page()
        doc.set_font(pdf.FAMILY, "", 11)
        doc.cell(0, 8, "الدورة", new_x="LMARGIN", new_y="NEXT")
        doc.set_font(pdf.FAMILY, "", 11)
        doc.cell(0, 8, "الدورة 2026-2027", new_x="LMARGIN", new_y="NEXT")
        doc.cell(0, 8, "Version 1.0.3", new_x="LMARGIN", new_y="NEXT")
        data = pdf.pdf_bytes(doc)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "2026" in text and "2027" in text
    assert "Version 1.0.3" in text


def test_cached_builds_once_and_keeps_no_failure(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", str(tmp_path))
    calls = []

    def build(result):
        calls.append(result)
        return result

    with app.app_context():
        assert pdf.cached("reports/a-1", {"t": "x"}, lambda: build(b"%PDF-1")) == b"%PDF-1"
        assert pdf.cached("reports/a-1", {"t": "x"}, lambda: build(b"other")) == b"%PDF-1"
        assert pdf.cached("reports/a-1", {"t": "y"}, lambda: build(b"%PDF-2")) == b"%PDF-2"
        assert pdf.cached("reports/a-2", {"t": "x"}, lambda: build(None)) is None
        assert pdf.cached("reports/a-2", {"t": "x"}, lambda: build(b"%PDF-3")) == b"%PDF-3"
        assert calls == [b"%PDF-1", b"%PDF-2", None, b"%PDF-3"]
        pdf.drop_cached("reports/a-1")
        assert not (tmp_path / "reports" / "a-1").exists() and (tmp_path / "reports" / "a-2").exists()
        for bad in ("../etc", "/abs", "a/../b", ""):
            with pytest.raises(ValueError):
                pdf.cached(bad, {}, lambda: b"")
