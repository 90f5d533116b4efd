"""webinars: the Q&A tables (questions with their answers, votes) and the search index. Import them from
:mod:`webinars.models`, which re-exports them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, new_uuid, utcnow
from webinars.models import WebinarSession


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
