"""courses: who may do what, built on the core roles and the resource teams.

- Anyone (signed in or not) browses the catalogue, course pages and the public verification page.
- A signed-in user enrols in a published course and studies the courses they are enrolled in. When a
  course is unpublished or archived it leaves the catalogue and takes no new enrolments, but learners
  already enrolled keep studying the version they know, and their certificates stay valid.
- Each course, workshop kit and workshop has a team (:mod:`courses.services.teams`): the trainer who
  created it owns it and adds co-authors. Only the team and admins edit, translate, publish, unpublish,
  archive, import into, message the learners of, or see the learners and progress of that resource.
  Other trainers see the catalogue like anyone. Only owners (and admins) change the team.
- A workshop kit's test answer key (:func:`may_see_answer_keys`) is for those who run its workshops, never
  for someone about to take the test.
- A certificate is seen by its holder, the team of its course (or workshop) and admins; its
  verification page by anyone.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select


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


def may_see_answer_keys(user, kit) -> bool:
    """Whether ``user`` may read the answers of ``kit``'s pre/post test (the facilitator guide's answer
    key, the offline bundle's ``answer-key.html`` and the link to that bundle).

    - No one who is a participant of a workshop of this kit that has not ended (its last day is today or
      later; a cancelled one counts, as it may be reinstated), whatever their role: admins, the kit's
      team and facilitators included, since they are about to take the test.
    - Otherwise admins, the kit's team, and the facilitators of a workshop of this kit (the trainers in
      that workshop's team, whether it is to come, over or cancelled) may.
    - No one else: any other trainer, signed-in learner or visitor. A trainer who wants the key to
      prepare a workshop gets it by creating that workshop (or joining its team), or from the kit's team.

    The kit editor's question pages show the correct answers to whoever may edit the kit (they write
    them); this rule covers what the published kit shows."""
    from courses.models_kits import Participant, Workshop
    from courses.models_team import TeamMember
    from courses.services.workshops import today
    from lms.db import db

    if not _signed_in(user) or kit.id is None:
        return False
    taking_test = db.session.scalar(
        select(Participant.id)
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .where(Participant.user_id == user.id, Workshop.kit_id == kit.id, Workshop.end_date >= today())
        .limit(1)
    )
    if taking_test is not None:
        return False
    if user.is_admin or can_edit(user, kit):
        return True
    if not is_author(user):
        return False
    facilitates = db.session.scalar(
        select(TeamMember.id)
        .join(Workshop, Workshop.id == TeamMember.workshop_id)
        .where(TeamMember.user_id == user.id, Workshop.kit_id == kit.id)
        .limit(1)
    )
    return facilitates is not None


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
