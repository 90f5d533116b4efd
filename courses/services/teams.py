"""Teams of courses, workshop kits and workshops: who owns and co-authors each one.

A *resource* here is a :class:`~courses.models.Course`, a :class:`~courses.models_kits.Kit` or a
:class:`~courses.models_kits.Workshop`. Its team is the list of :class:`TeamMember` rows; the core
registry of learning resources is told the team's user ids (``owners``) so other plugins (analytics)
scope what a trainer sees to their own resources. Every change is audited. Services flush only.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from courses.models import Course
from courses.models_kits import Kit, Workshop
from courses.models_team import TEAM_ROLES, TeamMember
from courses.services.errors import CourseError
from courses.services.kits_texts import get_text
from courses.services.texts import get_translation
from lms.account.mails import external_url
from lms.db import db
from lms.mail import queue_mail
from lms.models import User, audit
from lms.registry import set_resource_owners

# resource class -> (registry kind, TeamMember column)
_KINDS = {Course: ("course", "course_id"), Kit: ("kit", "kit_id"), Workshop: ("workshop", "workshop_id")}


def kind_of(resource) -> str:
    """``course``, ``kit`` or ``workshop`` (the registry's resource kind)."""
    return _KINDS[type(resource)][0]


def title_of(resource) -> str:
    """The resource's title as its team writes it: the draft's, in its source language."""
    if isinstance(resource, Workshop):
        return resource.title
    read = get_text if isinstance(resource, Kit) else get_translation
    row = read(resource.uuid, resource.source_language)
    return (row.fields.get("title") if row is not None else None) or resource.slug


def _manage_link(resource) -> str:
    """The absolute address of the resource's management page, for a mail."""
    if isinstance(resource, Workshop):
        return external_url("courses.manage_workshop", workshop_uuid=resource.uuid)
    endpoint = "courses.edit_kit" if isinstance(resource, Kit) else "courses.edit_course"
    return external_url(endpoint, slug=resource.slug)


def _column(resource):
    return getattr(TeamMember, _KINDS[type(resource)][1])


def members(resource) -> list[TeamMember]:
    """The team, owners first, then by name."""
    stmt = (
        select(TeamMember)
        .join(User, User.id == TeamMember.user_id)
        .where(_column(resource) == resource.id)
        .order_by(TeamMember.role.desc(), User.name, User.id)
    )
    return list(db.session.scalars(stmt))


def member_ids(resource) -> list[int]:
    """User ids of the whole team (what the registry calls the resource's owners)."""
    if resource.id is None:
        return []
    return sorted(db.session.scalars(select(TeamMember.user_id).where(_column(resource) == resource.id)))


def membership(user, resource) -> TeamMember | None:
    if not getattr(user, "is_authenticated", False) or resource.id is None:
        return None
    return db.session.scalar(
        select(TeamMember).where(_column(resource) == resource.id, TeamMember.user_id == user.id)
    )


def resource_ids_of(user, model) -> set[int]:
    """Ids of the courses / kits / workshops (``model``) whose team ``user`` is in."""
    column = getattr(TeamMember, _KINDS[model][1])
    return set(db.session.scalars(select(column).where(TeamMember.user_id == user.id, column.is_not(None))))


def _sync_registry(resource) -> None:
    # The registry only knows published resources; publishing passes the owners again.
    set_resource_owners(kind_of(resource), resource.uuid, member_ids(resource))


def _add(actor, resource, user: User, role: str) -> TeamMember:
    row = TeamMember(user_id=user.id, role=role, added_by_id=actor.id if actor is not None else None)
    setattr(row, _KINDS[type(resource)][1], resource.id)
    db.session.add(row)
    db.session.flush()
    return row


def make_owner(actor, resource, user: User | None) -> TeamMember | None:
    """Make ``user`` an owner of a resource they created or imported (nothing when ``user`` is None,
    e.g. a command-line import without ``--owner``: then only admins manage it). Flushes."""
    if user is None:
        return None
    row = membership(user, resource)
    if row is None:
        row = _add(actor, resource, user, "owner")
    else:
        row.role = "owner"
    audit(actor, "courses.team_member_added", kind_of(resource), resource.uuid, user=user.id, role="owner")
    _sync_registry(resource)
    db.session.flush()
    return row


def add_member(actor, resource, *, email: str, role: str = "author") -> TeamMember:
    """Add the trainer with this e-mail address to the team. Refused (``CourseError``) for an unknown
    address, a user who is not a trainer, someone already in the team, or an unknown role."""
    if role not in TEAM_ROLES:
        raise CourseError(_("Unknown team role."))
    address = str(email or "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == address)) if address else None
    if user is None or not user.is_trainer:
        # One answer for both: whether a learner has an account, and their name, are not the trainer's to see.
        raise CourseError(
            _("No trainer has the address %(email)s: only trainers can join a team.", email=address or "—")
        )
    if membership(user, resource) is not None:
        raise CourseError(_("%(name)s is already in the team.", name=user.name))
    row = _add(actor, resource, user, role)
    audit(actor, "courses.team_member_added", kind_of(resource), resource.uuid, user=user.id, role=role)
    _sync_registry(resource)
    _tell_new_member(actor, resource, user, role)
    db.session.flush()
    return row


def _tell_new_member(actor, resource, user: User, role: str) -> None:
    """Mail the trainer just added, in their language: what they joined, as what, and where it is."""
    link = _manage_link(resource)
    title = title_of(resource)
    with force_locale(user.locale or "en"):
        subject = _("You are in the team of “%(title)s”", title=title)
        body = _(
            "Hello %(name)s,\n\n%(by)s added you to the team of “%(title)s” as %(role)s.\n\n"
            "Open it here: %(link)s",
            name=user.display_name,
            by=actor.display_name if actor is not None else _("An administrator"),
            title=title,
            role=_("owner") if role == "owner" else _("co-author"),
            link=link,
        )
    queue_mail(user.email, subject, body)


def remove_member(actor, resource, user_id: int) -> None:
    """Take a trainer off the team. The last owner stays: a team always keeps someone to manage it
    (add another owner first)."""
    row = db.session.scalar(
        select(TeamMember).where(_column(resource) == resource.id, TeamMember.user_id == user_id)
    )
    if row is None:
        raise CourseError(_("This person is not in the team."))
    owners = [m for m in members(resource) if m.is_owner]
    if row.is_owner and len(owners) == 1:
        raise CourseError(_("The last owner cannot leave the team: add another owner first."))
    db.session.delete(row)
    db.session.flush()
    audit(actor, "courses.team_member_removed", kind_of(resource), resource.uuid, user=user_id, role=row.role)
    _sync_registry(resource)
    db.session.flush()
