"""courses: who may do what, built on the core roles.

- Anyone (signed in or not) browses the catalogue, course pages and the public verification page.
- A signed-in user enrols in a published course and studies the courses they are enrolled in.
- Trainers (and admins) author every course: the secretariat's trainers work on the modules as a team.
- A certificate is seen by its holder, trainers and admins; its verification page by anyone.
"""

from __future__ import annotations

from flask import abort


def is_author(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_trainer


def can_see_course(user, course) -> bool:
    """Learners see published and (for those enrolled) archived courses; authors see every course."""
    if is_author(user):
        return True
    return course.published_version is not None and course.status in ("published", "archived")


def can_see_certificate(user, certificate) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return certificate.user_id == user.id or user.is_trainer


def require(condition: bool, status: int = 403) -> None:
    if not condition:
        abort(status)
