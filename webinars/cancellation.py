"""webinars: cancelling a live session. The session stays on its pages, marked cancelled with the
organisers' message; its registrants are told by e-mail in their language, with a calendar file that
removes the event from their calendar; no reminder is sent for it any more and nobody can register."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import User, audit
from webinars.errors import WebinarError
from webinars.models import Registration, WebinarSession
from webinars.publishing import sync_registry
from webinars.registrations import _mail_registrant

# The longest message to the registrants (characters).
MESSAGE_MAX = 1000


def cancel_session(actor: User | None, session: WebinarSession, message: str = "", now=None) -> int:
    """Cancel ``session`` (published, not cancelled, its last run not ended), keep ``message`` (plain
    text, at most :data:`MESSAGE_MAX` characters; may be empty) for its pages, raise its calendar
    events' revision, and mail every active registrant whose run has not ended. Returns the number of
    mails queued. Refusals raise :class:`WebinarError` and change nothing. Flushes."""
    now = now or utcnow()
    message = (message or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if session.is_cancelled:
        raise WebinarError(_("This session has already been cancelled."))
    if not session.is_published:
        raise WebinarError(_("Only a published session can be cancelled; a draft can simply be edited."))
    if not session.can_be_cancelled(now):
        raise WebinarError(_("This session has already taken place: it can no longer be cancelled."))
    if len(message) > MESSAGE_MAX:
        raise WebinarError(
            _("The message to the registrants has at most %(max)s characters.", max=MESSAGE_MAX),
            field="message",
        )
    session.cancelled_dt = now
    session.cancel_message = message or None
    session.calendar_sequence += 1
    db.session.flush()
    sync_registry(session)
    queued = 0
    notice = _run_cancelled_notice(message) if session.is_partly_held else _cancelled_notice(message)
    for reg in db.session.scalars(
        select(Registration).where(Registration.session_id == session.id).order_by(Registration.id)
    ):
        start = reg.run_start()
        if not session.run_is_cancelled(start):
            continue  # a run already held is not news to those who attended it
        queued += _mail_registrant(reg, start, notice, method="CANCEL")
    audit(actor, "webinars.session.cancel", "webinars_session", session.uuid, told=queued)
    db.session.flush()
    return queued


def _cancelled_notice(message: str):
    def opening(v):
        subject = _("Session cancelled: %(title)s", title=v["title"])
        body = _(
            "Hello %(name)s,\n\n“%(title)s”, which you registered for, has been cancelled: it will not "
            "take place on %(time)s as planned.",
            **v,
        )
        return subject, body

    return _notice(opening, message)


def _run_cancelled_notice(message: str):
    """For the registrants of the second run when the first has already taken place: only their run
    is cancelled."""

    def opening(v):
        subject = _("Second run cancelled: %(title)s", title=v["title"])
        body = _(
            "Hello %(name)s,\n\nThe run of “%(title)s” on %(time)s, which you registered for, has been "
            "cancelled and will not take place. The first run took place as planned.",
            **v,
        )
        return subject, body

    return _notice(opening, message)


def _notice(opening, message: str):
    def compose(v):
        subject, body = opening(v)
        if message:
            body += "\n\n" + _("Message from the organisers:") + "\n\n" + message
        body += "\n\n" + _(
            "Session page: %(url)s\n\nThe attached calendar file removes the event from your calendar.", **v
        )
        return subject, body

    return compose
