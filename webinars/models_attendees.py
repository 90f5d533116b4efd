"""webinars: the attendees' tables: registrations and their reminders, season followers and their
"recording available" notices, live attendance and watch states. Import them from
:mod:`webinars.models`, which re-exports them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, new_uuid, utcnow
from lms.models import User
from webinars.models import SessionUserRow, WebinarSession, one_per_session_user


class Registration(SessionUserRow, db.Model):
    """A signed-in attendee registered for an upcoming session (one of its runs)."""

    __tablename__ = "webinars_registration"
    __table_args__ = one_per_session_user()

    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    run: Mapped[int] = mapped_column(default=1)  # 1 or 2
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[WebinarSession] = relationship()
    user: Mapped[User] = relationship()

    def run_start(self) -> datetime:
        if self.run == 2 and self.session.second_start_dt is not None:
            return self.session.second_start_dt
        return self.session.start_dt

    def is_to_come(self, now: datetime | None = None) -> bool:
        """Its run has not started yet (changes to the session are still mailed to the registrant)."""
        return self.run_start() > (now or utcnow())

    def is_over(self, now: datetime | None = None) -> bool:
        """Its run has ended (the session's other run may still be to come)."""
        return self.run_start() + timedelta(minutes=self.session.duration_min) <= (now or utcnow())


class ReminderSent(db.Model):
    """One row per reminder mail queued, so the job never sends the same reminder twice."""

    __tablename__ = "webinars_reminder_sent"
    __table_args__ = (UniqueConstraint("registration_id", "offset_min"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("webinars_registration.id", ondelete="CASCADE"), index=True
    )
    offset_min: Mapped[int]
    sent_dt: Mapped[datetime] = mapped_column(default=utcnow)


class SeasonFollower(db.Model):
    __tablename__ = "webinars_season_follower"
    __table_args__ = (UniqueConstraint("season_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("webinars_season.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)


class RecordingNotice(SessionUserRow, db.Model):
    """ "Recording available" mails already queued (one per follower and session)."""

    __tablename__ = "webinars_recording_notice"
    __table_args__ = one_per_session_user()

    sent_dt: Mapped[datetime] = mapped_column(default=utcnow)


class Attendance(SessionUserRow, db.Model):
    """Live attendance imported from the webinar tool's report (one row per user and session)."""

    __tablename__ = "webinars_attendance"
    __table_args__ = one_per_session_user()

    minutes: Mapped[int | None]
    imported_dt: Mapped[datetime] = mapped_column(default=utcnow)


class WatchState(SessionUserRow, db.Model):
    """Where a signed-in user is in a session's recording and which parts they watched."""

    __tablename__ = "webinars_watch_state"
    __table_args__ = one_per_session_user()

    language: Mapped[str | None] = mapped_column(String(5))
    position_s: Mapped[float] = mapped_column(default=0.0)
    length_s: Mapped[float | None]
    segments: Mapped[list] = mapped_column(default=list)  # merged [[start, end], ...] in seconds
    progress: Mapped[float] = mapped_column(default=0.0)  # watched fraction 0..1
    is_completed: Mapped[bool] = mapped_column(default=False)
    completed_dt: Mapped[datetime | None]
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
