"""Workshops: scheduling, self-registration and imported lists, check-in (QR token, attendance sheet),
xAPI statements with the event as grouping activity, refusals of bad input with nothing half-written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop, statements


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
    from courses.services import workshops as ws
    from courses.services.workshops import kit_iri, workshop_iri

    participant, created = ws.self_register(learner, workshop)
    assert created and ws.self_register(learner, workshop) == (participant, False)
    db.session.commit()
    (stmt,) = statements("registered")
    assert stmt.user_id == learner.id and stmt.registration == participant.uuid
    assert stmt.object_activity_id == workshop_iri(workshop)
    grouping = [a["id"] for a in stmt.data["context"]["contextActivities"]["grouping"]]
    assert grouping == [workshop_iri(workshop), kit_iri(workshop.kit)]


def test_registration_refused_when_full_closed_or_past(app, trainer, kit, make_user):
    from courses.services import workshops as ws
    from courses.services.errors import CourseError

    full = build_workshop(trainer, kit, capacity=1)
    ws.self_register(make_user(), full)
    with pytest.raises(CourseError, match="full"):
        ws.self_register(make_user(), full)
    past = build_workshop(trainer, kit, start=date.today() - timedelta(days=30))
    with pytest.raises(CourseError, match="closed"):
        ws.self_register(make_user(), past)
    closed = build_workshop(trainer, kit, is_registration_open=False)
    with pytest.raises(CourseError, match="closed"):
        ws.self_register(make_user(), closed)


PARTICIPANTS = (
    "email,name,country,organisation\n"
    "maria.santos@example.org,Maria Santos,PH,Environmental Management Bureau\n"
    "{existing},Existing Person,,\n"
    "juan.cruz@example.org,Juan Cruz,ph,Bureau of Customs\n"
)


def test_imported_list_registers_everyone_and_creates_accounts(app, trainer, workshop, learner):
    from courses.services import workshops as ws
    from lms.models import OutboxMessage, User

    data = PARTICIPANTS.format(existing=learner.email.upper()).encode()
    counts = ws.import_participants(trainer, workshop, data)
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
    again = ws.import_participants(trainer, workshop, data)
    assert again == {"registered": 0, "accounts_created": 0, "already": 3}


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
        ("mail,fullname\na@example.org,A\n", 1, "unknown column fullname"),
        ("name\nA\n", 1, "missing column email"),
        ("email,name\n", "", "no rows"),
    ],
)
def test_a_bad_row_refuses_the_whole_list(app, trainer, workshop, content, line, reason):
    from courses.models_kits import Participant
    from courses.services import workshops as ws
    from courses.services.workshops_csv import ImportRefused
    from lms.models import User

    users = db.session.scalar(select(func.count(User.id)))
    with pytest.raises(ImportRefused) as info:
        ws.import_participants(trainer, workshop, content.encode())
    db.session.rollback()
    assert any(err_line == line and reason in str(msg) for err_line, msg in info.value.errors), (
        info.value.errors
    )
    assert db.session.scalar(select(func.count(Participant.id))) == 0
    assert db.session.scalar(select(func.count(User.id))) == users
    assert statements("registered") == []


def test_list_beyond_capacity_is_refused(app, trainer, kit):
    from courses.services import workshops as ws
    from courses.services.workshops_csv import ImportRefused

    small = build_workshop(trainer, kit, capacity=1)
    with pytest.raises(ImportRefused) as info:
        ws.import_participants(trainer, small, b"email,name\na@example.org,A\nb@example.org,B\n")
    assert "exceed the capacity" in str(info.value.errors)


def test_non_utf8_list_is_refused(app, trainer, workshop):
    from courses.services import workshops as ws
    from courses.services.workshops_csv import ImportRefused

    with pytest.raises(ImportRefused) as info:
        ws.import_participants(trainer, workshop, "email,name\nà@example.org,Zoé\n".encode("latin-1"))
    assert "UTF-8" in str(info.value.errors)


def test_qr_token_checks_in_once_and_records_attended(app, trainer, started_workshop, learner):
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance
    from courses.services.workshops import workshop_iri

    participant, _ = ws.self_register(learner, started_workshop)
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
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance
    from courses.services.errors import CourseError

    participant, _ = ws.self_register(learner, workshop)
    token = attendance.check_in_token(participant)
    with pytest.raises(CourseError, match="not valid"):
        attendance.participant_from_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with pytest.raises(CourseError, match="not valid"):
        attendance.participant_from_token("eyJwIjoiMTIzIn0.forged")


def _register(workshop, make_user, n):
    from courses.services import workshops as ws

    return [
        ws.self_register(make_user(name=f"P{i}", email=f"p{i}@example.org"), workshop)[0] for i in range(n)
    ]


def test_attendance_sheet_checks_in_present_participants(app, trainer, started_workshop, make_user):
    from courses.services import workshops_attendance as attendance

    people = _register(started_workshop, make_user, 3)
    data = b"name;email;attended\nP0;P0@example.org;yes\nP1;p1@example.org;no\nP2;p2@example.org;\n"
    counts = attendance.import_attendance_sheet(trainer, started_workshop, data)
    db.session.commit()
    assert counts == {"checked_in": 2, "already": 0, "absent": 1}
    assert [p.attended_dt is not None for p in people] == [True, False, True]
    assert {p.check_in_method for p in people if p.attended_dt} == {"sheet"}
    assert len(statements("attended")) == 2


def test_uploading_a_sheet_says_each_count_with_its_plural(
    app, client, login, trainer, started_workshop, make_user
):
    import io

    _register(started_workshop, make_user, 2)
    db.session.commit()
    login(trainer)
    data = b"name;email;attended\nP0;p0@example.org;yes\nP1;p1@example.org;no\n"
    resp = client.post(
        f"/courses/workshops/{started_workshop.uuid}/attendance",
        data={"file": (io.BytesIO(data), "sheet.csv")},
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    assert "1 participant checked in. 0 were already checked in. 1 participant marked absent." in page


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

    people = _register(started_workshop, make_user, 2)
    data = f"email,attended\np1@example.org,yes\n{row}\n".encode()
    with pytest.raises(ImportRefused) as info:
        attendance.import_attendance_sheet(trainer, started_workshop, data)
    db.session.rollback()
    assert info.value.errors[0][0] == 3 and reason in str(info.value.errors[0][1])
    assert all(p.attended_dt is None for p in people) and statements("attended") == []


def test_roster_csv_is_formula_safe(app, trainer, workshop, make_user):
    from courses.services import workshops as ws
    from courses.services.workshops_attendance import roster_csv

    ws.self_register(make_user(name='=HYPERLINK("http://x")', organisation="+danger"), workshop)
    text = roster_csv(workshop).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",'+danger," in text


def test_cancel_registration_before_the_workshop(app, workshop, learner):
    from courses.models_kits import Participant
    from courses.services import workshops as ws

    ws.self_register(learner, workshop)
    ws.cancel_registration(learner, workshop)
    db.session.commit()
    assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_cancelled_workshop_is_withdrawn_and_refuses_check_in(app, trainer, workshop, learner):
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance
    from courses.services.errors import CourseError
    from lms.registry import get_resource

    participant, _ = ws.self_register(learner, workshop)
    ws.set_flags(trainer, workshop, is_cancelled=True)
    assert not get_resource("workshop", workshop.uuid).is_published
    with pytest.raises(CourseError, match="cancelled"):
        attendance.mark_attended(trainer, participant, "manual")
    with pytest.raises(CourseError, match="cancelled"):
        attendance.participant_from_token(attendance.check_in_token(participant))


# Attendance and certificates of attendance open on the workshop's first day --------------------------------

FIRST_DAY = date(2027, 3, 10)
OPENS = FIRST_DAY - timedelta(days=1)  # the venue may be ahead of UTC: its first day starts a UTC day early
TOO_EARLY = FIRST_DAY - timedelta(days=2)


def _nothing_recorded(people):
    from courses.models_kits import AttendanceCertificate
    from lms.models import AuditEntry

    db.session.rollback()
    assert all(p.attended_dt is None and p.check_in_method is None for p in people)
    assert statements("attended") == []
    assert db.session.scalar(select(func.count(AttendanceCertificate.id))) == 0
    assert not db.session.scalar(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.action.in_(("courses.workshop_check_in", "courses.attendance_certificate_issued"))
        )
    )


def test_attendance_opens_the_day_before_the_first_day_in_utc(app, trainer, kit):
    from courses.services import workshops_attendance as attendance
    from courses.services.errors import CourseError

    workshop = build_workshop(trainer, kit, start=FIRST_DAY)
    assert attendance.attendance_opens(workshop) == OPENS
    with pytest.raises(CourseError) as info:
        attendance.ensure_attendance_open(workshop, on=TOO_EARLY)
    assert str(info.value.message) == (
        "Attendance can be recorded from the first day of the workshop (March 10, 2027)."
    )
    with pytest.raises(CourseError) as info:
        attendance.ensure_attendance_open(workshop, certificates=True, on=date(2026, 11, 23))
    assert str(info.value.message) == (
        "Certificates of attendance can be issued from the first day of the workshop (March 10, 2027)."
    )
    for day in (OPENS, FIRST_DAY, FIRST_DAY + timedelta(days=1), FIRST_DAY + timedelta(days=60)):
        attendance.ensure_attendance_open(workshop, on=day)
        attendance.ensure_attendance_open(workshop, certificates=True, on=day)


def test_check_in_before_the_workshop_is_refused_and_records_nothing(app, trainer, kit, learner):
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance
    from courses.services.errors import CourseError

    workshop = build_workshop(trainer, kit, start=FIRST_DAY)
    participant, _ = ws.self_register(learner, workshop)
    db.session.commit()
    for method in ("qr", "manual"):
        with pytest.raises(CourseError, match=r"from the first day of the workshop \(March 10, 2027\)"):
            attendance.mark_attended(trainer, participant, method, on=TOO_EARLY)
        _nothing_recorded([participant])
    assert attendance.mark_attended(trainer, participant, "qr", on=OPENS) is True
    db.session.commit()
    assert participant.attended_dt is not None and len(statements("attended")) == 1


def test_attendance_sheet_before_the_workshop_is_refused_whole(app, trainer, kit, make_user):
    from courses.services import workshops_attendance as attendance
    from courses.services.errors import CourseError

    workshop = build_workshop(trainer, kit, start=FIRST_DAY)
    people = _register(workshop, make_user, 2)
    db.session.commit()
    data = b"email,attended\np0@example.org,yes\np1@example.org,yes\n"
    with pytest.raises(CourseError, match=r"\(March 10, 2027\)"):
        attendance.import_attendance_sheet(trainer, workshop, data, on=TOO_EARLY)
    _nothing_recorded(people)
    counts = attendance.import_attendance_sheet(trainer, workshop, data, on=OPENS)
    db.session.commit()
    assert counts == {"checked_in": 2, "already": 0, "absent": 0}
    assert len(statements("attended")) == 2


def test_certificates_before_the_workshop_are_refused(app, trainer, kit, learner):
    from courses.models_kits import AttendanceCertificate
    from courses.services import workshops as ws
    from courses.services import workshops_certs as wcerts
    from courses.services.errors import CourseError

    workshop = build_workshop(trainer, kit, start=FIRST_DAY)
    participant, _ = ws.self_register(learner, workshop)
    participant.attended_dt = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a check-in recorded before this fix
    db.session.commit()
    for action in (
        lambda: wcerts.issue_all(trainer, workshop, on=TOO_EARLY),
        lambda: wcerts.issue(trainer, participant, on=TOO_EARLY),
    ):
        with pytest.raises(CourseError, match=r"Certificates of attendance .* \(March 10, 2027\)"):
            action()
        db.session.rollback()
        assert db.session.scalar(select(func.count(AttendanceCertificate.id))) == 0
    assert wcerts.issue_all(trainer, workshop, on=OPENS, notify=False) == 1
    cert, new = wcerts.issue(trainer, participant, on=OPENS)
    assert not new and cert.participant_id == participant.id


def _workshop_starting_in(trainer, kit, days):
    from courses.services.workshops import today

    return build_workshop(trainer, kit, start=today() + timedelta(days=days))


@pytest.mark.parametrize("days, allowed", [(2, False), (1, True)])
def test_qr_check_in_page_says_why_before_the_workshop(
    app, client, login, trainer, kit, learner, days, allowed
):
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance

    workshop = _workshop_starting_in(trainer, kit, days)
    participant, _ = ws.self_register(learner, workshop)
    db.session.commit()
    first_day = format_date(workshop.start_date, "long")
    token = attendance.check_in_token(participant)
    login(trainer)
    page = client.get(f"/courses/workshops/check-in/{token}").get_data(as_text=True)
    reason = f"Attendance can be recorded from the first day of the workshop ({first_day})."
    assert (reason in page) is not allowed and ("Confirm the check-in" in page) is allowed
    resp = client.post(f"/courses/workshops/check-in/{token}", follow_redirects=True)
    page = resp.get_data(as_text=True)
    db.session.rollback()
    if allowed:
        assert resp.status_code == 200 and "Léa Learner is checked in." in page
        assert participant.attended_dt is not None
    else:
        assert resp.status_code == 400 and reason in page and "Nothing was recorded." in page
        _nothing_recorded([participant])


@pytest.mark.parametrize("days, allowed", [(2, False), (1, True)])
def test_roster_check_in_says_why_before_the_workshop(
    app, client, login, trainer, kit, learner, days, allowed
):
    from courses.services import workshops as ws

    workshop = _workshop_starting_in(trainer, kit, days)
    participant, _ = ws.self_register(learner, workshop)
    db.session.commit()
    first_day = format_date(workshop.start_date, "long")
    login(trainer)
    resp = client.post(
        f"/courses/workshops/{workshop.uuid}/participants/{participant.uuid}/check-in", follow_redirects=True
    )
    page = resp.get_data(as_text=True)
    reason = f"Attendance can be recorded from the first day of the workshop ({first_day})."
    db.session.rollback()
    if allowed:
        assert "Léa Learner is checked in." in page and reason not in page
        assert participant.attended_dt is not None
    else:
        assert reason in page and "is checked in." not in page
        _nothing_recorded([participant])


@pytest.mark.parametrize("days, allowed", [(2, False), (1, True)])
def test_sheet_upload_says_why_before_the_workshop(
    app, client, login, trainer, kit, make_user, days, allowed
):
    import io

    workshop = _workshop_starting_in(trainer, kit, days)
    people = _register(workshop, make_user, 2)
    db.session.commit()
    first_day = format_date(workshop.start_date, "long")
    login(trainer)
    resp = client.post(
        f"/courses/workshops/{workshop.uuid}/attendance",
        data={"file": (io.BytesIO(b"email,attended\np0@example.org,yes\np1@example.org,no\n"), "sheet.csv")},
        follow_redirects=True,
    )
    page = resp.get_data(as_text=True)
    reason = f"Attendance can be recorded from the first day of the workshop ({first_day})."
    db.session.rollback()
    if allowed:
        assert resp.status_code == 200 and "1 participant checked in." in page
        assert [p.attended_dt is not None for p in people] == [True, False]
    else:
        assert resp.status_code == 400 and reason in page
        _nothing_recorded(people)


@pytest.mark.parametrize("days, allowed", [(2, False), (1, True)])
def test_issuing_certificates_says_why_before_the_workshop(
    app, client, login, trainer, kit, learner, days, allowed
):
    from courses.models_kits import AttendanceCertificate
    from courses.services import workshops as ws

    workshop = _workshop_starting_in(trainer, kit, days)
    participant, _ = ws.self_register(learner, workshop)
    participant.attended_dt = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a check-in recorded before this fix
    db.session.commit()
    first_day = format_date(workshop.start_date, "long")
    login(trainer)
    resp = client.post(f"/courses/workshops/{workshop.uuid}/certificates", follow_redirects=True)
    page = resp.get_data(as_text=True)
    reason = f"Certificates of attendance can be issued from the first day of the workshop ({first_day})."
    count = db.session.scalar(select(func.count(AttendanceCertificate.id)))
    if allowed:
        assert "1 certificate issued." in page and reason not in page and count == 1
    else:
        assert reason in page and "certificate issued" not in page and count == 0
