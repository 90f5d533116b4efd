"""Server-rendered, accessible SVG bar charts (no JavaScript, no chart library).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` naming what it shows; the
figures themselves are in the data table rendered next to it, which is what screen readers use.
Colours come from the stylesheet classes ``s0``..``s3`` (contrast >= 3:1 against white)."""

from __future__ import annotations

import itertools
import math

from babel import Locale
from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

_ids = itertools.count(1)
MAX_BARS = 120
LABEL_CHAR_PX = 7
"""Width allowed per character of a label (11px system-ui: digits are about 6 px wide)."""


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (
        1,
        2,
        5,
        10,
        20,
        25,
        50,
        100,
        200,
        250,
        500,
        1000,
        2000,
        2500,
        5000,
        10000,
        20000,
        50000,
        100000,
        200000,
        500000,
        1000000,
    ):
        if value <= step:
            return float(step)
    return float(value)


def _locale() -> str:
    return str(get_locale() or "en")


def _fmt(v: float) -> str:
    """A figure or axis value written the reader's way, like the table beside the chart: "12,5" in
    Russian and French, "1,250" in English; no decimals on whole numbers."""
    return format_decimal(v, format="#,##0.##", locale=_locale())


def _pct(share: float) -> str:
    """A share (0-1) as a whole percentage the reader's way: "50%" in English, "50 %" in Spanish."""
    locale = _locale()
    return format_percent(share, Locale.parse(locale).percent_formats[None].pattern, locale=locale)


def _clip(text: str, length: int) -> str:
    """A label cut to ``length`` characters, with an ellipsis when it was longer (the table beside the
    chart gives it whole)."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _legend_step(name: str) -> int:
    """Room for one legend entry (swatch and name, at most 30 characters)."""
    return 24 + 8 * min(30, len(name))


def bar_chart(
    title: str,
    desc: str,
    categories: list[str],
    series: list[tuple[str, list]],
    horizontal: bool = False,
    percent: bool = False,
) -> Markup:
    """Grouped bars: ``series`` is ``[(name, values)]`` with one value (or None) per category.

    A missing value (None) draws no bar, never a zero: a horizontal chart writes "no data" where its
    figure would be, as the data table does (a vertical chart leaves the column empty).

    No chart (an empty string) without categories: the data table next to it says there is no data.
    The SVG has a fixed size in pixels (its ``width`` and ``height``; the stylesheet only shrinks it on
    narrow screens) and lays its text out left to right whatever the page's direction, with an
    explicit anchor on every text: Arabic labels are still shaped within their text runs."""
    categories = [str(c) for c in categories[:MAX_BARS]]
    if not categories:
        return Markup("")
    series = [(str(n), list(vals[:MAX_BARS])) for n, vals in series]
    uid = f"chart{next(_ids)}"
    peak = (
        1.0 if percent else _nice_max(max([v for _n, vals in series for v in vals if v is not None] or [0]))
    )
    parts = []
    legend_w = 10 + sum(_legend_step(name) for name, _vals in series) if len(series) > 1 else 0
    if horizontal:
        label_w, chart_w, bar_h = 220, 420, 14
        group_h = bar_h * len(series) + 8
        height = 30 + group_h * len(categories) + 30
        width = max(label_w + chart_w + 70, legend_w)
        for i, cat in enumerate(categories):
            y0 = 30 + i * group_h
            parts.append(
                f'<text x="{label_w - 6}" y="{y0 + group_h / 2 + 4:.1f}" text-anchor="end" class="lbl">'
                f"{escape(_clip(cat, 34))}</text>"
            )
            for s, (_name, vals) in enumerate(series):
                y = y0 + s * bar_h
                if vals[i] is None:
                    parts.append(
                        f'<text x="{label_w + 4}" y="{y + bar_h - 4}" text-anchor="start" class="val none">'
                        f"{escape(_l('no data'))}</text>"
                    )
                    continue
                w = chart_w * min(vals[i], peak) / peak
                parts.append(
                    f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" class="s{s % 4}"/>'
                )
                shown = _pct(vals[i]) if percent else _fmt(vals[i])
                parts.append(
                    f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" text-anchor="start" class="val">'
                    f"{shown}</text>"
                )
        axis = f'<line x1="{label_w}" y1="26" x2="{label_w}" y2="{height - 26}" class="axis"/>'
    else:
        left, plot_h, gap = 50, 200, 4
        n = max(1, len(categories))
        group_w = max(8, min(60, 640 // n))
        bar_w = max(2, (group_w - gap) // max(1, len(series)))
        width = max(left + group_w * n + 20, legend_w)
        height = 30 + plot_h + 60
        base = 30 + plot_h
        for frac in (0, 0.5, 1):
            y = base - plot_h * frac
            parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" class="grid"/>')
            shown = _pct(frac) if percent else _fmt(peak * frac)
            parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="val">{shown}</text>')
        # Column labels (up to 10 characters) need about LABEL_CHAR_PX per character: label only every
        # k-th column so that neighbours never overlap, however many columns (months) there are.
        label_px = LABEL_CHAR_PX * max(len(_clip(c, 10)) for c in categories) + 6
        every = max(1, math.ceil(label_px / group_w))
        for i, cat in enumerate(categories):
            x0 = left + i * group_w
            for s, (_name, vals) in enumerate(series):
                if vals[i] is None:
                    continue
                h = plot_h * min(vals[i], peak) / peak
                parts.append(
                    f'<rect x="{x0 + s * bar_w}" y="{base - h:.1f}" width="{bar_w - 1}" height="{h:.1f}" '
                    f'class="s{s % 4}"/>'
                )
            if i % every == 0:
                parts.append(
                    f'<text x="{x0 + group_w / 2:.1f}" y="{base + 16}" text-anchor="middle" class="lbl">'
                    f"{escape(_clip(cat, 10))}</text>"
                )
        axis = f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" class="axis"/>'
    legend = []
    if len(series) > 1:
        y = height - 12
        x = 10
        for s, (name, _vals) in enumerate(series):
            legend.append(
                f'<rect x="{x}" y="{y - 10}" width="12" height="12" class="s{s % 4}"/>'
                f'<text x="{x + 16}" y="{y}" text-anchor="start" class="lbl">{escape(_clip(name, 30))}</text>'
            )
            x += _legend_step(name)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" direction="ltr" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d"><title id="{uid}-t">{escape(title)}</title>'
        f'<desc id="{uid}-d">{escape(desc)}</desc>{axis}{"".join(parts)}{"".join(legend)}</svg>'
    )
    return Markup(svg)  # noqa: S704 - every text node above is escaped
