"""webinars: settings with their defaults. Override any of them in ``instance/config.py`` or with an
``LMS_<NAME>`` environment variable (e.g. ``LMS_WEBINARS_COMPLETION_FRACTION=0.8``)."""

from __future__ import annotations

from flask import current_app

DEFAULTS = {
    # A recording counts as completed when this fraction of it has been watched.
    "WEBINARS_COMPLETION_FRACTION": 0.9,
    # Reminder mails to registered attendees, in minutes before the start of their run.
    "WEBINARS_REMINDER_OFFSETS_MIN": [1440, 60],
    # Upload limits.
    "WEBINARS_MAX_MEDIA_MB": 190,
    "WEBINARS_MAX_SLIDES_MB": 50,
    "WEBINARS_MAX_CAPTION_KB": 2048,
    "WEBINARS_MAX_CSV_KB": 2048,
    # Follow-up questions: at most COUNT per user in SECONDS, and a length range in characters.
    "WEBINARS_QUESTION_RATE": [5, 3600],
    "WEBINARS_QUESTION_MIN_CHARS": 10,
    "WEBINARS_QUESTION_MAX_CHARS": 2000,
    "WEBINARS_ANSWER_MAX_CHARS": 5000,
}


def setting(name: str):
    return current_app.config.get(name, DEFAULTS[name])
