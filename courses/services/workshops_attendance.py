"""Attendance: check-in by QR code (the code holds a check-in address with a signed token naming the
participant; a trainer's phone opens it and the trainer confirms), by an uploaded attendance sheet (CSV)
or by hand; the ``attended`` statement; the roster as CSV."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from courses.models_kits import Participant, Workshop
from courses.services import workshops as ws
from courses.services.errors import CourseError
from courses.services.workshops import record_event
from courses.services.workshops_csv import ImportRefused, read_rows, row_email, write_csv
from lms.db import db, utcnow
from lms.models import audit

TOKEN_SALT = "courses.workshop-check-in"  # noqa: S105 - a signing salt, not a password
SHEET_COLUMNS = {
    "email": ("email", "e-mail", "mail"),
    "attended": ("attended", "present", "attendance"),
    "name": ("name", "full name"),
}
YES = {"", "yes", "y", "1", "x", "true", "present", "oui", "sí", "si"}
NO = {"no", "n", "0", "false", "absent", "non"}
METHODS = ("qr", "sheet", "manual")


def load_roster(workshop: Workshop) -> list[Participant]:
    """``workshop.participants`` (in registration order) with each one's account, read in two queries
    rather than one per participant. Loads the collection when it is not loaded yet; one already loaded
    (and perhaps changed) is returned as it is."""
    if "participants" not in inspect(workshop).unloaded:
        return workshop.participants
    participants = list(
        db.session.scalars(
            select(Participant)
            .where(Participant.workshop_id == workshop.id)
            .options(selectinload(Participant.user))
            .order_by(Participant.id)
        )
    )
    set_committed_value(workshop, "participants", participants)
    return participants


def attendance_opens(workshop: Workshop) -> date:
    """The first (UTC) day on which attendance can be recorded and certificates of attendance issued.
    Workshop dates are local dates of the venue while the server counts days in UTC: the UTC day on
    which the venue's first day begins, in its time zone (:func:`~courses.services.workshops.opens_on`;
    the day before when its zone is not known, for venues ahead of UTC)."""
    return ws.opens_on(workshop.start_date, workshop.time_zone)


def ensure_attendance_open(workshop: Workshop, *, certificates: bool = False, on: date | None = None) -> None:
    """Refuse (CourseError) to record attendance, or with ``certificates`` to issue certificates of
    attendance, before the workshop's first day: a check-in or a certificate of attendance dated before
    the event would be false. ``on`` is today's date (UTC) unless given."""
    if (on or ws.today()) >= attendance_opens(workshop):
        return
    first_day = format_date(workshop.start_date, "long")
    if certificates:
        raise CourseError(
            _(
                "Certificates of attendance can be issued from the first day of the workshop (%(date)s).",
                date=first_day,
            )
        )
    raise CourseError(
        _("Attendance can be recorded from the first day of the workshop (%(date)s).", date=first_day)
    )


def not_open_reason(workshop: Workshop, *, on: date | None = None) -> str | None:
    """Why attendance cannot be recorded yet (the refusal of :func:`ensure_attendance_open`), or None once
    it can: pages say it instead of offering a check-in that would be refused."""
    try:
        ensure_attendance_open(workshop, on=on)
    except CourseError as exc:
        return exc.message
    return None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def check_in_token(participant: Participant) -> str:
    return _serializer().dumps({"p": participant.uuid})


def check_in_url(participant: Participant) -> str:
    from lms.account.mails import external_url

    return external_url("courses.check_in", token=check_in_token(participant))


def participant_from_token(token: str) -> Participant:
    """The participant a check-in token names; refuses tampered tokens and cancelled workshops."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        raise CourseError(
            _("This check-in code is not valid: it was not issued by this platform or was altered.")
        ) from None
    participant = db.session.scalar(select(Participant).filter_by(uuid=str((data or {}).get("p"))))
    if participant is None:
        raise CourseError(_("This check-in code belongs to a registration that no longer exists."))
    if participant.workshop.is_cancelled:
        raise CourseError(_("This workshop is cancelled."))
    return participant


def mark_attended(actor, participant: Participant, method: str, *, on: date | None = None) -> bool:
    """Check the participant in (idempotent: returns False when already checked in) and record the
    ``attended`` statement with the event as grouping activity. Refused before the workshop's first day
    (``on`` is today's date unless given)."""
    if method not in METHODS:
        raise CourseError(_("Unknown check-in method."))
    workshop = participant.workshop
    if workshop.is_cancelled:
        raise CourseError(_("This workshop is cancelled."))
    ensure_attendance_open(workshop, on=on)
    if participant.attended_dt is not None:
        return False
    participant.attended_dt = utcnow()
    participant.absent_dt = None
    participant.check_in_method = method
    participant.checked_in_by_id = actor.id if actor is not None else None
    db.session.flush()
    record_event(participant.user, workshop, participant, "attended")
    audit(
        actor,
        "courses.workshop_check_in",
        "workshop",
        workshop.uuid,
        participant=participant.uuid,
        method=method,
    )
    return True


def import_attendance_sheet(actor, workshop: Workshop, data: bytes, *, on: date | None = None) -> dict:
    """Check in the participants an uploaded attendance sheet marks present (columns email and optional
    attended yes/no, name ignored) and record as absent those it marks absent who are not checked in (a
    check-in already made is kept: someone seen in the room was there). Every address must belong to a
    registered participant; the whole sheet is refused if any row is bad, and before the workshop's
    first day. Returns counts: ``checked_in``, ``already``, ``absent`` (recorded absent) and
    ``absent_kept`` (marked absent, but already checked in)."""
    if workshop.is_cancelled:
        raise CourseError(_("The workshop is cancelled."))
    ensure_attendance_open(workshop, on=on)
    rows = read_rows(data, SHEET_COLUMNS, {"email"})
    by_email = {p.user.email.lower(): p for p in workshop.participants}
    errors, seen, present, absent = [], set(), [], []
    absent_kept = 0
    for line, row in rows:
        email = row_email(line, row, seen, errors)
        if email is None:
            continue
        participant = by_email.get(email)
        if participant is None:
            errors.append((line, _("%(email)s is not registered for this workshop", email=email)))
            continue
        value = (row.get("attended") or "").strip().lower()
        if value in YES:
            present.append(participant)
        elif value in NO and participant.attended_dt is not None:
            absent_kept += 1
        elif value in NO:
            absent.append(participant)
        else:
            errors.append((line, _("attended must be yes or no, not %(value)s", value=row.get("attended"))))
    if errors:
        raise ImportRefused(
            ngettext(
                "The sheet is refused: %(num)s row has problems.",
                "The sheet is refused: %(num)s rows have problems.",
                len(errors),
            ),
            errors=errors,
        )
    checked = sum(1 for p in present if mark_attended(actor, p, "sheet", on=on))
    now = utcnow()
    for participant in absent:
        participant.absent_dt = now
    if absent:
        audit(
            actor,
            "courses.workshop_absent",
            "workshop",
            workshop.uuid,
            participants=[p.uuid for p in absent],
        )
    db.session.flush()
    return {
        "checked_in": checked,
        "already": len(present) - checked,
        "absent": len(absent),
        "absent_kept": absent_kept,
    }


def roster_csv(workshop: Workshop) -> bytes:
    """The participants with their check-in and test scores (formula-safe CSV), for the trainer."""
    from courses.services.workshops_tests import results_by_participant

    results = results_by_participant(workshop)
    rows = []
    for p in load_roster(workshop):
        pre, post = results.get((p.id, "pre")), results.get((p.id, "post"))
        rows.append(
            [
                p.user.display_name,
                p.user.email,
                p.user.country_code or "",
                p.user.organisation or "",
                p.source,
                # UTC to the second ("2026-11-24 09:15:02"): what a spreadsheet reads as a date and time.
                p.attended_dt.strftime("%Y-%m-%d %H:%M:%S") if p.attended_dt else "",
                p.absent_dt.strftime("%Y-%m-%d %H:%M:%S") if p.absent_dt else "",
                p.check_in_method or "",
                _pct(pre),
                _pct(post),
            ]
        )
    return write_csv(
        [
            "name",
            "email",
            "country",
            "organisation",
            "registered by",
            "attended",
            "recorded absent",
            "check-in",
            "pre-test %",
            "post-test %",
        ],
        rows,
    )


def _pct(result) -> str:
    if result is None or result.score_scaled is None:
        return ""
    return str(round(result.score_scaled * 100))
