"""Receivers of the core's privacy signals for workshops (connected when the plugin's views load). They
run inside the sender's transaction: they flush, never commit."""

from __future__ import annotations

from sqlalchemy import delete, select

from courses.models_kits import (
    AttendanceCertificate,
    Kit,
    Participant,
    Workshop,
    WorkshopFeedback,
    WorkshopTestResult,
)
from courses.services.errors import CourseError
from lms.db import db
from lms.pdf import drop_cached
from lms.plugins import is_enabled
from lms.signals import enrolment_requested, progress_requested, user_data_export, user_deleted


def on_user_data_export(sender, **_kw):
    """The user's workshop registrations with attendance, test scores, certificates and feedback."""
    if not is_enabled("courses"):
        return None
    out = []
    for p in db.session.scalars(select(Participant).filter_by(user_id=sender.id).order_by(Participant.id)):
        tests = db.session.scalars(select(WorkshopTestResult).filter_by(participant_id=p.id)).all()
        cert = db.session.scalar(select(AttendanceCertificate).filter_by(participant_id=p.id))
        feedback = db.session.scalar(select(WorkshopFeedback).filter_by(participant_id=p.id))
        certificate = None
        if cert is not None:
            issued = cert.issued_dt.isoformat()
            certificate = {"code": cert.code, "name": cert.participant_name, "issued": issued}
        out.append({
            "workshop": p.workshop.title, "registration": p.uuid,
            "registered": p.registered_dt.isoformat(),
            "attended": p.attended_dt.isoformat() if p.attended_dt else None,
            "recorded_absent": p.absent_dt.isoformat() if p.absent_dt else None,
            "tests": [{"phase": t.phase, "mode": t.mode, "score_scaled": t.score_scaled,
                       "passed": t.is_passed, "responses": t.responses} for t in tests],
            "certificate": certificate,
            "feedback": {"rating": feedback.rating, "comment": feedback.comment} if feedback else None,
        })  # fmt: skip
    return ("workshops", out)


def on_user_deleted(sender, pseudonym=None, **_kw):
    """Erase what names the person: certificates (they carry the name) and free text (feedback comments,
    typed test answers). Registrations, attendance, scores and ratings stay as anonymous aggregates."""
    if not is_enabled("courses"):
        return None
    ids = select(Participant.id).where(Participant.user_id == sender.id)
    for cert_uuid in db.session.scalars(
        select(AttendanceCertificate.uuid).where(AttendanceCertificate.user_id == sender.id)
    ):
        drop_cached(f"attendance-certificates/{cert_uuid}")  # the cached PDFs show the name too
    db.session.execute(delete(AttendanceCertificate).where(AttendanceCertificate.user_id == sender.id))
    for row in db.session.scalars(select(WorkshopFeedback).where(WorkshopFeedback.participant_id.in_(ids))):
        row.comment = ""
    results = select(WorkshopTestResult).where(WorkshopTestResult.participant_id.in_(ids))
    for row in db.session.scalars(results):
        row.responses = {}
    db.session.flush()
    return None


def _ours(resource, kind: str) -> bool:
    return getattr(resource, "kind", None) == kind and getattr(resource, "plugin", None) == "courses"


def on_enrolment_requested(sender, user=None, source="other", **_kw):
    """Register ``user`` for the workshop ``sender`` points to (idempotent): True when registered (or
    already), False when the workshop refuses (closed, full, past), None when the resource is not a
    workshop of this plugin."""
    if not is_enabled("courses") or user is None or not _ours(sender, "workshop"):
        return None
    from courses.services.workshops_registration import self_register

    workshop = db.session.scalar(select(Workshop).filter_by(uuid=sender.key))
    if workshop is None:
        return None
    try:
        self_register(user, workshop)
    except CourseError:
        return False
    return True


def on_progress_requested(sender, resources=(), **_kw):
    """For workshops: "enrolled" when registered, "completed" once checked in. For kits: "completed"
    once the user attended a workshop delivering the kit, "enrolled" when registered for one."""
    if not is_enabled("courses") or sender is None:
        return {}
    out = {}
    rows = db.session.execute(
        select(Workshop.uuid, Kit.uuid, Participant.attended_dt)
        .join(Participant, Participant.workshop_id == Workshop.id)
        .join(Kit, Kit.id == Workshop.kit_id)
        .where(Participant.user_id == sender.id)
    ).all()
    for res in resources or []:
        index = 0 if _ours(res, "workshop") else 1 if _ours(res, "kit") else None
        if index is None:
            continue
        mine = [attended for *keys, attended in rows if keys[index] == res.key]
        if mine:
            out[res.id] = "completed" if any(mine) else "enrolled"
    return out


def connect() -> None:
    user_data_export.connect(on_user_data_export)
    user_deleted.connect(on_user_deleted)
    enrolment_requested.connect(on_enrolment_requested)
    progress_requested.connect(on_progress_requested)
