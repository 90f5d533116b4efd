"""The public open-data set: aggregates by UN region and language with small-cell suppression,
published under CC BY 4.0 as a page, CSV and JSON with a data dictionary.

Counts from 1 to 4 are hidden, zeros are shown: an empty cell reveals nobody, and a hidden zero could
be told anyway (a row's total minus its shown cells); with zeros shown, every hidden count is known to
be at least 1, which :mod:`analytics.suppression` takes into account."""

from __future__ import annotations

import re
from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select

from analytics.dash.common import LEARNING_KINDS, table
from analytics.models import ActiveActor, Certificate, MonthlyCount
from analytics.suppression import THRESHOLD, suppress_linked
from lms.config import LANGUAGES
from lms.db import db
from lms.models import UN_REGIONS

YEAR_RE = re.compile(r"^(19|20)\d\d$")
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
ATTRIBUTION = "Secretariat of the Minamata Convention on Mercury"
TOTAL = "all"

MEASURES = {
    "active_learners": _l("People who recorded any learning activity (each person counted once per cell)."),
    "enrolments": _l("Enrolments in modules, workshop kits and webinar sessions."),
    "completions": _l("Completions of modules and workshop kits."),
    "webinar_viewers": _l("People who watched or listened to a Minamata Online session."),
    "certificates": _l("Certificates issued."),
}

DICTIONARY = [
    ("measure", "string", _l("What is counted; one of: %(m)s.", m=", ".join(MEASURES))),
    (
        "region",
        "string",
        _l(
            "UN regional group (africa, asia_pacific, ceeg, grulac, weog), “unknown” when the "
            "country is not known, “all” for the total over regions."
        ),
    ),
    (
        "language",
        "string",
        _l(
            "Language of the content used (ISO 639-1: ar, en, es, fr, ru, zh; “und” when "
            "unknown), “all” for the total over languages."
        ),
    ),
    ("value", "integer", _l("The count; empty when suppressed.")),
    (
        "is_suppressed",
        "boolean",
        _l(
            "true when the value is hidden: counts from 1 to 4 are hidden, and further cells "
            "are hidden so that hidden counts cannot be worked out from the totals or from the "
            "figures of the other years. Zeros are shown (they reveal nobody)."
        ),
    ),
    ("period", "string", _l("The calendar year counted, or “all” for all years.")),
]


def _regions() -> list[str]:
    return [*UN_REGIONS, "unknown"]


def _languages() -> list[str]:
    return [*LANGUAGES, "und"]


def _grid(pairs: dict, rows: list[str], cols: list[str]) -> list[list[int]]:
    return [[int(pairs.get((r, c), 0)) for c in cols] for r in rows]


def _by_period(dims: list, value, conds: list, month) -> dict[str, dict[tuple, int]]:
    """``{period: {dimension values: value}}`` over all years (:data:`TOTAL`) and in each year."""
    out: dict = defaultdict(dict)
    for row in db.session.execute(select(*dims, value).where(*conds).group_by(*dims)):
        out[TOTAL][tuple(row[:-1])] = int(row[-1] or 0)
    year = func.substr(month, 1, 4)
    for row in db.session.execute(select(year, *dims, value).where(*conds).group_by(year, *dims)):
        out[row[0]][tuple(row[1:-1])] = int(row[-1] or 0)
    return out


def _distinct(conds: list) -> dict[str, tuple]:
    """People counted once per cell, per period: ``{period: (grid, row totals, column totals, all)}``
    (the margins count people too, so they are not the sums of the cells)."""
    A = ActiveActor
    region = func.coalesce(func.nullif(A.region, ""), "unknown")
    people = func.count(distinct(A.actor_key))
    cells = _by_period([region, A.language], people, conds, A.month)
    rows = _by_period([region], people, conds, A.month)
    cols = _by_period([A.language], people, conds, A.month)
    grand = _by_period([], people, conds, A.month)
    regions, langs = _regions(), _languages()
    return {
        period: (
            _grid(cells[period], regions, langs),
            [rows[period].get((r,), 0) for r in regions],
            [cols[period].get((c,), 0) for c in langs],
            grand[period].get((), 0),
        )
        for period in set(cells) | set(grand)
    }


def _sums(pairs_by_period: dict[str, dict]) -> dict[str, tuple]:
    """Counts whose margins are the sums of the cells: ``{period: (grid, None, None, None)}``."""
    regions, langs = _regions(), _languages()
    return {
        period: (_grid(pairs, regions, langs), None, None, None) for period, pairs in pairs_by_period.items()
    }


def _monthly(verbs: tuple, kinds) -> dict[str, tuple]:
    M = MonthlyCount
    region = func.coalesce(func.nullif(M.region, ""), "unknown")
    conds = [M.verb.in_(verbs)]
    if kinds:
        conds.append(M.kind.in_(kinds))
    return _sums(_by_period([region, M.language], func.sum(M.n), conds, M.month))


def _certificates() -> dict[str, tuple]:
    C = Certificate
    region = func.coalesce(func.nullif(C.region, ""), "unknown")
    lang = func.coalesce(func.nullif(C.language, ""), "und")
    out: dict = defaultdict(dict)
    for r, lg, issued in db.session.execute(select(region, lang, C.issued_dt)):
        for period in (TOTAL, str(issued.year)):
            out[period][(r, lg)] = out[period].get((r, lg), 0) + 1
    return _sums(out)


def _measures() -> dict[str, dict[str, tuple]]:
    """Every measure's tables, all years and each year."""
    A = ActiveActor
    return {
        "active_learners": _distinct([]),
        "webinar_viewers": _distinct([A.kind == "webinar"]),
        "enrolments": _monthly(("registered",), None),
        "completions": _monthly(("completed",), LEARNING_KINDS),
        "certificates": _certificates(),
    }


COLUMNS = ["measure", "region", "language", "value", "is_suppressed", "period"]


def _rows(measure: str, cells: dict, period: str) -> list[list]:
    """One measure's published rows of one period: every cell, then the region totals, the language
    totals and the grand total (``None`` where suppressed)."""
    regions, langs = _regions(), _languages()
    out = []
    for ri, region in enumerate(regions):
        for ci, lang in enumerate(langs):
            v = cells[("x", ri, ci)]
            out.append([measure, region, lang, v, v is None, period])
        v = cells[("R", ri)]
        out.append([measure, region, TOTAL, v, v is None, period])
    for ci, lang in enumerate(langs):
        v = cells[("C", ci)]
        out.append([measure, TOTAL, lang, v, v is None, period])
    v = cells[("G",)]
    out.append([measure, TOTAL, TOTAL, v, v is None, period])
    return out


def compute_all() -> dict:
    """The open data of all years (:data:`TOTAL`) and of every year with data, in one table. Each
    measure's tables of all periods are suppressed together (:func:`analytics.suppression.suppress_linked`):
    a count hidden in one year cannot be worked out from all years minus the other years either. Solving
    that is the costly part (seconds at a million statements), so it is done once per data version and
    each year's page is cut from it (:func:`of_period`)."""
    regions, langs = _regions(), _languages()
    measures = _measures()
    periods = sorted({TOTAL}.union(*(set(tables) for tables in measures.values())))
    empty = ([[0] * len(langs) for _r in regions], None, None, None)
    rows = []
    for measure, tables in measures.items():
        linked = suppress_linked({p: tables.get(p, empty) for p in periods}, TOTAL, THRESHOLD)
        for period in periods:
            rows += _rows(measure, linked[period], period)
    return {"tables": {"open_data": table(COLUMNS, rows)}, "periods": periods}


def of_period(everything: dict, year: str | None = None) -> dict:
    """The open data of one year (all years when ``None``) cut from :func:`compute_all`'s payload; a
    year without any data has a zero everywhere."""
    period = year or TOTAL
    rows = [r for r in everything["tables"]["open_data"]["rows"] if r[5] == period]
    if period not in everything["periods"]:
        regions, langs = _regions(), _languages()
        zeros = {("x", ri, ci): 0 for ri in range(len(regions)) for ci in range(len(langs))}
        zeros.update({("R", ri): 0 for ri in range(len(regions))})
        zeros.update({("C", ci): 0 for ci in range(len(langs))})
        zeros[("G",)] = 0
        rows = [row for measure in MEASURES for row in _rows(measure, zeros, period)]
    return {"tables": {"open_data": table(COLUMNS, rows)}, "period": period}


def matrix(payload: dict, measure: str) -> tuple[list[str], list[str], dict]:
    """``(regions, languages, {(region, language): value})`` of one measure, for the page's tables."""
    values = {}
    for m, region, lang, value, *_rest in payload["tables"]["open_data"]["rows"]:
        if m == measure:
            values[(region, lang)] = value
    return [*_regions(), TOTAL], [*_languages(), TOTAL], values
