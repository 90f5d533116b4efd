"""Calendar files (iCalendar, RFC 5545) that plugins offer for their events: webinar runs, workshops.

A plugin builds its events with :func:`new_event` and wraps them with :func:`calendar_file`; the event's
UID is stable under the site's address, so a calendar application updates (or cancels) the event it
already holds when the file is opened again."""

from __future__ import annotations

from collections.abc import Iterable
from email.utils import parseaddr

from flask import current_app
from icalendar import Calendar, Event, vCalAddress

from lms.db import utcnow


def _site_host() -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    return base.split("//", 1)[-1].split("/")[0] or "minamata-lms"


def new_event(key: str, summary: str, url: str, stamp=None) -> Event:
    """An event whose UID is ``key`` at the site's host, with its title and page address.
    ``stamp``: when the event's data last changed (``DTSTAMP``), now when unknown."""
    event = Event()
    event.add("uid", f"{key}@{_site_host()}")
    event.add("dtstamp", stamp or utcnow())
    event.add("summary", summary)
    event.add("url", url)
    return event


def _organiser() -> vCalAddress:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    organiser = vCalAddress(f"mailto:{address}")
    organiser.params["cn"] = name or current_app.config["SITE_NAME"]
    return organiser


def calendar_file(product: str, events: Iterable[Event], method: str = "PUBLISH") -> bytes:
    """The ``.ics`` bytes of ``events``; ``product`` names the plugin in ``PRODID``. ``method``: the
    iTIP method (RFC 5546), ``PUBLISH`` for an event to keep or update, ``CANCEL`` for a cancellation
    mailed to the people who held the event (its events then carry ``STATUS:CANCELLED``)."""
    cal = Calendar()
    cal.add("prodid", f"-//Minamata LMS//{product}//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    for event in events:
        if "organizer" not in event:
            # iTIP requires the organiser on a published event and on its cancellation alike
            # (RFC 5546 3.2.1, 3.2.5): a calendar matches the cancellation to the event it holds by
            # UID and organiser. It is the platform, the sender of the mails that carry the files.
            event.add("organizer", _organiser())
        cal.add_component(event)
    # An event at local hours names its zone (TZID); RFC 5545 3.6.5 wants that zone's VTIMEZONE in the
    # file, so a calendar keeps the local hours across summer time (UTC times need none).
    cal.add_missing_timezones()
    return cal.to_ical()
