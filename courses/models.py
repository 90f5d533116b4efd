"""courses: content models (the editable draft and its immutable published versions).

A course is authored as a *draft* in normalised rows: :class:`Course` -> :class:`Unit` -> :class:`Item`
(a lesson, a quiz or an imported xAPI/cmi5 package) -> :class:`Question` (quizzes). Every translatable
thing has a stable UUID and its words live in :class:`Translation`, one row per (UUID, language), so
all languages share one identity (enrolment, progress, analytics). A translation remembers the hash of
the source text it was made from (``source_hash``): when the source changes the translation is *stale*.

Publishing freezes the draft into a :class:`CourseVersion` (a JSON snapshot, never changed again).
Learners always read a published snapshot; their progress is keyed by item and question UUIDs, which
survive new versions. Workshop kits (tier 3) reuse the same translation and snapshot machinery.

Learner-side models (enrolment, progress, attempts, certificates) are in :mod:`courses.models_learning`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, new_uuid, utcnow

LEVELS = ("introductory", "intermediate", "advanced")
STATUSES = ("draft", "published", "unpublished", "archived")
ITEM_KINDS = ("lesson", "quiz", "package")
QUESTION_KINDS = ("single", "multiple", "truefalse", "numeric", "fillin", "matching", "ordering")
# Slugs that would shadow the plugin's own pages.
RESERVED_SLUGS = {
    "my",
    "kits",
    "manage",
    "verify",
    "certificates",
    "preferences",
    "media",
    "static",
    "new",
    "run",
    "cmi5",
    "badges",
    "workshops",
    "events",
}


class Course(db.Model):
    __tablename__ = "courses_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    source_language: Mapped[str] = mapped_column(String(5), default="en")
    level: Mapped[str] = mapped_column(String(20), default="introductory")
    estimated_minutes: Mapped[int] = mapped_column(default=30)
    articles: Mapped[list] = mapped_column(default=list)
    """Convention article numbers covered (ints)."""
    prerequisites: Mapped[list] = mapped_column(default=list)
    """Slugs of courses a learner must complete before enrolling."""
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    published_version: Mapped[int | None]
    """Number of the :class:`CourseVersion` learners see (None when never published)."""
    is_certificate: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    units: Mapped[list[Unit]] = relationship(
        back_populates="course", order_by="Unit.position", cascade="all, delete-orphan"
    )

    @property
    def is_live(self) -> bool:
        """Learners can open it: published, or (for those already enrolled) unpublished or archived."""
        return self.published_version is not None and self.status in ("published", "unpublished", "archived")


class Unit(db.Model):
    __tablename__ = "courses_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses_course.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    course: Mapped[Course] = relationship(back_populates="units")
    items: Mapped[list[Item]] = relationship(
        back_populates="unit", order_by="Item.position", cascade="all, delete-orphan"
    )


class Item(db.Model):
    """A step of a unit: a Markdown lesson, a quiz, or an imported xAPI/cmi5 package."""

    __tablename__ = "courses_item"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses_course.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("courses_unit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="lesson")
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    is_required: Mapped[bool] = mapped_column(default=True)
    estimated_minutes: Mapped[int] = mapped_column(default=10)
    settings: Mapped[dict] = mapped_column(default=dict)
    """Quiz: ``pass_mark`` (percent), ``max_attempts`` (0 = unlimited), ``shuffle`` (bool), ``draw``
    (questions drawn per attempt, 0 = all). Package: ``package_uuid``."""

    unit: Mapped[Unit] = relationship(back_populates="items")
    questions: Mapped[list[Question]] = relationship(
        back_populates="item", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    """A quiz question. ``spec`` holds the language-neutral part (which options are right, the numeric
    answer and tolerance ...); the words (prompt, option texts, feedback, accepted blanks) are in
    :class:`Translation` rows keyed by the question's UUID."""

    __tablename__ = "courses_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    item_id: Mapped[int] = mapped_column(ForeignKey("courses_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(12))
    points: Mapped[float] = mapped_column(default=1.0)
    spec: Mapped[dict] = mapped_column(default=dict)

    item: Mapped[Item] = relationship(back_populates="questions")


class Translation(db.Model):
    """The words of one translatable thing (course, unit, lesson, quiz, question, kit part) in one
    language. ``fields`` is a dict of field name -> text (or nested texts for question options).
    ``source_hash``: for the source language, the hash of these fields; for another language, the hash
    of the source fields this translation was made from (stale when it differs from the source's)."""

    __tablename__ = "courses_translation"
    __table_args__ = (UniqueConstraint("item_uuid", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses_course.id", ondelete="CASCADE"), index=True
    )
    item_uuid: Mapped[str] = mapped_column(String(36), index=True)
    item_type: Mapped[str] = mapped_column(String(20))  # course | unit | lesson | quiz | package | question
    language: Mapped[str] = mapped_column(String(5))
    fields: Mapped[dict] = mapped_column(default=dict)
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class CourseVersion(db.Model):
    """An immutable published version: the whole course (every language) frozen as JSON."""

    __tablename__ = "courses_course_version"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses_course.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    snapshot: Mapped[dict]
    content_hash: Mapped[str] = mapped_column(String(64))
    changes: Mapped[dict] = mapped_column(default=dict)
    """Compared with the previous version: ``added``, ``changed``, ``removed`` item UUID lists."""
    note: Mapped[str] = mapped_column(Text, default="")
    published_dt: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class Media(db.Model):
    """An image (or other file) used by a course's lessons. The bytes are stored once by SHA-256 under
    ``MEDIA_DIR/courses/blobs/`` so a published version keeps its images even if the draft's change."""

    __tablename__ = "courses_media"
    __table_args__ = (UniqueConstraint("course_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses_course.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)


# Tables that load with the plugin: workshop kits and events, then course, kit and workshop teams.
from courses import models_kits, models_team  # noqa: E402,F401
from courses.models_learning import (  # noqa: E402,F401  (tables loaded with the plugin's models)
    Certificate,
    Enrolment,
    ItemProgress,
    LaunchSession,
    QuizAttempt,
)
from courses.models_packages import Package  # noqa: E402,F401  (imported xAPI/cmi5 packages)
