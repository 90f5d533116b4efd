"""Storage of the built-in LRS.

One row per statement with its full JSON plus indexed columns for every query filter, so the same
queries run on SQLite and PostgreSQL. Agents and activities a statement mentions anywhere (for the
``related_agents`` / ``related_activities`` filters) are in side tables.

Agents are keyed by ``agent_key``: the SHA-256 of the agent's inverse functional identifier in a
canonical form (``mbox:mailto:...``, ``mbox_sha1sum:...``, ``openid:...``, ``account:<homePage>|<name>``),
see :func:`lms.xapi.ids.agent_key`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, utcnow


class Statement(db.Model):
    __tablename__ = "xapi_statement"
    __table_args__ = (
        Index("ix_xapi_statement_verb_stored", "verb_id", "stored_dt"),
        Index("ix_xapi_statement_activity_stored", "object_activity_id", "stored_dt"),
        Index("ix_xapi_statement_actor_stored", "actor_key", "stored_dt"),
        Index("ix_xapi_statement_user_verb", "user_id", "verb_id"),
        Index("ix_xapi_statement_authority_stored", "authority_key", "stored_dt"),
        Index("ix_xapi_statement_registration_stored", "registration", "stored_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    data: Mapped[dict]
    """The statement as stored (with ``id``, ``stored``, ``authority``, ``version``)."""
    actor_key: Mapped[str | None] = mapped_column(String(64))
    """:func:`lms.xapi.ids.agent_key` of the actor (``None`` for an anonymous group)."""
    authority_key: Mapped[str | None] = mapped_column(String(64))
    """:func:`lms.xapi.ids.group_key` of the authority (for the ``statements/read/mine`` scope)."""
    verb_id: Mapped[str] = mapped_column(String(1000))
    object_type: Mapped[str] = mapped_column(String(20))
    """Activity, Agent, Group, StatementRef or SubStatement."""
    object_activity_id: Mapped[str | None] = mapped_column(String(1000))
    object_statement_id: Mapped[str | None] = mapped_column(String(36), index=True)
    """For StatementRef objects (voiding included): the referenced statement id."""
    registration: Mapped[str | None] = mapped_column(String(36))
    """context.registration, in lowercase."""
    timestamp_dt: Mapped[datetime]
    stored_dt: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    is_voided: Mapped[bool] = mapped_column(default=False)
    # Denormalised for analytics (read without parsing JSON).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    """The platform user whose pseudonymous account is the actor, when there is one (indexed by
    ``ix_xapi_statement_user_verb``)."""
    result_success: Mapped[bool | None]
    result_completion: Mapped[bool | None]
    result_score_scaled: Mapped[float | None]
    result_duration_s: Mapped[float | None]
    language: Mapped[str | None] = mapped_column(String(35))
    """context.language, as given."""
    # Not indexed: analytics reads it by statement id range, no query filters on it.
    country_code: Mapped[str | None] = mapped_column(String(2))
    """The actor's country from the platform's context extension, when present."""
    has_attachments: Mapped[bool] = mapped_column(default=False)


class StatementAgent(db.Model):
    """Every agent a statement mentions (actor, object, authority, context instructor/team, and those of
    a sub-statement), for ``agent`` and ``related_agents`` queries."""

    __tablename__ = "xapi_statement_agent"
    __table_args__ = (Index("ix_xapi_statement_agent_key", "agent_key", "statement_pk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: statements are never deleted (privacy requests pseudonymise them), and every
    # lookup goes by agent_key. One index fewer to keep up on each stored statement.
    statement_pk: Mapped[int] = mapped_column(ForeignKey("xapi_statement.id", ondelete="CASCADE"))
    agent_key: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))  # actor | object | authority | instructor | team | member


class StatementActivity(db.Model):
    """Every activity a statement mentions (object and context activities, sub-statement ones), for
    ``related_activities`` queries."""

    __tablename__ = "xapi_statement_activity"
    __table_args__ = (Index("ix_xapi_statement_activity_id", "activity_id", "statement_pk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_pk: Mapped[int] = mapped_column(ForeignKey("xapi_statement.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[str] = mapped_column(String(1000))
    role: Mapped[str] = mapped_column(String(20))  # object | parent | grouping | category | other


class AttachmentContent(db.Model):
    """Attachment payloads, by SHA-2 hash (shared between statements that carry the same file)."""

    __tablename__ = "xapi_attachment"

    sha2: Mapped[str] = mapped_column(String(128), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)


class ActivityDefinition(db.Model):
    """The LRS's canonical definition of an activity (Activities resource)."""

    __tablename__ = "xapi_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(1000), unique=True)
    definition: Mapped[dict] = mapped_column(default=dict)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Document(db.Model):
    """State, Activity Profile and Agent Profile documents.

    ``key_hash`` is the SHA-256 of the document's full identity (kind, activity, agent, registration,
    id): unique, so two clients creating the same document at once cannot both insert it (NULL
    registration/activity would defeat a composite unique constraint)."""

    __tablename__ = "xapi_document"
    __table_args__ = (
        Index("ix_xapi_document_lookup", "kind", "activity_id", "agent_key", "registration", "doc_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # state | activity_profile | agent_profile
    doc_id: Mapped[str] = mapped_column(String(1000))
    activity_id: Mapped[str | None] = mapped_column(String(1000))
    agent_key: Mapped[str | None] = mapped_column(String(64))
    agent: Mapped[dict | None]
    registration: Mapped[str | None] = mapped_column(String(36))
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    etag: Mapped[str] = mapped_column(String(64))
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)
