"""One active country coordinator per country. A coordinator (role ``coordinator``) whose account is
not deactivated coordinates their country's work (its readiness assessments); a second one would make
two people the country's voice. Every change that could give a country a second one is refused whole,
naming the country and the coordinator it has: a role change, a move to another country, a
reactivation, an invitation, the secretariat's appointment of a focal point.

The database holds the rule too: a partial unique index on the country of active coordinators (SQLite
and PostgreSQL; declared on :class:`lms.models.User`). When two administrators act at the same moment,
both checks pass but only one row can be written; the other's flush fails and is refused with the same
message (:func:`guarded`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.account.errors import AccountError
from lms.countries import country_name
from lms.db import db, savepoint
from lms.i18n import isolate
from lms.models import User

ROLE = "coordinator"


class CoordinatorTaken(AccountError):
    """Refused: the country already has another active coordinator, ``coordinator``."""

    def __init__(self, country_code: str, coordinator: User):
        super().__init__(
            _(
                "%(country)s already has an active country coordinator, %(name)s (%(email)s). A country "
                "has only one: change that person's role or deactivate their account first.",
                country=country_name(country_code),
                name=isolate(coordinator.name),
                email=isolate(coordinator.email),
            )
        )
        self.country_code = country_code
        self.coordinator = coordinator


def active_coordinator(country_code: str | None, besides: User | None = None) -> User | None:
    """The active coordinator of the country other than ``besides`` (None: nobody, or no country)."""
    if not country_code:
        return None
    stmt = select(User).where(
        User.role == ROLE,
        User.is_active_account.is_(True),
        User.country_code == country_code,
    )
    if besides is not None and besides.id is not None:
        stmt = stmt.where(User.id != besides.id)
    return db.session.scalar(stmt.order_by(User.id).limit(1))


def check(user: User | None, *, role: str, country_code: str | None, active: bool) -> None:
    """Refuse (:class:`CoordinatorTaken`) to make ``user`` (None: an account about to be created) an
    active coordinator of ``country_code`` while someone else is. Anything else passes."""
    if role != ROLE or not active or not country_code:
        return
    other = active_coordinator(country_code, besides=user)
    if other is not None:
        raise CoordinatorTaken(country_code, other)


@contextmanager
def guarded(user: User | None, country_code: str | None) -> Iterator[None]:
    """Around the writing (up to its flush) of a change that makes ``user`` an active coordinator of
    ``country_code``: when a concurrent change gave the country its coordinator first, the database
    refuses the row; the change is undone (a savepoint) and refused as :func:`check` would have."""
    try:
        with savepoint():
            yield
    except IntegrityError:
        other = active_coordinator(country_code, besides=user)
        if other is None:
            raise
        raise CoordinatorTaken(country_code, other) from None
