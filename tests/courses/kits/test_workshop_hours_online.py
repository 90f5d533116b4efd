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
            "Each day must end after it starts.",
        ),
        (
            {"daily_start": "09:00", "daily_end": "17:00", "country_code": "AU", "city": "Sydney"},
            "time_zone",
            "The country has several time zones: choose the one of the venue.",
        ),
        ({"daily_start": "09:00", "daily_end": "09:00"}, "daily_end", "Each day must end after it starts."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Choose a time zone from the list."),
        (
            {"daily_start": "09:00", "daily_end": "17:00", "time_zone": "Europe/Paris"},  # in Manila
            "time_zone",
            "Choose a time zone of the workshop&#39;s country, or leave it empty.",
        ),
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


def test_the_country_s_zone_follows_a_change_of_country(app, client, trainer, kit, login):
    """The edit form shows the country's own zone as "the country's": moving the workshop to another
    country moves its hours there too, rather than keeping Manila's zone in Bogotá."""
    from courses.models_kits import Workshop

    workshop = _hybrid(trainer, kit)
    login(trainer)
    url = f"/courses/workshops/{workshop.uuid}/edit"
    form = client.get(url).get_data(as_text=True)
    assert '<option selected value="">' in form or '<option value="" selected>' in form
    data = workshop_form(
        start=workshop.start_date,
        end=workshop.end_date,
        format="hybrid",
        online_url=ADDRESS,
        daily_start="09:00",
        daily_end="17:00",
        time_zone="",
        country_code="CO",
        city="Bogotá",
    )
    assert client.post(url, data=data).status_code == 302
    assert db.session.scalar(select(Workshop.time_zone)) == "America/Bogota"


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
    assert ADDRESS not in str(event["description"])  # the public file
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
    # The mail's own brackets hold the place and dates: the zone follows the hours after a comma.
    assert "9:00\u202fAM\u2009–\u20095:00\u202fPM, Philippine Standard Time" in mail.body
    assert f"To join the workshop online: {ADDRESS}" in mail.body
    _cal, event = _attached(mail)
    assert ADDRESS in str(event["description"])


def test_setting_the_address_later_mails_it_to_registrants(app, trainer, kit, make_user):
    from courses.services.workshops import update_workshop

    workshop = _hybrid(trainer, kit, online_url="")
    (seat,) = register_people(workshop, make_user, 1)
    (first,) = _mails(seat.user.email)
    assert (
        "The address to join the workshop online will be shown on its page, and mailed to you" in first.body
    )
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
    assert ADDRESS not in str(_attached(cancelled)[1]["description"])


def test_a_cancelled_workshop_s_address_is_not_shown(app, as_user, trainer, kit, make_user):
    from courses.services.workshops import set_flags

    workshop = _hybrid(trainer, kit)
    (seat,) = register_people(workshop, make_user, 1)
    set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    client = as_user(seat.user)
    assert ADDRESS not in client.get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    _cal, event = _event(client.get(f"/courses/workshops/{workshop.uuid}/calendar.ics").data)
    assert ADDRESS not in str(event["description"])


def _values(workshop, **changes) -> dict:
    keys = (
        "title description start_date end_date city country_code format online_url daily_start daily_end "
        "time_zone languages organiser partners capacity is_registration_open"
    ).split()
    return {**{key: getattr(workshop, key) for key in keys}, **changes}


def test_withdrawing_the_address_or_going_in_person_tells_the_registrants(app, trainer, kit, make_user):
    from courses.services.workshops import update_workshop

    workshop = _hybrid(trainer, kit)
    (seat,) = register_people(workshop, make_user, 1)
    update_workshop(trainer, workshop, **_values(workshop, online_url=""))
    db.session.commit()
    withdrawn = _mails(seat.user.email)[-1]
    assert withdrawn.subject == f"Online address withdrawn: {workshop.title}"
    assert ADDRESS not in withdrawn.body
    update_workshop(trainer, workshop, **_values(workshop, online_url=ADDRESS))
    db.session.commit()
    assert _mails(seat.user.email)[-1].subject.startswith("How to join online")
    sequence = workshop.calendar_sequence
    update_workshop(trainer, workshop, **_values(workshop, format="in_person", online_url=""))
    db.session.commit()
    in_person = _mails(seat.user.email)[-1]
    assert in_person.subject == f"Workshop now in person only: {workshop.title}"
    assert "can no longer be joined online" in in_person.body and ADDRESS not in in_person.body
    assert ADDRESS not in str(_attached(in_person)[1]["description"])
    assert workshop.calendar_sequence == sequence + 1
    assert len(_mails(seat.user.email)) == 4  # registration, withdrawn, address again, in person


def test_the_address_stays_through_the_last_afternoon_west_of_utc(
    app, as_user, trainer, kit, make_user, monkeypatch
):
    from courses.services import workshops

    workshop = _hybrid(trainer, kit, country_code="US", city="Honolulu", time_zone="Pacific/Honolulu", days=2)
    (seat,) = register_people(workshop, make_user, 1)
    db.session.commit()
    last_day = workshop.end_date
    # 01:00 UTC the next day is 15:00 on the last day in Honolulu (UTC-10): the UTC day is already past.
    afternoon = datetime.combine(last_day + timedelta(days=1), time(1), tzinfo=ZoneInfo("UTC"))
    assert workshops.is_past(workshop, on=afternoon.date())
    assert not workshops.is_over_at_venue(workshop, now=afternoon)
    assert workshops.is_over_at_venue(workshop, now=afternoon + timedelta(hours=10))  # midnight there
    monkeypatch.setattr(workshops, "utcnow", lambda: afternoon)
    assert ADDRESS in as_user(seat.user).get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)


def test_the_first_day_cannot_move_past_recorded_attendance_at_the_venue(app, trainer, kit, make_user):
    from courses.services.errors import InvalidFields
    from courses.services.workshops import update_workshop

    workshop = build_workshop(trainer, kit, start=date(2031, 3, 10), country_code="CO", city="Bogotá")
    (seat,) = register_people(workshop, make_user, 1)
    seat.attended_dt = datetime(2031, 3, 10, 15, tzinfo=ZoneInfo("UTC"))  # the first day, in Bogotá
    db.session.commit()
    with pytest.raises(InvalidFields) as refused:
        update_workshop(trainer, workshop, **_values(workshop, start_date=date(2031, 3, 11)))
    assert [field for field, _message in refused.value.problems] == ["start_date"]


def test_a_workshop_across_a_change_of_clocks_names_the_zone_of_the_whole_year(app):
    from lms.timezones import daily_hours

    assert daily_hours(date(2031, 3, 28), time(9), time(17), "Europe/Paris", "en") == (
        "9:00\u202fAM\u2009–\u20095:00\u202fPM (Central European Standard Time)"
    )
    across = daily_hours(
        date(2031, 3, 28), time(9), time(17), "Europe/Paris", "en", last_day=date(2031, 3, 31)
    )
    assert across.endswith("(Central European Time)")


def test_only_registrants_and_the_team_get_the_address_in_the_calendar_file(
    app, as_user, trainer, kit, make_user
):
    from courses.services.workshops_registration import cancel_registration

    workshop = _hybrid(trainer, kit)
    (seat, leaving) = register_people(workshop, make_user, 2)
    cancel_registration(leaving.user, workshop)
    db.session.commit()
    url = f"/courses/workshops/{workshop.uuid}/calendar.ics"

    def description(user) -> str:  # parsed: the file folds long lines
        return str(_event(as_user(user).get(url).data)[1]["description"])

    assert ADDRESS in description(trainer) and ADDRESS in description(seat.user)
    for someone in (leaving.user, make_user(country_code="PH"), make_user(role="trainer")):
        assert ADDRESS not in description(someone)


def test_a_registrant_s_page_is_not_kept_by_shared_caches(app, as_user, trainer, kit, make_user):
    workshop = _hybrid(trainer, kit)
    (seat,) = register_people(workshop, make_user, 1)
    db.session.commit()
    page = as_user(seat.user).get(f"/courses/workshops/{workshop.uuid}")
    assert ADDRESS in page.get_data(as_text=True) and page.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("online_url", ["", ADDRESS])
def test_going_in_person_is_announced_with_or_without_an_address_and_with_a_move(
    app, trainer, kit, make_user, online_url
):
    from courses.services.workshops import update_workshop

    workshop = _hybrid(trainer, kit, online_url=online_url)
    (seat,) = register_people(workshop, make_user, 1)
    update_workshop(trainer, workshop, **_values(workshop, format="in_person", online_url="", city="Cebu"))
    db.session.commit()
    mails = _mails(seat.user.email)
    assert len(mails) == 2
    assert mails[1].subject == f"Workshop now in person only: {workshop.title}"
    assert "Cebu, Philippines" in mails[1].body
