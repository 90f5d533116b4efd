"""Markdown for every plugin: rendered with Python-Markdown, then sanitised with nh3 so that lesson,
kit and question text can never carry script, event handlers or foreign styles."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import markdown as _markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

TOP_HEADING = 2
"""The highest level a text's heading may have: rendered text always sits under its page's ``h1``."""

_HEADINGS = {f"h{n}" for n in range(1, 7)}


class _HeadingLevels(Treeprocessor):
    """Move a text's headings down, keeping the steps between them, when its highest one would be an
    ``h1``: a lesson written with "#" would otherwise add a second ``h1`` to its page (screen-reader
    users move through a page by its headings). A text written from "##" or lower is left as written:
    its author may have placed it under a section heading of the page (a case study, a session's
    description)."""

    def run(self, root):
        headings = [el for el in root.iter() if el.tag in _HEADINGS]
        if not headings:
            return
        shift = max(0, TOP_HEADING - min(int(el.tag[1]) for el in headings))
        for el in headings:
            el.tag = f"h{max(1, min(6, int(el.tag[1]) + shift))}"


class _HeadingLevelsExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_HeadingLevels(md), "heading_levels", 5)


EXTENSIONS = ["extra", "sane_lists", "smarty", _HeadingLevelsExtension()]

# No h1: the page's title is its only one (an h1 typed as HTML is kept as plain text).
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"id", "lang", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# Tags in sanitised output: a literal "<table>" typed as text is escaped by then, so only real tables match.
_TABLE_OPEN = re.compile(r"<table\b[^>]*>")


def sanitise_html(html: str) -> Markup:
    """Clean untrusted HTML down to the allowed tags, attributes and URL schemes."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(cleaned)  # noqa: S704 - nh3 output is safe by construction


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to sanitised HTML (raw HTML in the source is cleaned, not trusted)."""
    if not text:
        return Markup("")
    return _rendered(text, _reader_locale())


RENDER_CACHE_SIZE = 256
"""How many rendered texts each worker keeps. A published lesson is the same text for every learner,
and rendering is the slow part of its page (about 7 ms for 1.3 KB of Markdown, near a second for the
longest lesson allowed), so each text is rendered once per language (its tables' labels are)."""


UNCLOSED_BRACKETS_KEPT = 200
"""How many "[" that no "]" closes a text may have before they are escaped. Python-Markdown looks for
the end of a link from every "[", so its time grows with the square of their number (4,000 took 4.5 s):
past this many (far more than any real text has), each is escaped (``\\[``), which renders the same "["
at once. Below it the text is left alone, code included, where an escape would show."""

BRACKET_DEPTH_KEPT = 16
"""Brackets nested deeper than this (no link text nests so deep) are escaped, with the "]" closing
them: 2,000 nested pairs took 1.2 s for the same reason."""


def _escape_costly_brackets(text: str) -> str:
    open_at: list[int] = []  # "[" not closed yet
    targets: list[int] = []  # "(" just after a "]" (a link's address) not closed yet
    parens = 0  # "(" opened inside the current address
    escape: set[int] = set()
    escaped = False
    for i, ch in enumerate(text):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            open_at.append(i)
        elif ch == "]" and open_at:
            start = open_at.pop()
            if len(open_at) >= BRACKET_DEPTH_KEPT:
                escape.update((start, i))
        elif ch == "(":
            if i and text[i - 1] == "]":
                targets.append(i)
            elif targets:
                parens += 1
        elif ch == ")":
            if parens:
                parens -= 1
            elif targets:
                targets.pop()
    # An address that is never closed costs the same: Python-Markdown looks for its ")" to the end.
    for unclosed in (open_at, targets):
        if len(unclosed) > UNCLOSED_BRACKETS_KEPT:
            escape.update(unclosed)
    if not escape:
        return text
    return "".join("\\" + ch if i in escape else ch for i, ch in enumerate(text))


@lru_cache(maxsize=RENDER_CACHE_SIZE)
def _rendered(text: str, _locale: str) -> Markup:
    text = _escape_costly_brackets(text)
    html = _markdown.markdown(text, extensions=EXTENSIONS, output_format="html")
    return _scrollable_tables(sanitise_html(html))


def _reader_locale() -> str:
    from flask import has_app_context
    from flask_babel import get_locale

    return str(get_locale() or "en") if has_app_context() else "en"


def _scrollable_tables(html: Markup) -> Markup:
    """Put each table in the scroll box of ``macros/tables.html`` (focusable, so a keyboard scrolls it):
    a content table wider than a phone would otherwise widen the whole page, and in a right-to-left page
    its overflowing side could not be scrolled to at all. Added after sanitising, which would drop it;
    safe because nh3 (>= 0.3.7) escapes "<" inside attribute values, so "<table" is always a real tag."""
    if "<table" not in html:
        return html
    from flask_babel import gettext

    count = itertools.count(1)

    def opening(match: re.Match) -> str:
        # Numbered, so that each region of a page has a name of its own ("Table 1", "Table 2").
        label = escape(gettext("Table %(n)s", n=next(count)))
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">' + match.group(0)

    wrapped = _TABLE_OPEN.sub(opening, str(html))
    return Markup(wrapped.replace("</table>", "</table></div>"))  # noqa: S704 - sanitised above
