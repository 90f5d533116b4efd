"""webinars: how sizes, times and the languages a session is available in are shown, in the
reader's locale (Babel: "23 nov. 2026, 13:00" on a French page; file sizes: :func:`lms.i18n.file_size`)."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import format_timedelta
from sqlalchemy.orm import selectinload

from lms.config import LANGUAGES
from lms.i18n import list_text
from webinars.models import CaptionTrack, WebinarSession
from webinars.settings import setting


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


def with_languages() -> tuple:
    """Loader options for a list of sessions that shows each one's languages (:func:`listed_languages`):
    every session's recordings and caption tracks in one query each, without the captions' text."""
    return (
        selectinload(WebinarSession.recordings),
        selectinload(WebinarSession.captions).defer(CaptionTrack.vtt),
    )


def reminder_times() -> str:
    """How long before a live run the reminder mails leave, in the reader's language ("1 day and
    1 hour"); "" when none is configured. Each offset in its largest whole unit ("90 minutes")."""
    offsets = sorted({int(m) for m in setting("WEBINARS_REMINDER_OFFSETS_MIN")}, reverse=True)

    def _written(m: int) -> str:
        unit = "day" if m % 1440 == 0 else "hour" if m % 60 == 0 else "minute"
        return format_timedelta(timedelta(minutes=m), granularity=unit, threshold=10**9)

    return list_text(_written(m) for m in offsets)
