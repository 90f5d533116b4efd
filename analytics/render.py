"""Fast HTML for dashboard tables and long selects.

Dashboards show tables of hundreds of cells; rendering them with Jinja macros and Babel's number
formatting on every cell cost more than everything else on the page. Here a table is built in Python
(every value escaped) and formatted numbers are memoised per locale."""

from __future__ import annotations

from functools import lru_cache

from flask import url_for
from flask_babel import format_decimal, get_locale
from markupsafe import Markup, escape

from analytics import labels
from lms.config import LANGUAGES
from lms.i18n import lang_attrs, percent_text

FREE_TEXT_COLUMNS = frozenset({"comment", "suggestions"})  # written by learners, in the row's language


@lru_cache(maxsize=50_000)
def _number(locale: str, kind: str, value) -> str:
    if kind == "percent":
        return percent_text(value, 1)
    return format_decimal(round(value, 3) if isinstance(value, float) else value)


def cell_text(col: str, value, titles=None, names=None, locale: str | None = None) -> str:
    """Like :func:`analytics.labels.format_cell` (escaped HTML), with memoised number formatting."""
    if isinstance(value, int | float) and not isinstance(value, bool) and col not in labels.BOOL_COLUMNS:
        kind = "percent" if col in labels.PERCENT_COLUMNS else "number"
        return str(escape(_number(locale or str(get_locale()), kind, value)))
    return str(labels.format_cell(col, value, titles=titles, names=names))


def _link(link: str | None, ref: str, label: str) -> str:
    kind, _, key = str(ref).partition(":")
    if link == "course" and kind in ("course", "kit"):
        url = url_for("analytics.course", kind=kind, key=key)
    elif link == "items" and kind in ("course", "kit"):
        url = url_for("analytics.course_items", kind=kind, key=key)
    elif link == "webinar" and kind == "webinar":
        url = url_for("analytics.webinar", key=key)
    else:
        return label
    return f'<a href="{escape(url)}">{label}</a>'


def data_table(tbl: dict, caption, titles=None, names=None, link=None, skip=()) -> Markup:
    """A table with a caption, column headers and row headers, in a keyboard-scrollable region."""
    locale = str(get_locale())
    cols = [(i, c) for i, c in enumerate(tbl["columns"]) if c not in skip]
    cap = escape(caption)
    out = [
        f'<div class="table-scroll" tabindex="0" role="region" aria-label="{cap}"><table><caption>{cap}'
        "</caption><thead><tr>"
    ]
    out += [f'<th scope="col">{escape(labels.column_label(c))}</th>' for _i, c in cols]
    out.append("</tr></thead><tbody>")
    lang_at = tbl["columns"].index("language") if "language" in tbl["columns"] else None
    for row in tbl["rows"]:
        out.append("<tr>")
        for n, (i, c) in enumerate(cols):
            text = cell_text(c, row[i], titles=titles, names=names, locale=locale)
            if link and c == "resource":
                text = _link(link, row[i], text)
            attrs = ""
            if c in FREE_TEXT_COLUMNS and lang_at is not None and row[lang_at] in LANGUAGES:
                # What a learner wrote, in the language of the row: screen readers read it in that
                # language, and Arabic keeps its direction inside a page in another language.
                attrs = " " + lang_attrs(row[lang_at])
            out.append(f'<th scope="row"{attrs}>{text}</th>' if n == 0 else f"<td{attrs}>{text}</td>")
        out.append("</tr>")
    if not tbl["rows"]:
        out.append(f'<tr><td colspan="{len(cols) or 1}">{escape(labels.NO_DATA)}</td></tr>')
    out.append("</tbody></table></div>")
    return Markup("".join(out))  # noqa: S704 - every value above is escaped


_OPTIONS: dict = {}


class FastSelect:
    """A ``<select>`` widget that renders cached option lists (see :func:`select_options`)."""

    def __call__(self, field, **kwargs):
        from wtforms.widgets import html_params

        kwargs.setdefault("id", field.id)
        attrs = html_params(name=field.name, **kwargs)  # escapes the values
        return Markup(f"<select {attrs}>{select_options(field)}</select>")  # noqa: S704


def select_options(field) -> Markup:
    """The ``<option>`` list of a select field, cached per choices list (country lists are long)."""
    choices = field.choices
    cached = _OPTIONS.get(id(choices))
    if cached is None or cached[0] is not choices:
        html = Markup("").join(
            Markup('<option value="{}">{}</option>').format(c.value, c.label) for c in choices
        )
        cached = (choices, str(html))
        if isinstance(choices, tuple):  # long-lived (memoised) lists only
            _OPTIONS[id(choices)] = cached
    html = cached[1]
    selected = field.data or ""
    needle = str(Markup('<option value="{}">').format(selected))
    return Markup(html.replace(needle, needle[:-1] + " selected>", 1))  # noqa: S704 - built escaped above
