"""The audit trail of a module, a kit or a workshop as its team reads it: each entry with its details,
where they name a person (a participant, a team member) by id, completed with that person's name."""

from __future__ import annotations

from sqlalchemy import select

from courses.models_kits import Participant
from lms.admin.services import audit_trail
from lms.db import db
from lms.models import AuditEntry, User

TRAIL_LENGTH = 500
"""The newest entries shown; older ones stay in the database (and in the administration's exports)."""


def resource_trail(kind: str, resource_uuid: str) -> list[tuple[AuditEntry, dict]]:
    """``[(entry, details)]``, newest first, for the resource of registry kind ``kind`` (``course``,
    ``kit``, ``workshop``); ``details`` is a copy of the entry's details with ``person`` (a name) added
    when they name a participant or a user. Stored entries are left unchanged."""
    entries = audit_trail(kind, resource_uuid, TRAIL_LENGTH)
    participants = {e.details.get("participant") for e in entries if e.details.get("participant")}
    users = {e.details.get("user") for e in entries if isinstance(e.details.get("user"), int)}
    by_participant = dict(
        db.session.execute(
            select(Participant.uuid, User.name)
            .join(User, User.id == Participant.user_id)
            .where(Participant.uuid.in_(participants))
        ).all()
        if participants
        else ()
    )
    by_user = dict(
        db.session.execute(select(User.id, User.name).where(User.id.in_(users))).all() if users else ()
    )
    rows = []
    for entry in entries:
        details = dict(entry.details or {})
        person = by_participant.get(details.get("participant")) or by_user.get(details.get("user"))
        if person:
            details["person"] = person
        rows.append((entry, details))
    return rows
