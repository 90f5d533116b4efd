"""The LRS's part of a user's personal data export (:data:`lms.signals.user_data_export`).

A user's learning records are the statements whose actor is their pseudonymous account
(:func:`lms.xapi.agents.actor_for`): the platform's own statements and those imported packages posted
over HTTP with the same account. They are found by the indexed ``actor_key`` (the same key the LRS
computes when it stores a statement), plus ``user_id`` for rows the LRS linked to the user.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from lms.db import db
from lms.signals import user_data_export
from lms.xapi.agents import actor_for
from lms.xapi.ids import agent_key
from lms.xapi.models import Statement

SECTION = "xapi_statements"


def user_statements(user) -> list[dict]:
    """The stored statements whose actor is ``user``, oldest first, each with ``voided`` telling whether
    it was later voided (a voided statement is still data the platform holds)."""
    key = agent_key(actor_for(user))
    rows = db.session.scalars(
        select(Statement)
        .where(or_(Statement.actor_key == key, Statement.user_id == user.id))
        .order_by(Statement.stored_dt, Statement.id)
    ).all()
    return [{"statement": row.data, "voided": row.is_voided} for row in rows]


@user_data_export.connect
def _on_user_data_export(sender, **kwargs):
    return (SECTION, user_statements(sender))
