"""Workshop registration: a person registers (or cancels) themselves, a trainer registers people on
their behalf, one by one or from an uploaded CSV list (creating learner accounts for new addresses and
mailing everyone newly registered). Every registration is recorded as an xAPI "registered" statement with
the participant as the registration id. Scheduling the workshop itself is :mod:`courses.services.workshops`.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courses.models_kits import Participant, Workshop
from courses.services.errors import CourseError
from courses.services.workshops import (
    count_participants,
    has_started,
    is_past,
    participant_of,
    record_event,
)
from courses.services.workshops_csv import ImportRefused, read_rows, row_email
from courses.services.workshops_notices import mail_participant
from lms.account.mails import external_url
from lms.db import db
from lms.i18n import current_language, details_text
from lms.models import Country, User, audit
from lms.signals import user_registered

PARTICIPANT_COLUMNS = {
    "email": ("email", "e-mail", "mail"),
    "name": ("name", "full name"),
    "country": ("country", "country code"),
    "organisation": ("organisation", "organization"),
}


class WorkshopFull(CourseError):
    """A trainer's registration refused because every place is taken: the way on is to raise the
    workshop's capacity (pages link to where it is changed)."""


def registrations_of(user) -> list[Participant]:
    """The workshops ``user`` is registered for (a participant row each), newest registration first."""
    return list(
        db.session.scalars(
            select(Participant)
            .filter_by(user_id=user.id)
            .options(selectinload(Participant.workshop))
            .order_by(Participant.registered_dt.desc())
        )
    )


def self_register(user, workshop: Workshop) -> tuple[Participant, bool]:
    """Register ``user`` (idempotent). Refuses closed, cancelled, past and full workshops."""
    existing = participant_of(workshop, user)
    if existing is not None:
        return existing, False
    if workshop.is_cancelled or not workshop.is_registration_open or is_past(workshop):
        raise CourseError(_("Registration for this workshop is closed."))
    if count_participants(workshop) >= workshop.capacity:
        raise CourseError(_("This workshop is full."))
    participant = Participant(workshop=workshop, user_id=user.id, source="self")
    db.session.add(participant)
    db.session.flush()
    record_event(user, workshop, participant, "registered")
    _mail_registered(user, workshop, by_trainer=False)
    return participant, True


def register_participant(workshop: Workshop, user, *, source: str = "import") -> Participant:
    """Register ``user`` on a trainer's behalf (imported list, demo content): no check of dates or of
    the registration switch; idempotent."""
    existing = participant_of(workshop, user)
    if existing is not None:
        return existing
    participant = Participant(workshop=workshop, user_id=user.id, source=source)
    db.session.add(participant)
    db.session.flush()
    record_event(user, workshop, participant, "registered")
    return participant


def cancel_registration(user, workshop: Workshop) -> None:
    participant = participant_of(workshop, user)
    if participant is None:
        raise CourseError(_("You are not registered for this workshop."))
    if participant.attended_dt is not None or has_started(workshop):
        raise CourseError(_("The workshop has started: your registration can no longer be cancelled."))
    db.session.delete(participant)
    db.session.flush()


def account_language(workshop: Workshop) -> str:
    """The language of an account a trainer's list creates, for its mails and pages until its owner
    chooses: the language the list is imported in when the workshop is given in it, else the
    workshop's first language (a French workshop's participants are not written to in English)."""
    current = current_language()
    if current in workshop.languages or not workshop.languages:
        return current
    return workshop.languages[0]


def import_participants(actor, workshop: Workshop, data: bytes) -> dict:
    """Register the people of an uploaded CSV list (columns email, name, optional country and
    organisation). Creates a learner account for an address that has none and mails every newly
    registered person. The whole file is refused if any row is bad; returns counts."""
    if workshop.is_cancelled:
        raise CourseError(_("The workshop is cancelled."))
    rows = read_rows(data, PARTICIPANT_COLUMNS, {"email", "name"})
    return _register_rows(actor, workshop, rows, "courses.workshop_participants_imported")


def register_person(actor, workshop: Workshop, *, email: str, name: str, country="", organisation="") -> dict:
    """Register one person on their behalf (someone who arrives without having registered): the checks,
    account and mail of one row of a list. Refused with the row's reasons; returns the counts."""
    if workshop.is_cancelled:
        raise CourseError(_("The workshop is cancelled."))
    from lms.account.services import find_user_by_email

    user = find_user_by_email(email or "")
    if (user is None or participant_of(workshop, user) is None) and count_participants(
        workshop
    ) >= workshop.capacity:
        raise WorkshopFull(
            ngettext(
                "This workshop is full: its %(num)s place is taken. To register this person, raise the "
                "number of places on the workshop's edit page.",
                "This workshop is full: all %(num)s places are taken. To register this person, raise the "
                "number of places on the workshop's edit page.",
                workshop.capacity,
            )
        )
    row = {"email": email, "name": name, "country": country or "", "organisation": organisation or ""}
    try:
        return _register_rows(actor, workshop, [(None, row)], "courses.workshop_participant_registered")
    except ImportRefused as exc:
        raise CourseError(details_text([reason for _line, reason in exc.errors]) or exc.message) from None


def _register_rows(actor, workshop: Workshop, rows, action: str) -> dict:
    """Register the people of ``rows`` (``(line, {email, name, country, organisation})``), all or none."""
    from lms.account.services import find_user_by_email

    errors, seen, plan = [], set(), []
    for line, row in rows:
        email = row_email(line, row, seen, errors)
        if email is None:
            continue
        name = " ".join((row.get("name") or "").split())
        if not name or len(name) > 200:
            errors.append((line, _("the name is missing or longer than 200 characters")))
            continue
        code = (row.get("country") or "").strip().upper()
        if code and db.session.get(Country, code) is None:
            errors.append((line, _("unknown country code %(code)s", code=code)))
            continue
        organisation = " ".join((row.get("organisation") or "").split())
        if len(organisation) > 200:
            errors.append((line, _("the organisation is longer than 200 characters")))
            continue
        user = find_user_by_email(email)
        if user is not None and not user.is_active:
            errors.append((line, _("the account of %(email)s is closed", email=email)))
            continue
        plan.append((email, name, code or None, organisation, user))
    if errors:
        raise ImportRefused(
            ngettext(
                "The file is refused: %(num)s row has problems.",
                "The file is refused: %(num)s rows have problems.",
                len(errors),
            ),
            errors=errors,
        )
    new = [p for p in plan if p[4] is None or participant_of(workshop, p[4]) is None]
    if count_participants(workshop) + len(new) > workshop.capacity:
        raise ImportRefused(
            _("The file is refused."),
            errors=[
                (
                    "",
                    _(
                        "%(n)s new participants would exceed the capacity of %(cap)s places",
                        n=len(new),
                        cap=workshop.capacity,
                    ),
                )
            ],
        )
    created = registered = 0
    for email, name, code, organisation, user in new:
        if user is None:
            user = User(
                email=email,
                name=name,
                country_code=code,
                organisation=organisation,
                role="learner",
                locale=account_language(workshop),
            )
            user.set_unusable_password()
            db.session.add(user)
            db.session.flush()
            user_registered.send(user)
            created += 1
        register_participant(workshop, user, source="import")
        _mail_registered(user, workshop)
        registered += 1
    audit(actor, action, "workshop", workshop.uuid, registered=registered, accounts_created=created)
    db.session.flush()
    return {"registered": registered, "accounts_created": created, "already": len(plan) - len(new)}


def _mail_registered(user, workshop: Workshop, *, by_trainer: bool = True) -> None:
    """The confirmation of a registration, with the workshop's calendar file. People registered by a
    trainer are told how to choose a password (their account may be new)."""

    def compose(values: dict) -> tuple[str, str]:
        subject = _("Your registration: %(title)s", title=values["title"])
        if by_trainer:
            return subject, _(
                'Hello %(name)s,\n\nYou are registered for the workshop "%(title)s" (%(place)s, '
                "%(dates)s).\n\nWorkshop page: %(link)s\n\nThe attached calendar file adds it to your "
                "calendar.\n\nIf you have not used the learning platform yet, choose your password here: "
                "%(reset)s",
                reset=external_url("account.forgot_password"),
                **values,
            )
        return subject, _(
            'Hello %(name)s,\n\nYou are registered for the workshop "%(title)s" (%(place)s, %(dates)s).'
            "\n\nYour ticket, whose QR code is shown when you arrive, is on the workshop page: %(link)s"
            "\n\nThe attached calendar file adds it to your calendar.",
            **values,
        )

    mail_participant(user, workshop, compose)
