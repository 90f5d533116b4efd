"""Workshops: scheduling, self-registration and imported lists, check-in (QR token, attendance sheet),
xAPI statements with the event as grouping activity, refusals of bad input with nothing half-written."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop, register_people, statements


def test_workshop_is_scheduled_and_listed_in_the_registry(app, trainer, kit):
    from lms.registry import get_resource

    workshop = build_workshop(trainer, kit)
    assert workshop.kit_version == 1 and workshop.languages == ["en"]
    res = get_resource("workshop", workshop.uuid)
    assert res.url == f"/courses/workshops/{workshop.uuid}" and res.articles == [3, 7]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "title"),
        ({"end_date": date(2020, 1, 1)}, "before the first day"),
        ({"country_code": "ZZ"}, "country"),
        ({"format": "online"}, "Unknown format"),
        ({"languages": ["xx"]}, "six UN languages"),
        ({"languages": []}, "six UN languages"),
        ({"capacity": 0}, "capacity"),
        ({"organiser": ""}, "organiser"),
    ],
)
def test_bad_workshops_are_refused(app, trainer, kit, change, message):
    from courses.models_kits import Workshop
    from courses.services.errors import CourseError

    with pytest.raises(CourseError, match=message):
        build_workshop(trainer, kit, **change)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Workshop.id))) == 0


def test_an_unpublished_kit_cannot_be_delivered(app, trainer):
    from courses.services.errors import CourseError

    draft = build_kit(trainer, slug="draft", publish=False)
    with pytest.raises(CourseError, match="publish the kit"):
        build_workshop(trainer, draft)


def test_self_registration_records_registered_with_the_event_as_grouping(app, workshop, learner):
    from courses.services import workshops_registration as registration
    from courses.services.workshops import kit_iri, workshop_iri

    participant, created = registration.self_register(learner, workshop)
    assert created and registration.self_register(learner, workshop) == (participant, False)
    db.session.commit()
    (stmt,) = statements("registered")
    assert stmt.user_id == learner.id and stmt.registration == participant.uuid
    assert stmt.object_activity_id == workshop_iri(workshop)
    grouping = [a["id"] for a in stmt.data["context"]["contextActivities"]["grouping"]]
    assert grouping == [workshop_iri(workshop), kit_iri(workshop.kit)]


def test_my_learning_lists_the_workshops_one_registered_for(client, login, workshop, learner):
    """A learner finds the workshop they registered for, with its dates, under My learning too."""
    from courses.services import workshops_registration as registration

    login(learner)
    assert "Your workshops" not in client.get("/courses/my").get_data(as_text=True)
    registration.self_register(learner, workshop)
    db.session.commit()
    page = client.get("/courses/my").get_data(as_text=True)
    mine = page[page.index("Your workshops") :]
    assert f"/courses/workshops/{workshop.uuid}" in mine and workshop.title in mine
    assert "You are not enrolled in any module yet." in page


def test_cancelling_a_seat_asks_first_and_then_frees_it(client, login, workshop, learner):
    """One click does not give a seat away: the button sits in a disclosure that says what it does."""
    from courses.services import workshops_registration as registration

    registration.self_register(learner, workshop)
    db.session.commit()
    login(learner)
    page = client.get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    box = page[page.index('<details class="confirm">') : page.index("</details>")]
    assert "<summary>Cancel my registration</summary>" in box and "you may not get it back" in box
    assert f'action="/courses/workshops/{workshop.uuid}/unregister"' in box
    assert client.post(f"/courses/workshops/{workshop.uuid}/unregister").status_code == 302
    page = client.get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    assert "Register for this workshop" in page and '<details class="confirm">' not in page


def test_registration_refused_when_full_closed_or_past(app, trainer, kit, make_user):
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError

    full = build_workshop(trainer, kit, capacity=1)
    registration.self_register(make_user(), full)
    with pytest.raises(CourseError, match="full"):
        registration.self_register(make_user(), full)
    past = build_workshop(trainer, kit, start=date.today() - timedelta(days=30))
    with pytest.raises(CourseError, match="closed"):
        registration.self_register(make_user(), past)
    closed = build_workshop(trainer, kit, is_registration_open=False)
    with pytest.raises(CourseError, match="closed"):
        registration.self_register(make_user(), closed)


PARTICIPANTS = (
    "email,name,country,organisation\n"
    "maria.santos@example.org,Maria Santos,PH,Environmental Management Bureau\n"
    "{existing},Existing Person,,\n"
    "juan.cruz@example.org,Juan Cruz,ph,Bureau of Customs\n"
)


def test_imported_list_registers_everyone_and_creates_accounts(app, trainer, workshop, learner):
    from courses.services import workshops_registration as registration
    from lms.models import OutboxMessage, User

    data = PARTICIPANTS.format(existing=learner.email.upper()).encode()
    counts = registration.import_participants(trainer, workshop, data)
    db.session.commit()
    assert counts == {"registered": 3, "accounts_created": 2, "already": 0}
    maria = db.session.scalar(select(User).filter_by(email="maria.santos@example.org"))
    assert maria.country_code == "PH" and maria.organisation == "Environmental Management Bureau"
    assert maria.role == "learner" and maria.confirmed_dt is None
    assert {p.user.email for p in workshop.participants} == {
        "maria.santos@example.org",
        learner.email,
        "juan.cruz@example.org",
    }
    assert all(p.source == "import" for p in workshop.participants)
    assert len(statements("registered")) == 3
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert {m.recipient for m in mails} >= {"maria.santos@example.org", "juan.cruz@example.org"}
    assert any(f"/courses/workshops/{workshop.uuid}" in m.body for m in mails)
    again = registration.import_participants(trainer, workshop, data)
    assert again == {"registered": 0, "accounts_created": 0, "already": 3}
    # An existing account keeps its own details (the import page says so).
    assert learner.name != "Existing Person"


def test_accounts_made_by_a_list_take_the_workshop_s_language(app, client, login, trainer, kit, learner):
    """A French trainer's list for a workshop given in French: the new accounts are French, their
    confirmation is in French; an account that exists keeps its language."""
    from lms.models import OutboxMessage, User

    workshop = build_workshop(trainer, kit, languages=["en", "fr"])
    login(trainer)
    client.get("/language/fr")
    data = PARTICIPANTS.format(existing=learner.email).encode()
    resp = client.post(
        f"/courses/workshops/{workshop.uuid}/import", data={"file": (io.BytesIO(data), "liste.csv")}
    )
    assert resp.status_code == 302
    maria = db.session.scalar(select(User).filter_by(email="maria.santos@example.org"))
    assert maria.locale == "fr" and learner.locale == "en"
    mail = db.session.scalar(select(OutboxMessage).filter_by(recipient="maria.santos@example.org"))
    assert mail.subject.startswith("Votre inscription")
    # The trainer's language is not one of the workshop's: the workshop's first language.
    spanish = build_workshop(trainer, kit, languages=["es"], title="Taller")
    resp = client.post(
        f"/courses/workshops/{spanish.uuid}/import",
        data={"file": (io.BytesIO(b"email,name\nana@example.org,Ana\n"), "lista.csv")},
    )
    assert resp.status_code == 302
    assert db.session.scalar(select(User).filter_by(email="ana@example.org")).locale == "es"


GOOD = "ok.person@example.org,OK Person\n"


@pytest.mark.parametrize(
    "content, line, reason",
    [
        ("email,name\n" + GOOD + "not-an-address,Somebody\n", 3, "not a valid e-mail"),
        ("email,name\n" + GOOD + "a@example.org,A\na@example.org,A again\n", 4, "appears twice"),
        ("email,name\n" + GOOD + "a@example.org,\n", 3, "name is missing"),
        (
            "email,name,country\n" + GOOD.replace("\n", ",PH\n") + "a@example.org,A,XX\n",
            3,
            "unknown country code XX",
        ),
        ("mail,fullname\na@example.org,A\n", 1, "unknown column \u2068fullname\u2069"),
        ("name\nA\n", 1, "missing column email"),
        ("email,name\n", "", "no rows"),
    ],
)
def test_a_bad_row_refuses_the_whole_list(app, trainer, workshop, content, line, reason):
    from courses.models_kits import Participant
    from courses.services import workshops_registration as registration
    from courses.services.workshops_csv import ImportRefused
    from lms.models import User

    users = db.session.scalar(select(func.count(User.id)))
    with pytest.raises(ImportRefused) as info:
        registration.import_participants(trainer, workshop, content.encode())
    db.session.rollback()
    assert any(err_line == line and reason in str(msg) for err_line, msg in info.value.errors), (
        info.value.errors
    )
    assert db.session.scalar(select(func.count(Participant.id))) == 0
    assert db.session.scalar(select(func.count(User.id))) == users
    assert statements("registered") == []


def test_list_beyond_capacity_is_refused(app, trainer, kit):
    from courses.services import workshops_registration as registration
    from courses.services.workshops_csv import ImportRefused

    small = build_workshop(trainer, kit, capacity=1)
    with pytest.raises(ImportRefused) as info:
        registration.import_participants(trainer, small, b"email,name\na@example.org,A\nb@example.org,B\n")
    assert "exceed the capacity" in str(info.value.errors)


def test_non_utf8_list_is_refused(app, trainer, workshop):
    from courses.services import workshops_registration as registration
    from courses.services.workshops_csv import ImportRefused

    with pytest.raises(ImportRefused) as info:
        registration.import_participants(
            trainer, workshop, "email,name\nà@example.org,Zoé\n".encode("latin-1")
        )
    assert "UTF-8" in str(info.value.errors)


def test_qr_token_checks_in_once_and_records_attended(app, trainer, started_workshop, learner):
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_registration as registration
    from courses.services.workshops import workshop_iri

    participant, _ = registration.self_register(learner, started_workshop)
    token = attendance.check_in_token(participant)
    assert attendance.check_in_url(participant) == f"http://lms.test/courses/workshops/check-in/{token}"
    assert attendance.participant_from_token(token) is participant
    assert attendance.mark_attended(trainer, participant, "qr") is True
    assert attendance.mark_attended(trainer, participant, "qr") is False
    db.session.commit()
    assert participant.check_in_method == "qr" and participant.checked_in_by_id == trainer.id
    (stmt,) = statements("attended")
    assert stmt.object_activity_id == workshop_iri(started_workshop) and stmt.registration == participant.uuid
    assert workshop_iri(started_workshop) in [
        a["id"] for a in stmt.data["context"]["contextActivities"]["grouping"]
    ]


def test_tampered_token_is_refused(app, trainer, workshop, learner):
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError

    participant, _ = registration.self_register(learner, workshop)
    token = attendance.check_in_token(participant)
    with pytest.raises(CourseError, match="not valid"):
        attendance.participant_from_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with pytest.raises(CourseError, match="not valid"):
        attendance.participant_from_token("eyJwIjoiMTIzIn0.forged")


def test_attendance_sheet_checks_in_present_participants(app, trainer, started_workshop, make_user):
    from courses.services import workshops_attendance as attendance

    people = register_people(started_workshop, make_user, 3)
    data = b"name;email;attended\nP0;P0@example.org;yes\nP1;p1@example.org;no\nP2;p2@example.org;\n"
    counts = attendance.import_attendance_sheet(trainer, started_workshop, data)
    db.session.commit()
    assert counts == {"checked_in": 2, "already": 0, "absent": 1, "absent_kept": 0}
    assert [p.attended_dt is not None for p in people] == [True, False, True]
    assert {p.check_in_method for p in people if p.attended_dt} == {"sheet"}
    assert len(statements("attended")) == 2


def test_uploading_a_sheet_says_each_count_with_its_plural(
    app, client, login, trainer, started_workshop, make_user
):
    import io

    register_people(started_workshop, make_user, 2)
    db.session.commit()
    login(trainer)
    data = b"name;email;attended\nP0;p0@example.org;yes\nP1;p1@example.org;no\n"
    resp = client.post(
        f"/courses/workshops/{started_workshop.uuid}/attendance",
        data={"file": (io.BytesIO(data), "sheet.csv")},
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert "1 participant checked in. 0 were already checked in. 1 participant recorded absent." in page


@pytest.mark.parametrize(
    "row, reason",
    [
        ("stranger@example.org,yes", "not registered"),
        ("p0@example.org,maybe", "yes or no"),
        ("nonsense,yes", "not a valid e-mail"),
    ],
)
def test_bad_attendance_sheet_is_refused_whole(app, trainer, started_workshop, make_user, row, reason):
    from courses.services import workshops_attendance as attendance
    from courses.services.workshops_csv import ImportRefused

    people = register_people(started_workshop, make_user, 2)
    data = f"email,attended\np1@example.org,yes\n{row}\n".encode()
    with pytest.raises(ImportRefused) as info:
        attendance.import_attendance_sheet(trainer, started_workshop, data)
    db.session.rollback()
    assert info.value.errors[0][0] == 3 and reason in str(info.value.errors[0][1])
    assert all(p.attended_dt is None for p in people) and statements("attended") == []


def test_roster_csv_is_formula_safe(app, trainer, workshop, make_user):
    from courses.services import workshops_registration as registration
    from courses.services.workshops_attendance import roster_csv

    registration.self_register(make_user(name='=HYPERLINK("http://x")', organisation="+danger"), workshop)
    text = roster_csv(workshop).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",'+danger," in text


def test_roster_csv_names_an_erased_participant_in_the_reader_s_language(app, trainer, workshop, make_user):
    from flask_babel import force_locale

    from courses.services import workshops_registration as registration
    from courses.services.workshops_attendance import roster_csv
    from lms.db import utcnow

    gone = make_user(name="Deleted user")
    registration.self_register(gone, workshop)
    gone.deleted_dt = utcnow()
    with app.test_request_context(), force_locale("fr"):
        text = roster_csv(workshop).decode("utf-8-sig")
    assert "Utilisateur supprimé" in text and "Deleted user" not in text


def test_roster_csv_gives_the_check_in_time_to_the_second(app, trainer, started_workshop, learner):
    import csv
    import io
    from datetime import UTC, datetime

    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_registration as registration

    participant, _ = registration.self_register(learner, started_workshop)
    attendance.mark_attended(trainer, participant, "manual")
    participant.attended_dt = datetime(2026, 11, 24, 9, 15, 2, 123456, tzinfo=UTC)
    rows = list(csv.DictReader(io.StringIO(attendance.roster_csv(started_workshop).decode("utf-8-sig"))))
    assert [(r["email"], r["attended"]) for r in rows] == [(learner.email, "2026-11-24 09:15:02")]


def test_cancel_registration_before_the_workshop(app, workshop, learner):
    from courses.models_kits import Participant
    from courses.services import workshops_registration as registration

    registration.self_register(learner, workshop)
    registration.cancel_registration(learner, workshop)
    db.session.commit()
    assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_cancelled_workshop_is_withdrawn_and_refuses_check_in(app, trainer, workshop, learner):
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError
    from lms.registry import get_resource

    participant, _ = registration.self_register(learner, workshop)
    ws.set_flags(trainer, workshop, is_cancelled=True)
    assert not get_resource("workshop", workshop.uuid).is_published
    with pytest.raises(CourseError, match="cancelled"):
        attendance.mark_attended(trainer, participant, "manual")
    with pytest.raises(CourseError, match="cancelled"):
        attendance.participant_from_token(attendance.check_in_token(participant))


# Attendance and certificates of attendance open on the workshop's first day --------------------------------


def test_the_check_in_page_names_a_participant_without_an_organisation_without_a_stray_dash(
    app, client, login, trainer, started_workshop, learner
):
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_registration as registration

    participant, _ = registration.self_register(learner, started_workshop)
    db.session.commit()
    assert not learner.organisation and learner.country_code == "SN"
    login(trainer)
    page = client.get(f"/courses/workshops/check-in/{attendance.check_in_token(participant)}")
    assert "<p>Senegal</p>" in page.get_data(as_text=True)


def _details(workshop, **changes) -> dict:
    names = ("title", "description", "start_date", "end_date", "city", "country_code", "format")
    names += ("languages", "organiser", "partners", "capacity", "is_registration_open")
    return {name: getattr(workshop, name) for name in names} | changes


def test_new_days_or_a_new_place_are_mailed_to_every_participant(app, trainer, workshop, make_user):
    from courses.services import workshops as ws
    from lms.models import OutboxMessage

    register_people(workshop, make_user, 2)
    db.session.query(OutboxMessage).delete()
    ws.update_workshop(trainer, workshop, **_details(workshop, title="Workshop on mercury trade (2)"))
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0  # a new title moves nobody
    later = workshop.start_date + timedelta(days=7)
    ws.update_workshop(trainer, workshop, **_details(workshop, start_date=later, end_date=later))
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert sorted(m.recipient for m in mails) == ["p0@example.org", "p1@example.org"]
    assert all(m.subject.startswith("Workshop changed") and "Manila, Philippines" in m.body for m in mails)
    assert all(m.attachments[0]["filename"] == f"workshop-{later.isoformat()}.ics" for m in mails)


def test_the_days_cannot_move_after_recorded_attendance(app, trainer, started_workshop, learner):
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError

    participant, _ = registration.self_register(learner, started_workshop)
    attendance.mark_attended(trainer, participant, "manual")
    start = started_workshop.start_date
    later = start + timedelta(days=30)
    with pytest.raises(CourseError, match="Attendance was recorded on") as refused:
        ws.update_workshop(
            trainer, started_workshop, **_details(started_workshop, start_date=later, end_date=later)
        )
    assert refused.value.field == "start_date"
    # One more day at the end is fine.
    ws.update_workshop(
        trainer,
        started_workshop,
        **_details(started_workshop, end_date=started_workshop.end_date + timedelta(days=1)),
    )


def test_a_trainer_registers_one_person_who_arrives_unregistered(
    app, client, login, trainer, workshop, learner
):
    from lms.models import AuditEntry, OutboxMessage, User

    login(trainer)
    url = f"/courses/workshops/{workshop.uuid}"
    page = client.get(f"{url}/import").get_data(as_text=True)
    assert f'action="{url}/participants/new"' in page and 'name="person-email"' in page
    assert f'href="{url}/import#person-h"' in client.get(f"{url}/manage").get_data(as_text=True)
    form = {"person-email": "Walk.In@example.org", "person-name": "  Walk   In ", "person-country": "PH"}
    resp = client.post(f"{url}/participants/new", data=form)
    assert resp.status_code == 302
    person = db.session.scalar(select(User).filter_by(email="walk.in@example.org"))
    assert person.name == "Walk In" and person.country_code == "PH" and person.role == "learner"
    assert [p.user for p in workshop.participants] == [person]
    assert db.session.scalar(select(OutboxMessage).filter_by(recipient="walk.in@example.org")) is not None
    assert db.session.scalar(select(AuditEntry).filter_by(action="courses.workshop_participant_registered"))
    # Someone already registered is counted, not registered twice; a bad address is refused, kept.
    assert client.post(f"{url}/participants/new", data=form).status_code == 302
    assert len(workshop.participants) == 1
    bad = client.post(f"{url}/participants/new", data=dict(form, **{"person-email": "walk-in"}))
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "walk-in is not a valid e-mail address" in html
    assert 'value="walk-in"' in html and 'value="  Walk   In "' in html
    # A quoted address is escaped once, not twice ("&amp;amp;").
    odd = client.post(f"{url}/participants/new", data=dict(form, **{"person-email": "tom&jerry"}))
    assert "tom&amp;jerry is not a valid e-mail address" in odd.get_data(as_text=True)


def test_one_person_is_refused_when_the_workshop_is_full(app, trainer, kit, make_user):
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError

    small = build_workshop(trainer, kit, capacity=1)
    register_people(small, make_user, 1)
    with pytest.raises(CourseError, match="This workshop is full."):
        registration.register_person(trainer, small, email="late@example.org", name="Late")
    # the one already registered is not refused
    assert registration.register_person(trainer, small, email="p0@example.org", name="P0")["already"] == 1


def test_the_workshop_texts_take_their_own_direction_in_an_arabic_page(client, workshop):
    """A workshop's title, organiser and description are in one unknown language: in an Arabic page an
    English description must read left to right, so each takes its direction from its text."""
    client.get("/language/ar")
    html = client.get(f"/courses/workshops/{workshop.uuid}").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert f'<h1 dir="auto">{workshop.title}</h1>' in html
    assert f'<dd dir="auto">{workshop.organiser}</dd>' in html


def test_the_import_page_says_existing_accounts_keep_their_details(client, login, trainer, workshop):
    login(trainer)
    page = client.get(f"/courses/workshops/{workshop.uuid}/import").get_data(as_text=True)
    assert "keep the name, country and organisation of their account" in page
