"""Countries (ISO 3166-1) and the UN regional groups as the Convention uses them. Names are localised
with Babel's territory names, so no country name is stored or translated by hand."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from babel import Locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.db import db
from lms.i18n import sort_key
from lms.models import Country

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries.csv"

REGION_NAMES = {
    "africa": _l("Africa"),
    "asia_pacific": _l("Asia-Pacific"),
    "ceeg": _l("Central and Eastern Europe"),
    "grulac": _l("Latin America and the Caribbean"),
    "weog": _l("Western European and others"),
}


@cache
def country_rows() -> tuple[tuple[str, str, str], ...]:
    """``(alpha2, alpha3, region)`` for every State in the data file."""
    with DATA_FILE.open(newline="", encoding="utf-8") as fh:
        return tuple((r["alpha2"], r["alpha3"], r["region"]) for r in csv.DictReader(fh))


def _locale(locale) -> Locale:
    if locale is None:
        from lms.i18n import current_language

        locale = current_language()
    return Locale.parse(str(locale))


def country_name(code: str | None, locale=None) -> str:
    if not code:
        return ""
    return _locale(locale).territories.get(code.upper(), code.upper())


def region_name(region: str) -> str:
    return str(REGION_NAMES.get(region, region))


def country_choices(locale=None) -> list[tuple[str, str]]:
    """``(code, localised name)`` sorted by name in that language."""
    loc = _locale(locale)
    names = [(code, loc.territories.get(code, code)) for code, _a3, _r in country_rows()]
    return sorted(names, key=lambda pair: sort_key(pair[1], str(loc)))


def ensure_countries() -> int:
    """Insert or update every country from the data file; returns how many were added. Flushes."""
    existing = {c.code: c for c in db.session.scalars(select(Country))}
    added = 0
    for code, alpha3, region in country_rows():
        row = existing.get(code)
        if row is None:
            db.session.add(Country(code=code, alpha3=alpha3, region=region))
            added += 1
        else:
            row.alpha3, row.region = alpha3, region
    db.session.flush()
    return added
