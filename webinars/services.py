"""webinars: the services API, one import path for views, the CLI and the demo. The services live
by topic and are re-exported here: the series, seasons and sessions in :mod:`webinars.sessions`;
recordings, captions, slides and chapters in :mod:`webinars.materials`; publishing (registry, search
index, followers' notices) in :mod:`webinars.publishing`; cancelling a live session in
:mod:`webinars.cancellation`; Q&A in :mod:`webinars.qa`; registrations and
reminders in :mod:`webinars.registrations`; attendance and watching in :mod:`webinars.tracking`.

Services take explicit arguments, never touch the request, and only flush; the caller commits once.
Refused input raises :class:`webinars.errors.WebinarError` with a translated reason.
"""

from __future__ import annotations

from webinars.cancellation import cancel_session
from webinars.materials import (
    chapters_track,
    delete_attachment,
    delete_captions,
    delete_chapter,
    delete_recording,
    save_attachment,
    save_captions,
    save_chapter,
    save_recording,
)  # fmt: skip
from webinars.publishing import (
    content_changed,
    is_following,
    notify_recording_available,
    publish_session,
    reindex,
    session_url,
    set_following,
    sync_registry,
    unpublish_session,
)  # fmt: skip
from webinars.sessions import (
    ensure_series,
    save_season,
    save_session,
    season_problems,
    session_problems,
    set_season_text,
    set_session_text,
)  # fmt: skip
from webinars.validation import parse_articles

__all__ = [
    "cancel_session",
    "chapters_track",
    "content_changed",
    "delete_attachment",
    "delete_captions",
    "delete_chapter",
    "delete_recording",
    "ensure_series",
    "is_following",
    "notify_recording_available",
    "parse_articles",
    "publish_session",
    "reindex",
    "save_attachment",
    "save_captions",
    "save_chapter",
    "save_recording",
    "save_season",
    "save_session",
    "season_problems",
    "session_problems",
    "session_url",
    "set_following",
    "set_season_text",
    "set_session_text",
    "sync_registry",
    "unpublish_session",
]
