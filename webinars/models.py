"""webinars: models. The Minamata Online archive: series -> seasons -> sessions, and per session the
recordings (per language, video or audio-only), captions, chapters, slides, Q&A, registrations,
attendance, watch positions and the search index.

Per-language text (titles, descriptions, chapter titles) is kept as ``{lang: text}`` dictionaries that
share one identity (one session, one chapter), so progress and analytics are per session whatever the
language watched. ``source_language`` is the language every fallback uses.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
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
    titles: Mapped[dict] = mapped_column(default=dict)
    descriptions: Mapped[dict] = mapped_column(default=dict)
    starts_on_dt: Mapped[datetime | None]
    ends_on_dt: Mapped[datetime | None]
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    series: Mapped[Series] = relationship(back_populates="seasons")
    sessions: Mapped[list[WebinarSession]] = relationship(
        back_populates="season", order_by="WebinarSession.start_dt"
    )

    def title(self, lang: str) -> str:
        return pick_text(self.titles, lang)[0]


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
    speakers: Mapped[list] = mapped_column(default=list)  # [{"name": ..., "affiliation": ...}]
    articles: Mapped[list] = mapped_column(default=list)  # Convention article numbers
    languages: Mapped[list] = mapped_column(default=list)  # languages the session was offered in
    is_published: Mapped[bool] = mapped_column(default=False, index=True)
    published_dt: Mapped[datetime | None]
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    season: Mapped[Season] = relationship(back_populates="sessions")
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

    def is_upcoming(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return any(run > now for run in self.runs())


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


class QAItem(db.Model):
    """A question and its answer: archived from the live session (``source="live"``, published on import)
    or a follow-up asked by a signed-in attendee (``source="followup"``), which goes through moderation:
    ``pending`` -> ``published`` (approved, maybe not yet answered) or ``rejected``."""

    __tablename__ = "webinars_qa_item"
    __table_args__ = (Index("ix_webinars_qa_item_session_status", "session_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10))  # live | followup
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | published | rejected
    language: Mapped[str | None] = mapped_column(String(5))
    question: Mapped[str] = mapped_column(Text)
    asker_name: Mapped[str | None] = mapped_column(String(200))  # None: shown as anonymous
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(200))
    time_s: Mapped[int | None]  # moment in the recording
    upvotes: Mapped[int] = mapped_column(default=0)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answered_dt: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    session: Mapped[WebinarSession] = relationship()


class QAVote(db.Model):
    __tablename__ = "webinars_qa_vote"
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("webinars_qa_item.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)


class Registration(db.Model):
    """A signed-in attendee registered for an upcoming session (one of its runs)."""

    __tablename__ = "webinars_registration"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    run: Mapped[int] = mapped_column(default=1)  # 1 or 2
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[WebinarSession] = relationship()
    user: Mapped[User] = relationship()

    def run_start(self) -> datetime:
        if self.run == 2 and self.session.second_start_dt is not None:
            return self.session.second_start_dt
        return self.session.start_dt


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


class RecordingNotice(db.Model):
    """ "Recording available" mails already queued (one per follower and session)."""

    __tablename__ = "webinars_recording_notice"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    sent_dt: Mapped[datetime] = mapped_column(default=utcnow)


class Attendance(db.Model):
    """Live attendance imported from the webinar tool's report (one row per user and session)."""

    __tablename__ = "webinars_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    minutes: Mapped[int | None]
    imported_dt: Mapped[datetime] = mapped_column(default=utcnow)


class WatchState(db.Model):
    """Where a signed-in user is in a session's recording and which parts they watched."""

    __tablename__ = "webinars_watch_state"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    language: Mapped[str | None] = mapped_column(String(5))
    position_s: Mapped[float] = mapped_column(default=0.0)
    length_s: Mapped[float | None]
    segments: Mapped[list] = mapped_column(default=list)  # merged [[start, end], ...] in seconds
    progress: Mapped[float] = mapped_column(default=0.0)  # watched fraction 0..1
    is_completed: Mapped[bool] = mapped_column(default=False)
    completed_dt: Mapped[datetime | None]
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SearchDoc(db.Model):
    """One searchable text: a title, description, chapter title, caption cue or Q&A item of a
    published session. ``terms`` is the normalised text the full-text index reads (see
    :mod:`webinars.search`)."""

    __tablename__ = "webinars_search_doc"
    __table_args__ = (Index("ix_webinars_search_doc_session", "session_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("webinars_session.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))  # title | description | chapter | transcript | qa
    language: Mapped[str | None] = mapped_column(String(5), index=True)
    start_s: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    terms: Mapped[str] = mapped_column(Text)
