"""Reactions to core signals: a deleted account leaves the country teams (its saved answers and notes
stay with the assessment, shown under the anonymised account), and a user's data export includes what
they wrote in assessments."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from lms.signals import user_data_export, user_deleted
from readiness.models import AdvisoryRequest, Answer, Assessment, Member, Note


@user_deleted.connect
def forget_member(user, **_kwargs) -> None:
    for member in db.session.scalars(select(Member).where(Member.user_id == user.id)).all():
        assessment = member.assessment
        if assessment.submitter_id == user.id:
            assessment.submitter_id = assessment.coordinator_id
        db.session.delete(member)
    for assessment in db.session.scalars(select(Assessment).where(Assessment.submitter_id == user.id)):
        assessment.submitter_id = None
    db.session.flush()


def _where(assessment_id: int) -> dict:
    a = db.session.get(Assessment, assessment_id)
    return {"assessment": a.uuid, "country": a.country_code, "cycle": a.cycle}


@user_data_export.connect
def export_user(user, **_kwargs):
    answers = db.session.scalars(
        select(Answer).where(Answer.updated_by_id == user.id).order_by(Answer.id)
    ).all()
    notes = db.session.scalars(select(Note).where(Note.author_id == user.id).order_by(Note.id)).all()
    requests = db.session.scalars(
        select(AdvisoryRequest).where(AdvisoryRequest.requested_by_id == user.id).order_by(AdvisoryRequest.id)
    ).all()
    members = db.session.scalars(select(Member).where(Member.user_id == user.id).order_by(Member.id)).all()
    if not (answers or notes or requests or members):
        return None
    return (
        "readiness",
        {
            "team_memberships": [
                {**_where(m.assessment_id), "role": m.role, "sections": m.sections} for m in members
            ],
            "answers_last_saved": [
                {
                    **_where(a.assessment_id),
                    "item": a.item_id,
                    "value": a.answer,
                    "comment": a.comment,
                    "evidence_url": a.evidence_url,
                    "saved": a.updated_dt.isoformat(),
                }
                for a in answers
            ],
            "notes": [
                {
                    **_where(n.assessment_id),
                    "dimension": n.dimension_id,
                    "text": n.text,
                    "created": n.created_dt.isoformat(),
                }
                for n in notes
            ],
            "advisory_requests": [
                {**_where(r.assessment_id), "service": r.service_id, "status": r.status, "message": r.message}
                for r in requests
            ],
        },
    )
