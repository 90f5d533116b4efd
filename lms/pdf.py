"""PDF documents in every UN language, for certificates and reports.

Built on fpdf2 with HarfBuzz text shaping (``uharfbuzz``): Arabic letters are joined and lines laid out right
to left by the Unicode bidirectional algorithm; Chinese, Cyrillic and Latin share the same page. Fonts come
from the system, searched in ``LMS_PDF_FONT_DIRS`` (default ``/usr/share/fonts``): Noto Sans for Latin,
Cyrillic and Greek, Noto Sans Arabic and Noto Sans CJK SC (Debian: ``fonts-noto-core fonts-noto-cjk``), with
DejaVu Sans (``fonts-dejavu-core``; Latin, Cyrillic, Arabic) as the fallback when Noto is missing.

The API::

    doc = new_document(orientation="L", sample=learner_name + course_title)
    doc.add_page()
    doc.set_font(FAMILY, "B", 24)      # styles "" and "B"
    doc.cell(0, 12, title, align="C")   # any fpdf2 drawing call
    draw_qr(doc, "https://...", x=20, y=150, size=30)
    data = pdf_bytes(doc)

``sample`` (any text the document will show) and ``locale`` decide which fallback fonts are embedded: the
CJK font is large and slow to subset, so it is loaded only for text that needs it. :func:`unsupported`
lists the characters no available font can draw, so a caller can offer the printable HTML page instead of
a PDF with missing glyphs. :class:`PdfUnavailable` is raised when no base font is installed at all.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno
from flask import current_app, has_app_context
from fontTools.ttLib import TTCollection, TTFont
from fpdf import FPDF
from fpdf import __version__ as FPDF_VERSION

FAMILY = "lms"
DEFAULT_FONT_DIRS = ("/usr/share/fonts",)
# Candidate files per role, best first. For collections, the number is the face inside the .ttc
# (Noto Sans CJK: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK; Simplified Chinese is the UN's Chinese).
_CANDIDATES: dict[str, list[tuple[str, int]]] = {
    "base": [("NotoSans-Regular.ttf", 0), ("DejaVuSans.ttf", 0)],
    "base-B": [("NotoSans-Bold.ttf", 0), ("DejaVuSans-Bold.ttf", 0)],
    "arabic": [("NotoSansArabic-Regular.ttf", 0), ("NotoNaskhArabic-Regular.ttf", 0), ("DejaVuSans.ttf", 0)],
    "arabic-B": [("NotoSansArabic-Bold.ttf", 0), ("NotoNaskhArabic-Bold.ttf", 0), ("DejaVuSans-Bold.ttf", 0)],
    "cjk": [("NotoSansCJK-Regular.ttc", 2), ("NotoSansSC-Regular.otf", 0), ("NotoSansSC-Regular.ttf", 0)],
    "cjk-B": [("NotoSansCJK-Bold.ttc", 2), ("NotoSansSC-Bold.otf", 0), ("NotoSansSC-Bold.ttf", 0)],
}
# Part of every cache key: change it when a cached document's layout changes, so old files are rebuilt.
CACHE_FORMAT = 2
_CACHE_FOLDER = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


class Document(FPDF):
    """fpdf2's FPDF, keeping the chosen font right after a line that starts in a fallback font.

    fpdf2 2.8 selects the base font inside such a line's text object, marks it as set on the page, then
    wraps the line in ``q … Q`` because it ended in the fallback face: the selection is undone by ``Q`` and
    the next line's Latin text and digits are drawn with no font at all ("No font in show"). A line that
    starts in the fallback face can also leave that face as the current font, so a following ``set_font``
    of the same family, style and size is a no-op. After each line the chosen face is made current again
    and, when the line had to select it, selected again before the next line."""

    def _render_styled_text_line(self, *args, **kwargs):
        was_set = self.current_font_is_set_on_page
        out = super()._render_styled_text_line(*args, **kwargs)
        chosen = self.fonts.get(self.font_family + self.font_style)
        if chosen is not None and self.current_font is not chosen:
            self.current_font = chosen
            self.current_font_is_set_on_page = False
        elif not was_set:
            self.current_font_is_set_on_page = False
        return out

    def close_fonts(self) -> None:
        """Close the font files fpdf2 keeps open (read lazily, for subsetting at output time)."""
        for font in self.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()


class PdfUnavailable(RuntimeError):
    """No usable font is installed: the caller serves the printable HTML page instead."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    number: int = 0  # face inside a collection

    def codepoints(self) -> frozenset[int]:
        return _codepoints(str(self.path), self.number)


@lru_cache(maxsize=16)
def _codepoints(path: str, number: int) -> frozenset[int]:
    if path.endswith((".ttc", ".otc")):
        with TTCollection(path, lazy=True) as collection:
            return frozenset(collection.fonts[number].getBestCmap() or {})
    with TTFont(path, lazy=True, fontNumber=number) as font:
        return frozenset(font.getBestCmap() or {})


def _font_dirs() -> tuple[str, ...]:
    dirs = current_app.config.get("PDF_FONT_DIRS") if has_app_context() else None
    if isinstance(dirs, str):
        dirs = [dirs]
    return tuple(dirs or DEFAULT_FONT_DIRS)


@lru_cache(maxsize=8)
def _find_fonts(dirs: tuple[str, ...]) -> dict[str, FontFile]:
    by_name: dict[str, Path] = {}
    for d in dirs:
        root = Path(d)
        if root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.suffix.lower() in (".ttf", ".otf", ".ttc") and p.name not in by_name:
                    by_name[p.name] = p
    found = {}
    for role, candidates in _CANDIDATES.items():
        for name, number in candidates:
            if name in by_name:
                found[role] = FontFile(by_name[name], number)
                break
    return found


def available_fonts() -> dict[str, FontFile]:
    """The font chosen for each role (``base``, ``arabic``, ``cjk`` and their ``-B`` bold faces)."""
    return dict(_find_fonts(_font_dirs()))


def _roles_for(text: str, locale: str | None) -> list[str]:
    roles = []
    if locale == "ar" or _ARABIC.search(text):
        roles.append("arabic")
    if locale == "zh" or _CJK.search(text):
        roles.append("cjk")
    return roles


def unsupported(text: str) -> set[str]:
    """The characters of ``text`` (besides spaces and controls) that no available font can draw."""
    fonts = available_fonts()
    covered: set[int] = set()
    for role in ("base", "arabic", "cjk"):
        if role in fonts:
            covered |= fonts[role].codepoints()
    return {c for c in text if not c.isspace() and ord(c) >= 32 and ord(c) not in covered}


def new_document(orientation: str = "P", *, locale: str | None = None, sample: str = "") -> Document:
    """An A4 fpdf2 document (millimetres) with the font family :data:`FAMILY` (styles ``""`` and
    ``"B"``) and text shaping on; fallback fonts for Arabic and Chinese are embedded when ``locale`` or
    ``sample`` needs them. Raises :class:`PdfUnavailable` when no base font is installed."""
    fonts = available_fonts()
    if "base" not in fonts:
        raise PdfUnavailable("no PDF font found in " + ", ".join(_font_dirs()))
    doc = Document(orientation=orientation, unit="mm", format="A4")
    doc.set_creator("Minamata LMS")
    _add(doc, FAMILY, fonts["base"], fonts.get("base-B"))
    fallbacks = []
    for role in _roles_for(sample, locale):
        if role in fonts:
            family = f"{FAMILY}-{role}"
            _add(doc, family, fonts[role], fonts.get(f"{role}-B"))
            fallbacks.append(family)
    if fallbacks:
        doc.set_fallback_fonts(fallbacks, exact_match=False)
    doc.set_text_shaping(True)
    doc.set_font(FAMILY, "", 11)
    return doc


def _add(doc: FPDF, family: str, regular: FontFile, bold: FontFile | None) -> None:
    doc.add_font(family, "", regular.path, collection_font_number=regular.number)
    bold = bold or regular  # a missing bold face falls back to the regular one rather than failing
    doc.add_font(family, "B", bold.path, collection_font_number=bold.number)


def draw_qr(doc: FPDF, data: str, *, x: float, y: float, size: float) -> None:
    """Draw ``data`` as a QR code (vector squares, medium error correction) in a ``size`` square."""
    qr = segno.make(data, error="m", micro=False)
    rows = list(qr.matrix_iter(scale=1, border=0))
    cell = size / len(rows)
    doc.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                doc.rect(x + c * cell, y + r * cell, cell, cell, style="F")


def pdf_bytes(doc: Document) -> bytes:
    """The finished PDF; the document's font files are closed afterwards."""
    try:
        return bytes(doc.output())
    finally:
        doc.close_fonts()


def texts(*parts: Iterable[str] | str) -> str:
    """Join strings and iterables of strings into one ``sample`` for :func:`new_document`."""
    out = []
    for p in parts:
        out.extend([p] if isinstance(p, str) else [str(x) for x in p])
    return " ".join(out)


def _cache_dir(folder: str) -> Path:
    if not _CACHE_FOLDER.fullmatch(folder):
        raise ValueError(f"not a cache folder name: {folder!r}")
    return Path(current_app.config["PDF_CACHE_DIR"]) / folder


def cached(folder: str, parts: object, build: Callable[[], bytes | None]) -> bytes | None:
    """The PDF that ``build()`` makes from ``parts`` (everything the document shows, JSON-serialisable),
    built once and then read from the PDF cache (``LMS_PDF_CACHE_DIR``) under ``folder`` (for example
    ``certificates/<uuid>``). The key covers ``parts``, :data:`CACHE_FORMAT`, fpdf2's version and the
    fonts found, so a change of any of them builds a new file. ``None`` (the fonts cannot draw the text)
    is not cached. A cached document that must be erased (it names a person) is removed with
    :func:`drop_cached`."""
    fonts = sorted(f"{role}={f.path}#{f.number}" for role, f in available_fonts().items())
    key = json.dumps([CACHE_FORMAT, FPDF_VERSION, fonts, parts], sort_keys=True, default=str)
    path = _cache_dir(folder) / (hashlib.sha256(key.encode()).hexdigest() + ".pdf")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = build()
    if data is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a concurrent reader sees the whole file or none.
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            tmp.write(data)
        Path(tmp.name).replace(path)
    return data


def drop_cached(folder: str) -> None:
    """Remove every cached PDF under ``folder``."""
    shutil.rmtree(_cache_dir(folder), ignore_errors=True)
