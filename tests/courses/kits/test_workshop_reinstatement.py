"""Cancelling a workshop and reinstating it: the cancellation mail's calendar file is an iTIP CANCEL of
the event registrants hold, the page's file stays a PUBLISH, and reinstating tells each registrant who
kept their seat, in their language, with a file that puts the event back."""

from __future__ import annotations

import base64
from datetime import date, timedelta

from flask_babel import force_locale, gettext
from icalendar import Calendar
from sqlalchemy import select

from lms.db import db, utcnow
from tests.courses.kits.conftest import build_workshop


def _calendar(data: bytes):
    cal = Calendar.from_ical(data)
    (event,) = cal.walk("VEVENT")
    return str(cal["method"]), event


def _mails(recipient: str):
    from lms.models import OutboxMessage

    return db.session.scalars(
        select(OutboxMessage).filter_by(recipient=recipient).order_by(OutboxMessage.id)
    ).all()


def _attached(mail):
    (attachment,) = mail.attachments
    assert attachment["content_type"] == "text/calendar"
    return _calendar(base64.b64decode(attachment["data_b64"]))


def _page_file(client, workshop):
    return _calendar(client.get(f"/courses/workshops/{workshop.uuid}/calendar.ics").data)


def _register(workshop, *people):
    from courses.services import workshops_registration as registration

    for person in people:
        registration.self_register(person, workshop)


def test_the_cancellation_mail_cancels_the_event_people_hold(app, client, trainer, workshop, make_user):
    from courses.services import workshops as ws

    person = make_user(role="learner")
    _register(workshop, person)
    db.session.commit()
    (confirmation,) = _mails(person.email)
    held_method, held = _attached(confirmation)
    assert held_method == "PUBLISH" and int(held["sequence"]) == 0

    ws.set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    method, event = _attached(_mails(person.email)[-1])
    assert method == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == str(held["uid"])  # the same event, so calendars remove it
    assert int(event["sequence"]) == 1

    page_method, page_event = _page_file(client, workshop)
    assert page_method == "PUBLISH"  # the page's file is never an iTIP request
    assert str(page_event["status"]) == "CANCELLED" and int(page_event["sequence"]) == 1


def test_mails_other_than_the_cancellation_publish(app, client, trainer, workshop, make_user):
    from courses.services import workshops as ws

    person = make_user(role="learner")
    _register(workshop, person)
    values = {k: getattr(workshop, k) for k in ("title", "country_code", "format", "languages")}
    values |= {"organiser": workshop.organiser, "capacity": workshop.capacity, "city": "Cebu"}
    ws.update_workshop(
        trainer, workshop, start_date=workshop.start_date, end_date=workshop.end_date, **values
    )
    db.session.commit()
    confirmation, changed = _mails(person.email)
    assert [_attached(m)[0] for m in (confirmation, changed)] == ["PUBLISH", "PUBLISH"]
    assert str(_attached(changed)[1]["status"]) == "CONFIRMED"
    assert _page_file(client, workshop)[0] == "PUBLISH"


def test_reinstating_mails_each_seat_holder_in_their_language(app, client, trainer, kit, make_user):
    from courses.services import workshops as ws

    workshop = build_workshop(trainer, kit, start=date(2031, 3, 10), days=3)
    english = make_user(role="learner", locale="en", name="Ann English")
    spanish = make_user(role="learner", locale="es", name="Sara Española")
    _register(workshop, english, spanish)
    ws.set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    cancelled_sequence = int(_page_file(client, workshop)[1]["sequence"])

    ws.set_flags(trainer, workshop, is_cancelled=False)
    ws.set_flags(trainer, workshop, is_cancelled=False)  # pressed again: nobody is told twice
    db.session.commit()
    (en_mail,) = _mails(english.email)[2:]
    (es_mail,) = _mails(spanish.email)[2:]
    assert en_mail.subject == f"Workshop reinstated: {workshop.title}"
    assert "Ann English" in en_mail.body and "takes place again as planned" in en_mail.body
    assert "Manila, Philippines, Mar 10\u2009–\u200912, 2031" in en_mail.body
    assert f"/courses/workshops/{workshop.uuid}" in en_mail.body
    with force_locale("es"):
        assert es_mail.subject == gettext("Workshop reinstated: %(title)s", title=workshop.title)
    assert es_mail.subject == f"Taller restablecido: {workshop.title}"  # the translated text, not English
    assert "Sara Española" in es_mail.body
    assert "Manila, Filipinas, 10–12 mar 2031" in es_mail.body  # place and dates in Spanish
    assert f"/courses/workshops/{workshop.uuid}" in es_mail.body
    for mail in (en_mail, es_mail):
        method, event = _attached(mail)
        assert method == "PUBLISH"
        assert str(event["status"]) == "CONFIRMED"
        assert str(event["uid"]).startswith(f"workshop-{workshop.uuid}@")
        assert int(event["sequence"]) == cancelled_sequence + 1
    assert str(_attached(es_mail)[1]["location"]) == "Manila, Filipinas"

    page_method, page_event = _page_file(client, workshop)
    assert page_method == "PUBLISH" and str(page_event["status"]) == "CONFIRMED"
    assert int(page_event["sequence"]) == cancelled_sequence + 1


def test_reinstating_skips_closed_accounts_and_seats_given_up(app, trainer, workshop, make_user):
    from courses.services import workshops as ws
    from courses.services import workshops_registration as registration

    kept, closed, deleted, left = (make_user(role="learner") for _ in range(4))
    _register(workshop, kept, closed, deleted, left)
    ws.set_flags(trainer, workshop, is_cancelled=True)
    registration.cancel_registration(left, workshop)  # gave the seat up while it was cancelled
    closed.is_active_account = False
    deleted.deleted_dt = utcnow()
    ws.set_flags(trainer, workshop, is_cancelled=False)
    db.session.commit()
    assert [m.subject.split(":")[0] for m in _mails(kept.email)] == [
        "Your registration",
        "Workshop cancelled",
        "Workshop reinstated",
    ]
    for person in (closed, deleted, left):
        assert "Workshop reinstated" not in [m.subject.split(":")[0] for m in _mails(person.email)], (
            person.name
        )
    assert len(_mails(closed.email)) == 2 and len(_mails(left.email)) == 2


def test_reinstating_relists_the_workshop_and_is_audited(app, trainer, workshop):
    from courses.services import workshops as ws
    from lms.models import AuditEntry
    from lms.registry import get_resource

    ws.set_flags(trainer, workshop, is_cancelled=True)
    assert not get_resource("workshop", workshop.uuid).is_published
    ws.set_flags(trainer, workshop, is_cancelled=False)
    db.session.commit()
    assert get_resource("workshop", workshop.uuid).is_published
    assert not workshop.is_cancelled and not workshop.is_registration_open  # opened again by hand
    entries = db.session.scalars(
        select(AuditEntry)
        .filter_by(action="courses.workshop_flags", target_id=workshop.uuid)
        .order_by(AuditEntry.id)
    ).all()
    assert [e.details for e in entries] == [{"is_cancelled": True}, {"is_cancelled": False}]
    assert all(e.actor_id == trainer.id for e in entries)


def test_a_workshop_already_over_is_reinstated_without_mail(app, trainer, kit, make_user):
    from courses.services import workshops as ws
    from courses.services import workshops_registration as registration

    held = build_workshop(trainer, kit, start=date.today() - timedelta(days=30))
    attendee = make_user(role="learner")
    registration.register_participant(held, attendee, source="import")
    ws.set_flags(trainer, held, is_cancelled=True)
    ws.set_flags(trainer, held, is_cancelled=False)
    db.session.commit()
    assert _mails(attendee.email) == []


def test_the_trainer_is_told_nobody_was_written_to_for_a_workshop_already_over(
    app, client, login, trainer, kit, make_user
):
    from courses.services import workshops as ws
    from courses.services import workshops_registration as registration

    held = build_workshop(trainer, kit, start=date.today() - timedelta(days=30))
    attendee = make_user(role="learner")
    registration.register_participant(held, attendee, source="import")
    ws.set_flags(trainer, held, is_cancelled=True)
    db.session.commit()
    login(trainer)
    resp = client.post(
        f"/courses/workshops/{held.uuid}/settings",
        data={"flag": "is_cancelled", "value": "0"},
        follow_redirects=True,
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "It is already over, so nobody was written to." in html
    assert "Registration and the online tests stay closed" not in html
    db.session.expire_all()
    assert not held.is_cancelled and _mails(attendee.email) == []


def test_only_the_team_reinstates_from_the_manage_page(app, client, login, trainer, workshop, make_user):
    from courses.services import workshops as ws

    person = make_user(role="learner")
    _register(workshop, person)
    ws.set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    url = f"/courses/workshops/{workshop.uuid}/settings"
    reinstate = {"flag": "is_cancelled", "value": "0"}

    resp = client.post(url, data=reinstate)
    assert resp.status_code == 302 and "/account/login" in resp.headers["Location"]
    for outsider in (make_user(role="trainer"), person):
        login(outsider)
        assert client.post(url, data=reinstate).status_code == 403
        client.post("/account/logout")
    db.session.expire_all()
    assert workshop.is_cancelled and len(_mails(person.email)) == 2

    login(trainer)
    manage = client.get(f"/courses/workshops/{workshop.uuid}/manage").get_data(as_text=True)
    assert "Reinstate the workshop" in manage
    resp = client.post(url, data=reinstate, follow_redirects=True)
    assert resp.status_code == 200 and "The workshop is reinstated." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert not workshop.is_cancelled
    assert _mails(person.email)[-1].subject == f"Workshop reinstated: {workshop.title}"
    assert "Reinstate the workshop" not in client.get(f"/courses/workshops/{workshop.uuid}/manage").get_data(
        as_text=True
    )
