"""A workshop's calendar file: offered on its page, attached to the registration and cancellation mails,
an all-day event over the workshop's days in the reader's language."""

from __future__ import annotations

import base64
from datetime import date, timedelta

from icalendar import Calendar
from sqlalchemy import select

from lms.db import db
from tests.courses.kits.conftest import build_workshop


def _event(data: bytes):
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    return event


def _mails(recipient: str):
    from lms.models import OutboxMessage

    return db.session.scalars(
        select(OutboxMessage).filter_by(recipient=recipient).order_by(OutboxMessage.id)
    ).all()


def _attached_event(mail):
    (attachment,) = mail.attachments
    assert attachment["content_type"] == "text/calendar"
    return _event(base64.b64decode(attachment["data_b64"]))


def test_the_file_is_an_all_day_event_over_the_workshop_days(app, client, trainer, kit):
    workshop = build_workshop(trainer, kit, start=date(2031, 3, 10), days=3)
    db.session.commit()
    resp = client.get(f"/courses/workshops/{workshop.uuid}/calendar.ics")
    assert resp.status_code == 200 and resp.mimetype == "text/calendar"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="workshop-2031-03-10.ics"'
    event = _event(resp.data)
    assert event.decoded("dtstart") == date(2031, 3, 10)
    assert event.decoded("dtend") == date(2031, 3, 13)  # exclusive: the day after the last day
    assert str(event["summary"]) == workshop.title
    assert str(event["location"]) == "Manila, Philippines"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["url"]).endswith(f"/courses/workshops/{workshop.uuid}")
    assert str(event["uid"]).startswith(f"workshop-{workshop.uuid}@")


def test_the_page_offers_the_file_until_the_workshop_is_over(app, client, trainer, kit):
    upcoming = build_workshop(trainer, kit)
    past = build_workshop(trainer, kit, start=date.today() - timedelta(days=30))
    db.session.commit()
    assert f"/courses/workshops/{upcoming.uuid}/calendar.ics" in client.get(
        f"/courses/workshops/{upcoming.uuid}"
    ).get_data(as_text=True)
    assert "calendar.ics" not in client.get(f"/courses/workshops/{past.uuid}").get_data(as_text=True)


def test_unknown_workshop_has_no_file(app, client):
    assert client.get("/courses/workshops/no-such-workshop/calendar.ics").status_code == 404


def test_self_registration_mails_a_confirmation_in_the_learner_language(app, trainer, kit, make_user):
    from courses.services import workshops_registration as registration

    workshop = build_workshop(trainer, kit, start=date(2031, 3, 10), days=3)
    learner = make_user(role="learner", locale="fr", name="Awa Ndiaye")
    registration.self_register(learner, workshop)
    registration.self_register(learner, workshop)  # registered already: no second mail
    db.session.commit()
    (mail,) = _mails(learner.email)
    assert workshop.title in mail.subject and mail.subject.startswith("Votre inscription")
    assert "Manila, Philippines, 10–12 mars 2031" in mail.body
    assert f"/courses/workshops/{workshop.uuid}" in mail.body
    assert "mot de passe" not in mail.body  # a person who registered themselves has an account
    assert _attached_event(mail).decoded("dtstart") == date(2031, 3, 10)


def test_an_imported_participant_gets_the_file_and_the_password_link(app, trainer, workshop):
    from courses.services import workshops_registration as registration

    registration.import_participants(trainer, workshop, b"email,name\nnew.person@example.org,New Person\n")
    db.session.commit()
    (mail,) = _mails("new.person@example.org")
    assert "/account/" in mail.body and "password" in mail.body
    assert str(_attached_event(mail)["status"]) == "CONFIRMED"


def test_cancelling_mails_every_participant_once_with_a_cancelled_event(app, trainer, workshop, make_user):
    from courses.services import workshops as ws
    from courses.services import workshops_registration as registration

    people = [make_user(role="learner", locale=lang) for lang in ("en", "es")]
    for person in people:
        registration.self_register(person, workshop)
    ws.set_flags(trainer, workshop, is_cancelled=True)
    ws.set_flags(trainer, workshop, is_cancelled=True)  # pressed again: nobody is told twice
    db.session.commit()
    english, spanish = (_mails(person.email)[1:] for person in people)
    assert len(english) == 1 and len(spanish) == 1
    assert english[0].subject == f"Workshop cancelled: {workshop.title}"
    assert "cancelled" in english[0].body and "cancelado" in spanish[0].body
    assert str(_attached_event(spanish[0])["status"]) == "CANCELLED"


def test_a_cancelled_workshop_file_says_so(app, client, trainer, workshop):
    from courses.services import workshops as ws

    ws.set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    event = _event(client.get(f"/courses/workshops/{workshop.uuid}/calendar.ics").data)
    assert str(event["status"]) == "CANCELLED"


def test_each_change_of_days_place_or_cancellation_raises_the_event_revision(app, client, trainer, workshop):
    from courses.services import workshops as ws

    def sequence():
        return int(_event(client.get(f"/courses/workshops/{workshop.uuid}/calendar.ics").data)["sequence"])

    db.session.commit()
    assert sequence() == 0
    values = {k: getattr(workshop, k) for k in ("title", "city", "country_code", "format", "languages")}
    values |= {"organiser": workshop.organiser, "capacity": workshop.capacity}
    ws.update_workshop(
        trainer, workshop, start_date=workshop.start_date, end_date=workshop.end_date, **values
    )
    db.session.commit()
    assert sequence() == 0  # saved unchanged: calendars keep what they have
    ws.update_workshop(
        trainer,
        workshop,
        start_date=workshop.start_date,
        end_date=workshop.end_date,
        **values | {"city": "Cebu"},
    )
    db.session.commit()
    assert sequence() == 1
    ws.set_flags(trainer, workshop, is_cancelled=True)
    ws.set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    assert sequence() == 2


def test_nobody_is_mailed_at_a_closed_account_nor_told_a_past_workshop_is_cancelled(
    app, trainer, kit, make_user
):
    from courses.services import workshops as ws
    from courses.services import workshops_registration as registration

    upcoming = build_workshop(trainer, kit)
    active, closed = make_user(role="learner"), make_user(role="learner")
    for person in (active, closed):
        registration.self_register(person, upcoming)
    closed.is_active_account = False
    values = {k: getattr(upcoming, k) for k in ("title", "country_code", "format", "languages")}
    values |= {"organiser": upcoming.organiser, "capacity": upcoming.capacity, "city": "Cebu"}
    ws.update_workshop(
        trainer, upcoming, start_date=upcoming.start_date, end_date=upcoming.end_date, **values
    )
    ws.set_flags(trainer, upcoming, is_cancelled=True)
    db.session.commit()
    assert [m.subject.split(":")[0] for m in _mails(active.email)] == [
        "Your registration",
        "Workshop changed",
        "Workshop cancelled",
    ]
    assert len(_mails(closed.email)) == 1  # the confirmation, sent while the account was open

    held = build_workshop(trainer, kit, start=date.today() - timedelta(days=30))
    attendee = make_user(role="learner")
    registration.register_participant(held, attendee, source="import")
    ws.set_flags(trainer, held, is_cancelled=True)
    db.session.commit()
    assert _mails(attendee.email) == []
