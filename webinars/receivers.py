"""webinars: how the plugin answers the core's signals (progress and enrolment requests from readiness
and analytics, deletion and export of a user's data). Connected by :mod:`webinars.plugin`."""

from __future__ import annotations

from datetime import UTC

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from lms import signals
from lms.db import db, utcnow
from lms.i18n import current_language
from lms.plugins import is_enabled
from lms.timezones import moment
from webinars import registrations, resume, tracking
from webinars.models import Attendance, Chapter, Registration, WatchState, WebinarSession, pick_text
from webinars.publishing import session_url


def _session_for(resource) -> tuple[WebinarSession | None, Chapter | None]:
    if resource.kind == "webinar":
        return db.session.scalar(select(WebinarSession).where(WebinarSession.uuid == resource.key)), None
    if resource.kind == "webinar_chapter":
        chapter = db.session.scalar(select(Chapter).where(Chapter.uuid == resource.key))
        return (chapter.session, chapter) if chapter else (None, None)
    return None, None


def on_progress_requested(user, resources=(), **kw) -> dict:
    """``completed`` when the recording was watched to the completion fraction (a chapter: that share
    of the chapter) or the session was attended live; ``enrolled`` when registered or started."""
    out = {}
    if not is_enabled("webinars"):
        return out
    for res in resources:
        session, chapter = _session_for(res)
        if session is None:
            continue
        state = db.session.scalar(select(WatchState).filter_by(session_id=session.id, user_id=user.id))
        attended = db.session.scalar(select(Attendance.id).filter_by(session_id=session.id, user_id=user.id))
        if chapter is not None:
            later = [c.start_s for c in session.chapters if c.start_s > chapter.start_s]
            end = min(later) if later else session.duration_min * 60
            if state is not None and state.length_s:
                end = min(end, int(state.length_s))
            done = tracking.chapter_done(state, chapter.start_s, end) or attended is not None
        else:
            done = (state is not None and state.is_completed) or attended is not None
        registered = db.session.scalar(
            select(Registration.id).filter_by(session_id=session.id, user_id=user.id)
        )
        if done:
            out[res.id] = "completed"
        elif state is not None or registered is not None:
            out[res.id] = "enrolled"
    return out


def on_enrolment_requested(resource, user=None, source=None, **kw):
    """An upcoming session: register the user; a past one: put it on their list (a watch state)."""
    if not is_enabled("webinars"):
        return None
    session, _chapter = _session_for(resource)
    if session is None or user is None or not session.is_published or session.is_cancelled:
        return None
    if session.is_upcoming():
        run = 1 if session.start_dt > utcnow() else 2
        registrations.register(user, session, run)
    elif db.session.scalar(select(WatchState.id).filter_by(session_id=session.id, user_id=user.id)) is None:
        db.session.add(WatchState(session_id=session.id, user_id=user.id, segments=[]))
        db.session.flush()
    return True


def on_user_deleted(user, pseudonym=None, **kw) -> None:
    if is_enabled("webinars"):
        tracking.forget_user(user)


def on_user_data_export(user, **kw):
    return ("webinars", tracking.export_user(user)) if is_enabled("webinars") else None


def on_agenda_requested(user, **kw) -> list[dict]:
    """The live sessions ``user`` registered for that have not started yet (their registered run)."""
    if not is_enabled("webinars"):
        return []
    lang = current_language()
    now = utcnow()
    out = []
    rows = db.session.scalars(
        select(Registration)
        .join(WebinarSession, WebinarSession.id == Registration.session_id)
        .where(Registration.user_id == user.id, WebinarSession.is_published.is_(True))
        .options(contains_eager(Registration.session))  # one query, not one per registration
    )
    for reg in rows:
        session, start = reg.session, reg.run_start()
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
        if not session.is_published or session.is_cancelled or start <= now:
            continue
        title, shown = pick_text(session.titles, lang, session.source_language)
        out.append(
            {
                "title": title,
                "language": shown,
                "kind": _("Webinar"),
                "when": moment(start),
                "start": start,
                "url": session_url(session),
            }
        )
    return out


def connect() -> None:
    signals.agenda_requested.connect(on_agenda_requested)
    signals.resume_requested.connect(resume.on_resume_requested)
    signals.followed_requested.connect(resume.on_followed_requested)
    signals.progress_requested.connect(on_progress_requested)
    signals.enrolment_requested.connect(on_enrolment_requested)
    signals.user_deleted.connect(on_user_deleted)
    signals.user_data_export.connect(on_user_data_export)
