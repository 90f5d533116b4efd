"""Workshop events: scheduling an event that delivers a published kit, registration (self, or an
imported list of participants), and the xAPI helpers every workshop statement uses (the event is the
grouping activity, with the kit)."""

from __future__ import annotations

import secrets
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from courses.models_kits import WORKSHOP_FORMATS, Kit, Participant, Workshop, WorkshopTestResult
from courses.services.errors import CourseError
from courses.services.teams import make_owner, member_ids
from courses.services.workshops_csv import ImportRefused, read_rows
from lms import xapi
from lms.config import LANGUAGES
from lms.db import db, utcnow
from lms.mail import queue_mail
from lms.models import Country, User, audit
from lms.registry import publish_resource, withdraw_resource
from lms.signals import user_registered

EVENT_TYPE = "workshop"
KIT_TYPE = "workshop_kit"
PARTICIPANT_COLUMNS = {
    "email": ("email", "e-mail", "mail"),
    "name": ("name", "full name"),
    "country": ("country", "country code"),
    "organisation": ("organisation", "organization"),
}


def today() -> date:
    """Today's date in UTC (workshop dates are calendar days)."""
    return utcnow().date()


def workshop_iri(workshop: Workshop) -> str:
    return xapi.activity_iri("workshop", workshop.uuid)


def kit_iri(kit: Kit) -> str:
    return xapi.activity_iri("kit", kit.uuid)


def grouping(workshop: Workshop) -> list[str]:
    return [workshop_iri(workshop), kit_iri(workshop.kit)]


def workshop_by_uuid(uuid: str) -> Workshop | None:
    return db.session.scalar(select(Workshop).filter_by(uuid=uuid))


def results_for(workshop: Workshop) -> list[WorkshopTestResult]:
    """The submitted pre-test and post-test results of the workshop's participants."""
    return list(
        db.session.scalars(
            select(WorkshopTestResult)
            .join(Participant)
            .where(Participant.workshop_id == workshop.id, WorkshopTestResult.submitted_dt.is_not(None))
        )
    )


def participant_of(workshop: Workshop, user) -> Participant | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Participant).filter_by(workshop_id=workshop.id, user_id=user.id))


def count_participants(workshop: Workshop) -> int:
    return db.session.scalar(select(func.count(Participant.id)).filter_by(workshop_id=workshop.id)) or 0


def is_past(workshop: Workshop, on: date | None = None) -> bool:
    return workshop.end_date < (on or today())


def has_started(workshop: Workshop, on: date | None = None) -> bool:
    return workshop.start_date <= (on or today())


# Scheduling ------------------------------------------------------------------------------------------


def _check(kit: Kit, values: dict) -> dict:
    title = str(values.get("title") or "").strip()
    if not title or len(title) > 300:
        raise CourseError(_("Give the workshop a title (at most 300 characters)."), field="title")
    start, end = values.get("start_date"), values.get("end_date")
    if not isinstance(start, date) or not isinstance(end, date):
        raise CourseError(_("Give the first and last day of the workshop."), field="start_date")
    if end < start:
        raise CourseError(_("The last day cannot be before the first day."), field="end_date")
    city = str(values.get("city") or "").strip()
    if not city or len(city) > 120:
        raise CourseError(_("Give the city (at most 120 characters)."), field="city")
    code = str(values.get("country_code") or "").strip().upper()
    if db.session.get(Country, code) is None:
        raise CourseError(_("Choose a country from the list."), field="country_code")
    fmt = values.get("format") or "in_person"
    if fmt not in WORKSHOP_FORMATS:
        raise CourseError(_("Unknown format %(format)s.", format=fmt), field="format")
    languages = [code for code in dict.fromkeys(values.get("languages") or []) if code]
    if not languages or any(code not in LANGUAGES for code in languages):
        raise CourseError(_("Choose at least one language among the six UN languages."), field="languages")
    organiser = str(values.get("organiser") or "").strip()
    if not organiser or len(organiser) > 300:
        raise CourseError(_("Name the organiser (at most 300 characters)."), field="organiser")
    partners = str(values.get("partners") or "").strip()
    if len(partners) > 1000:
        raise CourseError(_("The list of partners is too long (at most 1000 characters)."), field="partners")
    try:
        capacity = int(values.get("capacity"))
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 10000:
        raise CourseError(_("The capacity must be a number of places from 1 to 10000."), field="capacity")
    if kit.published_version is None:
        raise CourseError(_("A workshop delivers a published kit; publish the kit first."), field="kit")
    return {
        "title": title,
        "description": str(values.get("description") or "").strip()[:20000],
        "start_date": start,
        "end_date": end,
        "city": city,
        "country_code": code,
        "format": fmt,
        "languages": languages,
        "organiser": organiser,
        "partners": partners,
        "capacity": capacity,
        "is_registration_open": bool(values.get("is_registration_open", True)),
    }


def create_workshop(actor, kit: Kit, *, uuid: str | None = None, **values) -> Workshop:
    """Schedule a workshop delivering the kit's current published version. Flushes."""
    clean = _check(kit, values)
    workshop = Workshop(
        kit=kit,
        kit_version=kit.published_version,
        created_by_id=actor.id if actor else None,
        **({"uuid": uuid} if uuid else {}),
        **clean,
    )
    db.session.add(workshop)
    db.session.flush()
    make_owner(actor, workshop, actor)
    register(workshop)
    audit(actor, "courses.workshop_created", "workshop", workshop.uuid, kit=kit.uuid)
    return workshop


def update_workshop(actor, workshop: Workshop, **values) -> None:
    clean = _check(workshop.kit, values)
    if clean["capacity"] < count_participants(workshop):
        raise CourseError(_("More people are registered than this capacity allows."), field="capacity")
    for key, value in clean.items():
        setattr(workshop, key, value)
    register(workshop)
    audit(actor, "courses.workshop_updated", "workshop", workshop.uuid)
    db.session.flush()


def use_latest_kit_version(actor, workshop: Workshop) -> None:
    """Deliver the kit's latest published version (only before any test result exists: pre and post
    tests must be the same questions to compare them)."""
    if results_for(workshop):
        raise CourseError(_("Test results exist: the workshop keeps the kit version they were taken on."))
    if workshop.kit.published_version is None:
        raise CourseError(_("The kit is not published."))
    workshop.kit_version = workshop.kit.published_version
    audit(actor, "courses.workshop_kit_version", "workshop", workshop.uuid, version=workshop.kit_version)
    db.session.flush()


def set_flags(actor, workshop: Workshop, **flags) -> None:
    """Open or close registration and the online pre-test / post-test; cancel the workshop."""
    allowed = {"is_registration_open", "is_pre_test_open", "is_post_test_open", "is_cancelled"}
    for key, value in flags.items():
        if key not in allowed:
            raise CourseError(_("Unknown setting."))
        setattr(workshop, key, bool(value))
    if workshop.is_cancelled:
        workshop.is_registration_open = workshop.is_pre_test_open = workshop.is_post_test_open = False
        withdraw_resource("workshop", workshop.uuid)
    audit(
        actor, "courses.workshop_flags", "workshop", workshop.uuid, **{k: bool(v) for k, v in flags.items()}
    )
    db.session.flush()


def register(workshop: Workshop) -> None:
    """List the workshop in the registry of learning resources."""
    if workshop.is_cancelled:
        return
    publish_resource(
        kind="workshop",
        key=workshop.uuid,
        plugin="courses",
        titles={workshop.languages[0] if workshop.languages else "en": workshop.title},
        url=f"/courses/workshops/{workshop.uuid}",
        languages=workshop.languages,
        articles=workshop.kit.articles or [],
        owners=member_ids(workshop),
    )


# Registration ----------------------------------------------------------------------------------------


def _record_registered(user, workshop: Workshop, participant: Participant) -> None:
    lang = workshop.languages[0] if workshop.languages else "en"
    xapi.record_statement(
        user=user,
        verb="registered",
        activity_id=workshop_iri(workshop),
        activity_type=EVENT_TYPE,
        activity_name={lang: workshop.title},
        registration=participant.uuid,
        grouping=grouping(workshop),
        language=lang,
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
    _record_registered(user, workshop, participant)
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
    _record_registered(user, workshop, participant)
    return participant


def cancel_registration(user, workshop: Workshop) -> None:
    participant = participant_of(workshop, user)
    if participant is None:
        raise CourseError(_("You are not registered for this workshop."))
    if participant.attended_dt is not None or has_started(workshop):
        raise CourseError(_("The workshop has started: your registration can no longer be cancelled."))
    db.session.delete(participant)
    db.session.flush()


def import_participants(actor, workshop: Workshop, data: bytes) -> dict:
    """Register the people of an uploaded CSV list (columns email, name, optional country and
    organisation). Creates a learner account for an address that has none and mails every newly
    registered person. The whole file is refused if any row is bad; returns counts."""
    from lms.account.errors import AccountError
    from lms.account.services import find_user_by_email, normalise_email

    if workshop.is_cancelled:
        raise CourseError(_("The workshop is cancelled."))
    rows = read_rows(data, PARTICIPANT_COLUMNS, {"email", "name"})
    errors, seen, plan = [], set(), []
    for line, row in rows:
        try:
            email = normalise_email(row.get("email"))
        except AccountError:
            errors.append((line, _("%(value)s is not a valid e-mail address", value=row.get("email") or "—")))
            continue
        if email in seen:
            errors.append((line, _("%(email)s appears twice in the file", email=email)))
            continue
        seen.add(email)
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
            user = User(email=email, name=name, country_code=code, organisation=organisation, role="learner")
            user.set_password(secrets.token_urlsafe(32))
            db.session.add(user)
            db.session.flush()
            user_registered.send(user)
            created += 1
        register_participant(workshop, user, source="import")
        _mail_registered(user, workshop)
        registered += 1
    audit(
        actor,
        "courses.workshop_participants_imported",
        "workshop",
        workshop.uuid,
        registered=registered,
        accounts_created=created,
    )
    db.session.flush()
    return {"registered": registered, "accounts_created": created, "already": len(plan) - len(new)}


def _mail_registered(user, workshop: Workshop) -> None:
    from flask_babel import force_locale

    from lms.account.mails import external_url

    link = external_url("courses.workshop", workshop_uuid=workshop.uuid)
    reset = external_url("account.forgot_password")
    with force_locale(user.locale or "en"):
        subject = _("Your registration: %(title)s", title=workshop.title)
        body = _(
            'Hello %(name)s,\n\nYou are registered for the workshop "%(title)s" (%(city)s, %(start)s to '
            "%(end)s).\n\nWorkshop page: %(link)s\n\nIf you have not used the learning platform yet, choose "
            "your password here: %(reset)s",
            name=user.name,
            title=workshop.title,
            city=workshop.city,
            start=workshop.start_date.isoformat(),
            end=workshop.end_date.isoformat(),
            link=link,
            reset=reset,
        )
    queue_mail(user.email, subject, body)
