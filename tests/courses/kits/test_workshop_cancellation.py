"""A cancelled workshop as its participants and its trainer see it: no ticket, check-in code or test
status on the participant's page (they are told plainly that they held a seat, which they may give up);
the ticket page and the printable codes refuse; cancelling asks first and says how many participants were
written to. Before attendance opens, the roster offers no check-in but says from when it can be recorded."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import select

from lms.db import db
from tests.courses.kits.conftest import build_workshop, register_people


def _words(page: str) -> str:
    """The text of a page without its tags and their attributes."""
    return re.sub(r"<[^>]*>", " ", page)


def _mails(recipient: str):
    from lms.models import OutboxMessage

    return db.session.scalars(
        select(OutboxMessage).filter_by(recipient=recipient).order_by(OutboxMessage.id)
    ).all()


def _cancel(trainer, workshop):
    from courses.services import workshops as ws

    told = ws.set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    return told


def test_a_participant_of_a_cancelled_workshop_sees_no_ticket_nor_test_status(
    client, login, trainer, workshop, learner
):
    from courses.services import workshops_registration as registration

    registration.self_register(learner, workshop)
    db.session.commit()
    login(learner)
    url = f"/courses/workshops/{workshop.uuid}"
    live = client.get(url).get_data(as_text=True)
    assert "You are registered." in live and f"{url}/ticket" in live  # what the cancellation takes away
    _cancel(trainer, workshop)

    page = client.get(url).get_data(as_text=True)
    assert "This workshop is cancelled." in page
    assert "You held a seat in this workshop, and it is cancelled." in page
    assert "You keep your seat: if the workshop is reinstated, you will be told by e-mail." in page
    assert f"{url}/ticket" not in page
    for gone in ("You are registered.", "Your ticket", "QR", "Pre-test", "Post-test", "not open"):
        assert gone not in _words(page), gone  # the words shown: a signed link may hold any letters
    assert "Cancel my registration" not in page
    assert "<summary>Give up my seat</summary>" in page  # a disclosure: one click gives nothing away

    resp = client.post(f"{url}/unregister", follow_redirects=True)
    assert resp.status_code == 200 and "Your registration is cancelled." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert workshop.participants == []


def test_the_seat_holder_of_a_cancelled_workshop_already_over_is_not_promised_a_mail(
    client, login, trainer, kit, learner
):
    from courses.services import workshops_registration as registration

    held = build_workshop(trainer, kit, start=date.today() - timedelta(days=30))
    registration.register_participant(held, learner, source="import")
    _cancel(trainer, held)
    login(learner)
    page = client.get(f"/courses/workshops/{held.uuid}").get_data(as_text=True)
    assert "You held a seat in this workshop, and it is cancelled." in page
    assert "you will be told by e-mail" not in page and "Give up my seat" not in page


def test_the_ticket_of_a_cancelled_workshop_has_no_check_in_code(client, login, trainer, workshop, learner):
    from courses.services import workshops_registration as registration

    registration.self_register(learner, workshop)
    db.session.commit()
    login(learner)
    url = f"/courses/workshops/{workshop.uuid}/ticket"
    assert "data:image/" in client.get(url).get_data(as_text=True)
    _cancel(trainer, workshop)
    resp = client.get(url)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 410
    assert "This workshop is cancelled: there is no check-in, so there is no ticket." in page
    assert "data:image/" not in page and "<img" not in page


def test_the_printable_codes_of_a_cancelled_workshop_are_withdrawn(
    client, login, trainer, workshop, make_user
):
    register_people(workshop, make_user, 2)
    db.session.commit()
    login(trainer)
    url = f"/courses/workshops/{workshop.uuid}/check-in-codes"
    assert client.get(url).get_data(as_text=True).count("<img") == 2
    _cancel(trainer, workshop)
    resp = client.get(url)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 410 and "<img" not in page and "P0" not in _words(page)
    assert "This workshop is cancelled: there is no check-in, so there are no check-in codes." in page


def test_check_in_of_a_cancelled_workshop_is_refused_with_the_reason(
    client, login, trainer, started_workshop, learner
):
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError

    participant, _ = registration.self_register(learner, started_workshop)
    _cancel(trainer, started_workshop)
    with pytest.raises(CourseError) as info:
        attendance.mark_attended(trainer, participant, "manual")
    assert str(info.value.message) == "This workshop is cancelled."
    db.session.rollback()
    login(trainer)
    resp = client.post(f"/courses/workshops/check-in/{attendance.check_in_token(participant)}")
    assert resp.status_code == 400 and "This workshop is cancelled." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert participant.attended_dt is None


def test_cancelling_asks_first_and_says_who_was_written_to(client, login, trainer, workshop, make_user):
    people = register_people(workshop, make_user, 3)
    people[2].user.is_active_account = False  # a closed account is not written to
    db.session.commit()
    login(trainer)
    base = f"/courses/workshops/{workshop.uuid}"
    manage = client.get(f"{base}/manage").get_data(as_text=True)
    confirm = manage.split('<details class="confirm" id="cancel">', 1)[1].split("</details>", 1)[0]
    assert "<summary>Cancel the workshop</summary>" in confirm
    assert (
        "2 participants are told by e-mail in their language, with a calendar file that removes the "
        "workshop from their calendar." in confirm
    )
    assert "Registration and the online tests close." in confirm
    assert (
        "Participants keep their seats: if you reinstate the workshop, those who kept theirs are told."
        in confirm
    )
    assert 'name="value" value="1"' in confirm and "Yes, cancel the workshop" in confirm

    resp = client.post(f"{base}/settings", data={"flag": "is_cancelled", "value": "1"}, follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "The workshop is cancelled. 2 participants were told by e-mail." in page
    assert "Saved." not in page
    assert [m.subject.split(":")[0] for m in _mails("p0@example.org")][-1] == "Workshop cancelled"
    assert not any(m.subject.startswith("Workshop cancelled") for m in _mails("p2@example.org"))


def test_cancelling_says_one_participant_in_the_singular(client, login, trainer, workshop, learner):
    from courses.services import workshops_registration as registration

    registration.self_register(learner, workshop)
    db.session.commit()
    login(trainer)
    base = f"/courses/workshops/{workshop.uuid}"
    assert "1 participant is told by e-mail" in client.get(f"{base}/manage").get_data(as_text=True)
    page = client.post(
        f"{base}/settings", data={"flag": "is_cancelled", "value": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "The workshop is cancelled. 1 participant was told by e-mail." in page


def test_cancelling_a_workshop_already_over_says_nobody_was_written_to(client, login, trainer, kit, learner):
    from courses.services import workshops_registration as registration

    held = build_workshop(trainer, kit, start=date.today() - timedelta(days=30))
    registration.register_participant(held, learner, source="import")
    db.session.commit()
    login(trainer)
    base = f"/courses/workshops/{held.uuid}"
    manage = client.get(f"{base}/manage").get_data(as_text=True)
    assert "The workshop is already over: nobody is written to." in manage
    assert "Participants keep their seats" not in manage
    page = client.post(
        f"{base}/settings", data={"flag": "is_cancelled", "value": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "The workshop is cancelled. It is already over, so nobody was written to." in page
    db.session.expire_all()
    assert held.is_cancelled and _mails(learner.email) == []


def test_set_flags_returns_how_many_were_mailed(app, trainer, workshop, make_user):
    from courses.services import workshops as ws

    register_people(workshop, make_user, 2)
    assert ws.set_flags(trainer, workshop, is_registration_open=False) == 0
    assert ws.set_flags(trainer, workshop, is_cancelled=True) == 2
    assert ws.set_flags(trainer, workshop, is_cancelled=True) == 0  # pressed again: nobody told twice
    assert ws.set_flags(trainer, workshop, is_cancelled=False) == 2


def test_no_check_in_before_attendance_opens_but_the_date_it_opens(client, login, trainer, kit, learner):
    from courses.services import workshops_registration as registration
    from courses.services.workshops import today

    early = build_workshop(trainer, kit, start=today() + timedelta(days=60))
    registration.self_register(learner, early)
    db.session.commit()
    login(trainer)
    reason = (
        "Attendance can be recorded from the first day of the workshop "
        f"({format_date(early.start_date, 'long')})."
    )
    page = client.get(f"/courses/workshops/{early.uuid}/manage").get_data(as_text=True)
    assert reason in page
    assert "/check-in" not in page.replace("/check-in-codes", "") and ">Check in<" not in page
    assert reason in client.get(f"/courses/workshops/{early.uuid}/attendance").get_data(as_text=True)


@pytest.mark.parametrize("days", [0, 1])
def test_check_in_is_offered_once_attendance_opens(client, login, trainer, kit, learner, days):
    from courses.services import workshops_registration as registration
    from courses.services.workshops import today

    workshop = build_workshop(trainer, kit, start=today() + timedelta(days=days))
    participant, _ = registration.self_register(learner, workshop)
    db.session.commit()
    login(trainer)
    page = client.get(f"/courses/workshops/{workshop.uuid}/manage").get_data(as_text=True)
    assert f"/participants/{participant.uuid}/check-in" in page
    assert "Attendance can be recorded from" not in page


def test_a_cancelled_workshop_stays_listed_and_marked_until_its_dates_pass(client, trainer, kit):
    upcoming = build_workshop(trainer, kit, start=date.today() + timedelta(days=20))
    held = build_workshop(trainer, kit, start=date.today() - timedelta(days=30))
    db.session.commit()
    _cancel(trainer, upcoming)
    _cancel(trainer, held)
    badge = '<strong class="badge">Cancelled</strong>'
    for path in ("/courses/workshops", "/courses/kits", f"/courses/kits/{kit.slug}"):
        html = client.get(path).get_data(as_text=True)
        assert f"/courses/workshops/{upcoming.uuid}" in html and badge in html, path
        # One already over is history: a cancelled one drops out of the lists.
        assert f"/courses/workshops/{held.uuid}" not in html, path
