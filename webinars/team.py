"""webinars: the team of a session (its owner and co-hosts) and what each trainer manages.

The team is what the core registry knows as the owners of the session's resources (the ``webinar``
and its ``webinar_chapter`` resources), so analytics scopes a trainer's dashboards to them: every
change of the team is written to the registry and audited. Services flush only.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from lms.db import db
from lms.models import User, audit
from lms.registry import set_resource_owners
from webinars.errors import WebinarError
from webinars.models import QAItem, SessionCohost, WebinarSession


def managed_sessions_filter(user: User):
    """A ``where`` clause on :class:`WebinarSession`: the sessions ``user`` manages (all for admins)."""
    if user.is_admin:
        return WebinarSession.id.is_not(None)
    cohosted = select(SessionCohost.session_id).where(SessionCohost.user_id == user.id)
    return or_(WebinarSession.owner_id == user.id, WebinarSession.id.in_(cohosted))


def pending_questions(user: User) -> int:
    """Follow-up questions waiting for moderation in the sessions ``user`` manages."""
    stmt = (
        select(func.count(QAItem.id))
        .join(WebinarSession, WebinarSession.id == QAItem.session_id)
        .where(QAItem.status == "pending", managed_sessions_filter(user))
    )
    return db.session.scalar(stmt) or 0


def sync_owners(session: WebinarSession) -> None:
    """Tell the registry the session's team (for the session and each chapter; resources not yet
    published are skipped: publishing passes the owners)."""
    ids = session.team_ids()
    set_resource_owners("webinar", session.uuid, ids)
    for chapter in session.chapters:
        set_resource_owners("webinar_chapter", chapter.uuid, ids)


def add_cohost(actor: User | None, session: WebinarSession, email: str) -> SessionCohost:
    """Add the trainer with ``email`` to the team of ``session``. Refuses unknown addresses, accounts
    that are not trainers (or admins), the owner and existing co-hosts."""
    email = (email or "").strip().lower()
    user = (
        db.session.scalar(select(User).where(func.lower(User.email) == email, User.deleted_dt.is_(None)))
        if email
        else None
    )
    if user is None or not user.is_active or not user.has_role("trainer"):
        # One answer for all: whether a learner has an account, and their name, are not the trainer's to see.
        raise WebinarError(
            _("No trainer has the address “%(email)s”: only trainers can co-host.", email=email)
        )
    if user.id == session.owner_id:
        raise WebinarError(_("%(name)s owns this session already.", name=user.name))
    if any(c.user_id == user.id for c in session.cohosts):
        raise WebinarError(_("%(name)s is a co-host already.", name=user.name))
    row = SessionCohost(user_id=user.id, added_by_id=actor.id if actor is not None else None)
    session.cohosts.append(row)
    db.session.flush()
    audit(actor, "webinars.team.add", "webinars_session", session.uuid, user=user.uuid)
    sync_owners(session)
    return row


def remove_cohost(actor: User | None, session: WebinarSession, user: User) -> None:
    """Take ``user`` off the team of ``session`` (nothing happens when they are not on it)."""
    row = next((c for c in session.cohosts if c.user_id == user.id), None)
    if row is None:
        return
    session.cohosts.remove(row)
    db.session.flush()
    audit(actor, "webinars.team.remove", "webinars_session", session.uuid, user=user.uuid)
    sync_owners(session)


def cohost_for(session: WebinarSession, user_uuid: str) -> User | None:
    """The co-host of ``session`` whose public id is ``user_uuid``."""
    return next((c.user for c in session.cohosts if c.user.uuid == user_uuid), None)
