"""The result as a PDF, on the core PDF module (:mod:`lms.pdf`: fpdf2 with HarfBuzz shaping and the
system's Noto/DejaVu fonts), in the reader's language: Arabic joined and laid out right to left, Chinese,
Cyrillic and Latin.

:func:`build_report` turns a stored (or provisional) result into plain localised texts; :func:`render`
draws them on A4 pages: the heading and the facts (country, cycle, questionnaire version, date), the
profile as one bar per dimension with its level and score, the meaning of the levels, strengths and where
to start, the recommendations with their reasons, and the trend when there is an earlier cycle. Right to
left languages are right-aligned and their bars grow from the right. When no installed font can draw a
text (or none is installed), :func:`render` returns ``None`` and the view offers the print view instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.pdf import FAMILY, PdfUnavailable, new_document, pdf_bytes, texts, unsupported

RTL = ("ar",)
NAVY = (0, 63, 99)
GREY = (90, 90, 90)
BAR_BG = (225, 230, 235)
BAR = (0, 114, 188)
PT = 0.3528  # millimetres per point


@dataclass
class DimensionLine:
    title: str
    level: str  # "Level 3 · Defined" or "no level yet"
    score: float | None
    score_text: str
    detail: str  # "4 of 5 answered", capped note
    trend: str = ""  # "previous: level 2; up 12 points"


@dataclass
class Report:
    """Everything the PDF shows, already translated."""

    language: str
    title: str
    facts: list[str]
    headings: dict[str, str]
    dimensions: list[DimensionLine]
    levels: list[str]  # "1 Initial: ..." meanings
    strengths: list[str]
    gaps: list[str]
    no_strength: str
    recommendations: list[tuple[str, str, list[str]]]  # title, kind/dimension line, reasons
    no_recommendation: str
    trend_intro: str = ""
    trend_items: list[tuple[str, list[str]]] = field(default_factory=list)  # heading, lines
    footer: str = ""

    def all_text(self) -> str:
        parts = [self.title, self.footer, self.no_strength, self.no_recommendation, self.trend_intro]
        parts += self.facts + list(self.headings.values()) + self.levels + self.strengths + self.gaps
        for d in self.dimensions:
            parts += [d.title, d.level, d.score_text, d.detail, d.trend]
        for title, meta, reasons in self.recommendations:
            parts += [title, meta, *reasons]
        for heading, lines in self.trend_items:
            parts += [heading, *lines]
        return texts(parts)


class _Writer:
    def __init__(self, doc, rtl: bool):
        self.doc, self.rtl = doc, rtl
        self.align = "R" if rtl else "L"

    def para(self, text: str, size: float = 10, *, bold=False, color=(0, 0, 0), gap: float = 1.5) -> None:
        if not text:
            return
        doc = self.doc
        doc.set_font(FAMILY, "B" if bold else "", size)
        doc.set_text_color(*color)
        doc.set_x(doc.l_margin)
        doc.multi_cell(doc.epw, size * PT * 1.4, text, align=self.align, new_x="LMARGIN", new_y="NEXT")
        doc.set_y(doc.get_y() + gap)

    def heading(self, text: str) -> None:
        if self.doc.get_y() > self.doc.h - 45:
            self.doc.add_page()
        self.doc.set_y(self.doc.get_y() + 3)
        self.para(text, 14, bold=True, color=NAVY, gap=2)

    def bullets(self, lines: list[str], size: float = 10) -> None:
        for line in lines:
            # the bidirectional algorithm puts a leading bullet on the right of a right-to-left line
            self.para("• " + line, size, gap=0.8)

    def bar(self, score: float | None, height: float = 3.2) -> None:
        doc = self.doc
        if doc.get_y() + height > doc.h - doc.b_margin:
            doc.add_page()
        width, y = doc.epw, doc.get_y()
        doc.set_fill_color(*BAR_BG)
        doc.rect(doc.l_margin, y, width, height, style="F")
        if score:
            filled = width * max(0.0, min(1.0, score))
            x = doc.l_margin + width - filled if self.rtl else doc.l_margin
            doc.set_fill_color(*BAR)
            doc.rect(x, y, filled, height, style="F")
        doc.set_y(y + height + 1.5)


def render(report: Report) -> bytes | None:
    """The report as PDF bytes; ``None`` when the installed fonts cannot draw one of its texts."""
    sample = report.all_text()
    try:
        if unsupported(sample):
            return None
        doc = new_document("P", locale=report.language, sample=sample)
    except PdfUnavailable:
        return None
    doc.set_title(report.title)
    doc.set_author("Minamata LMS")
    doc.set_lang(report.language)
    doc.set_margins(18, 16, 18)
    doc.set_auto_page_break(True, margin=16)
    doc.add_page()
    w = _Writer(doc, report.language in RTL)
    h = report.headings
    w.para(report.title, 18, bold=True, color=NAVY, gap=2)
    for fact in report.facts:
        w.para(fact, 9.5, color=GREY, gap=0.5)

    w.heading(h["profile"])
    for n, dim in enumerate(report.dimensions, start=1):
        if doc.get_y() > doc.h - 40:
            doc.add_page()
        w.para(f"{n}. {dim.title}", 10.5, bold=True, gap=0.3)
        w.para(f"{dim.level} — {dim.score_text}", 9.5, gap=0.6)
        w.bar(dim.score)
        w.para(dim.detail, 8.5, color=GREY, gap=0.3)
        w.para(dim.trend, 8.5, color=GREY, gap=0.3)
        doc.set_y(doc.get_y() + 1.5)

    w.heading(h["levels"])
    w.bullets(report.levels, 9.5)

    w.heading(h["strengths"])
    if report.strengths:
        w.bullets(report.strengths)
    else:
        w.para(report.no_strength)
    if report.gaps:
        w.para(h["gaps"], 11, bold=True, gap=1)
        w.bullets(report.gaps)

    w.heading(h["recommendations"])
    if not report.recommendations:
        w.para(report.no_recommendation)
    for n, (title, meta, reasons) in enumerate(report.recommendations, start=1):
        w.para(f"{n}. {title}", 10.5, bold=True, gap=0.3)
        w.para(meta, 9, color=GREY, gap=0.5)
        w.bullets(reasons, 9.5)
        doc.set_y(doc.get_y() + 1.5)

    if report.trend_intro:
        w.heading(h["trend"])
        w.para(report.trend_intro)
        for heading, lines in report.trend_items:
            w.para(heading, 10.5, bold=True, gap=0.8)
            w.bullets(lines, 9.5)
    if report.footer:
        doc.set_y(doc.get_y() + 4)
        w.para(report.footer, 8, color=GREY)
    return pdf_bytes(doc)
