"""What a workshop's participants are told: the mails about their registration and its changes, each
in the participant's language with the workshop's calendar file, and that file itself (also offered on
the workshop's page).

A hybrid workshop's online address goes to registrants only: it is added to their mails and to the
calendar file they receive, never to the file the public page offers (see :func:`calendar_for`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses.models_kits import Participant, Workshop
from lms.account.mails import external_url
from lms.calendar import calendar_file, new_event
from lms.countries import country_name
from lms.db import db
from lms.i18n import date_range_text, details_text
from lms.mail import queue_mail
from lms.timezones import daily_hours, daily_hours_parts


def has_hours(workshop: Workshop) -> bool:
    return None not in (workshop.daily_start, workshop.daily_end, workshop.time_zone)


def hours_text(workshop: Workshop) -> str:
    """The daily hours at the venue with its zone's name, in the current language ("9:00 AM – 5:00 PM
    (Central European Summer Time)"); empty when the workshop has none."""
    if not has_hours(workshop):
        return ""
    return daily_hours(
        workshop.start_date,
        workshop.daily_start,
        workshop.daily_end,
        workshop.time_zone,
        last_day=workshop.end_date,
    )


def online_url_for(workshop: Workshop) -> str:
    """The address a registrant joins the workshop at online: only a hybrid workshop has one."""
    return workshop.online_url if workshop.format == "hybrid" else ""


def place_and_dates(workshop: Workshop) -> dict:
    """The workshop's ``place`` (city and country) and ``dates`` (with the daily hours and the zone's
    name when it has them: "24–26 janv. 2027, 09:00 – 17:00, heure normale d’Europe centrale", no
    brackets inside the mails' own) as plain text in the current language, for mails and calendar
    files."""
    dates = [date_range_text(workshop.start_date, workshop.end_date)]
    if has_hours(workshop):
        dates += daily_hours_parts(
            workshop.start_date,
            workshop.daily_start,
            workshop.daily_end,
            workshop.time_zone,
            last_day=workshop.end_date,
        )
    return {
        "place": details_text([workshop.city, country_name(workshop.country_code)]).unescape(),
        "dates": details_text(dates).unescape(),
    }


def mail_participant(
    user, workshop: Workshop, compose, *, method: str = "PUBLISH", with_online: bool = True
) -> bool:
    """Queue a mail about the workshop to ``user`` in their language, with the workshop's calendar file.
    ``compose(values)`` returns the translated ``(subject, body)``; ``values`` holds ``name``, ``title``,
    ``place``, ``dates``, ``link`` (the workshop's page) and ``online`` (the address to join online, or
    empty). ``method``: the calendar file's iTIP method (``CANCEL`` for a cancellation, so calendar
    applications remove the event). A registrant's mail and calendar file carry the online address, on
    a paragraph of its own unless ``with_online`` is false (a mail that already speaks of it), and never
    in a cancellation; while a hybrid workshop has none, that paragraph says it will come. Nobody is
    mailed at a deleted or deactivated account. Returns whether a mail was queued."""
    if not user.is_active:
        return False
    link = external_url("courses.workshop", workshop_uuid=workshop.uuid)
    online = "" if method == "CANCEL" else online_url_for(workshop)
    with force_locale(user.locale or "en"):
        values = {"name": user.name, "title": workshop.title, "link": link, "online": online}
        values.update(place_and_dates(workshop))
        subject, body = compose(values)
        if with_online and online:
            body += "\n\n" + _("To join the workshop online: %(url)s", url=online)
        elif with_online and workshop.format == "hybrid" and method != "CANCEL":
            body += "\n\n" + _(
                "The address to join the workshop online will be shown on its page, and mailed to you, "
                "when the organisers set it."
            )
        ics = calendar_for(workshop, link, method=method, online_url=online)
    queue_mail(user.email, subject, body, attachments=[(calendar_filename(workshop), "text/calendar", ics)])
    return True


def mail_participants(
    workshop: Workshop, compose, *, method: str = "PUBLISH", with_online: bool = True
) -> int:
    """Queue :func:`mail_participant` to everyone who holds a seat in the workshop now, each in their own
    language (read from the database: a seat given up in this transaction is not mailed). Returns how
    many were mailed."""
    seats = select(Participant).filter_by(workshop_id=workshop.id).order_by(Participant.id)
    return sum(
        mail_participant(participant.user, workshop, compose, method=method, with_online=with_online)
        for participant in db.session.scalars(seats)
    )


def calendar_filename(workshop: Workshop) -> str:
    """``workshop-<first day>.ics``: two workshops' files kept side by side keep their own names."""
    return f"workshop-{workshop.start_date.isoformat()}.ics"


def calendar_for(workshop: Workshop, page_url: str, method: str = "PUBLISH", online_url: str = "") -> bytes:
    """The workshop as a calendar event (``.ics``) at its city and country (in the current language),
    marked cancelled when it is; ``page_url`` is the workshop's public page. With daily hours, an event
    at those hours repeated on each of its days, in the venue's zone (``TZID``, with its ``VTIMEZONE``,
    so summer time is kept); without, an all-day event over its days. ``online_url``: the address to
    join online, for a registrant's file only (in its description). ``method``: the iTIP method,
    ``PUBLISH`` for the file offered on the page and for every mail but the cancellation, which is
    ``CANCEL`` (same UID, raised ``SEQUENCE``) so calendars remove the event."""
    event = new_event(f"workshop-{workshop.uuid}", workshop.title, page_url)
    if has_hours(workshop):
        zone = ZoneInfo(workshop.time_zone)
        event.add("dtstart", datetime.combine(workshop.start_date, workshop.daily_start, zone))
        event.add("dtend", datetime.combine(workshop.start_date, workshop.daily_end, zone))
        days = (workshop.end_date - workshop.start_date).days + 1
        if days > 1:
            event.add("rrule", {"freq": "daily", "count": days})
    else:
        event.add("dtstart", workshop.start_date)
        event.add("dtend", workshop.end_date + timedelta(days=1))  # the day after the last (RFC 5545 3.6.1)
    event.add("location", place_and_dates(workshop)["place"])
    event.add("description", "\n".join(filter(None, [workshop.organiser, page_url, online_url])))
    event.add("sequence", workshop.calendar_sequence)
    event.add("status", "CANCELLED" if workshop.is_cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return calendar_file("workshops", [event], method=method)


def _composer(subject, body):
    """A ``compose`` for :func:`mail_participant`: the (lazily translated) subject and body, formatted
    with the mail's values in the language it is composed in."""
    return lambda values: (str(subject) % values, str(body) % values)


cancelled_mail = _composer(
    _l("Workshop cancelled: %(title)s"),
    _l(
        'Hello %(name)s,\n\nThe workshop "%(title)s" (%(place)s, %(dates)s), for which you are registered, '
        "is cancelled.\n\nWorkshop page: %(link)s\n\nThe attached calendar file marks it as cancelled in "
        "your calendar."
    ),
)

reinstated_mail = _composer(
    _l("Workshop reinstated: %(title)s"),
    _l(
        'Hello %(name)s,\n\nThe workshop "%(title)s", which was cancelled, takes place again as planned: '
        "%(place)s, %(dates)s. Your place is kept.\n\nWorkshop page: %(link)s\n\nThe attached calendar "
        "file puts it back in your calendar."
    ),
)

changed_mail = _composer(
    _l("Workshop changed: %(title)s"),
    _l(
        'Hello %(name)s,\n\nThe workshop "%(title)s", for which you are registered, now takes place in '
        "%(place)s, %(dates)s.\n\nWorkshop page: %(link)s\n\nThe attached calendar file updates it in "
        "your calendar."
    ),
)

online_mail = _composer(
    _l("How to join online: %(title)s"),
    _l(
        'Hello %(name)s,\n\nThe workshop "%(title)s" (%(place)s, %(dates)s), for which you are registered, '
        "can be joined online at this address:\n%(online)s\n\nWorkshop page: %(link)s\n\nThe attached "
        "calendar file updates it in your calendar."
    ),
)

online_gone_mail = _composer(
    _l("Online address withdrawn: %(title)s"),
    _l(
        'Hello %(name)s,\n\nThe address you were given to join the workshop "%(title)s" (%(place)s, '
        "%(dates)s) online no longer holds. When the organisers set a new one, it will be shown on the "
        "workshop page and mailed to you.\n\nWorkshop page: %(link)s\n\nThe attached calendar file "
        "updates it in your calendar."
    ),
)

in_person_mail = _composer(
    _l("Workshop now in person only: %(title)s"),
    _l(
        'Hello %(name)s,\n\nThe workshop "%(title)s", for which you are registered, now takes place in '
        "person only, in %(place)s, %(dates)s: it can no longer be joined online.\n\nWorkshop page: "
        "%(link)s\n\nThe attached calendar file updates it in your calendar."
    ),
)
