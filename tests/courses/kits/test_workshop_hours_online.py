"""A workshop's daily hours (at the venue, in its time zone) and a hybrid workshop's online address: set
on the form, refused whole when wrong, shown on the page, in mails and calendar files; the address to
registrants and the team only."""

from __future__ import annotations

import base64
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import build_workshop, register_people, workshop_form

ADDRESS = "https://meet.example.org/trade-workshop"
# Babel's English times: a narrow no-break space before AM/PM, thin spaces around the dash.
MANILA_HOURS = "9:00\u202fAM\u2009–\u20095:00\u202fPM (Philippine Standard Time)"


def _hybrid(trainer, kit, **extra):
    values = dict(
        format="hybrid",
        daily_start=time(9),
        daily_end=time(17),
        online_url=ADDRESS,
        start=date(2031, 3, 10),
        days=3,
    )
    values.update(extra)
    return build_workshop(trainer, kit, **values)


def _mails(recipient: str):
    from lms.models import OutboxMessage

    return db.session.scalars(
        select(OutboxMessage).filter_by(recipient=recipient).order_by(OutboxMessage.id)
    ).all()


def _event(data: bytes):
    cal = Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return cal, event


def _attached(mail):
    (attachment,) = mail.attachments
    return _event(base64.b64decode(attachment["data_b64"]))


def _count_workshops() -> int:
    from courses.models_kits import Workshop

    return db.session.scalar(select(func.count(Workshop.id)))


# The form -----------------------------------------------------------------------------------------


def test_a_trainer_schedules_hours_and_an_online_address(app, client, trainer, kit, login):
    from courses.models_kits import Workshop

    login(trainer)
    data = workshop_form(
        format="hybrid", online_url=ADDRESS, daily_start="09:00", daily_end="17:30", time_zone=""
    )
    assert client.post("/courses/workshops/new", data=data).status_code == 302
    workshop = db.session.scalar(select(Workshop))
    # No zone chosen: the Philippines have one, Manila's.
    assert (workshop.daily_start, workshop.daily_end, workshop.time_zone) == (
        time(9),
        time(17, 30),
        "Asia/Manila",
    )
    assert workshop.online_url == ADDRESS
    form = client.get(f"/courses/workshops/{workshop.uuid}/edit").get_data(as_text=True)
    assert f'value="{ADDRESS}"' in form and 'value="09:00"' in form and 'value="17:30"' in form
    manage = client.get(f"/courses/workshops/{workshop.uuid}/manage").get_data(as_text=True)
    assert (
        ADDRESS in manage
        and "Each day, 9:00\u202fAM\u2009–\u20095:30\u202fPM (Philippine Standard Time)" in manage
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"online_url": ADDRESS}, "online_url", "Only a hybrid workshop is joined online"),
        (
            {"format": "hybrid", "online_url": "http://meet.example.org/x"},
            "online_url",
            "Give a secure (https://)",
        ),
        (
            {"daily_start": "09:00"},
            "daily_end",
            "Give the time the days start and the time they end, or neither.",
        ),
        (
            {"daily_start": "17:00", "daily_end": "09:00"},
            "daily_end",
            "The days cannot end before they start.",
        ),
        (
            {"daily_start": "09:00", "daily_end": "17:00", "country_code": "AU", "city": "Sydney"},
            "time_zone",
            "The country has several time zones: choose the one of the venue.",
        ),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Choose a time zone from the list."),
    ],
)
def test_wrong_hours_or_address_are_refused_whole(app, client, trainer, kit, login, changes, field, message):
    login(trainer)
    resp = client.post("/courses/workshops/new", data=workshop_form(**changes))
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html  # said at the field
    assert _count_workshops() == 0


def test_a_chosen_zone_is_kept_where_the_country_has_several(app, client, trainer, kit, login):
    from courses.models_kits import Workshop

    login(trainer)
    data = workshop_form(
        country_code="AU", city="Perth", daily_start="09:00", daily_end="17:00", time_zone="Australia/Perth"
    )
    assert client.post("/courses/workshops/new", data=data).status_code == 302
    assert db.session.scalar(select(Workshop.time_zone)) == "Australia/Perth"


# The page -----------------------------------------------------------------------------------------


def test_visitors_see_the_hours_and_never_the_address(app, as_user, trainer, kit):
    workshop = _hybrid(trainer, kit)
    html = as_user(None).get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    assert f"Each day, {MANILA_HOURS}" in html
    assert ADDRESS not in html
    assert "In your time zone" not in html  # a visitor's zone is not known


def test_registrants_see_the_address_and_others_do_not(app, as_user, trainer, kit, make_user):
    workshop = _hybrid(trainer, kit)
    (seat,) = register_people(workshop, make_user, 1)
    db.session.commit()
    other = make_user(country_code="PH")
    assert ADDRESS in as_user(seat.user).get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    assert ADDRESS not in as_user(other).get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    assert ADDRESS in as_user(trainer).get(f"/courses/workshops/{workshop.uuid}/manage").get_data(
        as_text=True
    )


def test_a_registrant_is_told_the_address_will_come(app, as_user, trainer, kit, make_user):
    workshop = _hybrid(trainer, kit, online_url="")
    (seat,) = register_people(workshop, make_user, 1)
    db.session.commit()
    html = as_user(seat.user).get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    assert "The address to join the workshop online will be shown here, and mailed to you" in html
    manage = as_user(trainer).get(f"/courses/workshops/{workshop.uuid}/manage").get_data(as_text=True)
    assert "No address to join online yet" in manage


def test_the_hours_in_the_reader_s_own_zone(app, as_user, trainer, kit, make_user):
    workshop = _hybrid(trainer, kit)
    in_brazil = make_user(country_code="BR", time_zone="America/Sao_Paulo")
    in_manila = make_user(country_code="PH")
    html = as_user(in_brazil).get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    # 9:00 in Manila (UTC+8) is 22:00 the day before in São Paulo (UTC-3).
    assert (
        "In your time zone, the first day: Mar 9, 2031, 10:00\u202fPM – Mar 10, 2031, 6:00\u202fAM "
        "(Brasilia Standard Time)" in html
    )
    assert "In your time zone" not in as_user(in_manila).get(f"/courses/workshops/{workshop.uuid}").get_data(
        as_text=True
    )


# Calendar files -------------------------------------------------------------------------------------


def test_the_file_repeats_the_hours_each_day_in_the_venue_s_zone(app, as_user, trainer, kit):
    workshop = _hybrid(trainer, kit)
    resp = as_user(None).get(f"/courses/workshops/{workshop.uuid}/calendar.ics")
    cal, event = _event(resp.data)
    manila = ZoneInfo("Asia/Manila")
    assert event.decoded("dtstart") == datetime(2031, 3, 10, 9, tzinfo=manila)
    assert event.decoded("dtend") == datetime(2031, 3, 10, 17, tzinfo=manila)
    assert event["dtstart"].params["TZID"] == "Asia/Manila"
    assert dict(event["rrule"]) == {"FREQ": ["DAILY"], "COUNT": [3]}
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Manila"]
    assert ADDRESS not in resp.get_data(as_text=True)  # the public file
    assert "private" not in resp.headers.get("Cache-Control", "")


def test_a_registrant_s_file_carries_the_address(app, as_user, trainer, kit, make_user):
    workshop = _hybrid(trainer, kit)
    (seat,) = register_people(workshop, make_user, 1)
    db.session.commit()
    resp = as_user(seat.user).get(f"/courses/workshops/{workshop.uuid}/calendar.ics")
    _cal, event = _event(resp.data)
    assert ADDRESS in str(event["description"])
    assert resp.headers["Cache-Control"] == "private, no-store"


def test_a_one_day_workshop_with_hours_is_one_event(app, trainer, kit):
    from courses.services.workshops_notices import calendar_for

    workshop = _hybrid(trainer, kit, days=1)
    _cal, event = _event(calendar_for(workshop, "https://lms.example.org/w"))
    assert "rrule" not in event
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=8)


# Mails ------------------------------------------------------------------------------------------------


def test_the_registration_mail_gives_the_hours_and_the_address(app, trainer, kit, make_user):
    workshop = _hybrid(trainer, kit)
    (seat,) = register_people(workshop, make_user, 1)
    (mail,) = _mails(seat.user.email)
    assert MANILA_HOURS in mail.body
    assert f"To join the workshop online: {ADDRESS}" in mail.body
    _cal, event = _attached(mail)
    assert ADDRESS in str(event["description"])


def test_setting_the_address_later_mails_it_to_registrants(app, trainer, kit, make_user):
    from courses.services.workshops import update_workshop

    workshop = _hybrid(trainer, kit, online_url="")
    (seat,) = register_people(workshop, make_user, 1)
    (first,) = _mails(seat.user.email)
    assert "online" not in first.body
    sequence = workshop.calendar_sequence
    update_workshop(trainer, workshop, **_values(workshop, online_url=ADDRESS))
    db.session.commit()
    mails = _mails(seat.user.email)
    assert len(mails) == 2
    assert mails[1].subject == f"How to join online: {workshop.title}"
    assert mails[1].body.count(ADDRESS) == 1  # the paragraph is not added twice
    assert workshop.calendar_sequence == sequence + 1
    update_workshop(trainer, workshop, **_values(workshop))  # nothing changed: nobody is mailed
    db.session.commit()
    assert len(_mails(seat.user.email)) == 2


def test_changed_hours_are_mailed_and_a_cancellation_omits_the_address(app, trainer, kit, make_user):
    from courses.services.workshops import set_flags, update_workshop

    workshop = _hybrid(trainer, kit)
    (seat,) = register_people(workshop, make_user, 1)
    update_workshop(trainer, workshop, **_values(workshop, daily_start=time(10)))
    db.session.commit()
    changed = _mails(seat.user.email)[-1]
    assert changed.subject.startswith("Workshop changed")
    assert "10:00\u202fAM\u2009–\u20095:00\u202fPM" in changed.body and ADDRESS in changed.body
    set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    cancelled = _mails(seat.user.email)[-1]
    assert cancelled.subject.startswith("Workshop cancelled")
    assert ADDRESS not in cancelled.body
    assert ADDRESS not in base64.b64decode(cancelled.attachments[0]["data_b64"]).decode()


def test_a_cancelled_workshop_s_address_is_not_shown(app, as_user, trainer, kit, make_user):
    from courses.services.workshops import set_flags

    workshop = _hybrid(trainer, kit)
    (seat,) = register_people(workshop, make_user, 1)
    set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    client = as_user(seat.user)
    assert ADDRESS not in client.get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    assert ADDRESS not in client.get(f"/courses/workshops/{workshop.uuid}/calendar.ics").get_data(
        as_text=True
    )


def _values(workshop, **changes) -> dict:
    keys = (
        "title description start_date end_date city country_code format online_url daily_start daily_end "
        "time_zone languages organiser partners capacity is_registration_open"
    ).split()
    return {**{key: getattr(workshop, key) for key in keys}, **changes}
