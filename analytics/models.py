"""Analytics tables.

Two families:

- **Rollups** (this module): derived from the xAPI statement store by the incremental rollup job
  (:mod:`analytics.rollup`). They can be dropped and rebuilt at any time (``minamata-lms analytics
  rebuild``). Learners appear only by their xAPI ``actor_key`` (a hash of the pseudonymous account).
- **Primary data** (:mod:`analytics.models_feedback`): feedback, problem reports, evaluations,
  certificates and referrals, which are not in the statement store and are never rebuilt.

Empty strings (not NULL) stand for "none" in the dimension columns of rollups so that unique
constraints work the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db, utcnow

# Dimension column sizes shared by every rollup.
KIND = String(30)
KEY = String(120)
LANG = String(12)
CHILD = String(200)
ACTOR = String(64)


class RollupState(db.Model):
    """The rollup job's watermark and lock (one row per job, ``name="rollup"``).

    ``last_statement_id`` is the highest :class:`lms.xapi.models.Statement` id already folded into the
    rollups. A run takes the lock with a compare-and-set on ``lock_token`` (free or expired) and moves
    the watermark with a compare-and-set on ``(lock_token, last_statement_id)`` in the same transaction
    as the rollup changes, so two runs at once, or a crash, never count a statement twice."""

    __tablename__ = "analytics_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_statement_id: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=0)
    """Bumped by every committed change; dashboard snapshots are keyed by it."""
    lock_token: Mapped[str | None] = mapped_column(String(36))
    lock_expires_dt: Mapped[datetime | None]
    is_rebuilding: Mapped[bool] = mapped_column(default=False)
    last_run_dt: Mapped[datetime | None]
    """When the last run finished."""
    last_stored_dt: Mapped[datetime | None]
    """``stored`` time of the newest statement folded in: how fresh the dashboards are."""
    last_run_count: Mapped[int] = mapped_column(default=0)
    last_run_seconds: Mapped[float] = mapped_column(default=0.0)


class MonthlyCount(db.Model):
    """Additive counters of statements by month, resource, verb, language and country."""

    __tablename__ = "analytics_monthly"
    __table_args__ = (
        UniqueConstraint("month", "kind", "key", "verb", "language", "country_code"),
        Index("ix_analytics_monthly_resource", "kind", "key", "verb"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM of the statement's timestamp
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    verb: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(LANG)
    country_code: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(20))
    n: Mapped[int] = mapped_column(default=0)
    n_success: Mapped[int] = mapped_column(default=0)
    n_failure: Mapped[int] = mapped_column(default=0)
    n_completion: Mapped[int] = mapped_column(default=0)
    n_scored: Mapped[int] = mapped_column(default=0)
    sum_score: Mapped[float] = mapped_column(default=0.0)
    sum_duration: Mapped[float] = mapped_column(default=0.0)


class ActiveActor(db.Model):
    """Who was active when and where (a set, for distinct counts of active learners and viewers)."""

    __tablename__ = "analytics_activity"
    __table_args__ = (
        UniqueConstraint("actor_key", "month", "kind", "key", "language"),
        Index("ix_analytics_activity_month", "month", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_key: Mapped[str] = mapped_column(ACTOR)
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    language: Mapped[str] = mapped_column(LANG)
    country_code: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(20))


class LearnerProgress(db.Model):
    """One learner's path through one resource (course, kit, workshop, webinar): the funnel, time to
    complete, pass/fail, where they stopped, workshop pre/post scores."""

    __tablename__ = "analytics_learner"
    __table_args__ = (
        UniqueConstraint("actor_key", "kind", "key"),
        Index("ix_analytics_learner_resource", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_key: Mapped[str] = mapped_column(ACTOR)
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    language: Mapped[str] = mapped_column(LANG)
    country_code: Mapped[str] = mapped_column(String(2))
    region: Mapped[str] = mapped_column(String(20))
    first_dt: Mapped[datetime]
    last_dt: Mapped[datetime]
    registered_dt: Mapped[datetime | None]
    started_dt: Mapped[datetime | None]
    completed_dt: Mapped[datetime | None]
    passed_dt: Mapped[datetime | None]
    n_passed: Mapped[int] = mapped_column(default=0)
    n_failed: Mapped[int] = mapped_column(default=0)
    best_score: Mapped[float | None]
    last_child: Mapped[str | None] = mapped_column(CHILD)
    """The last lesson (IRI tail, e.g. ``lesson/<uuid>``) the learner opened."""
    last_child_dt: Mapped[datetime | None]
    attended_dt: Mapped[datetime | None]
    pre_score: Mapped[float | None]
    post_score: Mapped[float | None]


class ChildReach(db.Model):
    """Which learners reached which lesson of a resource (a set), for lesson drop-off."""

    __tablename__ = "analytics_child"
    __table_args__ = (UniqueConstraint("kind", "key", "child", "actor_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    child: Mapped[str] = mapped_column(CHILD)
    actor_key: Mapped[str] = mapped_column(ACTOR)
    language: Mapped[str] = mapped_column(LANG)


class ItemResponse(db.Model):
    """A learner's first answer to a quiz item (the input of item analysis)."""

    __tablename__ = "analytics_item_response"
    __table_args__ = (
        UniqueConstraint("kind", "key", "item", "actor_key"),
        Index("ix_analytics_item_response_actor", "actor_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    item: Mapped[str] = mapped_column(CHILD)
    actor_key: Mapped[str] = mapped_column(ACTOR)
    language: Mapped[str] = mapped_column(LANG)
    is_correct: Mapped[bool | None]
    response: Mapped[str] = mapped_column(String(500), default="")
    answered_dt: Mapped[datetime]


class ItemStat(db.Model):
    """Item analysis of one quiz item, recomputed by the rollup job when its responses change."""

    __tablename__ = "analytics_item"
    __table_args__ = (UniqueConstraint("kind", "key", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    item: Mapped[str] = mapped_column(CHILD)
    interaction_type: Mapped[str] = mapped_column(String(40), default="")
    names: Mapped[dict] = mapped_column(default=dict)  # {lang: question text}
    choices: Mapped[list] = mapped_column(default=list)  # [{"id":..., "description": {lang: text}}]
    correct: Mapped[list] = mapped_column(default=list)  # correctResponsesPattern
    n: Mapped[int] = mapped_column(default=0)
    n_correct: Mapped[int] = mapped_column(default=0)
    difficulty: Mapped[float | None]
    """Proportion correct (classical item difficulty, the p-value)."""
    discrimination: Mapped[float | None]
    """Corrected point-biserial correlation with the rest of the learner's score."""
    distractors: Mapped[dict] = mapped_column(default=dict)  # {choice id: count}
    by_language: Mapped[dict] = mapped_column(default=dict)
    """{lang: {"n", "correct", "p", "p_ref", "mh_d_dif", "chi2", "flag"}}"""
    is_flagged: Mapped[bool] = mapped_column(default=False)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)


class VideoStat(db.Model):
    """Per webinar session and language: the media length (from the video profile's context)."""

    __tablename__ = "analytics_video"
    __table_args__ = (UniqueConstraint("kind", "key", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    language: Mapped[str] = mapped_column(LANG)
    length_s: Mapped[float | None]


class VideoViewer(db.Model):
    """The minutes of a session one viewer has watched (from played segments)."""

    __tablename__ = "analytics_video_viewer"
    __table_args__ = (
        UniqueConstraint("kind", "key", "actor_key", "language"),
        Index("ix_analytics_video_viewer_actor", "actor_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    actor_key: Mapped[str] = mapped_column(ACTOR)
    language: Mapped[str] = mapped_column(LANG)
    minutes: Mapped[list] = mapped_column(default=list)


class VideoMinute(db.Model):
    """How many distinct viewers watched each minute of a session (watch-through)."""

    __tablename__ = "analytics_video_minute"
    __table_args__ = (UniqueConstraint("kind", "key", "language", "minute"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    language: Mapped[str] = mapped_column(LANG)
    minute: Mapped[int]
    viewers: Mapped[int] = mapped_column(default=0)


class VideoSession(db.Model):
    """One view: a video-profile session id, else one viewer on one day."""

    __tablename__ = "analytics_video_session"
    __table_args__ = (
        UniqueConstraint("kind", "key", "session_ref"),
        Index("ix_analytics_video_session_resource", "kind", "key", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)
    session_ref: Mapped[str] = mapped_column(String(140))
    actor_key: Mapped[str] = mapped_column(ACTOR)
    language: Mapped[str] = mapped_column(LANG)
    day: Mapped[str] = mapped_column(String(10))


class ReadinessResult(db.Model):
    """The latest submitted readiness assessment of a country, of any cycle (levels by dimension)."""

    __tablename__ = "analytics_readiness"
    __table_args__ = (UniqueConstraint("country_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(String(2))
    questionnaire: Mapped[str] = mapped_column(KEY)
    """The activity key of the assessment these levels come from."""
    region: Mapped[str] = mapped_column(String(20))
    levels: Mapped[dict] = mapped_column(default=dict)  # {dimension: level or None}
    score: Mapped[float | None]
    submitted_dt: Mapped[datetime]
    n_submissions: Mapped[int] = mapped_column(default=0)


class DirtyScope(db.Model):
    """Work left for the end of a run (e.g. item statistics of a course to recompute); written in the
    same transaction as the batch that caused it, so a crash between the two loses nothing."""

    __tablename__ = "analytics_dirty"
    __table_args__ = (UniqueConstraint("scope", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(KIND)
    key: Mapped[str] = mapped_column(KEY)


class Snapshot(db.Model):
    """A computed dashboard payload, keyed by dashboard, filters and the data version it was computed
    from: dashboards read these instead of aggregating on every request."""

    __tablename__ = "analytics_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    cache_key: Mapped[str] = mapped_column(String(64), unique=True)
    dashboard: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict] = mapped_column(default=dict)
    computed_dt: Mapped[datetime] = mapped_column(default=utcnow)


ROLLUP_TABLES = (
    MonthlyCount,
    ActiveActor,
    LearnerProgress,
    ChildReach,
    ItemResponse,
    ItemStat,
    VideoStat,
    VideoViewer,
    VideoMinute,
    VideoSession,
    ReadinessResult,
    DirtyScope,
    Snapshot,
)
"""Derived tables, emptied by a rebuild."""

from analytics.models_feedback import (  # noqa: E402,F401  (the loader imports analytics.models only)
    Certificate,
    Evaluation,
    Feedback,
    ProblemReport,
    Referral,
)
