"""Cancelling a live session: its registrants are told in their language with a calendar file that
removes the event, reminders and registration stop, and its pages say it is cancelled."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from icalendar import Calendar
from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import AuditEntry, OutboxMessage
from lms.timezones import moment
from webinars import registrations, services
from webinars.errors import WebinarError

JOIN = "https://meet.example.org/minamata-online-5"

PARIS = "Europe/Paris"  # the zone of the factories' users (country France)


def _register(user, session, run=1):
    """Register ``user``; the confirmation mail is left out of what the tests then read."""
    reg = registrations.register(user, session, run=run)
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    return reg


def _mails():
    return {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}


def _calendar(mail) -> Calendar:
    assert mail.attachments[0]["content_type"] == "text/calendar"
    return Calendar.from_ical(base64.b64decode(mail.attachments[0]["data_b64"]))


def _event(cal: Calendar):
    return next(iter(cal.walk("VEVENT")))


@pytest.fixture
def upcoming(make_session, make_user, future_start):
    """A published session given twice, with a join address, owned by a trainer."""
    owner = make_user(role="trainer")
    s = make_session(
        title="Gender action plan",
        start=future_start,
        second_start_dt=future_start + timedelta(hours=12),
        owner=owner,
        join_url=JOIN,
    )
    return s


# --- the service -------------------------------------------------------------------------------------
def test_every_active_registrant_is_told_in_their_language_with_a_cancel_calendar(
    upcoming, make_user, future_start
):
    english, french, gone, closed = (
        make_user(locale="en"),
        make_user(locale="fr"),
        make_user(),
        make_user(),
    )
    registered_ics = registrations.ics_for(upcoming, "en", 2, registrant=True)
    _register(english, upcoming, run=1)
    _register(french, upcoming, run=2)
    _register(gone, upcoming)
    _register(closed, upcoming)
    gone.deleted_dt = utcnow()
    closed.is_active_account = False
    sequence = upcoming.calendar_sequence

    told = services.cancel_session(
        None, upcoming, "  The speaker is unwell.\r\nWe will announce a new date.  "
    )
    db.session.commit()

    assert told == 2
    mails = _mails()
    assert set(mails) == {english.email, french.email}
    en = mails[english.email]
    assert en.subject == "Session cancelled: Gender action plan"
    assert f"take place on {moment(future_start, PARIS)} as planned" in en.body  # a registrant in France
    assert "The speaker is unwell.\nWe will announce a new date." in en.body
    assert JOIN not in en.body  # nobody is asked to join a session that will not take place
    fr = mails[french.email]
    with force_locale("fr"):
        french_time = moment(future_start + timedelta(hours=12), PARIS)
    assert french_time != moment(future_start + timedelta(hours=12), PARIS, "en")
    assert french_time in fr.body
    for mail, run in ((en, 1), (fr, 2)):
        cal = _calendar(mail)
        event = _event(cal)
        assert str(cal["method"]) == "CANCEL"
        assert str(event["status"]) == "CANCELLED"
        assert int(event["sequence"]) == sequence + 1
        assert str(event["uid"]).startswith(f"{upcoming.uuid}-{run}@")
    # The same event as the one the registrant's calendar holds: its application removes it.
    assert str(_event(_calendar(fr))["uid"]) == str(_event(Calendar.from_ical(registered_ics))["uid"])
    assert upcoming.is_cancelled and upcoming.calendar_sequence == sequence + 1
    assert upcoming.cancel_message == "The speaker is unwell.\nWe will announce a new date."
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "webinars.session.cancel"))
    assert entry.target_id == upcoming.uuid and entry.details == {"told": 2}


def test_without_a_message_the_mail_has_none(upcoming, make_user):
    user = make_user()
    _register(user, upcoming)
    services.cancel_session(None, upcoming, "   ")
    db.session.commit()
    assert upcoming.cancel_message is None
    assert "Message from the organisers" not in _mails()[user.email].body


def test_a_registrant_of_a_run_already_held_is_not_told(make_session, make_user):
    start = utcnow() - timedelta(hours=3)
    s = make_session(start=start, second_start_dt=utcnow() + timedelta(days=1))
    first, second = make_user(), make_user()
    db.session.add_all(
        [
            registrations.Registration(session_id=s.id, user_id=first.id, run=1),
            registrations.Registration(session_id=s.id, user_id=second.id, run=2),
        ]
    )
    db.session.commit()
    assert services.cancel_session(None, s) == 1
    assert set(_mails()) == {second.email}


def test_no_reminder_is_sent_for_a_cancelled_session(upcoming, make_user, future_start):
    _register(make_user(), upcoming)
    before = future_start - timedelta(hours=23)
    services.cancel_session(None, upcoming)
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    assert registrations.send_due_reminders(now=before) == 0
    assert _mails() == {}


def test_registering_for_a_cancelled_session_is_refused(upcoming, make_user):
    services.cancel_session(None, upcoming)
    db.session.commit()
    with pytest.raises(WebinarError, match="has been cancelled: registration is closed"):
        registrations.register(make_user(), upcoming)


def test_moving_a_cancelled_session_tells_nobody(upcoming, make_user, future_start):
    _register(make_user(), upcoming)
    services.cancel_session(None, upcoming)
    db.session.execute(OutboxMessage.__table__.delete())
    services.save_session(
        None,
        session=upcoming,
        season=upcoming.season,
        title="Gender action plan",
        start_dt=future_start + timedelta(days=2),
        duration_min=upcoming.duration_min,
    )
    db.session.commit()
    assert _mails() == {}


def test_cancelling_twice_is_refused_and_changes_nothing(upcoming, make_user):
    _register(make_user(), upcoming)
    services.cancel_session(None, upcoming, "First message")
    db.session.commit()
    when, sequence = upcoming.cancelled_dt, upcoming.calendar_sequence
    db.session.execute(OutboxMessage.__table__.delete())
    with pytest.raises(WebinarError, match="already been cancelled"):
        services.cancel_session(None, upcoming, "Second message")
    assert (upcoming.cancelled_dt, upcoming.calendar_sequence) == (when, sequence)
    assert upcoming.cancel_message == "First message"
    assert _mails() == {}


@pytest.mark.parametrize("case", ["draft", "held", "too long"])
def test_what_cannot_be_cancelled(make_session, make_user, future_start, case):
    if case == "draft":
        s, message, reason = make_session(start=future_start, publish=False), "", "Only a published session"
    elif case == "held":
        s, message, reason = make_session(start=utcnow() - timedelta(hours=3)), "", "already taken place"
    else:
        s, message, reason = make_session(start=future_start), "x" * 1001, "at most 1000 characters"
    _register(make_user(), s) if case == "too long" else None
    sequence = s.calendar_sequence
    with pytest.raises(WebinarError, match=reason):
        services.cancel_session(None, s, message)
    assert s.cancelled_dt is None and s.calendar_sequence == sequence
    assert _mails() == {}


def test_a_session_under_way_can_still_be_cancelled(make_session):
    s = make_session(start=utcnow() - timedelta(minutes=10))  # 90 minutes long
    assert s.can_be_cancelled()
    services.cancel_session(None, s)
    assert s.is_cancelled and not s.is_upcoming()


def test_a_cancelled_session_leaves_the_agenda(upcoming, make_user):
    from webinars.receivers import on_agenda_requested

    user = make_user()
    _register(user, upcoming)
    assert len(on_agenda_requested(user)) == 1
    services.cancel_session(None, upcoming)
    assert on_agenda_requested(user) == []


# --- the pages ---------------------------------------------------------------------------------------
def test_the_public_pages_and_calendar_say_cancelled(client, upcoming, make_user, login):
    user = make_user()
    _register(user, upcoming)
    services.cancel_session(None, upcoming, "The speaker is unwell.")
    db.session.commit()
    page = client.get(f"/webinars/s/{upcoming.slug}").get_data(as_text=True)
    assert "<strong>This session has been cancelled and will not take place.</strong>" in page
    assert "Cancelled This" not in page  # said once, not as a badge and again in the sentence
    assert "The speaker is unwell." in page
    assert "Sign in to register" not in page and f"/webinars/s/{upcoming.slug}/register" not in page
    assert "This session has not taken place yet" not in page
    ics = Calendar.from_ical(client.get(f"/webinars/s/{upcoming.slug}/calendar.ics").data)
    assert [str(e["status"]) for e in ics.walk("VEVENT")] == ["CANCELLED", "CANCELLED"]
    for listing in ("/webinars/", f"/webinars/seasons/{upcoming.season.slug}"):
        html = client.get(listing).get_data(as_text=True)
        item = re.search(r'<li class="wb-item">.*?Gender action plan.*?</li>', html, re.S).group(0)
        assert 'class="badge wb-cancelled">Cancelled<' in item and "The speaker is unwell." in item
    login(user)
    page = client.get(f"/webinars/s/{upcoming.slug}").get_data(as_text=True)
    assert "Cancel my registration" not in page and JOIN not in page
    resp = client.post(f"/webinars/s/{upcoming.slug}/register", data={"run": "1"}, follow_redirects=True)
    assert "registration is closed" in resp.get_data(as_text=True)


def test_an_upcoming_session_is_not_marked_cancelled(client, upcoming):
    page = client.get(f"/webinars/s/{upcoming.slug}").get_data(as_text=True)
    assert "wb-cancelled" not in page and "Sign in to register" in page
    ics = Calendar.from_ical(client.get(f"/webinars/s/{upcoming.slug}/calendar.ics").data)
    assert {str(e["status"]) for e in ics.walk("VEVENT")} == {"CONFIRMED"}


def test_the_team_cancels_from_the_manage_page(client, upcoming, make_user, login):
    registrant = make_user()
    _register(registrant, upcoming)
    login(upcoming.owner)
    page = client.get(f"/webinars/manage/s/{upcoming.slug}").get_data(as_text=True)
    assert '<details class="confirm" id="cancel"><summary>Cancel this session</summary>' in page
    assert JOIN in page  # the team sees where registrants join...
    assert 'name="cancel-message"' in page and "The 1 person registered is told by e-mail" in page
    resp = client.post(
        f"/webinars/manage/s/{upcoming.slug}/cancel", data={"cancel-message": "Postponed to next season."}
    )
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "The session is cancelled. 1 registered person was told by e-mail." in page
    assert "Postponed to next season." in page and "Cancel this session" not in page
    assert JOIN not in page  # ...until the session is cancelled: nobody joins it any more
    db.session.expire_all()
    assert upcoming.is_cancelled and set(_mails()) == {registrant.email}
    # Again (a second tab, a double click): refused with the reason, nothing changes.
    resp = client.post(f"/webinars/manage/s/{upcoming.slug}/cancel", data={"cancel-message": "Again"})
    assert resp.status_code == 400 and "already been cancelled" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert upcoming.cancel_message == "Postponed to next season." and len(_mails()) == 1


def test_a_too_long_message_is_refused_at_its_field(client, upcoming, login):
    login(upcoming.owner)
    resp = client.post(f"/webinars/manage/s/{upcoming.slug}/cancel", data={"cancel-message": "x" * 1001})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "The message has at most 1000 characters." in page
    assert '<details class="confirm" id="cancel" open>' in page
    db.session.expire_all()
    assert not upcoming.is_cancelled


def test_no_cancel_action_for_a_draft_or_a_past_session(client, make_session, make_user, login):
    owner = make_user(role="trainer")
    draft = make_session(title="Draft", publish=False, owner=owner, start=utcnow() + timedelta(days=2))
    past = make_session(title="Past", owner=owner)
    login(owner)
    for s in (draft, past):
        assert "Cancel this session" not in client.get(f"/webinars/manage/s/{s.slug}").get_data(as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "learner", "other trainer"])
def test_only_the_team_may_cancel(client, upcoming, make_user, login, who):
    if who == "learner":
        login(make_user())
    elif who == "other trainer":
        login(make_user(role="trainer"))
    resp = client.post(f"/webinars/manage/s/{upcoming.slug}/cancel", data={"cancel-message": "No"})
    assert resp.status_code == (302 if who == "anonymous" else 403)
    db.session.expire_all()
    assert not upcoming.is_cancelled


def test_cancelling_needs_the_csrf_token(app, client, upcoming, login):
    login(upcoming.owner)
    app.config["WTF_CSRF_ENABLED"] = True
    resp = client.post(f"/webinars/manage/s/{upcoming.slug}/cancel", data={"cancel-message": "No token"})
    assert resp.status_code == 400
    db.session.expire_all()
    assert not upcoming.is_cancelled
    page = client.get(f"/webinars/manage/s/{upcoming.slug}").get_data(as_text=True)
    token = re.search(r'id="cancel-csrf_token" name="cancel-csrf_token" type="hidden" value="([^"]+)"', page)
    resp = client.post(
        f"/webinars/manage/s/{upcoming.slug}/cancel",
        data={"cancel-csrf_token": token.group(1), "cancel-message": "With the token"},
    )
    assert resp.status_code == 303
    db.session.expire_all()
    assert upcoming.cancel_message == "With the token"


# --- review fixes --------------------------------------------------------------------------------------
def test_a_cancelled_sessions_calendar_files_give_no_join_address(client, upcoming, make_user, login):
    user = make_user()
    _register(user, upcoming, run=2)
    services.cancel_session(None, upcoming, "The speaker is unwell.")
    db.session.commit()
    mailed = _calendar(_mails()[user.email])
    assert JOIN not in mailed.to_ical().decode()
    assert all("location" not in e for e in mailed.walk("VEVENT"))
    login(user)
    downloaded = client.get(f"/webinars/s/{upcoming.slug}/calendar.ics")
    assert downloaded.status_code == 200 and JOIN.encode() not in downloaded.data
    assert JOIN not in registrations.ics_for(upcoming, "en", registrant=True).decode()
    assert JOIN not in client.get(f"/webinars/s/{upcoming.slug}").get_data(as_text=True)


def test_a_message_typed_with_crlf_line_breaks_counts_one_character_per_break(client, upcoming, login):
    # A browser's textarea (maxlength 1000) counts a line break as one character and submits CRLF.
    message = "\n".join(["x" * 49] * 20)[:999]
    assert len(message) == 999 and message.count("\n") == 19
    login(upcoming.owner)
    resp = client.post(
        f"/webinars/manage/s/{upcoming.slug}/cancel",
        data={"cancel-message": message.replace("\n", "\r\n")},
    )
    assert resp.status_code == 303
    db.session.expire_all()
    assert upcoming.cancel_message == message


def test_the_message_field_normalises_lone_carriage_returns(app):
    from werkzeug.datastructures import MultiDict

    from webinars.forms import CancelSessionForm

    with app.test_request_context():
        form = CancelSessionForm(
            MultiDict({"cancel-message": "a\rb\r\nc"}), prefix="cancel", meta={"csrf": False}
        )
        assert form.message.data == "a\nb\nc"


def test_search_results_mark_a_cancelled_session(client, upcoming):
    services.cancel_session(None, upcoming)
    db.session.commit()
    html = client.get("/webinars/search?q=Gender").get_data(as_text=True)
    result = re.search(r'<section class="wb-result".*?</section>', html, re.S).group(0)
    assert "Gender action plan" in result and 'class="badge wb-cancelled">Cancelled<' in result


@pytest.fixture
def half_held(make_session, make_user):
    """A session given twice whose first run took place three hours ago; its second is tomorrow."""
    return make_session(
        title="Gender action plan",
        start=utcnow() - timedelta(hours=3),
        second_start_dt=utcnow() + timedelta(days=1),
        join_url=JOIN,
    )


def test_cancelling_the_second_run_after_the_first_took_place(client, half_held, make_user, login):
    first, second = make_user(), make_user()
    db.session.add_all(
        [
            registrations.Registration(session_id=half_held.id, user_id=first.id, run=1),
            registrations.Registration(session_id=half_held.id, user_id=second.id, run=2),
        ]
    )
    db.session.commit()
    assert services.cancel_session(None, half_held, "The speaker is unwell.") == 1
    db.session.commit()
    mail = _mails()[second.email]
    assert mail.subject == "Second run cancelled: Gender action plan"
    assert f"The run of “Gender action plan” on {moment(half_held.second_start_dt, PARIS)}," in mail.body
    assert "has been cancelled: it will not take place" not in mail.body
    assert [int(str(e["uid"]).split("@")[0].rsplit("-", 1)[1]) for e in _calendar(mail).walk("VEVENT")] == [2]
    page = client.get(f"/webinars/s/{half_held.slug}").get_data(as_text=True)
    assert "This session has been cancelled and will not take place." not in page
    notice = re.search(r'<div class="notice" role="note" id="cancelled">.*?</div>', page, re.S).group(0)
    assert "The second run of this session (" in notice and moment(half_held.second_start_dt, "UTC") in notice
    assert "has been cancelled and will not take place. The first run took place as planned." in notice
    assert "there is no recording" not in page
    ics = Calendar.from_ical(client.get(f"/webinars/s/{half_held.slug}/calendar.ics").data)
    assert [str(e["status"]) for e in ics.walk("VEVENT")] == ["CONFIRMED", "CANCELLED"]
    html = client.get(f"/webinars/seasons/{half_held.season.slug}").get_data(as_text=True)
    item = re.search(r'<li class="wb-item">.*?Gender action plan.*?</li>', html, re.S).group(0)
    assert 'class="badge wb-cancelled">Second run cancelled<' in item
    # Its management page says the same.
    login(make_user(role="admin"))
    manage = client.get(f"/webinars/manage/s/{half_held.slug}").get_data(as_text=True)
    assert 'class="badge wb-cancelled">Second run cancelled<' in manage


def test_a_session_cancelled_before_any_run_says_so_whole(client, upcoming):
    services.cancel_session(None, upcoming)
    db.session.commit()
    assert not upcoming.is_partly_held
    assert all(upcoming.run_is_cancelled(start) for start in upcoming.runs())


def test_a_session_cancelled_before_it_took_place_is_not_news(client, upcoming, half_held):
    """Cancelled with nothing held and no recording, it leaves the home page's "What is new", the site
    search and the registry readers (recommendations); a recording published later brings it back. A
    session whose first run took place stays."""
    import io

    from lms.registry import get_resource
    from tests.webinars.conftest import wav_bytes

    services.save_chapter(None, upcoming, start_s=0, titles={"en": "Opening"}, articles=[4])
    db.session.commit()
    assert "Gender action plan" in client.get("/").get_data(as_text=True)
    services.cancel_session(None, upcoming)
    services.cancel_session(None, half_held)
    db.session.commit()
    assert not get_resource("webinar", upcoming.uuid).is_published
    assert not get_resource("webinar_chapter", upcoming.chapters[0].uuid).is_published
    assert get_resource("webinar", half_held.uuid).is_published
    home = client.get("/").get_data(as_text=True)
    assert (
        f'href="/webinars/s/{upcoming.slug}"' not in home and f'href="/webinars/s/{half_held.slug}"' in home
    )
    found = client.get("/search?q=Gender").get_data(as_text=True)
    assert (
        f'href="/webinars/s/{upcoming.slug}"' not in found and f'href="/webinars/s/{half_held.slug}"' in found
    )
    # Its own page and the archive still say it was cancelled.
    assert "This session has been cancelled" in client.get(f"/webinars/s/{upcoming.slug}").get_data(
        as_text=True
    )
    services.save_recording(
        None, upcoming, language="en", kind="audio", stream=io.BytesIO(wav_bytes()), filename="en.wav"
    )
    db.session.commit()
    assert get_resource("webinar", upcoming.uuid).is_published
