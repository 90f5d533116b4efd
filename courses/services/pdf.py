"""The one-page PDF certificate, on the core PDF module (:mod:`lms.pdf`: fpdf2 with HarfBuzz shaping and
the system's Noto/DejaVu fonts), so names and titles in every UN script render: Arabic joined and laid
out right to left, Chinese, Cyrillic, Latin.

Layout: A4 landscape, a double frame, the texts centred (wrapped when long), the verification QR code
drawn as vector squares, the code and the verification page's address beside it (at the right in Arabic).
When no installed font can draw some character (or no font is installed at all)
:func:`certificate_pdf` returns ``None`` and the view offers the printable HTML page instead.
"""

from __future__ import annotations

from lms.i18n import text_direction
from lms.pdf import FAMILY, PdfUnavailable, draw_qr, new_document, pdf_bytes, texts, unsupported

PAGE_W, PAGE_H = 297, 210  # A4 landscape, in millimetres
MARGIN = 30  # text column: from MARGIN to PAGE_W - MARGIN
NAVY = (0, 63, 99)
PT = 0.3528  # millimetres per point


def _centred(doc, text: str, size: float, *, bold: bool = False, gap: float = 3) -> None:
    """Draw ``text`` centred (wrapped to the text column) at the current y, then move below it."""
    doc.set_font(FAMILY, "B" if bold else "", size)
    doc.set_x(MARGIN)
    doc.multi_cell(PAGE_W - 2 * MARGIN, size * PT * 1.35, text, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_y(doc.get_y() + gap)


def certificate_pdf(
    *,
    issuer: str,
    heading: str,
    intro: str,
    name: str,
    middle: str,
    course: str,
    date_line: str,
    code_label: str,
    code: str,
    url_label: str,
    url: str,
    title: str,
    locale: str | None = None,
) -> bytes | None:
    """The certificate as PDF bytes; ``None`` when the installed fonts cannot draw one of the texts.
    ``locale`` is the language the certificate is shown in (its fonts are embedded even when the
    sample texts would not need them)."""
    every = (issuer, heading, intro, name, middle, course, date_line, code_label, code, url_label, url, title)
    sample = texts(every)
    try:
        if unsupported(sample):
            return None
        doc = new_document("L", locale=locale, sample=sample)
    except PdfUnavailable:
        return None
    doc.set_title(title)
    doc.set_author(issuer)
    doc.set_auto_page_break(False)
    doc.set_margins(MARGIN, 20, MARGIN)
    doc.add_page()
    doc.set_draw_color(*NAVY)
    doc.set_line_width(1.4)
    doc.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    doc.set_line_width(0.2)
    doc.rect(13.5, 13.5, PAGE_W - 27, PAGE_H - 27)

    doc.set_text_color(*NAVY)
    doc.set_y(26)
    _centred(doc, issuer.upper(), 13, bold=True, gap=6)
    _centred(doc, heading, 30, bold=True, gap=5)
    doc.set_text_color(0, 0, 0)
    _centred(doc, intro, 14, gap=2)
    _centred(doc, name, 26, bold=True, gap=2)
    _centred(doc, middle, 14, gap=2)
    _centred(doc, course, 20, bold=True, gap=2)
    _centred(doc, date_line, 14, gap=0)

    # Verification, at the bottom on the side where the language starts (left, or right in Arabic):
    # the QR code (vector squares), the code and the URL beside it, aligned towards the code.
    rtl = text_direction(locale) == "rtl" if locale else False
    qr_size, qr_y = 34, PAGE_H - 24 - 34
    qr_x = PAGE_W - 24 - qr_size if rtl else 24
    draw_qr(doc, url, x=qr_x, y=qr_y, size=qr_size)
    text_x = 24 if rtl else qr_x + qr_size + 6
    width = qr_x - 6 - text_x if rtl else PAGE_W - 24 - text_x
    align = "R" if rtl else "L"
    doc.set_xy(text_x, qr_y + 2)
    doc.set_font(FAMILY, "", 11)
    doc.cell(width, 6, code_label, align=align, new_x="LEFT", new_y="NEXT")
    doc.set_font(FAMILY, "B", 14)
    doc.cell(width, 8, code, align=align, new_x="LEFT", new_y="NEXT")
    doc.set_font(FAMILY, "", 9)
    doc.cell(width, 6, url_label, align=align, new_x="LEFT", new_y="NEXT")
    doc.cell(width, 6, url, align=align, link=url)
    return pdf_bytes(doc)
