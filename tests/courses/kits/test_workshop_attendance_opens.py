"""When a workshop's attendance opens: check-in (QR, roster, sheet) and certificates of attendance are
refused before the day before its first day (workshop dates are the venue's local dates), with the reason on
each page and nothing recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import format_date
from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import build_workshop, register_people, statements

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
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError

    workshop = build_workshop(trainer, kit, start=FIRST_DAY)
    participant, _ = registration.self_register(learner, workshop)
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
    people = register_people(workshop, make_user, 2)
    db.session.commit()
    data = b"email,attended\np0@example.org,yes\np1@example.org,yes\n"
    with pytest.raises(CourseError, match=r"\(March 10, 2027\)"):
        attendance.import_attendance_sheet(trainer, workshop, data, on=TOO_EARLY)
    _nothing_recorded(people)
    counts = attendance.import_attendance_sheet(trainer, workshop, data, on=OPENS)
    db.session.commit()
    assert counts == {"checked_in": 2, "already": 0, "absent": 0, "absent_kept": 0}
    assert len(statements("attended")) == 2


def test_certificates_before_the_workshop_are_refused(app, trainer, kit, learner):
    from courses.models_kits import AttendanceCertificate
    from courses.services import workshops_certs as wcerts
    from courses.services import workshops_registration as registration
    from courses.services.errors import CourseError

    workshop = build_workshop(trainer, kit, start=FIRST_DAY)
    participant, _ = registration.self_register(learner, workshop)
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
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_registration as registration

    workshop = _workshop_starting_in(trainer, kit, days)
    participant, _ = registration.self_register(learner, workshop)
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
    from courses.services import workshops_registration as registration

    workshop = _workshop_starting_in(trainer, kit, days)
    participant, _ = registration.self_register(learner, workshop)
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
    people = register_people(workshop, make_user, 2)
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
    from courses.services import workshops_registration as registration

    workshop = _workshop_starting_in(trainer, kit, days)
    participant, _ = registration.self_register(learner, workshop)
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


@pytest.mark.parametrize(
    "country, city, opens",
    [
        ("PH", "Manila", FIRST_DAY - timedelta(days=1)),  # UTC+8: the first day starts on the UTC day before
        ("CO", "Bogotá", FIRST_DAY),  # UTC-5: it starts on the same UTC day, not a day early
    ],
)
def test_attendance_opens_on_the_venue_s_first_day_in_its_zone(app, trainer, kit, country, city, opens):
    from courses.services import workshops_attendance as attendance
    from courses.services.errors import CourseError

    workshop = build_workshop(trainer, kit, start=FIRST_DAY, country_code=country, city=city)
    assert workshop.time_zone == {"PH": "Asia/Manila", "CO": "America/Bogota"}[country]
    assert attendance.attendance_opens(workshop) == opens
    attendance.ensure_attendance_open(workshop, on=opens)
    with pytest.raises(CourseError):
        attendance.ensure_attendance_open(workshop, on=opens - timedelta(days=1))


def test_a_workshop_whose_zone_is_not_known_opens_the_day_before(app, trainer, kit):
    from courses.services import workshops_attendance as attendance

    workshop = build_workshop(trainer, kit, start=FIRST_DAY, country_code="AU", city="Sydney")
    assert workshop.time_zone is None  # Australia has several zones and no hours were given
    assert attendance.attendance_opens(workshop) == FIRST_DAY - timedelta(days=1)
