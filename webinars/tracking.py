"""webinars: tracking. Live attendance imported from CSV ("attended" statements), watch positions and
watched segments (resume, progress, completion at a configurable fraction), and a user's personal data
(export, forgetting). The player's LRS credentials are in :mod:`webinars.player_credentials`
(re-exported here)."""

from __future__ import annotations

import math

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.config import LANGUAGES
from lms.db import db, savepoint, utcnow
from lms.models import User, audit
from lms.xapi import activity_iri, record_statement
from webinars import csvfile
from webinars.errors import WebinarError
from webinars.models import Attendance, Registration, WatchState, WebinarSession
from webinars.player_credentials import (  # noqa: F401  (part of the tracking API)
    launch_credentials,
    player_client,
    video_activity_id,
)  # fmt: skip
from webinars.settings import setting

MAX_LENGTH_S = 24 * 3600
MAX_SEGMENTS = 1000


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
    whole file; addresses without an account are counted and skipped; re-imports add nothing twice.
    Nobody attends a session that has not begun: before its start the file is refused."""
    if session.start_dt > utcnow():
        raise WebinarError(
            _("This session has not started yet: its attendance can be imported once it has taken place.")
        )
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
    state = watch_state(user, session) or _new_watch_state(user, session)
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


def _new_watch_state(user: User, session: WebinarSession) -> WatchState:
    """The user's first watch state for ``session``; when another request (the player's "pause" and
    "ended" saves, a second tab) inserted it at the same moment, that row."""
    try:
        with savepoint():
            state = WatchState(session_id=session.id, user_id=user.id, segments=[])
            db.session.add(state)
    except IntegrityError:
        state = db.session.scalar(select(WatchState).filter_by(session_id=session.id, user_id=user.id))
    return state


def watch_state(user, session: WebinarSession) -> WatchState | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(WatchState).filter_by(session_id=session.id, user_id=user.id))


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

    def _rows(model):
        return db.session.scalars(select(model).filter_by(user_id=user.id)).all()

    registrations, watched, attended, questions = map(_rows, (Registration, WatchState, Attendance, QAItem))
    ids = {r.session_id for r in (*registrations, *watched, *attended, *questions)}
    in_export = select(WebinarSession.id, WebinarSession.slug).where(WebinarSession.id.in_(ids))
    slugs = {session_id: slug for session_id, slug in db.session.execute(in_export)}
    return {
        "registrations": [
            {"session": slugs[r.session_id], "run": r.run, "created": r.created_dt.isoformat()}
            for r in registrations
        ],
        "watched": [
            {
                "session": slugs[w.session_id],
                "position_s": w.position_s,
                "progress": w.progress,
                "completed": w.is_completed,
            }
            for w in watched
        ],
        "attendance": [{"session": slugs[a.session_id], "minutes": a.minutes} for a in attended],
        "questions": [
            {"session": slugs[q.session_id], "question": q.question, "status": q.status, "answer": q.answer}
            for q in questions
        ],
        "following_seasons": [f.season_id for f in _rows(SeasonFollower)],
    }
