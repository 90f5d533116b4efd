"""Time zones: the zone a person reads times in, and a moment written with its zone's name.

Times are stored in UTC (:class:`lms.db.UTCDateTime`). A signed-in user reads them in their own zone
(:func:`user_zone`): the one chosen on their profile, else their country's only or main one, else
UTC. Visitors read UTC. Flask-Babel's ``timezone_selector`` is :func:`select_zone`, so the ``datetime``,
``date`` and ``datetime_minutes`` filters convert to that zone; where a time matters on its own (a live
session, a mail) write it with :func:`moment`, which names the zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import (
    format_date,
    format_interval,
    format_time,
    get_datetime_format,
    get_time_format,
    get_timezone_location,
    get_timezone_name,
)
from flask import has_request_context
from flask_babel import get_locale, get_timezone
from flask_login import current_user

UTC_ZONE = "UTC"


@cache
def _country_zones() -> dict[str, tuple[str, ...]]:
    """ISO 3166 country code -> its IANA zones (CLDR's list; only zones this machine's tz database has)."""
    known = available_timezones()
    return {
        code: tuple(z for z in zones if z in known)
        for code, zones in get_global("territory_zones").items()
        if len(code) == 2 and code.isalpha() and code != "ZZ"  # ZZ: CLDR's "Unknown Region" (Etc/GMT+3...)
    }


@cache
def zone_names() -> frozenset[str]:
    """The zones a user may choose: every zone of a country, and UTC."""
    return frozenset(z for zones in _country_zones().values() for z in zones) | {UTC_ZONE}


@cache
def _cldr_ids() -> dict[str, str]:
    """Zone -> the older id under which Babel's CLDR data keeps its names, where the two differ
    ("Asia/Kolkata" -> "Asia/Calcutta", "Europe/Kyiv" -> "Europe/Kiev"). Babel looks the names up under
    the newer id and finds none: India's time would read "GMT+05:30" and Kyiv would not be translated."""
    meta_zones = get_global("meta_zones")
    aliases = get_global("zone_aliases").items()
    return {new: old for old, new in aliases if old in meta_zones and new not in meta_zones}


def _renamed_zone_name(zone: str, local: datetime, locale: str, variant: str | None = None) -> str | None:
    """The long name of a renamed zone at ``local`` ("India Standard Time"), which Babel cannot find;
    ``variant``: "generic" for the name without summer or standard time."""
    cldr_id = _cldr_ids().get(zone)
    if cldr_id is None:
        return None
    names = Locale.parse(locale).meta_zones.get(get_global("meta_zones")[cldr_id], {}).get("long", {})
    return names.get(variant or ("daylight" if local.dst() else "standard"))


def country_zones(country_code: str | None) -> tuple[str, ...]:
    return _country_zones().get((country_code or "").upper(), ())


MAIN_ZONES = {
    # Countries whose zones all keep the same time (CLDR lists a town or region apart).
    "AR": "America/Argentina/Buenos_Aires", "CY": "Asia/Nicosia", "DE": "Europe/Berlin",
    "KZ": "Asia/Almaty", "MH": "Pacific/Majuro", "MY": "Asia/Kuala_Lumpur", "PS": "Asia/Hebron",
    "UZ": "Asia/Tashkent",
    # Countries with islands or a region apart, where the capital's zone is nearly everyone's.
    "CD": "Africa/Kinshasa", "CL": "America/Santiago", "CN": "Asia/Shanghai", "EC": "America/Guayaquil",
    "ES": "Europe/Madrid", "FM": "Pacific/Pohnpei", "KI": "Pacific/Tarawa", "MN": "Asia/Ulaanbaatar",
    "NZ": "Pacific/Auckland", "PF": "Pacific/Tahiti", "PG": "Pacific/Port_Moresby", "PT": "Europe/Lisbon",
    "UA": "Europe/Kyiv",
}  # fmt: skip
"""The main zone of countries with several (CLDR's ``territory_zones`` has no such notion). Countries
spread over several times (Brazil, Russia, the United States...) have none: their people choose."""


def automatic_zone(country_code: str | None) -> str:
    """The zone of someone who chose none: their country's only or main zone (:data:`MAIN_ZONES`);
    otherwise UTC."""
    zones = country_zones(country_code)
    if len(zones) == 1:
        return zones[0]
    main = MAIN_ZONES.get((country_code or "").upper())
    return main if main in zones else UTC_ZONE


def user_zone(user) -> str:
    """The IANA name of the zone ``user`` reads times in (see the module's docstring)."""
    chosen = getattr(user, "time_zone", None)
    if chosen in zone_names():
        return chosen
    return automatic_zone(getattr(user, "country_code", None))


def _signed_in_user():
    if has_request_context() and current_user and getattr(current_user, "is_authenticated", False):
        return current_user
    return None


def select_zone() -> str | None:
    """Flask-Babel's timezone selector: the signed-in user's zone; ``None`` (UTC) for visitors, CLI
    commands and scheduled jobs."""
    user = _signed_in_user()
    return user_zone(user) if user is not None else None


def reader_zone_is_default() -> bool:
    """True when this request's reader has no zone of their own: a visitor, or a user who chose none
    and whose country has several zones (or who has no country). Their times are in UTC, which the
    browser may show in its own zone; a zone chosen on the profile, UTC included, is kept."""
    user = _signed_in_user()
    return user is None or (user.time_zone not in zone_names() and user_zone(user) == UTC_ZONE)


def reader_zone() -> str:
    """The zone of this request's reader (UTC outside a request)."""
    return str(get_timezone() or UTC_ZONE) if has_request_context() else UTC_ZONE


def moment(dt: datetime | None, zone: str | None = None, locale: str | None = None) -> str:
    """A moment to the minute in ``zone`` (default: the reader's), with the zone's name where
    ``locale`` (default: the reader's) puts it in a full time, after a medium date: "Nov 25, 2026, 5:00
    PM East Africa Time", "25 nov 2026, 17:00 (hora de África oriental)", "2026年11月25日 东部非洲时间
    17:00"; "UTC" for UTC, and "GMT+03:00" where CLDR has no name (Jordan, Syria). Naive datetimes are
    taken as UTC."""
    if dt is None:
        return ""
    zone = zone or reader_zone()
    locale = locale or str(get_locale() or "en")
    dt = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt
    local = dt.astimezone(ZoneInfo(zone))
    # The locale's full time without its seconds: its zone name (zzzz) sits where that language puts it.
    time_pattern = get_time_format("full", locale=locale).pattern.replace(":ss", "")
    name = UTC_ZONE if zone == UTC_ZONE else _renamed_zone_name(zone, local, locale)
    if name:
        time_pattern = time_pattern.replace("zzzz", "'{}'".format(name.replace("'", "''")))
    pattern = get_datetime_format("medium", locale=locale).replace("'", "")
    return pattern.replace("{1}", format_date(local, "medium", locale=locale)).replace(
        "{0}", format_time(local, time_pattern, tzinfo=local.tzinfo, locale=locale)
    )


@lru_cache(maxsize=8)
def zone_choices(locale: str) -> tuple[tuple[str, str], ...]:
    """``(zone, label)`` for every zone a user may choose, in ``locale``'s alphabetical order of the
    labels: the country's name, with the city where the country has several zones ("Brazil (São
    Paulo)", "Kenya"), and UTC first."""
    from lms.i18n import details_in_parentheses, details_text, sort_key  # lms.i18n imports this module

    names = Locale.parse(locale).territories
    options = []
    for code, zones in _country_zones().items():
        if code not in names:
            continue
        for zone in zones:
            if len(zones) == 1:
                label = names[code]
            else:
                # Where CLDR has no name for the city, Babel gives the rest of the zone id
                # ("Argentina/Buenos Aires"): its last part is the city. A city already in brackets
                # ("Beulah (Dakota du Nord)"), or in a country whose name has some ("刚果（金）"),
                # follows the country after a comma instead.
                cldr_names = Locale.parse(locale).time_zones.get(_cldr_ids().get(zone, zone)) or {}
                city = (
                    cldr_names.get("city")
                    or get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True).split("/")[-1]
                )
                language = locale.split("_")[0]
                if any(bracket in text for text in (names[code], city) for bracket in "(（"):
                    label = details_text([names[code], city], language).unescape()
                else:
                    label = names[code] + details_in_parentheses([city], language).unescape()
            options.append((zone, label))
    options.sort(key=lambda option: sort_key(option[1], locale))
    return ((UTC_ZONE, "UTC"), *options)


@lru_cache(maxsize=8)
def _zone_labels(locale: str) -> dict[str, str]:
    # The footer of every signed-in page names the reader's zone: one dict per locale, not per page.
    return dict(zone_choices(locale))


def zone_label(zone: str, locale: str | None = None) -> str:
    """The label :func:`zone_choices` gives ``zone`` in ``locale`` (default: the reader's)."""
    return _zone_labels(locale or str(get_locale() or "en")).get(zone, zone)


def zone_name(zone: str, local: datetime, locale: str, generic: bool = False) -> str:
    """The long name of ``zone`` at the aware moment ``local`` in ``locale`` ("Central European Summer
    Time"; with ``generic``, the name that holds all year, "Central European Time"): "UTC" for UTC,
    "GMT+03:00" where CLDR has no name."""
    if zone == UTC_ZONE:
        return UTC_ZONE
    variant = "generic" if generic else None
    return _renamed_zone_name(zone, local, locale, variant) or get_timezone_name(
        local, "long", zone_variant=variant, locale=locale
    )


def _medium_moment(local: datetime, locale: str) -> str:
    pattern = get_datetime_format("medium", locale=locale).replace("'", "")
    return pattern.replace("{1}", format_date(local, "medium", locale=locale)).replace(
        "{0}", format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    )


def daily_hours_parts(
    day: date, start: time, end: time, zone: str, locale: str | None = None, last_day: date | None = None
) -> tuple[str, str]:
    """Hours kept each day from ``day`` to ``last_day`` at a place in ``zone``, the reader's way, and
    the zone's name (summer or standard time; the name that holds all year when the clocks change in
    between): ("9:00 AM – 5:00 PM", "Central European Summer Time"), ("09:00–17:30", "中欧夏令时间")."""
    locale = locale or str(get_locale() or "en")
    first = datetime.combine(day, start, ZoneInfo(zone))
    last = datetime.combine(last_day or day, start, ZoneInfo(zone))
    name = zone_name(zone, first, locale, generic=first.utcoffset() != last.utcoffset())
    skeleton = "hm" if "h" in get_time_format("short", locale=locale).pattern else "Hm"
    return format_interval(start, end, skeleton, locale=locale), name


def daily_hours(
    day: date, start: time, end: time, zone: str, locale: str | None = None, last_day: date | None = None
) -> str:
    """:func:`daily_hours_parts` as "9:00 AM – 5:00 PM (Central European Summer Time)"."""
    from lms.i18n import details_in_parentheses  # lms.i18n imports this module

    locale = locale or str(get_locale() or "en")
    hours, name = daily_hours_parts(day, start, end, zone, locale, last_day)
    return hours + details_in_parentheses([name], locale.split("_")[0]).unescape()


def hours_elsewhere(
    day: date, start: time, end: time, zone: str, other: str, locale: str | None = None
) -> str | None:
    """The hours ``start``–``end`` of ``day`` at ``zone`` as moments in the zone ``other``, with its
    name ("May 3, 2027, 4:00 AM – 12:00 PM (Brasilia Standard Time)"; the end's date is written when it
    is another day there); ``None`` when ``other`` keeps the same time as ``zone`` that day."""
    from lms.i18n import details_in_parentheses

    locale = locale or str(get_locale() or "en")
    first, last = (datetime.combine(day, t, ZoneInfo(zone)) for t in (start, end))
    there = ZoneInfo(other)
    if first.utcoffset() == first.astimezone(there).utcoffset():
        return None
    first, last = first.astimezone(there), last.astimezone(there)
    end_text = (
        format_time(last, "short", tzinfo=there, locale=locale)
        if last.date() == first.date()
        else _medium_moment(last, locale)
    )
    there_name = details_in_parentheses([zone_name(other, first, locale)], locale.split("_")[0])
    return f"{_medium_moment(first, locale)} – {end_text}{there_name.unescape()}"
