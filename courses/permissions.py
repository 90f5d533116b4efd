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
  for someone about to take the test (of the kit or of a copy of it), not even through the kit's editor.
- A certificate is seen by its holder, the team of its course (or workshop) and admins; its
  verification page by anyone.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort
from sqlalchemy import or_, select


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


def kit_family(kit) -> set[int]:
    """The ids of ``kit`` and of every kit linked to it by copying (``copied_from_id``), in either
    direction and at any distance: the original, its copies, their copies and the copies' originals.
    They carry the same questions, unless their team rewrote them."""
    from courses.models_kits import Kit
    from lms.db import db

    root, seen = kit, {kit.id}
    while root.copied_from_id is not None and root.copied_from_id not in seen:
        seen.add(root.copied_from_id)
        root = db.session.get(Kit, root.copied_from_id)
    family, frontier = {root.id}, {root.id}
    while frontier:
        frontier = set(db.session.scalars(select(Kit.id).where(Kit.copied_from_id.in_(frontier)))) - family
        family |= frontier
    return family


def takes_kit_test(user, kit) -> bool:
    """Whether ``user`` is a participant still in a workshop of ``kit`` or of a kit of its family
    (:func:`kit_family`): one whose pre-test or post-test is open, or whose last day was yesterday (UTC)
    or is later (the margin keeps venues behind UTC on their last day). A cancelled workshop counts
    until the day after its last day: it may be reinstated, and its participants keep their seats."""
    from courses.models_kits import Participant, Workshop
    from courses.services.workshops import today
    from lms.db import db

    if not _signed_in(user) or kit.id is None:
        return False
    return (
        db.session.scalar(
            select(Participant.id)
            .join(Workshop, Workshop.id == Participant.workshop_id)
            .where(
                Participant.user_id == user.id,
                Workshop.kit_id.in_(kit_family(kit)),
                or_(
                    Workshop.is_pre_test_open.is_(True),
                    Workshop.is_post_test_open.is_(True),
                    Workshop.end_date >= today() - timedelta(days=1),
                ),
            )
            .limit(1)
        )
        is not None
    )


def may_see_answer_keys(user, kit) -> bool:
    """Whether ``user`` may read the answers of ``kit``'s pre/post test: the facilitator guide's answer
    key, the offline bundle's ``answer-key.html`` and the link to that bundle, and, for the kit's team,
    the question editor, the questions' translation pages, the kit package export and a copy with the
    test (:mod:`courses.views.kits_questions`, :mod:`courses.views.kits_translate`,
    :mod:`courses.views.kits_transfer`).

    - No one who takes the test (:func:`takes_kit_test`): a participant of a workshop of this kit, or of
      a copy of it or the kit it was copied from, that is not over, whatever their role: admins, the
      kit's team and facilitators included. The kit's team gets the question editor, the translation of
      the questions and the package export back once that workshop is over (or by giving up the seat).
    - Otherwise admins, the kit's team, and the facilitators of a workshop of this kit (the trainers in
      that workshop's team, whether it is to come, over or cancelled) may.
    - No one else: any other trainer, signed-in learner or visitor. A trainer who wants the key to
      prepare a workshop gets it by creating that workshop (or joining its team), or from the kit's team.
    """
    from courses.models_kits import Workshop
    from courses.models_team import TeamMember
    from lms.db import db

    if not _signed_in(user) or kit.id is None:
        return False
    if takes_kit_test(user, kit):
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
