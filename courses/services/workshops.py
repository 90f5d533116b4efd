"""Workshop events: scheduling an event that delivers a published kit, the lookups that registration,
attendance and tests share (a person's participant, how many are registered, whether it has started or is
past), and the xAPI helpers every workshop statement uses (the event is the grouping activity, with the
kit). Registration is :mod:`courses.services.workshops_registration`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import func, select

from courses.models_kits import WORKSHOP_FORMATS, Kit, Participant, Workshop, WorkshopTestResult
from courses.services.errors import CourseError, InvalidFields, Problems
from courses.services.teams import make_owner, member_ids
from courses.services.workshops_notices import (
    cancelled_mail,
    changed_mail,
    in_person_mail,
    mail_participants,
    online_gone_mail,
    online_mail,
    online_url_for,
    reinstated_mail,
)
from lms import xapi
from lms.config import LANGUAGES
from lms.db import db, utcnow
from lms.models import Country, audit
from lms.registry import publish_resource, withdraw_resource
from lms.timezones import automatic_zone, country_zones, zone_names

EVENT_TYPE = "workshop"

KIT_TYPE = "workshop_kit"

# What participants are mailed about when it changes (with the calendar file that updates the event).
WHERE_AND_WHEN = ("start_date", "end_date", "daily_start", "daily_end", "city", "country_code")


def today() -> date:
    """Today's date in UTC (workshop dates are calendar days)."""
    return utcnow().date()


def workshop_iri(workshop: Workshop) -> str:
    return xapi.activity_iri("workshop", workshop.uuid)


def kit_iri(kit: Kit) -> str:
    return xapi.activity_iri("kit", kit.uuid)


def grouping(workshop: Workshop) -> list[str]:
    return [workshop_iri(workshop), kit_iri(workshop.kit)]


def record_event(user, workshop: Workshop, participant: Participant, verb: str) -> None:
    """A participant's ``registered`` or ``attended`` statement about the workshop (the event), in the
    workshop's first language, with the participation as registration and the event and kit as grouping."""
    lang = workshop.languages[0] if workshop.languages else "en"
    xapi.record_statement(
        user=user,
        verb=verb,
        activity_id=workshop_iri(workshop),
        activity_type=EVENT_TYPE,
        activity_name={lang: workshop.title},
        registration=participant.uuid,
        grouping=grouping(workshop),
        language=lang,
    )


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


def count_participants_of(workshops: Sequence[Workshop]) -> dict[int, int]:
    """:func:`count_participants` of each workshop, by workshop id, in one query."""
    counts = dict.fromkeys((w.id for w in workshops), 0)
    if counts:
        rows = db.session.execute(
            select(Participant.workshop_id, func.count(Participant.id))
            .where(Participant.workshop_id.in_(list(counts)))
            .group_by(Participant.workshop_id)
        )
        counts.update({workshop_id: n for workshop_id, n in rows})
    return counts


def is_past(workshop: Workshop, on: date | None = None) -> bool:
    return workshop.end_date < (on or today())


def has_started(workshop: Workshop, on: date | None = None) -> bool:
    return workshop.start_date <= (on or today())


def opens_on(start: date, zone: str | None) -> date:
    """The first UTC day of a workshop starting on ``start`` at a venue in ``zone``: the UTC day on
    which that local day begins (Manila, UTC+8: the day before; Bogotá, UTC-5: the day itself); the
    day before when the zone is not known, as for a venue ahead of UTC."""
    if zone:
        return datetime.combine(start, time(0), ZoneInfo(zone)).astimezone(UTC).date()
    return start - timedelta(days=1)


def is_over_at_venue(workshop: Workshop, now: datetime | None = None) -> bool:
    """Whether the workshop's last day has ended where it is held (its zone; without one, once it has
    ended everywhere: the last day plus one in UTC). Registrants may still need its online address, or
    news of a change, on a last afternoon west of UTC, after :func:`is_past` (a UTC day) holds."""
    now = now or utcnow()
    if workshop.time_zone:
        return now.astimezone(ZoneInfo(workshop.time_zone)).date() > workshop.end_date
    return now.date() > workshop.end_date + timedelta(days=1)


# Scheduling ------------------------------------------------------------------------------------------


def _check(kit: Kit | None, values: dict, workshop: Workshop | None = None) -> dict:
    """The workshop's checked values. Refuses with :class:`InvalidFields` naming every problem of the
    input at its field at once. ``workshop``: the one being edited (its places cannot fall below its
    registrations, nor its first day move after a day on which attendance was recorded)."""
    problems = Problems()
    title = str(values.get("title") or "").strip()
    if not title or len(title) > 300:
        problems.add("title", _("Give the workshop a title (at most 300 characters)."))
    start, end = values.get("start_date"), values.get("end_date")
    if not isinstance(start, date) or not isinstance(end, date):
        field = "start_date" if not isinstance(start, date) else "end_date"
        problems.add(field, _("Give the first and last day of the workshop."))
    elif end < start:
        problems.add("end_date", _("The last day cannot be before the first day."))
    city = str(values.get("city") or "").strip()
    if not city or len(city) > 120:
        problems.add("city", _("Give the city (at most 120 characters)."))
    code = str(values.get("country_code") or "").strip().upper()
    if db.session.get(Country, code) is None:
        problems.add("country_code", _("Choose a country from the list."))
    fmt = values.get("format") or "in_person"
    if fmt not in WORKSHOP_FORMATS:
        problems.add("format", _("Unknown format %(format)s.", format=fmt))
    online_url = _check_online_url(problems, str(values.get("online_url") or "").strip(), fmt)
    daily_start, daily_end, zone = _check_hours(problems, values, code)
    languages = [code for code in dict.fromkeys(values.get("languages") or []) if code]
    if not languages or any(code not in LANGUAGES for code in languages):
        problems.add("languages", _("Choose at least one language among the six UN languages."))
    organiser = str(values.get("organiser") or "").strip()
    if not organiser or len(organiser) > 300:
        problems.add("organiser", _("Name the organiser (at most 300 characters)."))
    partners = str(values.get("partners") or "").strip()
    if len(partners) > 1000:
        problems.add("partners", _("The list of partners is too long (at most 1000 characters)."))
    try:
        capacity = int(values.get("capacity"))
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 10000:
        problems.add("capacity", _("The capacity must be a number of places from 1 to 10000."))
    elif workshop is not None and capacity < count_participants(workshop):
        problems.add("capacity", _("More people are registered than this capacity allows."))
    if kit is not None and kit.published_version is None:
        problems.add("kit", _("A workshop delivers a published kit; publish the kit first."))
    if workshop is not None and isinstance(start, date):
        attended = [p.attended_dt.date() for p in workshop.participants if p.attended_dt is not None]
        # Attendance opens on the first day at the venue (see opens_on), which must stay on or before it.
        if attended and min(attended) < opens_on(start, zone):
            problems.add(
                "start_date",
                _(
                    "Attendance was recorded on %(date)s: the first day cannot be later.",
                    date=format_date(min(attended), "long"),
                ),
            )
    problems.raise_any()
    return {
        "title": title,
        "description": str(values.get("description") or "").strip()[:20000],
        "start_date": start,
        "end_date": end,
        "city": city,
        "country_code": code,
        "format": fmt,
        "online_url": online_url,
        "daily_start": daily_start,
        "daily_end": daily_end,
        "time_zone": zone,
        "languages": languages,
        "organiser": organiser,
        "partners": partners,
        "capacity": capacity,
        "is_registration_open": bool(values.get("is_registration_open", True)),
    }


def _check_online_url(problems: Problems, url: str, fmt: str) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or len(url) > 500:
        problems.add("online_url", _("Give a secure (https://) address of at most 500 characters."))
    elif fmt != "hybrid":
        problems.add(
            "online_url",
            _(
                "Only a hybrid workshop is joined online: choose the hybrid format, or leave the "
                "address empty."
            ),
        )
    return url


def _check_hours(problems: Problems, values: dict, country_code: str) -> tuple:
    """The daily hours and the venue's zone: both hours or neither; the zone chosen, else the country's
    only or main one (none for a country with several zones and no main one, which hours then need)."""
    start, end = values.get("daily_start"), values.get("daily_end")
    zone = str(values.get("time_zone") or "").strip() or None
    if zone is not None and zone not in zone_names():
        problems.add("time_zone", _("Choose a time zone from the list."))
        return None, None, None
    if zone is not None and zone not in country_zones(country_code):
        # A zone left from another country (the country was changed on the edit form) or chosen amiss.
        problems.add("time_zone", _("Choose a time zone of the workshop's country, or leave it empty."))
        return None, None, None
    if zone is None and automatic_zone(country_code) in country_zones(country_code):
        zone = automatic_zone(country_code)
    if start is None and end is None:
        return None, None, zone
    if not isinstance(start, time) or not isinstance(end, time):
        field = "daily_start" if not isinstance(start, time) else "daily_end"
        problems.add(field, _("Give the time the days start and the time they end, or neither."))
        return None, None, zone
    if end <= start:
        problems.add("daily_end", _("Each day must end after it starts."))
    if zone is None:
        problems.add("time_zone", _("The country has several time zones: choose the one of the venue."))
    return start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0), zone


def workshop_problems(kit: Kit | None, values: dict, workshop: Workshop | None = None) -> list:
    """Every ``(field, reason)`` :func:`create_workshop` (or :func:`update_workshop` of ``workshop``)
    would refuse these values for (none: accepted), without writing anything: a form refused for other
    reasons shows them too."""
    try:
        _check(kit, values, workshop)
    except InvalidFields as exc:
        return exc.problems
    return []


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
    """Save the workshop's details. Its days cannot move after a day on which attendance was recorded.
    Until the workshop is over at its venue, its participants are mailed what they hold that changed:
    its days, hours or place (the new ones with the calendar file), the address to join it online (set
    or changed), or that the address they were given no longer holds (removed, or the workshop is now
    in person only)."""
    clean = _check(workshop.kit, values, workshop)
    moved = any(getattr(workshop, key) != clean[key] for key in WHERE_AND_WHEN)
    # The zone moves the hours; without hours the file is an all-day event, which no zone changes.
    moved = moved or (clean["daily_start"] is not None and workshop.time_zone != clean["time_zone"])
    old_address, was_hybrid = online_url_for(workshop), workshop.format == "hybrid"
    for key, value in clean.items():
        setattr(workshop, key, value)
    new_address, in_person_now = online_url_for(workshop), was_hybrid and workshop.format != "hybrid"
    if moved or new_address != old_address or in_person_now:
        workshop.calendar_sequence += 1  # the registrant's file carries the address
    if not workshop.is_cancelled and not is_over_at_venue(workshop):
        if in_person_now:  # its place and days too, had they changed: online people must know first
            mail_participants(workshop, in_person_mail, with_online=False)
        elif moved:
            mail_participants(workshop, changed_mail)
        elif new_address and new_address != old_address:
            mail_participants(workshop, online_mail, with_online=False)
        elif old_address and not new_address:
            mail_participants(workshop, online_gone_mail, with_online=False)
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


def set_flags(actor, workshop: Workshop, **flags) -> int:
    """Open or close registration and the online pre-test / post-test; cancel the workshop or reinstate it.

    Cancelling closes registration and both tests, withdraws the workshop from the registry and mails
    every registrant a calendar file with the iTIP method ``CANCEL``. Seats are kept through a
    cancellation (nobody can register while it lasts, but a registrant may give their seat up), so the
    participants at reinstatement are exactly those who held a seat when it was cancelled and still hold
    it: they are mailed that it takes place again, with a ``PUBLISH`` / ``CONFIRMED`` calendar file that
    puts the event back; those who gave up their seat are not written to. Registration and the tests stay
    closed until the trainer opens them again. A workshop already over is not news to anyone: neither a
    cancellation nor a reinstatement of it is mailed. Returns how many participants were mailed."""
    allowed = {"is_registration_open", "is_pre_test_open", "is_post_test_open", "is_cancelled"}
    if any(key not in allowed for key in flags):
        raise CourseError(_("Unknown setting."))
    newly_cancelled = "is_cancelled" in flags and bool(flags["is_cancelled"]) and not workshop.is_cancelled
    reinstated = "is_cancelled" in flags and not bool(flags["is_cancelled"]) and workshop.is_cancelled
    if newly_cancelled or reinstated:
        workshop.calendar_sequence += 1  # calendars take the newer file over the one they hold
    for key, value in flags.items():
        setattr(workshop, key, bool(value))
    if workshop.is_cancelled:
        workshop.is_registration_open = workshop.is_pre_test_open = workshop.is_post_test_open = False
        withdraw_resource("workshop", workshop.uuid)
    elif reinstated:
        register(workshop)
    mailed = 0
    if not is_over_at_venue(workshop):
        if newly_cancelled:
            mailed = mail_participants(workshop, cancelled_mail, method="CANCEL")
        elif reinstated:
            mailed = mail_participants(workshop, reinstated_mail)
    audit(
        actor, "courses.workshop_flags", "workshop", workshop.uuid, **{k: bool(v) for k, v in flags.items()}
    )
    db.session.flush()
    return mailed


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
