"""A registrant is told how they will get the address where they join a live session: before the
organisers set it, the page, the confirmation mail and the reminders say it will be mailed and shown on
the page; once set, the page gives it and says which reminder mails repeat it, and the mails give it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from lms.db import db
from lms.models import OutboxMessage
from tests.webinars.test_reschedule import _move
from webinars import registrations
from webinars.formatting import reminder_times
from webinars.models import Registration

NOT_SET_PAGE = (
    "The address where you join the live session is not set yet. When the organisers add it, it will be "
    "shown here and e-mailed to you."
)
NOT_SET_MAIL = (
    "The address where you join the live session is not set yet: when the organisers add it, it will be "
    "e-mailed to you and shown on the session page."
)
REMINDERS = "Your reminder e-mails, 1 day and 1 hour before the start, give this address too."


def _register(client, session) -> str:
    """Register the signed-in user; returns the confirmation mail's body."""
    assert client.post(f"/webinars/s/{session.slug}/register", data={"run": "1"}).status_code == 303
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.subject.startswith("You are registered")
    return mail.body


def test_before_the_address_is_set_the_page_and_the_mail_say_how_it_will_come(
    client, make_session, make_user, login, future_start
):
    s = make_session(start=future_start)
    login(make_user(locale="en"))
    assert NOT_SET_PAGE not in client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)  # not registered
    assert NOT_SET_MAIL in _register(client, s)
    page = client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    assert NOT_SET_PAGE in page and "Join the live session" not in page

    _move(s, join_url="https://meet.example.org/minamata-online-5")
    page = client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    assert 'href="https://meet.example.org/minamata-online-5"' in page
    assert REMINDERS in page and NOT_SET_PAGE not in page


def test_once_set_the_mail_gives_the_address_and_no_promise(
    client, make_session, make_user, login, future_start
):
    s = make_session(start=future_start)
    s.join_url = "https://meet.example.org/minamata-online-5"
    db.session.commit()
    login(make_user(locale="en"))
    body = _register(client, s)
    assert s.join_url in body and NOT_SET_MAIL not in body


def test_no_reminder_is_promised_to_who_turned_reminders_off(
    client, make_session, make_user, login, future_start
):
    s = make_session(start=future_start)
    s.join_url = "https://meet.example.org/minamata-online-5"
    db.session.commit()
    login(make_user(is_reminders_off=True))
    _register(client, s)
    page = client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    assert 'href="https://meet.example.org/minamata-online-5"' in page and "reminder e-mails" not in page


def test_the_reminder_times_are_written_in_the_reader_s_language(app):
    with force_locale("fr"):
        assert reminder_times() == "1\u00a0jour et 1\u00a0heure"  # no break inside "1 jour"
    app.config["WEBINARS_REMINDER_OFFSETS_MIN"] = [90, 2880]
    with force_locale("en"):
        assert reminder_times() == "2 days and 90 minutes"
    app.config["WEBINARS_REMINDER_OFFSETS_MIN"] = []
    assert reminder_times() == ""


@pytest.mark.parametrize("join_url", [None, "https://meet.example.org/minamata-online-5"])
def test_a_reminder_says_how_the_address_will_come_until_it_gives_it(
    make_session, make_user, future_start, join_url
):
    s = make_session(start=future_start)
    s.join_url = join_url
    db.session.add(Registration(session_id=s.id, user_id=make_user(locale="en").id))
    db.session.commit()
    assert registrations.send_due_reminders(now=future_start - timedelta(minutes=20)) == 1
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.subject.startswith("Reminder:")
    if join_url is None:
        assert NOT_SET_MAIL in mail.body and "Join the live session at this address" not in mail.body
    else:
        assert f"Join the live session at this address: {join_url}" in mail.body
        assert NOT_SET_MAIL not in mail.body


def test_a_reminder_in_french_says_it_in_french(make_session, make_user, future_start):
    s = make_session(start=future_start)
    db.session.add(Registration(session_id=s.id, user_id=make_user(locale="fr").id))
    db.session.commit()
    assert registrations.send_due_reminders(now=future_start - timedelta(minutes=20)) == 1
    body = db.session.scalars(select(OutboxMessage)).one().body
    with force_locale("fr"):
        assert gettext(NOT_SET_MAIL) != NOT_SET_MAIL and gettext(NOT_SET_MAIL) in body
