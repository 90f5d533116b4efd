"""courses: teams. The trainers responsible for a course, a workshop kit or a workshop.

The trainer who creates a course, kit or workshop is its first *owner*; owners add and remove other
trainers as *co-authors* (or further owners) on the resource's Team page. Only the team (and admins)
edit, translate, publish, import into, message the learners of, or see the learners of the resource.

One table serves the three kinds of resource: exactly one of ``course_id``, ``kit_id`` and
``workshop_id`` is set (checked by the database), so each keeps a real foreign key that cascades.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import db, utcnow
from lms.models import User

TEAM_ROLES = ("owner", "author")

_ONE_RESOURCE = " + ".join(
    f"(CASE WHEN {col} IS NULL THEN 0 ELSE 1 END)" for col in ("course_id", "kit_id", "workshop_id")
)


class TeamMember(db.Model):
    """A trainer in the team of one course, kit or workshop. ``role``: ``owner`` (manages the team)
    or ``author`` (co-author: edits, publishes, sees the learners)."""

    __tablename__ = "courses_team_member"
    __table_args__ = (
        UniqueConstraint("course_id", "user_id"),
        UniqueConstraint("kit_id", "user_id"),
        UniqueConstraint("workshop_id", "user_id"),
        CheckConstraint(f"{_ONE_RESOURCE} = 1", name="ck_courses_team_member_one_resource"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses_course.id", ondelete="CASCADE"), index=True
    )
    kit_id: Mapped[int | None] = mapped_column(ForeignKey("courses_kit.id", ondelete="CASCADE"), index=True)
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses_workshop.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="author")
    added_dt: Mapped[datetime] = mapped_column(default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"
