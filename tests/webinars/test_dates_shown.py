"""Dates and times on the webinars pages are written one way: a medium date and a short time ("Nov 24,
2026, 11:21 PM UTC"), never the short numeric date ("11/24/26") nor a zero-padded hour; the management
page of a session given twice names both its runs, as its public page does."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lms.db import db
from webinars import qa, registrations

FIRST = datetime(2027, 2, 11, 9, 0, tzinfo=UTC)
SECOND = datetime(2027, 2, 11, 21, 0, tzinfo=UTC)
CREATED = datetime(2026, 11, 24, 23, 21, tzinfo=UTC)
NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
PADDED_HOUR = re.compile(r"\b0\d:\d\d\s?[AP]M\b")
BOTH_RUNS = re.compile(
    r"Feb 11, 2027, 9:00\sAM UTC</time>; second run <time [^>]*>Feb 11, 2027, 9:00\sPM UTC</time>"
)


def _text(resp) -> str:
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _twice(make_session, make_user):
    owner = make_user(role="trainer", time_zone="UTC")
    return make_session(title="Gender action plan", start=FIRST, second_start_dt=SECOND, owner=owner)


def test_the_moderation_queue_writes_when_a_question_was_asked_in_words(
    client, make_session, make_user, login
):
    s = _twice(make_session, make_user)
    item = qa.ask_question(make_user(), s, "Does Article 4 cover thermometers?", "en")
    item.created_dt = CREATED
    db.session.commit()
    login(s.owner)
    page = _text(client.get("/webinars/manage/questions"))
    assert re.search(r"Pending · Nov 24, 2026, 11:21\sPM UTC", page)
    assert not NUMERIC_DATE.search(page) and not PADDED_HOUR.search(page)


def test_the_management_page_names_both_runs_and_writes_registrations_in_words(
    client, make_session, make_user, login
):
    s = _twice(make_session, make_user)
    reg = registrations.register(make_user(), s, run=2)
    reg.created_dt = CREATED
    db.session.commit()
    login(s.owner)
    page = _text(client.get(f"/webinars/manage/s/{s.slug}"))
    header = re.search(r"<h1>.*?</p>", page, re.S).group(0)
    assert BOTH_RUNS.search(header) and "90 minutes" in header
    assert re.search(r"<td>Nov 24, 2026, 11:21\sPM UTC</td>", page)
    assert not NUMERIC_DATE.search(page) and not PADDED_HOUR.search(page)


def test_the_management_page_of_a_session_given_once_names_its_one_run(
    client, make_session, make_user, login
):
    owner = make_user(role="trainer", time_zone="UTC")
    s = make_session(start=FIRST, owner=owner)
    login(owner)
    header = re.search(r"<h1>.*?</p>", _text(client.get(f"/webinars/manage/s/{s.slug}")), re.S).group(0)
    assert re.search(r"Feb 11, 2027, 9:00\sAM UTC</time> · 90 minutes", header) and "second run" not in header


def test_the_session_page_writes_both_runs_the_same_way(client, make_session, make_user):
    s = _twice(make_session, make_user)
    page = _text(client.get(f"/webinars/s/{s.slug}"))
    assert BOTH_RUNS.search(page)
    assert not NUMERIC_DATE.search(page) and not PADDED_HOUR.search(page)


def test_a_signed_in_reader_sees_the_runs_in_their_zone_named(client, make_session, make_user, login):
    s = _twice(make_session, make_user)
    login(make_user(country_code="KE"))  # Kenya has one zone: East Africa Time, UTC+3
    page = _text(client.get(f"/webinars/s/{s.slug}"))
    assert re.search(
        r'<time datetime="2027-02-11T09:00:00Z">Feb 11, 2027, 12:00\sPM East Africa Time</time>; '
        r'second run <time datetime="2027-02-11T21:00:00Z">Feb 12, 2027, 12:00\sAM East Africa Time</time>',
        page,
    )
    # Already in the reader's zone: the player's script leaves these alone.
    assert 'class="wb-utc"' not in page


def test_a_visitor_reads_utc_which_the_script_may_show_in_the_browser_s_zone(client, make_session, make_user):
    s = _twice(make_session, make_user)
    page = _text(client.get(f"/webinars/s/{s.slug}"))
    utc = '<time datetime="2027-02-11T09:00:00Z" class="wb-utc">Feb 11, 2027, 9:00\u202fAM UTC</time>'
    assert utc in page


def test_the_registration_choices_and_the_reminder_are_in_the_registrant_s_zone(
    client, make_session, make_user, login, future_start
):
    from datetime import timedelta

    from sqlalchemy import select

    from lms.models import OutboxMessage
    from lms.timezones import moment

    s = make_session(title="Gender action plan", start=future_start)
    user = make_user(time_zone="Asia/Kolkata")
    login(user)
    page = _text(client.get(f"/webinars/s/{s.slug}"))
    assert moment(future_start, "Asia/Kolkata", "en") in page
    assert "India Standard Time" in page
    registrations.register(user, s)
    assert registrations.send_due_reminders(now=future_start - timedelta(minutes=20)) == 1
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.like("Reminder:%")))
    india = moment(future_start, "Asia/Kolkata", "en")
    assert mail.subject == f"Reminder: Gender action plan starts at {india}"
    assert "UTC" not in mail.subject


def test_a_reader_who_chose_utc_keeps_it_and_one_without_a_zone_gets_the_browser_s(
    client, make_session, make_user, login
):
    s = _twice(make_session, make_user)
    login(make_user(time_zone="UTC"))
    chosen = _text(client.get(f"/webinars/s/{s.slug}"))
    assert "9:00\u202fAM UTC</time>" in chosen and 'class="wb-utc"' not in chosen
    client.post("/account/logout")
    login(make_user(country_code="BR"))  # several zones, none chosen: UTC, for the script to convert
    automatic = _text(client.get(f"/webinars/s/{s.slug}"))
    assert '<time datetime="2027-02-11T09:00:00Z" class="wb-utc">' in automatic


def test_the_run_choices_carry_their_utc_moment_only_for_a_reader_without_a_zone(
    client, make_session, make_user, login, future_start
):
    from datetime import timedelta

    s = make_session(title="Twice", start=future_start, second_start_dt=future_start + timedelta(hours=12))
    login(make_user(country_code="BR"))  # several zones, none chosen: UTC, which the script converts
    page = _text(client.get(f"/webinars/s/{s.slug}"))
    assert page.count('data-utc="') == 2
    assert f'data-utc="{future_start:%Y-%m-%dT%H:%M:%SZ}"' in page
    client.post("/account/logout")
    login(make_user(country_code="KE"))  # already in the reader's zone: nothing for the script to do
    page = _text(client.get(f"/webinars/s/{s.slug}"))
    assert "data-utc" not in page and "East Africa Time</option>" in page
