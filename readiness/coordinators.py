"""Country coordinators: the national focal points of countries that have no coordinator on the
platform, and their appointment by the secretariat. Someone says they are their country's focal point
when registering or on their profile ("I am a national focal point"); the secretariat's page lists
them, and one click makes them coordinator (the core's audited role change) and tells them by mail.
Services: flush only."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms.account.errors import AccountError
from lms.admin import coordinators as one_coordinator
from lms.admin.services import change_role
from lms.countries import country_name
from lms.db import db
from lms.i18n import sort_key
from lms.mail import queue_mail
from lms.models import User
from readiness import permissions
from readiness.base import ReadinessError


def _candidates():
    """Focal points who may be appointed: learners (trainers and admins keep their role; the admin's
    user page changes it), with a confirmed, active account, in a country without a coordinator."""
    covered = select(User.country_code).where(
        User.role == "coordinator", User.is_active_account.is_(True), User.country_code.is_not(None)
    )
    return select(User).where(
        User.is_focal_point.is_(True),
        User.role == "learner",
        User.is_active_account.is_(True),
        User.deleted_dt.is_(None),
        User.confirmed_dt.is_not(None),
        User.country_code.is_not(None),
        User.country_code.not_in(covered),
    )


def focal_points_without_coordinator() -> list[User]:
    """The focal points the secretariat may appoint, by country name then name (reader's order)."""
    rows = db.session.scalars(_candidates()).all()
    return sorted(rows, key=lambda u: (sort_key(country_name(u.country_code)), sort_key(u.name)))


def appoint(admin: User, user: User) -> User:
    """Make ``user`` the coordinator of their country's assessments and tell them by mail. Refused
    (:class:`ReadinessError`) unless ``admin`` is of the secretariat and ``user`` is still one of
    :func:`focal_points_without_coordinator` (another admin may have appointed someone meanwhile); when
    the country has an active coordinator, the refusal names them. Two appointments at the same moment
    cannot both succeed either: the core's change of role refuses the second."""
    if not permissions.is_secretariat(admin):
        raise ReadinessError(_("Only the secretariat can appoint a country coordinator."))
    try:
        # Named first: the country has its coordinator (appointed meanwhile, or reactivated).
        one_coordinator.check(user, role="coordinator", country_code=user.country_code, active=True)
    except AccountError as exc:
        raise ReadinessError(str(exc)) from exc
    if db.session.scalar(_candidates().where(User.id == user.id)) is None:
        raise ReadinessError(
            _(
                "%(name)s cannot be appointed here: the account is no longer a confirmed, active learner "
                "who is a national focal point.",
                name=user.name,
            )
        )
    try:
        change_role(admin, user, "coordinator")
    except AccountError as exc:
        raise ReadinessError(str(exc)) from exc
    link = f"{current_app.config['BASE_URL'].rstrip('/')}/readiness/"
    with force_locale(user.locale or "en"):
        country = country_name(user.country_code)
        subject = _(
            "You are the coordinator of the digital-readiness assessment of %(country)s", country=country
        )
        body = _(
            "Hello %(name)s,\n\nThe secretariat has made you the coordinator of %(country)s on the "
            "platform. You can now start your country's digital-readiness self-assessment and invite "
            "your colleagues.\n\nStart here: %(link)s",
            name=user.name,
            country=country,
            link=link,
        )
    queue_mail(user.email, subject, body)
    return user
