"""courses: learner-side models. Progress is keyed by the stable item and question UUIDs of the
content models, so it survives new published versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, new_uuid, utcnow
from lms.models import User


class Enrolment(db.Model):
    """A learner in a course. ``uuid`` is the xAPI registration of every statement of this enrolment."""

    __tablename__ = "courses_enrolment"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses_course.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(30), default="self")
    enrolled_dt: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_dt: Mapped[datetime] = mapped_column(default=utcnow)
    last_item_uuid: Mapped[str | None] = mapped_column(String(36))
    """Where the learner left off (resume)."""
    seen_version: Mapped[int | None]
    """The published version the learner last studied (to tell them what changed since)."""
    completed_dt: Mapped[datetime | None]
    reminder_sent_dt: Mapped[datetime | None]

    course = relationship("Course")
    user: Mapped[User] = relationship()
    progress: Mapped[list[ItemProgress]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan"
    )


class ItemProgress(db.Model):
    """A learner's progress on one item (lesson read / quiz passed / package completed)."""

    __tablename__ = "courses_item_progress"
    __table_args__ = (UniqueConstraint("enrolment_id", "item_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("courses_enrolment.id", ondelete="CASCADE"), index=True
    )
    item_uuid: Mapped[str] = mapped_column(String(36))
    first_seen_dt: Mapped[datetime] = mapped_column(default=utcnow)
    done_dt: Mapped[datetime | None]
    seen_hash: Mapped[str] = mapped_column(String(64), default="")
    """Content hash of the item as the learner last saw it (language-independent)."""

    enrolment: Mapped[Enrolment] = relationship(back_populates="progress")


class QuizAttempt(db.Model):
    """One attempt at a quiz. The questions drawn (and the order of their options) are fixed when the
    attempt starts; the answers are graded on the server when it is submitted, exactly once."""

    __tablename__ = "courses_quiz_attempt"
    __table_args__ = (UniqueConstraint("enrolment_id", "quiz_uuid", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("courses_enrolment.id", ondelete="CASCADE"), index=True
    )
    quiz_uuid: Mapped[str] = mapped_column(String(36), index=True)
    version_number: Mapped[int]
    number: Mapped[int]
    language: Mapped[str] = mapped_column(String(5))
    drawn: Mapped[list] = mapped_column(default=list)
    """``[{"uuid": question uuid, "order": [option/item ids as shown]}]``."""
    started_dt: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_dt: Mapped[datetime | None]
    responses: Mapped[dict] = mapped_column(default=dict)
    """Question uuid -> the normalised response."""
    submission_hash: Mapped[str | None] = mapped_column(String(64))
    results: Mapped[dict] = mapped_column(default=dict)
    """Question uuid -> {"correct": bool, "score": float, "max": float, "feedback": [...]}."""
    score_raw: Mapped[float | None]
    score_max: Mapped[float | None]
    score_scaled: Mapped[float | None]
    is_passed: Mapped[bool | None]

    enrolment: Mapped[Enrolment] = relationship()


class Certificate(db.Model):
    """Issued on completion. The learner's name and the course title are frozen at issue time; the
    public verification page shows only those and the date."""

    __tablename__ = "courses_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("courses_enrolment.id", ondelete="CASCADE"), unique=True
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("courses_course.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    learner_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    course_titles: Mapped[dict] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(5))
    version_number: Mapped[int]
    issued_dt: Mapped[datetime] = mapped_column(default=utcnow)

    enrolment: Mapped[Enrolment] = relationship()
    course = relationship("Course")
    user: Mapped[User] = relationship()


class LaunchSession(db.Model):
    """One launch of an imported xAPI/cmi5 package by a learner (cmi5: the session id and the fetch
    token, usable once)."""

    __tablename__ = "courses_launch_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("courses_enrolment.id", ondelete="CASCADE"), index=True
    )
    package_uuid: Mapped[str] = mapped_column(String(36), index=True)
    fetch_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    is_fetched: Mapped[bool] = mapped_column(default=False)
    auth_token: Mapped[str] = mapped_column(String(2000), default="")
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    ended_dt: Mapped[datetime | None]

    enrolment: Mapped[Enrolment] = relationship()
