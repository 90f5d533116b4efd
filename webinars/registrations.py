"""webinars: registrations for upcoming sessions (one of their runs), the calendar file (.ics) and
the reminder mails the scheduled job queues at the configured offsets before each run."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from lms.calendar import calendar_file, new_event
from lms.config import LANGUAGES
from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import User
from lms.timezones import moment, user_zone
from lms.xapi import activity_iri, record_statement
from webinars.errors import WebinarError
from webinars.models import Registration, ReminderSent, WebinarSession, pick_text
from webinars.publishing import session_url
from webinars.settings import setting


# --- registrations -----------------------------------------------------------------------------------
def register(user: User, session: WebinarSession, run: int = 1) -> Registration:
    """Register for an upcoming session (idempotent; changes the run when registered already)."""
    if session.is_cancelled:
        raise WebinarError(_("This session has been cancelled: registration is closed."))
    if not session.is_published:
        raise WebinarError(_("This session is not open for registration."))
    if run not in (1, 2) or (run == 2 and session.second_start_dt is None):
        raise WebinarError(_("This session has no such run."))
    start = session.second_start_dt if run == 2 else session.start_dt
    if start <= utcnow():
        raise WebinarError(_("This run has already started; watch the recording instead."))
    reg = db.session.scalar(select(Registration).filter_by(session_id=session.id, user_id=user.id))
    if reg is None:
        reg = Registration(session_id=session.id, user_id=user.id, run=run)
        db.session.add(reg)
        db.session.flush()
        record_statement(
            user=user,
            verb="registered",
            activity_id=activity_iri("webinar", session.uuid),
            activity_type="webinar",
            activity_name=session.titles,
            registration=reg.uuid,
        )
        _mail_registrant(reg, start, _confirmation)
    elif reg.run != run:
        reg.run = run
        db.session.execute(ReminderSent.__table__.delete().where(ReminderSent.registration_id == reg.id))
        _mail_registrant(reg, start, _confirmation)
    db.session.flush()
    return reg


def unregister(user: User, session: WebinarSession) -> None:
    """Cancel ``user``'s registration; refused (``WebinarError``) once their run has ended."""
    reg = db.session.scalar(select(Registration).filter_by(session_id=session.id, user_id=user.id))
    if reg is not None and reg.is_over():
        raise WebinarError(
            _("Your run of this session has ended: its registration can no longer be cancelled.")
        )
    if reg is not None:
        db.session.delete(reg)
        db.session.flush()


def registration_for(user, session: WebinarSession) -> Registration | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Registration).filter_by(session_id=session.id, user_id=user.id))


def ics_for(
    session: WebinarSession, lang: str, run: int | None = None, registrant: bool = False, method="PUBLISH"
) -> bytes:
    """An iCalendar file with the session's run(s); a ``registrant``'s also gives the address where
    they join the live session (as the events' location), unless the session is cancelled. A cancelled
    session's runs are marked cancelled, except one held before the cancellation; ``method``: the iTIP
    method (``CANCEL`` in the mail telling registrants)."""
    url = current_app.config["BASE_URL"].rstrip("/") + session_url(session)
    title, _used = pick_text(session.titles, lang, session.source_language)
    events = []
    for number, start in enumerate(session.runs(), start=1):
        if run is not None and number != run:
            continue
        event = new_event(f"{session.uuid}-{number}", title, url, session.updated_dt)
        event.add("sequence", session.calendar_sequence)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=session.duration_min))
        event.add("status", "CANCELLED" if session.run_is_cancelled(start) else "CONFIRMED")
        if registrant and session.join_url and not session.is_cancelled:
            event.add("location", session.join_url)
            event.add("description", f"{url}\n{session.join_url}")
        else:
            event.add("description", url)
        events.append(event)
    return calendar_file("webinars", events, method=method)


def send_due_reminders(now: datetime | None = None) -> int:
    """Queue reminder mails (with an .ics file) for registrations whose run starts within one of the
    configured offsets. One mail per registration and due moment, never twice; when several offsets
    are due at once (a late registration) only the nearest is sent. Returns the number queued."""
    now = now or utcnow()
    offsets = sorted({int(o) for o in setting("WEBINARS_REMINDER_OFFSETS_MIN")})
    if not offsets:
        return 0
    horizon = now + timedelta(minutes=max(offsets))
    regs = db.session.scalars(
        select(Registration)
        .join(WebinarSession)
        .where(
            WebinarSession.is_published.is_(True),
            WebinarSession.cancelled_dt.is_(None),
            ((WebinarSession.start_dt > now) & (WebinarSession.start_dt <= horizon))
            | ((WebinarSession.second_start_dt > now) & (WebinarSession.second_start_dt <= horizon)),
        )
    ).all()
    queued = 0
    for reg in regs:
        start = reg.run_start()
        if not now < start <= horizon:
            continue
        due = [o for o in offsets if start - timedelta(minutes=o) <= now]
        if not due:
            continue
        sent = set(
            db.session.scalars(select(ReminderSent.offset_min).where(ReminderSent.registration_id == reg.id))
        )
        if min(due) in sent:
            continue
        queued += _queue_reminder(reg, start)
        for offset in due:  # handled, sent or not (the user may have turned reminders off)
            if offset not in sent:
                db.session.add(ReminderSent(registration_id=reg.id, offset_min=offset))
    db.session.flush()
    return queued


def notify_changed(
    session: WebinarSession, old_runs: list[datetime], old_duration: int, old_join_url: str | None, now=None
) -> int:
    """After a session's runs, length or join address changed (the ``old_*`` values are those before):
    raise the calendar events' revision; let the reminders of every registrant whose run moved be sent
    again for the new time; and, when the session is published, mail each registrant of a run still to
    come what changed (time, length or join address), with the new calendar file. A registration for a
    second run that no longer exists moves to the first, unless the first has started (refused with
    ``WebinarError``: those people would lose their run without being told). Returns the number of mails
    queued. Flushes."""
    now = now or utcnow()
    if (session.runs(), session.duration_min, session.join_url) == (old_runs, old_duration, old_join_url):
        return 0
    session.calendar_sequence += 1
    queued = 0
    for reg in db.session.scalars(select(Registration).where(Registration.session_id == session.id)):
        old_start = old_runs[reg.run - 1] if reg.run <= len(old_runs) else old_runs[0]
        if reg.run == 2 and session.second_start_dt is None:
            if session.start_dt <= now:
                raise WebinarError(
                    _(
                        "People are registered for the second run and the first has already started: "
                        "the second run cannot be removed."
                    ),
                    field="second_start",
                )
            reg.run = 1
        start = reg.run_start()
        moved = (start, session.duration_min) != (old_start, old_duration)
        if start <= now or not (moved or session.join_url != old_join_url):
            continue
        if moved:
            db.session.execute(delete(ReminderSent).where(ReminderSent.registration_id == reg.id))
        if not session.is_published or session.is_cancelled:
            # Nobody is told about a session that is not shown or will not take place; the reminders of
            # an unpublished one follow the new time.
            continue
        if start != old_start:
            queued += _mail_registrant(reg, start, _moved_notice(old_start))
        elif moved:
            queued += _mail_registrant(reg, start, _longer_or_shorter_notice(old_duration))
        elif session.join_url:
            queued += _mail_registrant(reg, start, _join_notice)
    db.session.flush()
    return queued


def _moved_notice(old_start: datetime):
    def compose(v):
        subject = _("New time: %(title)s starts at %(time)s", title=v["title"], time=v["time"])
        body = _(
            "Hello %(name)s,\n\nThe time of “%(title)s”, which you registered for, has changed: it now "
            "starts on %(time)s (instead of %(old_time)s) and lasts %(minutes)s minutes.\n\n"
            "Session page: %(url)s\n\nThe "
            "attached calendar file updates the event in your calendar. If the new time does not suit "
            "you, you can cancel your registration on the session page.",
            old_time=moment(old_start, v["zone"]),
            **v,
        )
        return subject, body

    return compose


def _longer_or_shorter_notice(old_duration: int):
    def compose(v):
        subject = _("New length: %(title)s lasts %(minutes)s minutes", title=v["title"], minutes=v["minutes"])
        body = _(
            "Hello %(name)s,\n\n“%(title)s”, which you registered for, now lasts %(minutes)s minutes "
            "(instead of %(old_minutes)s). It still starts on %(time)s.\n\nSession page: %(url)s\n\n"
            "The attached calendar file updates the event in your calendar.",
            old_minutes=old_duration,
            **v,
        )
        return subject, body

    return compose


def _join_notice(v):
    subject = _("How to join: %(title)s", title=v["title"])
    body = _(
        "Hello %(name)s,\n\nThe address where you join “%(title)s” live is new or has changed. The "
        "session starts on %(time)s and lasts %(minutes)s minutes.\n\nSession page: %(url)s\n\n"
        "The attached calendar file updates the event in your calendar.",
        **v,
    )
    return subject, body


def _queue_reminder(reg: Registration, start: datetime) -> bool:
    """Queue the reminder mail unless the user is gone or turned reminder e-mails off in their profile."""
    if reg.user is not None and reg.user.is_reminders_off:
        return False

    def compose(v):
        subject = _("Reminder: %(title)s starts at %(time)s", title=v["title"], time=v["time"])
        return subject, _registered_body(v)

    return _mail_registrant(reg, start, compose)


def _registered_body(v) -> str:
    """The confirmation's and reminders' body; while the join address is not set, says how it will come."""
    body = _(
        "Hello %(name)s,\n\nYou registered for “%(title)s”. It starts on %(time)s and lasts "
        "%(minutes)s minutes.\n\nSession page: %(url)s\n\nThe attached calendar file adds it to "
        "your calendar.",
        **v,
    )
    if v["join_url"]:
        return body
    later = _(
        "The address where you join the live session is not set yet: when the organisers add it, it "
        "will be e-mailed to you and shown on the session page."
    )
    return body + "\n\n" + later


def _confirmation(v):
    """The mail that confirms a registration (or a change of run) at once, before any reminder."""
    subject = _("You are registered: %(title)s, %(time)s", title=v["title"], time=v["time"])
    return subject, _registered_body(v)


def _mail_registrant(reg: Registration, start: datetime, compose, method: str = "PUBLISH") -> bool:
    """Queue a mail about ``reg``'s run starting at ``start``, in the registrant's language, with the
    run's calendar file (iTIP ``method``); ``compose(values)`` gives its subject and body from ``name``,
    ``title``, ``time``, ``minutes`` and ``url``. Closed and deleted accounts get nothing (returns
    False). A cancelled session's mail gives no join address."""
    user, session = reg.user, reg.session
    if user is None or not user.is_active:
        return False
    lang = user.locale if user.locale in LANGUAGES else "en"
    title, _used = pick_text(session.titles, lang, session.source_language)
    url = current_app.config["BASE_URL"].rstrip("/") + session_url(session)
    with force_locale(lang):
        zone = user_zone(user)
        values = {"name": user.name, "title": title, "minutes": session.duration_min}
        values["time"] = moment(start, zone)
        subject, body = compose({**values, "url": url, "zone": zone, "join_url": session.join_url})
        if session.join_url and not session.is_cancelled:
            body += "\n\n" + _("Join the live session at this address: %(url)s", url=session.join_url)
    queue_mail(
        user.email,
        subject,
        body,
        attachments=[
            (
                f"{session.slug}.ics",
                "text/calendar",
                ics_for(session, lang, reg.run, registrant=True, method=method),
            )
        ],
    )
    return True
