"""Receivers of the core's privacy signals for workshops (connected when the plugin's views load). They
run inside the sender's transaction: they flush, never commit."""

from __future__ import annotations

from sqlalchemy import delete, select

from lms.db import db
from lms.signals import user_data_export, user_deleted

from courses.models_kits import AttendanceCertificate, Participant, WorkshopFeedback, WorkshopTestResult


def _enabled() -> bool:
    from flask import current_app, has_app_context

    from lms.plugins import enabled_plugins

    return has_app_context() and "courses" in enabled_plugins(current_app)


def on_user_data_export(sender, **_kw):
    """The user's workshop registrations with attendance, test scores, certificates and feedback."""
    if not _enabled():
        return None
    out = []
    for p in db.session.scalars(select(Participant).filter_by(user_id=sender.id).order_by(Participant.id)):
        tests = db.session.scalars(select(WorkshopTestResult).filter_by(participant_id=p.id)).all()
        cert = db.session.scalar(select(AttendanceCertificate).filter_by(participant_id=p.id))
        feedback = db.session.scalar(select(WorkshopFeedback).filter_by(participant_id=p.id))
        out.append({
            "workshop": p.workshop.title, "registration": p.uuid, "registered": p.registered_dt.isoformat(),
            "attended": p.attended_dt.isoformat() if p.attended_dt else None,
            "tests": [{"phase": t.phase, "mode": t.mode, "score_scaled": t.score_scaled, "passed": t.is_passed,
                       "responses": t.responses} for t in tests],
            "certificate": {"code": cert.code, "name": cert.participant_name, "issued": cert.issued_dt.isoformat()}
            if cert else None,
            "feedback": {"rating": feedback.rating, "comment": feedback.comment} if feedback else None,
        })  # fmt: skip
    return ("workshops", out)


def on_user_deleted(sender, pseudonym=None, **_kw):
    """Erase what names the person: certificates (they carry the name) and free text (feedback comments,
    typed test answers). Registrations, attendance, scores and ratings stay as anonymous aggregates."""
    if not _enabled():
        return None
    ids = select(Participant.id).where(Participant.user_id == sender.id)
    db.session.execute(delete(AttendanceCertificate).where(AttendanceCertificate.user_id == sender.id))
    for row in db.session.scalars(select(WorkshopFeedback).where(WorkshopFeedback.participant_id.in_(ids))):
        row.comment = ""
    for row in db.session.scalars(select(WorkshopTestResult).where(WorkshopTestResult.participant_id.in_(ids))):
        row.responses = {}
    db.session.flush()
    return None


def connect() -> None:
    user_data_export.connect(on_user_data_export)
    user_deleted.connect(on_user_deleted)
