"""webinars: models. The Minamata Online archive: series -> seasons -> sessions, and per session the
recordings (per language, video or audio-only), captions, chapters, slides, Q&A, registrations,
attendance, watch positions and the search index.

Per-language text (titles, descriptions, chapter titles) is kept as ``{lang: text}`` dictionaries that
share one identity (one season, session or chapter), so progress and analytics are per session whatever
the language watched. A season's or session's ``source_language`` (its title required) is the fallback.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, new_uuid, utcnow
from lms.models import User


def pick_text(texts: dict | None, lang: str, fallback: str = "en") -> tuple[str, str]:
    """``(text, language used)``: ``lang`` if present, else ``fallback``, else any language."""
    texts = texts or {}
    for code in (lang, fallback, "en"):
        if texts.get(code):
            return texts[code], code
    for code, text in texts.items():
        if text:
            return text, code
    return "", fallback


class SessionUserRow:
    """The columns every per-user row of a session shares (registrations, notices, attendance, watch
    states, co-hosts): one row per session and user, gone with either."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)


def one_per_session_user() -> tuple:
    return (UniqueConstraint("session_id", "user_id"),)


class Series(db.Model):
    __tablename__ = "webinars_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    titles: Mapped[dict] = mapped_column(default=dict)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    seasons: Mapped[list[Season]] = relationship(back_populates="series", order_by="Season.number")


class Season(db.Model):
    __tablename__ = "webinars_season"
    __table_args__ = (UniqueConstraint("series_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("webinars_series.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    source_language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    titles: Mapped[dict] = mapped_column(default=dict)
    descriptions: Mapped[dict] = mapped_column(default=dict)  # Markdown per language
    # The trainer who created the season: with admins, the only one who may edit it.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    starts_on_dt: Mapped[datetime | None]
    ends_on_dt: Mapped[datetime | None]
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    series: Mapped[Series] = relationship(back_populates="seasons")
    sessions: Mapped[list[WebinarSession]] = relationship(
        back_populates="season", order_by="WebinarSession.start_dt"
    )

    def title(self, lang: str) -> str:
        return pick_text(self.titles, lang, self.source_language)[0]


class WebinarSession(db.Model):
    """One webinar. ``second_start_dt`` holds the second run of a session given twice (time zones)."""

    __tablename__ = "webinars_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("webinars_season.id", ondelete="RESTRICT"), index=True)
    source_language: Mapped[str] = mapped_column(String(5), default="en")
    titles: Mapped[dict] = mapped_column(default=dict)
    descriptions: Mapped[dict] = mapped_column(default=dict)  # Markdown per language
    start_dt: Mapped[datetime] = mapped_column(index=True)
    second_start_dt: Mapped[datetime | None]
    duration_min: Mapped[int] = mapped_column(default=60)
    # Revision of the runs' calendar events (iCalendar SEQUENCE): raised when a published session's
    # runs move, so calendar applications take the newer file over the one they hold.
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # Where registered people join the live session (the video conference's address): given only to
    # them, on the session page and in their mails and calendar files, never on public pages.
    join_url: Mapped[str | None] = mapped_column(String(500))
    speakers: Mapped[list] = mapped_column(default=list)  # [{"name": ..., "affiliation": ...}]
    articles: Mapped[list] = mapped_column(default=list)  # Convention article numbers
    languages: Mapped[list] = mapped_column(default=list)  # languages the session was offered in
    is_published: Mapped[bool] = mapped_column(default=False, index=True)
    published_dt: Mapped[datetime | None]
    # When the live session was cancelled (it will not take place), and the organisers' message to
    # its registrants (plain text; None when none was given).
    cancelled_dt: Mapped[datetime | None]
    cancel_message: Mapped[str | None] = mapped_column(Text)
    # The trainer who created the session; owners and co-hosts (see ``cohosts``) manage it.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    season: Mapped[Season] = relationship(back_populates="sessions")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    cohosts: Mapped[list[SessionCohost]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionCohost.id"
    )
    recordings: Mapped[list[Recording]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Recording.language"
    )
    captions: Mapped[list[CaptionTrack]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="CaptionTrack.language"
    )
    chapters: Mapped[list[Chapter]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Chapter.start_s"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    def title(self, lang: str) -> str:
        return pick_text(self.titles, lang, self.source_language)[0]

    @property
    def end_dt(self) -> datetime:
        return self.start_dt + timedelta(minutes=self.duration_min)

    def runs(self) -> list[datetime]:
        return [d for d in (self.start_dt, self.second_start_dt) if d is not None]

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_dt is not None

    def run_is_cancelled(self, start: datetime) -> bool:
        """Cancelled before its run starting at ``start`` had ended (an earlier run took place)."""
        return self.is_cancelled and start + timedelta(minutes=self.duration_min) > self.cancelled_dt

    @property
    def is_partly_held(self) -> bool:
        """Cancelled after one of its runs had taken place: only the remaining (second) run is cancelled."""
        return self.is_cancelled and not all(self.run_is_cancelled(start) for start in self.runs())

    def is_upcoming(self, now: datetime | None = None) -> bool:
        """A run is still to start and the session is not cancelled."""
        now = now or utcnow()
        return not self.is_cancelled and any(run > now for run in self.runs())

    def can_be_cancelled(self, now: datetime | None = None) -> bool:
        """Published, not cancelled, and its last run has not ended."""
        end = max(self.runs()) + timedelta(minutes=self.duration_min)
        return self.is_published and not self.is_cancelled and end > (now or utcnow())

    def team_ids(self) -> list[int]:
        """User ids of the owner and the co-hosts (the resource owners in the registry)."""
        ids = {c.user_id for c in self.cohosts}
        if self.owner_id is not None:
            ids.add(self.owner_id)
        return sorted(ids)


class SessionCohost(SessionUserRow, db.Model):
    """A trainer the owner added to a session's team: manages it like the owner, but cannot change
    the team."""

    __tablename__ = "webinars_session_cohost"
    __table_args__ = one_per_session_user()

    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[WebinarSession] = relationship(back_populates="cohosts")
    user: Mapped[User] = relationship(foreign_keys="SessionCohost.user_id")


class Recording(db.Model):
    """A recording in one language (interpretation channel): an uploaded file under MEDIA_DIR or an
    external URL. ``kind`` is ``video`` or ``audio`` (the low-bandwidth rendition)."""

    __tablename__ = "webinars_recording"
    __table_args__ = (UniqueConstraint("session_id", "language", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    kind: Mapped[str] = mapped_column(String(10))  # video | audio
    stored_name: Mapped[str | None] = mapped_column(String(200))  # file name under MEDIA_DIR/webinars
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int | None]
    external_url: Mapped[str | None] = mapped_column(String(500))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[WebinarSession] = relationship(back_populates="recordings")

    @property
    def is_external(self) -> bool:
        return self.stored_name is None


class CaptionTrack(db.Model):
    """WebVTT captions in one language (SRT uploads are converted on the way in)."""

    __tablename__ = "webinars_caption"
    __table_args__ = (UniqueConstraint("session_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    vtt: Mapped[str] = mapped_column(Text)
    cue_count: Mapped[int] = mapped_column(default=0)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[WebinarSession] = relationship(back_populates="captions")


class Chapter(db.Model):
    __tablename__ = "webinars_chapter"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    start_s: Mapped[int]
    titles: Mapped[dict] = mapped_column(default=dict)
    articles: Mapped[list] = mapped_column(default=list)

    session: Mapped[WebinarSession] = relationship(back_populates="chapters")

    def title(self, lang: str) -> str:
        return pick_text(self.titles, lang, self.session.source_language)[0]


class Attachment(db.Model):
    """Slides and other resources (PDF, presentations) with their sizes."""

    __tablename__ = "webinars_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    language: Mapped[str | None] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[WebinarSession] = relationship(back_populates="attachments")


# The attendees', Q&A and search tables live in their own modules (size), imported here: one path.
from webinars.models_attendees import (  # noqa: E402
    Attendance,
    RecordingNotice,
    Registration,
    ReminderSent,
    SeasonFollower,
    WatchState,
)  # fmt: skip
from webinars.models_qa import QAItem, QAVote, SearchDoc  # noqa: E402

__all__ = [
    "Attachment",
    "Attendance",
    "CaptionTrack",
    "Chapter",
    "QAItem",
    "QAVote",
    "Recording",
    "RecordingNotice",
    "Registration",
    "ReminderSent",
    "SearchDoc",
    "Season",
    "SeasonFollower",
    "Series",
    "SessionCohost",
    "SessionUserRow",
    "WatchState",
    "WebinarSession",
    "pick_text",
]
