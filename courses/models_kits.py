"""courses: workshop case-study kits and in-person workshops (tier 3).

A :class:`Kit` is authored as a draft like a course: its parts (:class:`KitPart`: case studies, best
practices, the facilitator guide's agenda, exercises and discussion questions, handouts, resources and the
pre/post test's questions) each have a stable UUID, and their words live in :class:`KitText`, one row per
(part UUID, language), with the hash of the source text a translation was made from (stale tracking, as
for course translations). Publishing freezes the draft into an immutable :class:`KitVersion`.

A :class:`Workshop` (an event) delivers a kit: participants register (themselves or from an imported
list), are checked in (QR code or attendance sheet), take the pre-test and post-test (online or on paper),
receive an :class:`AttendanceCertificate` and leave :class:`WorkshopFeedback`.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, new_uuid, utcnow
from lms.models import User

KIT_STATUSES = ("draft", "published", "unpublished", "archived")
# Parts of a kit, in the order the kit page shows them.
PART_KINDS = ("case_study", "practice", "agenda", "exercise", "discussion", "handout", "resource", "question")
RESOURCE_TYPES = ("slides", "document", "link", "video")
WORKSHOP_FORMATS = ("in_person", "hybrid")
TEST_PHASES = ("pre", "post")


class Kit(db.Model):
    __tablename__ = "courses_kit"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    source_language: Mapped[str] = mapped_column(String(5), default="en")
    articles: Mapped[list] = mapped_column(default=list)
    """Convention article numbers covered (ints)."""
    region: Mapped[str] = mapped_column(String(120), default="")
    """The region or country a kit was adapted for (free text, empty for the general kit)."""
    pass_mark: Mapped[int] = mapped_column(default=70)
    """Pass mark of the pre/post test, in percent."""
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    published_version: Mapped[int | None]
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("courses_kit.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parts: Mapped[list[KitPart]] = relationship(
        back_populates="kit", order_by="[KitPart.position, KitPart.id]", cascade="all, delete-orphan"
    )
    copied_from: Mapped[Kit | None] = relationship(remote_side=[id])

    def parts_of(self, kind: str) -> list[KitPart]:
        return [p for p in self.parts if p.kind == kind]


class KitPart(db.Model):
    """One part of a kit. ``settings`` holds its language-neutral data: a case study's ``country``
    (ISO code); an agenda slot's or exercise's ``minutes``; a resource's ``url`` and ``type``; a test
    question's ``qkind``, ``points`` and ``spec`` (see :mod:`courses.services.questions`)."""

    __tablename__ = "courses_kit_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kit_id: Mapped[int] = mapped_column(ForeignKey("courses_kit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    settings: Mapped[dict] = mapped_column(default=dict)

    kit: Mapped[Kit] = relationship(back_populates="parts")


class KitText(db.Model):
    """The words of the kit itself (``part_uuid`` = the kit's UUID) or of one part, in one language.
    ``source_hash`` as in :class:`courses.models.Translation`: for the source language the hash of these
    fields, for a translation the hash of the source it was made from (stale when they differ)."""

    __tablename__ = "courses_kit_text"
    __table_args__ = (UniqueConstraint("part_uuid", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kit_id: Mapped[int] = mapped_column(ForeignKey("courses_kit.id", ondelete="CASCADE"), index=True)
    part_uuid: Mapped[str] = mapped_column(String(36), index=True)
    part_type: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    fields: Mapped[dict] = mapped_column(default=dict)
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class KitVersion(db.Model):
    """An immutable published version of a kit: every part in every language, frozen as JSON."""

    __tablename__ = "courses_kit_version"
    __table_args__ = (UniqueConstraint("kit_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kit_id: Mapped[int] = mapped_column(ForeignKey("courses_kit.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    snapshot: Mapped[dict]
    content_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    published_dt: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class Workshop(db.Model):
    """An in-person or hybrid workshop delivering a kit. ``kit_version`` is the published version whose
    test the participants take (fixed once a test result exists)."""

    __tablename__ = "courses_workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    kit_id: Mapped[int] = mapped_column(ForeignKey("courses_kit.id", ondelete="RESTRICT"), index=True)
    kit_version: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date]
    end_date: Mapped[date]
    city: Mapped[str] = mapped_column(String(120))
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    format: Mapped[str] = mapped_column(String(12), default="in_person")
    # Where a hybrid workshop is joined online: told to registrants only (page, mails, their calendar
    # file), never on the public page or in the calendar file anyone may download.
    online_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # The daily hours, at the venue: both or neither, with the venue's zone (which online participants in
    # other zones need, and calendar files carry).
    daily_start: Mapped[time | None]
    daily_end: Mapped[time | None]
    time_zone: Mapped[str | None] = mapped_column(String(64))
    languages: Mapped[list] = mapped_column(default=list)
    organiser: Mapped[str] = mapped_column(String(300))
    partners: Mapped[str] = mapped_column(String(1000), default="")
    capacity: Mapped[int] = mapped_column(default=30)
    is_registration_open: Mapped[bool] = mapped_column(default=True)
    is_pre_test_open: Mapped[bool] = mapped_column(default=False)
    is_post_test_open: Mapped[bool] = mapped_column(default=False)
    is_cancelled: Mapped[bool] = mapped_column(default=False)
    # Revision of the calendar event (iCalendar SEQUENCE): raised when the days or place change or the
    # workshop is cancelled, so calendar applications take the newer file over the one they hold.
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    kit: Mapped[Kit] = relationship()
    participants: Mapped[list[Participant]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="Participant.id"
    )

    def is_test_open(self, phase: str) -> bool:
        return self.is_pre_test_open if phase == "pre" else self.is_post_test_open


class Participant(db.Model):
    """A person registered for a workshop. ``uuid`` is the xAPI registration of their statements and
    what their check-in QR code's signed token names."""

    __tablename__ = "courses_workshop_participant"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("courses_workshop.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(12), default="self")  # self | import
    registered_dt: Mapped[datetime] = mapped_column(default=utcnow)
    attended_dt: Mapped[datetime | None]
    check_in_method: Mapped[str | None] = mapped_column(String(10))  # qr | sheet | manual
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # When an attendance sheet marked them absent (cleared by a later check-in, which wins).
    absent_dt: Mapped[datetime | None]

    workshop: Mapped[Workshop] = relationship(back_populates="participants")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class WorkshopTestResult(db.Model):
    """A participant's pre-test or post-test: taken online (questions drawn when started, graded on the
    server when submitted) or entered by a trainer from the paper sheet. One per participant and phase."""

    __tablename__ = "courses_workshop_test"
    __table_args__ = (UniqueConstraint("participant_id", "phase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("courses_workshop_participant.id", ondelete="CASCADE"), index=True
    )
    phase: Mapped[str] = mapped_column(String(4))  # pre | post
    mode: Mapped[str] = mapped_column(String(6))  # online | paper
    language: Mapped[str] = mapped_column(String(5))
    drawn: Mapped[list] = mapped_column(default=list)
    started_dt: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_dt: Mapped[datetime | None]
    submission_hash: Mapped[str | None] = mapped_column(String(64))
    responses: Mapped[dict] = mapped_column(default=dict)
    results: Mapped[dict] = mapped_column(default=dict)
    """Question uuid -> ``{"correct": bool, "score": float, "max": float}``."""
    score_raw: Mapped[float | None]
    score_max: Mapped[float | None]
    score_scaled: Mapped[float | None]
    is_passed: Mapped[bool | None]
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    participant: Mapped[Participant] = relationship()


class AttendanceCertificate(db.Model):
    """Issued to a participant who attended. Names, title, dates and place are frozen at issue time; the
    public verification page shows only those."""

    __tablename__ = "courses_attendance_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("courses_workshop_participant.id", ondelete="CASCADE"), unique=True
    )
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("courses_workshop.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    participant_name: Mapped[str] = mapped_column(String(200))
    workshop_title: Mapped[str] = mapped_column(String(300))
    kit_titles: Mapped[dict] = mapped_column(default=dict)
    start_date: Mapped[date]
    end_date: Mapped[date]
    city: Mapped[str] = mapped_column(String(120))
    country_code: Mapped[str] = mapped_column(String(2))
    issued_dt: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    participant: Mapped[Participant] = relationship()
    workshop: Mapped[Workshop] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class WorkshopFeedback(db.Model):
    """A participant's feedback after the workshop: a rating from 1 to 5 and an optional comment."""

    __tablename__ = "courses_workshop_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("courses_workshop_participant.id", ondelete="CASCADE"), unique=True
    )
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("courses_workshop.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
