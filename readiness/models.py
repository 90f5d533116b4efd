"""Tables of the readiness plugin (all named ``readiness_*``).

- :class:`QuestionnaireVersion` / :class:`RuleSetVersion`: the published questionnaire and rule files as
  loaded (content and SHA-256); a published version is immutable.
- :class:`Assessment`: one per country per cycle; its team (:class:`Member`), answers per item
  (:class:`Answer`, with a version number for optimistic concurrency), reviewers' notes (:class:`Note`),
  stored results (:class:`Result`, never overwritten) and advisory service requests
  (:class:`AdvisoryRequest`). Every change is also written to the core audit trail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, new_uuid, utcnow
from lms.models import Country, User

STATES = ("draft", "in_review", "submitted", "acknowledged")
MEMBER_ROLES = ("editor", "reviewer")
ADVISORY_STATUSES = ("requested", "accepted", "in_progress", "done", "declined")


class QuestionnaireVersion(db.Model):
    __tablename__ = "readiness_questionnaire"
    __table_args__ = (UniqueConstraint("qid", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    qid: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict]
    sha256: Mapped[str] = mapped_column(String(64))
    published_dt: Mapped[datetime] = mapped_column(default=utcnow)


class RuleSetVersion(db.Model):
    __tablename__ = "readiness_ruleset"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    qid: Mapped[str] = mapped_column(String(60))
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    published_dt: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(db.Model):
    __tablename__ = "readiness_assessment"
    __table_args__ = (UniqueConstraint("country_code", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    cycle: Mapped[str] = mapped_column(String(9))
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("readiness_questionnaire.id"))
    language: Mapped[str] = mapped_column(String(5), default="en")
    state: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    is_benchmark_opt_in: Mapped[bool] = mapped_column(default=False)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_dt: Mapped[datetime | None]
    acknowledged_dt: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    review_dt: Mapped[datetime | None]
    """When the assessment last entered review (reminders to the coordinator count from here)."""
    review_reminded_dt: Mapped[datetime | None]

    country: Mapped[Country] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])
    submitter: Mapped[User | None] = relationship(foreign_keys=[submitter_id])
    members: Mapped[list[Member]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Member.id"
    )


class Member(db.Model):
    """A colleague invited by the coordinator: a section ``editor`` (of the listed dimensions) or a
    ``reviewer`` (reads everything, leaves notes)."""

    __tablename__ = "readiness_member"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("readiness_assessment.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    sections: Mapped[list] = mapped_column(default=list)  # dimension ids an editor may answer
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_dt: Mapped[datetime | None]
    """The last reminder about unanswered questions in this member's sections."""

    assessment: Mapped[Assessment] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Answer(db.Model):
    __tablename__ = "readiness_answer"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("readiness_assessment.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[dict] = mapped_column(default=dict)  # {"v": the answer value}
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    version: Mapped[int] = mapped_column(default=1)
    """Raised on every save; a save that names an older version is a conflict."""
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)

    updated_by: Mapped[User | None] = relationship()

    @property
    def answer(self):
        return (self.value or {}).get("v")


class Note(db.Model):
    """A reviewer's (or the coordinator's) note on the assessment or one of its dimensions."""

    __tablename__ = "readiness_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("readiness_assessment.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    dimension_id: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class Result(db.Model):
    """A stored scoring of an assessment with the versions that produced it; re-scoring adds a row."""

    __tablename__ = "readiness_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("readiness_assessment.id", ondelete="CASCADE"), index=True
    )
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    scoring_version: Mapped[str] = mapped_column(String(20))
    rules_version: Mapped[str] = mapped_column(String(20))
    trigger: Mapped[str] = mapped_column(String(12), default="submitted")  # submitted | rescored
    profile: Mapped[dict] = mapped_column(default=dict)  # readiness.scoring.Profile.to_dict()
    recommendations: Mapped[list] = mapped_column(default=list)
    answers: Mapped[dict] = mapped_column(default=dict)  # item id -> value, as scored
    computed_dt: Mapped[datetime] = mapped_column(default=utcnow)


class AdvisoryRequest(db.Model):
    __tablename__ = "readiness_advisory_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("readiness_assessment.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(12), default="requested", index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assessment: Mapped[Assessment] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
