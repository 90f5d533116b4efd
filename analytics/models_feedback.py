"""Primary analytics data that is not in the statement store: "Was this useful?" answers, problem
reports and their triage, end-of-course evaluations, and the certificates and readiness referrals
other plugins announce through signals. Never emptied by a rollup rebuild."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, new_uuid, utcnow

REPORT_CATEGORIES = ("wrong_fact", "broken_media", "translation_error", "accessibility", "other")
REPORT_STATUSES = ("new", "in_progress", "fixed", "wont_fix")


class Feedback(db.Model):
    """One "Was this useful?" answer about a resource (or a part of it, e.g. a lesson)."""

    __tablename__ = "analytics_feedback"
    __table_args__ = (Index("ix_analytics_feedback_resource", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(120))
    part: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(12), default="")
    is_useful: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)


class ProblemReport(db.Model):
    """ "Report a problem": a wrong fact, broken media, a translation error, an accessibility barrier.
    Trainers triage it; the reporter is told by mail when it is fixed."""

    __tablename__ = "analytics_report"
    __table_args__ = (
        Index("ix_analytics_report_status", "status", "created_dt"),
        Index("ix_analytics_report_resource", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(120))
    part: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(12), default="")
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    reporter_email: Mapped[str | None] = mapped_column(String(254))
    """Where to tell an anonymous reporter that the problem is fixed (optional)."""
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)
    notified_dt: Mapped[datetime | None]


class Evaluation(db.Model):
    """The end-of-course evaluation (one per learner and course; answering again updates it)."""

    __tablename__ = "analytics_evaluation"
    __table_args__ = (UniqueConstraint("user_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    language: Mapped[str] = mapped_column(String(12), default="")
    relevance: Mapped[int]
    clarity: Mapped[int]
    language_quality: Mapped[int]
    suggestions: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)


class Certificate(db.Model):
    """A certificate issued by a content plugin (from :data:`lms.signals.certificate_issued`)."""

    __tablename__ = "analytics_certificate"
    __table_args__ = (Index("ix_analytics_certificate_resource", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    verification_code: Mapped[str] = mapped_column(String(80), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(12), default="")
    country_code: Mapped[str] = mapped_column(String(2), default="")
    region: Mapped[str] = mapped_column(String(20), default="")
    issued_dt: Mapped[datetime] = mapped_column(default=utcnow)


class Referral(db.Model):
    """A learning path asked for an enrolment (from :data:`lms.signals.enrolment_requested`), the
    "recommended" step of the readiness funnel."""

    __tablename__ = "analytics_referral"
    __table_args__ = (UniqueConstraint("user_id", "kind", "key", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(40))
    country_code: Mapped[str] = mapped_column(String(2), default="")
    requested_dt: Mapped[datetime] = mapped_column(default=utcnow)
