"""Moving a published session's runs: registrants are told, with a calendar file of a higher revision,
and their reminders are sent again for the new time."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from flask_babel import force_locale
from icalendar import Calendar
from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.models import OutboxMessage
from lms.timezones import moment
from webinars import registrations, services
from webinars.errors import WebinarError
from webinars.models import Registration, ReminderSent


def _move(session, **changes):
    values = {
        "season": session.season,
        "title": session.titles[session.source_language],
        "start_dt": session.start_dt,
        "second_start_dt": session.second_start_dt,
        "duration_min": session.duration_min,
        "join_url": session.join_url or "",
        "source_language": session.source_language,
        "session": session,
    }
    services.save_session(None, **{**values, **changes})
    db.session.commit()


def _register(user, session, run=1):
    """Register ``user``; the confirmation mail is left out of what the tests then read."""
    registrations.register(user, session, run=run)
    db.session.execute(OutboxMessage.__table__.delete())


def _edit_form(session, start=None, **changes):
    """What the session's edit form sends, with ``start`` and ``changes``."""
    return {
        "season": str(session.season_id),
        "source_language": "en",
        "title": session.titles["en"],
        "start": f"{start or session.start_dt:%Y-%m-%dT%H:%M}",
        "duration_min": str(session.duration_min),
        "languages": "en",
        **changes,
    }


def _mails():
    return {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}


def _event(mail):
    ics = base64.b64decode(mail.attachments[0]["data_b64"])
    return next(iter(Calendar.from_ical(ics).walk("VEVENT")))


def test_registrants_of_a_moved_run_are_told_and_reminded_again(make_session, make_user, future_start):
    second = future_start + timedelta(hours=12)
    s = make_session(title="Gender action plan", start=future_start, second_start_dt=second)
    first_run, second_run, gone = make_user(), make_user(), make_user()
    reg = registrations.register(first_run, s, run=1)
    registrations.register(second_run, s, run=2)
    registrations.register(gone, s, run=1)
    gone.deleted_dt = utcnow()
    assert registrations.send_due_reminders(now=future_start - timedelta(hours=23)) == 1
    db.session.commit()
    db.session.execute(OutboxMessage.__table__.delete())

    later = future_start + timedelta(hours=2)
    _move(s, start_dt=later)

    mails = _mails()
    assert set(mails) == {first_run.email}  # the second run did not move; a deleted account gets nothing
    mail = mails[first_run.email]
    with force_locale("en"):
        # In the registrant's zone (the factories' users are in France), named.
        paris = "Europe/Paris"
        assert mail.subject == f"New time: Gender action plan starts at {moment(later, paris)}"
        now_and_before = f"{moment(later, paris)} (instead of {moment(future_start, paris)})"
        assert f"it now starts on {now_and_before}" in mail.body
        assert "Central European" in mail.subject
    assert f"/webinars/s/{s.slug}" in mail.body
    event = _event(mail)
    assert event.decoded("dtstart") == later and event["sequence"] == 1
    assert (
        db.session.scalar(select(func.count(ReminderSent.id)).where(ReminderSent.registration_id == reg.id))
        == 0
    )
    assert registrations.send_due_reminders(now=later - timedelta(hours=23)) == 1  # reminded for the new time


def test_registrants_of_a_removed_second_run_move_to_the_first(make_session, make_user, future_start):
    s = make_session(start=future_start, second_start_dt=future_start + timedelta(hours=12))
    user = make_user()
    _register(user, s, run=2)
    db.session.commit()
    _move(s, second_start_dt=None)
    assert db.session.scalar(select(Registration.run)) == 1
    event = _event(_mails()[user.email])
    assert event.decoded("dtstart") == future_start


def test_a_longer_session_is_announced_too(make_session, make_user, future_start):
    s = make_session(start=future_start)
    user = make_user()
    _register(user, s)
    db.session.commit()
    _move(s, duration_min=120)
    mail = _mails()[user.email]
    assert mail.subject.startswith("New length:") and "now lasts 120 minutes (instead of 90)" in mail.body


def test_nothing_is_sent_when_the_time_stays_or_the_session_is_not_published(
    make_session, make_user, future_start
):
    s = make_session(start=future_start)
    user = make_user()
    _register(user, s)
    db.session.commit()
    _move(s, title="A new title")  # same runs
    assert _mails() == {} and s.calendar_sequence == 0
    services.unpublish_session(None, s)
    _move(s, start_dt=future_start + timedelta(days=1))
    assert _mails() == {}


def test_the_mail_is_in_the_registrant_s_language(make_session, make_user, future_start):
    s = make_session(start=future_start)
    user = make_user(locale="fr")
    _register(user, s)
    db.session.commit()
    _move(s, start_dt=future_start + timedelta(days=1))
    mail = _mails()[user.email]
    assert mail.subject.startswith("Nouvel horaire") and "Bonjour" in mail.body


def test_the_edit_form_says_who_is_told_and_saving_it_tells_them(
    client, make_session, make_user, login, future_start
):
    owner = make_user(role="trainer", time_zone="UTC")  # enters the times in UTC, as _edit_form writes them
    s = make_session(start=future_start, owner=owner)
    user = make_user()
    _register(user, s)
    db.session.commit()
    login(owner)
    page = client.get(f"/webinars/manage/s/{s.slug}/edit").get_data(as_text=True)
    assert "are told by e-mail, with the new calendar file" in page
    later = future_start + timedelta(days=1)
    resp = client.post(f"/webinars/manage/s/{s.slug}/edit", data=_edit_form(s, start=later))
    assert resp.status_code == 303
    assert _event(_mails()[user.email]).decoded("dtstart") == later.replace(second=0, microsecond=0)


def test_registering_is_confirmed_and_only_registrants_get_the_join_address(
    client, make_session, make_user, login, future_start
):
    s = make_session(start=future_start)
    s.join_url = "https://meet.example.org/minamata-online-5"
    db.session.commit()
    user = make_user(locale="es")
    page = client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    public_ics = client.get(f"/webinars/s/{s.slug}/calendar.ics").get_data(as_text=True)
    assert s.join_url not in page and s.join_url not in public_ics
    login(user)
    assert s.join_url not in client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    assert client.post(f"/webinars/s/{s.slug}/register", data={"run": "1"}).status_code == 303
    page = client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    assert f'href="{s.join_url}"' in page
    mail = _mails()[user.email]
    assert mail.subject.startswith("Inscripción confirmada") and s.join_url in mail.body
    assert str(_event(mail)["location"]) == s.join_url


@pytest.mark.parametrize("address", ["http://meet.example.org/x", "meet.example.org/x"])
def test_a_join_address_must_be_secure(client, make_session, make_user, login, future_start, address):
    owner = make_user(role="trainer")
    s = make_session(start=future_start, owner=owner)
    login(owner)
    resp = client.post(f"/webinars/manage/s/{s.slug}/edit", data=_edit_form(s, join_url=address))
    assert resp.status_code == 400
    assert "Give a secure (https://) address" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert s.join_url is None


def test_the_manage_page_warns_that_unpublishing_tells_registrants_nothing(
    client, make_session, make_user, login, future_start
):
    owner = make_user(role="trainer")
    s = make_session(start=future_start, owner=owner)
    login(owner)
    assert "unpublished, the session sends" not in client.get(f"/webinars/manage/s/{s.slug}").get_data(
        as_text=True
    )
    _register(make_user(), s)
    _register(make_user(), s)
    db.session.commit()
    page = client.get(f"/webinars/manage/s/{s.slug}").get_data(as_text=True)
    assert "2 people are registered: unpublished, the session sends them no reminder" in page


def test_a_session_moved_while_unpublished_reminds_for_its_new_time(make_session, make_user, future_start):
    s = make_session(start=future_start)
    user = make_user()
    _register(user, s)
    assert registrations.send_due_reminders(now=future_start - timedelta(hours=23)) == 1
    services.unpublish_session(None, s)
    later = future_start + timedelta(days=2)
    _move(s, start_dt=later)
    services.publish_session(None, s)
    db.session.commit()
    assert registrations.send_due_reminders(now=later - timedelta(hours=23)) == 1


def test_the_second_run_is_not_removed_under_its_registrants_once_the_first_started(make_session, make_user):
    first = utcnow() - timedelta(minutes=10)
    s = make_session(start=first, second_start_dt=first + timedelta(hours=12))
    _register(make_user(), s, run=2)
    db.session.commit()
    with pytest.raises(WebinarError, match="the second run cannot be removed") as refused:
        _move(s, second_start_dt=None)
    assert refused.value.field == "second_start"


def test_registrants_are_told_a_new_join_address_and_get_it_in_their_calendar(
    client, make_session, make_user, login, future_start
):
    s = make_session(start=future_start)
    user = make_user()
    _register(user, s)
    db.session.commit()
    _move(s, join_url="https://meet.example.org/new-room")
    mail = _mails()[user.email]
    assert mail.subject.startswith("How to join:") and "https://meet.example.org/new-room" in mail.body
    assert _event(mail)["sequence"] == 1
    login(user)
    own = Calendar.from_ical(client.get(f"/webinars/s/{s.slug}/calendar.ics").data)
    assert str(next(iter(own.walk("VEVENT")))["location"]) == "https://meet.example.org/new-room"
