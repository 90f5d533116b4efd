"""webinars: how sizes, times and the languages a session is available in are shown, in the
reader's locale (Babel: "23 nov. 2026, 13:00" on a French page; file sizes: :func:`lms.i18n.file_size`)."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_date, format_time, get_datetime_format
from flask_babel import get_locale

from lms.config import LANGUAGES


def utc_when(dt: datetime | None) -> str:
    """A UTC moment as the reader's locale writes a medium date and a short time (hours and minutes,
    no seconds): "Nov 23, 2026, 1:00 PM", "23 nov. 2026, 13:00"."""
    if dt is None:
        return ""
    locale = get_locale()
    dt = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    pattern = get_datetime_format("medium", locale=locale)
    date_text = format_date(dt, "medium", locale=locale)
    time_text = format_time(dt, "short", tzinfo=UTC, locale=locale)
    return pattern.replace("{1}", date_text).replace("{0}", time_text)


def available_languages(session) -> list[tuple[str, list[str]]]:
    """``[(language, [what])]`` for the languages the session really has something in, in the order of
    :data:`lms.config.LANGUAGES`; ``what`` names ``video``, ``audio`` and ``captions`` (captions are
    also the transcript). Languages that were only planned (``session.languages``) are not listed."""
    found: dict[str, set[str]] = {}
    for rec in session.recordings:
        found.setdefault(rec.language, set()).add(rec.kind)
    for track in session.captions:
        found.setdefault(track.language, set()).add("captions")
    order = ("video", "audio", "captions")
    return [(code, [w for w in order if w in found[code]]) for code in LANGUAGES if code in found]


def listed_languages(session) -> list[str]:
    """The languages to show and register for a session: those it really has a recording or captions
    in; before any exists (an upcoming session), the languages it is planned in."""
    real = [code for code, _what in available_languages(session)]
    return real or [code for code in LANGUAGES if code in (session.languages or [])]
