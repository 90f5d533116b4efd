"""webinars: tracking. Registrations for upcoming sessions (with reminder mails and .ics files),
live attendance imported from CSV ("attended" statements), watch positions and watched segments
(resume, progress, completion at a configurable fraction) and the short-lived LRS credentials the
player uses to post xAPI Video Profile statements."""

from __future__ import annotations

import math
from base64 import b64encode
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import func, select

from lms.config import LANGUAGES
from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import User, audit
from lms.xapi import activity_iri, record_statement
from webinars import csvfile
from webinars.errors import WebinarError
from webinars.models import Attendance, Registration, ReminderSent, WatchState, WebinarSession, pick_text
from webinars.services import session_url
from webinars.settings import setting

MAX_LENGTH_S = 24 * 3600
MAX_SEGMENTS = 1000


def video_activity_id(session: WebinarSession) -> str:
    return activity_iri("webinar", session.uuid, "recording")


# --- registrations -----------------------------------------------------------------------------------
def register(user: User, session: WebinarSession, run: int = 1) -> Registration:
    """Register for an upcoming session (idempotent; changes the run when registered already)."""
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
    elif reg.run != run:
        reg.run = run
        db.session.execute(ReminderSent.__table__.delete().where(ReminderSent.registration_id == reg.id))
    db.session.flush()
    return reg


def unregister(user: User, session: WebinarSession) -> None:
    reg = db.session.scalar(select(Registration).filter_by(session_id=session.id, user_id=user.id))
    if reg is not None:
        db.session.delete(reg)
        db.session.flush()


def registration_for(user, session: WebinarSession) -> Registration | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Registration).filter_by(session_id=session.id, user_id=user.id))


def ics_for(session: WebinarSession, lang: str, run: int | None = None) -> bytes:
    """An iCalendar file with the session's run(s)."""
    cal = Calendar()
    cal.add("prodid", "-//Minamata LMS//webinars//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    base = current_app.config["BASE_URL"].rstrip("/")
    title, _used = pick_text(session.titles, lang, session.source_language)
    host = base.split("//", 1)[-1].split("/")[0] or "minamata-lms"
    for number, start in enumerate(session.runs(), start=1):
        if run is not None and number != run:
            continue
        event = Event()
        event.add("uid", f"{session.uuid}-{number}@{host}")
        event.add("dtstamp", session.updated_dt or utcnow())
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=session.duration_min))
        event.add("summary", title)
        event.add("url", base + session_url(session))
        event.add("description", base + session_url(session))
        cal.add_component(event)
    return cal.to_ical()


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
        _queue_reminder(reg, start)
        for offset in due:
            if offset not in sent:
                db.session.add(ReminderSent(registration_id=reg.id, offset_min=offset))
        queued += 1
    db.session.flush()
    return queued


def _queue_reminder(reg: Registration, start: datetime) -> None:
    user, session = reg.user, reg.session
    if user is None or user.deleted_dt is not None:
        return
    lang = user.locale if user.locale in LANGUAGES else "en"
    title, _used = pick_text(session.titles, lang, session.source_language)
    url = current_app.config["BASE_URL"].rstrip("/") + session_url(session)
    with force_locale(lang):
        subject = _(
            "Reminder: %(title)s starts at %(time)s UTC", title=title, time=start.strftime("%Y-%m-%d %H:%M")
        )
        body = _(
            "Hello %(name)s,\n\nYou registered for “%(title)s”. It starts on %(time)s UTC and lasts "
            "%(minutes)s minutes.\n\nSession page: %(url)s\n\nThe attached calendar file adds it to "
            "your calendar.",
            name=user.name,
            title=title,
            time=start.strftime("%Y-%m-%d %H:%M"),
            minutes=session.duration_min,
            url=url,
        )
    queue_mail(
        user.email,
        subject,
        body,
        attachments=[(f"{session.slug}.ics", "text/calendar", ics_for(session, lang, reg.run))],
    )


# --- attendance --------------------------------------------------------------------------------------
ATTENDANCE_ALIASES = {
    "email": (
        "email",
        "e mail",
        "email address",
        "user email",
        "attendee email",
        "participant email",
        "courriel",
        "correo electronico",
    ),
    "minutes": (
        "minutes",
        "duration",
        "duration minutes",
        "time in session minutes",
        "time in session",
        "attendance minutes",
        "attended minutes",
    ),
}


def _minutes(value: str) -> int | None | str:
    v = (value or "").strip()
    if not v:
        return None
    if v.isdigit():
        return int(v)
    parts = v.split(":")
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
        nums = [int(p) for p in parts]
        seconds = nums[-1] + nums[-2] * 60 + (nums[0] * 3600 if len(nums) == 3 else 0)
        return round(seconds / 60)
    return _("“%(value)s” is not a duration in minutes", value=v)


def import_attendance_csv(actor: User | None, session: WebinarSession, data: bytes) -> dict:
    """Record "attended" for each listed participant who has an account. Malformed rows refuse the
    whole file; addresses without an account are counted and skipped; re-imports add nothing twice."""
    rows = csvfile.read_rows(data, ATTENDANCE_ALIASES, ("email",), setting("WEBINARS_MAX_CSV_KB") * 1024)
    problems, parsed = [], []
    for line, row in rows:
        reasons = []
        try:
            email = validate_email(row["email"], check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            email = None
            reasons.append(_("“%(value)s” is not an e-mail address", value=row["email"]))
        minutes = _minutes(row.get("minutes", ""))
        if isinstance(minutes, str):
            reasons.append(minutes)
        elif minutes is not None and minutes > session.duration_min * 3:
            reasons.append(_("%(n)s minutes is longer than the session", n=minutes))
        if reasons:
            problems.append(_("row %(n)s: %(reasons)s", n=line, reasons="; ".join(reasons)))
        else:
            parsed.append((email, minutes))
    if problems:
        raise WebinarError(_("The attendance file was refused; nothing was imported:"), problems[:50])
    totals: dict[str, int | None] = {}
    for email, minutes in parsed:  # a participant who left and came back has several rows
        if email in totals and minutes is not None:
            totals[email] = (totals[email] or 0) + minutes
        else:
            totals.setdefault(email, minutes)
    users = {
        u.email.lower(): u
        for u in db.session.scalars(
            select(User).where(func.lower(User.email).in_(list(totals)), User.deleted_dt.is_(None))
        )
    }
    done = set(db.session.scalars(select(Attendance.user_id).where(Attendance.session_id == session.id)))
    result = {"recorded": 0, "unknown": 0, "already": 0}
    for email, minutes in totals.items():
        user = users.get(email)
        if user is None:
            result["unknown"] += 1
            continue
        if user.id in done:
            result["already"] += 1
            continue
        db.session.add(Attendance(session_id=session.id, user_id=user.id, minutes=minutes))
        reg = db.session.scalar(select(Registration).filter_by(session_id=session.id, user_id=user.id))
        record_statement(
            user=user,
            verb="attended",
            activity_id=activity_iri("webinar", session.uuid),
            activity_type="webinar",
            activity_name=session.titles,
            registration=reg.uuid if reg else None,
            timestamp=session.start_dt,
            result={"duration": f"PT{minutes}M"} if minutes is not None else None,
        )
        done.add(user.id)
        result["recorded"] += 1
    db.session.flush()
    audit(actor, "webinars.attendance.import", "webinars_session", session.uuid, **result)
    return result


# --- watching ----------------------------------------------------------------------------------------
def merge_segments(segments: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for start, end in sorted(segments):
        if out and start <= out[-1][1] + 0.5:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return out


def _number(value, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise WebinarError(_("%(what)s must be a number.", what=what)) from None
    if not math.isfinite(number) or not 0 <= number <= MAX_LENGTH_S:
        raise WebinarError(_("%(what)s is out of range.", what=what))
    return number


def update_watch(user: User, session: WebinarSession, data: dict) -> WatchState:
    """Store the player's position and watched segments (``{"position": s, "length": s,
    "segments": [[from, to], ...], "language": "fr"}``). Progress is the watched share of the length;
    reaching ``WEBINARS_COMPLETION_FRACTION`` marks the session completed for the user."""
    if not isinstance(data, dict):
        raise WebinarError(_("Send a JSON object."))
    position = _number(data.get("position", 0), "position")
    length = _number(data["length"], "length") if data.get("length") not in (None, "") else None
    raw = data.get("segments") or []
    if not isinstance(raw, list) or len(raw) > MAX_SEGMENTS:
        raise WebinarError(_("segments must be a list of at most %(n)s pairs.", n=MAX_SEGMENTS))
    segments = []
    for pair in raw:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise WebinarError(_("Each segment is a pair [from, to]."))
        start, end = _number(pair[0], "segment"), _number(pair[1], "segment")
        if end < start or (length and end > length + 1):
            raise WebinarError(_("A segment ends before it starts or after the end."))
        segments.append([start, end])
    if length and position > length + 1:
        raise WebinarError(_("The position is after the end."))
    lang = data.get("language")
    state = db.session.scalar(select(WatchState).filter_by(session_id=session.id, user_id=user.id))
    if state is None:
        state = WatchState(session_id=session.id, user_id=user.id, segments=[])
        db.session.add(state)
    state.position_s = position
    state.language = lang if lang in LANGUAGES else state.language
    if length:
        state.length_s = length
    merged = merge_segments([list(s) for s in (state.segments or [])] + segments)
    state.segments = [[round(a, 1), round(b, 1)] for a, b in merged]
    if state.length_s:
        watched = sum(b - a for a, b in merged)
        state.progress = min(1.0, watched / state.length_s)
        if not state.is_completed and state.progress >= float(setting("WEBINARS_COMPLETION_FRACTION")):
            state.is_completed = True
            state.completed_dt = utcnow()
    db.session.flush()
    return state


def watch_state(user, session: WebinarSession) -> WatchState | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(WatchState).filter_by(session_id=session.id, user_id=user.id))


def launch_credentials(user: User, session: WebinarSession) -> dict:
    """What the player needs to post Video Profile statements to the built-in LRS for ``user``."""
    from lms.xapi.auth import issue_launch_credentials
    from lms.xapi.record import actor_for

    minutes = max(30, session.duration_min * 3)
    key, secret = issue_launch_credentials(
        user, registration=None, activity_id=video_activity_id(session), minutes=minutes
    )
    token = b64encode(f"{key}:{secret}".encode()).decode()
    base = current_app.config["BASE_URL"].rstrip("/")
    return {
        "endpoint": base + "/xapi/",
        "auth": f"Basic {token}",
        "actor": actor_for(user),
        "activity": video_activity_id(session),
        "parent": activity_iri("webinar", session.uuid),
        "threshold": float(setting("WEBINARS_COMPLETION_FRACTION")),
    }


def chapter_done(state: WatchState | None, start: int, end: int) -> bool:
    """Whether the watched segments cover the completion fraction of ``[start, end)``."""
    if state is None or end <= start:
        return False
    covered = sum(max(0.0, min(b, end) - max(a, start)) for a, b in state.segments or [])
    return covered / (end - start) >= float(setting("WEBINARS_COMPLETION_FRACTION"))


def forget_user(user: User) -> None:
    """Personal data of a deleted user: watch states, registrations, follows and votes go; questions
    stay, anonymised."""
    from webinars.models import QAItem, QAVote, SeasonFollower

    for model in (WatchState, Registration, SeasonFollower, QAVote, Attendance):
        db.session.execute(model.__table__.delete().where(model.__table__.c.user_id == user.id))
    for item in db.session.scalars(select(QAItem).where(QAItem.user_id == user.id)):
        item.user_id = None
        item.asker_name = None
    db.session.flush()


def export_user(user: User) -> dict:
    from webinars.models import QAItem, SeasonFollower

    def _slug(session_id):
        return db.session.get(WebinarSession, session_id).slug

    return {
        "registrations": [
            {"session": _slug(r.session_id), "run": r.run, "created": r.created_dt.isoformat()}
            for r in db.session.scalars(select(Registration).filter_by(user_id=user.id))
        ],
        "watched": [
            {
                "session": _slug(w.session_id),
                "position_s": w.position_s,
                "progress": w.progress,
                "completed": w.is_completed,
            }
            for w in db.session.scalars(select(WatchState).filter_by(user_id=user.id))
        ],
        "attendance": [
            {"session": _slug(a.session_id), "minutes": a.minutes}
            for a in db.session.scalars(select(Attendance).filter_by(user_id=user.id))
        ],
        "questions": [
            {"session": _slug(q.session_id), "question": q.question, "status": q.status, "answer": q.answer}
            for q in db.session.scalars(select(QAItem).filter_by(user_id=user.id))
        ],
        "following_seasons": [
            f.season_id for f in db.session.scalars(select(SeasonFollower).filter_by(user_id=user.id))
        ],
    }
