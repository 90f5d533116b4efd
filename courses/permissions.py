"""courses: who may do what, built on the core roles and the resource teams.

- Anyone (signed in or not) browses the catalogue, course pages and the public verification page.
- A signed-in user enrols in a published course and studies the courses they are enrolled in. When a
  course is unpublished or archived it leaves the catalogue and takes no new enrolments, but learners
  already enrolled keep studying the version they know, and their certificates stay valid.
- Each course, workshop kit and workshop has a team (:mod:`courses.services.teams`): the trainer who
  created it owns it and adds co-authors. Only the team and admins edit, translate, publish, unpublish,
  archive, import into, message the learners of, or see the learners and progress of that resource.
  Other trainers see the catalogue like anyone. Only owners (and admins) change the team.
- A certificate is seen by its holder, the team of its course (or workshop) and admins; its
  verification page by anyone.
"""

from __future__ import annotations

from flask import abort


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_author(user) -> bool:
    """A trainer or admin: may create courses, kits and workshops (and then edits their own)."""
    return _signed_in(user) and user.is_trainer


def is_admin(user) -> bool:
    return _signed_in(user) and user.is_admin


def can_edit(user, resource) -> bool:
    """The team of ``resource`` (a course, kit or workshop) and admins."""
    from courses.services.teams import membership

    if not is_author(user):
        return False
    return user.is_admin or membership(user, resource) is not None


def can_manage_team(user, resource) -> bool:
    """The owners of ``resource`` and admins."""
    from courses.services.teams import membership

    if not is_author(user):
        return False
    if user.is_admin:
        return True
    row = membership(user, resource)
    return row is not None and row.is_owner


def is_enrolled(user, course) -> bool:
    from courses.services.learning import get_enrolment

    return _signed_in(user) and get_enrolment(user, course) is not None


def can_see_course(user, course) -> bool:
    """The team sees every course; everyone sees published ones; learners enrolled in a course keep
    seeing it once unpublished or archived (the last published version)."""
    if can_edit(user, course):
        return True
    if course.published_version is None:
        return False
    if course.status == "published":
        return True
    return course.status in ("unpublished", "archived") and is_enrolled(user, course)


def can_see_certificate(user, certificate) -> bool:
    if not _signed_in(user):
        return False
    return certificate.user_id == user.id or can_edit(user, certificate.course)


def require(condition: bool, status: int = 403) -> None:
    if not condition:
        abort(status)
