"""webinars: the recordings a user follows: those started and not finished, for the home page's
"Continue learning" (:data:`lms.signals.resume_requested`), and every one they started, finished or
put on their list, for "My learning" (:data:`lms.signals.followed_requested`)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import exists, select

from lms.db import db
from lms.i18n import current_language
from lms.plugins import is_enabled
from webinars.captions import format_clock
from webinars.models import Recording, WatchState, WebinarSession, pick_text
from webinars.publishing import session_url


def _items(user, limit, *conditions) -> list[dict]:
    """The user's watch states of published sessions meeting ``conditions``, most recently active
    first, at most ``limit``, as the signals describe them."""
    if not is_enabled("webinars") or user is None or not getattr(user, "id", None):
        return []
    rows = db.session.execute(
        select(WatchState, WebinarSession)
        .join(WebinarSession, WebinarSession.id == WatchState.session_id)
        .where(WatchState.user_id == user.id, WebinarSession.is_published.is_(True), *conditions)
        .order_by(WatchState.updated_dt.desc(), WatchState.id.desc())
        .limit(max(0, int(limit)))
    ).all()
    lang = current_language()
    out = []
    for state, session in rows:
        title, shown = pick_text(session.titles, lang, session.source_language)
        position = int(state.position_s)
        if state.is_completed:
            progress, url = _("watched"), session_url(session)
        elif position > 0:
            progress, url = (
                _("stopped at %(time)s", time=format_clock(position)),
                session_url(session, position),
            )
        else:
            progress, url = _("not started"), session_url(session)
        out.append(
            {
                "title": title,
                "language": shown,
                "kind": _("Webinar"),
                "progress": progress,
                "url": url,
                "last_active": state.updated_dt,
            }
        )
    return out


def on_resume_requested(user, limit=3, **kw) -> list[dict]:
    """The published sessions whose recording ``user`` watched part of without completing it, most
    recently watched first, at most ``limit``: each with the position reached and a link that starts
    the recording there."""
    return _items(user, limit, WatchState.is_completed.is_(False), WatchState.position_s > 0)


def on_followed_requested(user, limit=50, **kw) -> list[dict]:
    """Every published session whose recording ``user`` started, finished or put on their list (a
    learning path does), most recently active first, at most ``limit``. Only sessions with a recording:
    one put on the list before its recording is published is listed once it is (its watch state waits
    for it); one still to come is on the user's agenda when they are registered."""
    return _items(user, limit, exists().where(Recording.session_id == WebinarSession.id))
