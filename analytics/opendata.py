"""The public open-data set: aggregates by UN region and language with small-cell suppression,
published under CC BY 4.0 as a page, CSV and JSON with a data dictionary."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select

from analytics.dash.common import LEARNING_KINDS, table
from analytics.models import ActiveActor, Certificate, MonthlyCount
from analytics.suppression import THRESHOLD, suppress
from lms.config import LANGUAGES
from lms.db import db
from lms.models import UN_REGIONS

YEAR_RE = re.compile(r"^(19|20)\d\d$")
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
ATTRIBUTION = "Secretariat of the Minamata Convention on Mercury"
TOTAL = "all"

MEASURES = {
    "active_learners": _l("People who recorded any learning activity (each person counted once per cell)."),
    "enrolments": _l("Enrolments in courses, workshop kits and webinar sessions."),
    "completions": _l("Completions of courses and workshop kits."),
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
            "true when the value is hidden: counts under 5 are hidden, and further cells "
            "are hidden so that hidden counts cannot be worked out from the totals."
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


def _period(model_month, year: str | None) -> list:
    return [model_month >= f"{year}-01", model_month <= f"{year}-12"] if year else []


def _distinct(conds: list) -> tuple[dict, dict, dict, int]:
    A = ActiveActor
    region = func.coalesce(func.nullif(A.region, ""), "unknown")
    cell = {
        (r, lang): n
        for r, lang, n in db.session.execute(
            select(region, A.language, func.count(distinct(A.actor_key)))
            .where(*conds)
            .group_by(region, A.language)
        )
    }
    rows = dict(
        db.session.execute(
            select(region, func.count(distinct(A.actor_key))).where(*conds).group_by(region)
        ).all()
    )
    cols = dict(
        db.session.execute(
            select(A.language, func.count(distinct(A.actor_key))).where(*conds).group_by(A.language)
        ).all()
    )
    grand = db.session.scalar(select(func.count(distinct(A.actor_key))).where(*conds)) or 0
    return cell, rows, cols, grand


def _monthly(verbs: tuple, kinds, year) -> dict:
    M = MonthlyCount
    region = func.coalesce(func.nullif(M.region, ""), "unknown")
    conds = [M.verb.in_(verbs), *_period(M.month, year)]
    if kinds:
        conds.append(M.kind.in_(kinds))
    return {
        (r, lang): int(n or 0)
        for r, lang, n in db.session.execute(
            select(region, M.language, func.sum(M.n)).where(*conds).group_by(region, M.language)
        )
    }


def _certificates(year) -> dict:
    C = Certificate
    region = func.coalesce(func.nullif(C.region, ""), "unknown")
    lang = func.coalesce(func.nullif(C.language, ""), "und")
    stmt = select(region, lang, C.issued_dt)
    out: dict = {}
    for r, lg, issued in db.session.execute(stmt):
        if year and str(issued.year) != year:
            continue
        out[(r, lg)] = out.get((r, lg), 0) + 1
    return out


def compute(year: str | None = None) -> dict:
    regions, langs = _regions(), _languages()
    out_rows = []
    period = year or TOTAL

    def emit(measure, grid, row_totals=None, col_totals=None, grand=None):
        cells = suppress(grid, row_totals, col_totals, grand, threshold=THRESHOLD)
        for ri, region in enumerate(regions):
            for ci, lang in enumerate(langs):
                v = cells[("x", ri, ci)]
                out_rows.append([measure, region, lang, v, v is None, period])
            v = cells[("R", ri)]
            out_rows.append([measure, region, TOTAL, v, v is None, period])
        for ci, lang in enumerate(langs):
            v = cells[("C", ci)]
            out_rows.append([measure, TOTAL, lang, v, v is None, period])
        v = cells[("G",)]
        out_rows.append([measure, TOTAL, TOTAL, v, v is None, period])

    A = ActiveActor
    for measure, extra in (("active_learners", []), ("webinar_viewers", [A.kind == "webinar"])):
        cell, rows, cols, grand = _distinct([*extra, *_period(A.month, year)])
        emit(
            measure,
            _grid(cell, regions, langs),
            [int(rows.get(r, 0)) for r in regions],
            [int(cols.get(c, 0)) for c in langs],
            int(grand),
        )
    emit("enrolments", _grid(_monthly(("registered",), None, year), regions, langs))
    emit("completions", _grid(_monthly(("completed",), LEARNING_KINDS, year), regions, langs))
    emit("certificates", _grid(_certificates(year), regions, langs))
    return {
        "tables": {
            "open_data": table(
                ["measure", "region", "language", "value", "is_suppressed", "period"], out_rows
            )
        },
        "period": period,
    }


def matrix(payload: dict, measure: str) -> tuple[list[str], list[str], dict]:
    """``(regions, languages, {(region, language): value})`` of one measure, for the page's tables."""
    values = {}
    for m, region, lang, value, *_rest in payload["tables"]["open_data"]["rows"]:
        if m == measure:
            values[(region, lang)] = value
    return [*_regions(), TOTAL], [*_languages(), TOTAL], values
