"""Tracking: registration and reminders with .ics, attendance import ("attended"), watch positions
and completion, launch credentials, and the signals other plugins use."""

import base64
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from lms import signals
from lms.db import db
from lms.models import OutboxMessage
from lms.registry import get_resource
from lms.xapi.models import Statement
from webinars import registrations, tracking
from webinars.errors import WebinarError
from webinars.models import Attendance, ReminderSent


def test_registration_records_statement_and_reminders_are_sent_once(make_session, make_user, future_start):
    s = make_session(
        title="Gender action plan", start=future_start, second_start_dt=future_start + timedelta(hours=12)
    )
    user = make_user()
    reg = registrations.register(user, s, run=2)
    db.session.commit()
    stmt = db.session.scalar(select(Statement).where(Statement.user_id == user.id))
    assert stmt.verb_id == "http://adlnet.gov/expapi/verbs/registered" and stmt.registration == reg.uuid
    second = future_start + timedelta(hours=12)
    assert registrations.send_due_reminders(now=second - timedelta(days=2)) == 0  # not yet due
    assert registrations.send_due_reminders(now=second - timedelta(hours=23)) == 1  # the 24 h reminder
    assert registrations.send_due_reminders(now=second - timedelta(hours=22)) == 0  # never twice
    assert registrations.send_due_reminders(now=second - timedelta(minutes=30)) == 1  # the 1 h reminder
    db.session.commit()
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == user.email).order_by(OutboxMessage.id)
    ).all()
    assert [m.subject.split(":")[0] for m in mails] == ["You are registered", "Reminder", "Reminder"]
    ics = base64.b64decode(mails[1].attachments[0]["data_b64"])
    event = next(iter(Calendar.from_ical(ics).walk("VEVENT")))
    assert event.decoded("dtstart") == second and str(event["summary"]) == "Gender action plan"
    assert db.session.scalar(select(func.count(ReminderSent.id))) == 2


def test_late_registration_gets_a_single_reminder(make_session, make_user, future_start):
    s = make_session(start=future_start)
    registrations.register(make_user(), s)
    assert registrations.send_due_reminders(now=future_start - timedelta(minutes=20)) == 1
    assert registrations.send_due_reminders(now=future_start - timedelta(minutes=10)) == 0


def test_no_reminder_for_a_user_who_turned_reminders_off(make_session, make_user, future_start):
    s = make_session(start=future_start)
    quiet, other = make_user(), make_user()
    quiet.is_reminders_off = True  # the profile setting
    registrations.register(quiet, s)
    registrations.register(other, s)
    assert registrations.send_due_reminders(now=future_start - timedelta(minutes=20)) == 1
    db.session.commit()
    reminded = db.session.scalars(
        select(OutboxMessage.recipient).where(OutboxMessage.subject.startswith("Reminder"))
    ).all()
    assert reminded == [other.email]
    assert registrations.send_due_reminders(now=future_start - timedelta(minutes=10)) == 0


def test_registration_refusals(full_session, make_user, make_session, future_start):
    with pytest.raises(WebinarError, match="already started"):
        registrations.register(make_user(), full_session)
    draft = make_session(publish=False, start=future_start)
    with pytest.raises(WebinarError, match="not open"):
        registrations.register(make_user(), draft)
    upcoming = make_session(start=future_start)
    with pytest.raises(WebinarError, match="no such run"):
        registrations.register(make_user(), upcoming, run=2)


ATTENDANCE = "Email,Duration (minutes)\n{a},80\n{b},5\nnobody@example.org,30\n{a},7\n"


def test_attendance_import_records_attended_once(full_session, make_user):
    a, b = make_user(), make_user()
    result = tracking.import_attendance_csv(
        None, full_session, ATTENDANCE.format(a=a.email.upper(), b=b.email).encode()
    )
    db.session.commit()
    assert result == {"recorded": 2, "unknown": 1, "already": 0}
    row = db.session.scalar(select(Attendance).filter_by(user_id=a.id))
    assert row.minutes == 87
    stmts = db.session.scalars(
        select(Statement).where(Statement.verb_id == "http://adlnet.gov/expapi/verbs/attended")
    ).all()
    assert sorted(s.user_id for s in stmts) == sorted([a.id, b.id])
    assert stmts[0].object_activity_id.endswith(f"/webinar/{full_session.uuid}")
    again = tracking.import_attendance_csv(
        None, full_session, ATTENDANCE.format(a=a.email, b=b.email).encode()
    )
    assert again == {"recorded": 0, "unknown": 1, "already": 2}


@pytest.mark.parametrize(
    ("csv_text", "reason"),
    [
        ("Email,Minutes\nnot-an-email,10\n", "row 2: “not-an-email” is not an e-mail address"),
        ("Email,Minutes\na@example.org,ten\n", "row 2: “ten” is not a duration in minutes"),
        ("Email,Minutes\na@example.org,9999\n", "row 2: 9999 minutes is longer than the session"),
    ],
)
def test_bad_attendance_file_is_refused_whole(full_session, make_user, csv_text, reason):
    user = make_user()
    data = f"Email,Minutes\n{user.email},10\n" + csv_text.split("\n", 1)[1]
    with pytest.raises(WebinarError) as exc:
        tracking.import_attendance_csv(None, full_session, data.encode())
    assert reason.replace("row 2", "row 3") in exc.value.details
    db.session.rollback()
    assert db.session.scalar(select(func.count(Attendance.id))) == 0
    assert db.session.scalar(select(func.count(Statement.id))) == 0


def test_watch_progress_and_completion_threshold(app, full_session, make_user):
    app.config["WEBINARS_COMPLETION_FRACTION"] = 0.8
    user = make_user()
    state = tracking.update_watch(user, full_session, {"position": 30, "length": 100, "segments": [[0, 30]]})
    assert state.progress == pytest.approx(0.3) and not state.is_completed
    state = tracking.update_watch(
        user, full_session, {"position": 75, "length": 100, "segments": [[20, 50], [50, 75]]}
    )
    assert state.segments == [[0, 75]] and not state.is_completed
    state = tracking.update_watch(user, full_session, {"position": 100, "segments": [[90, 100]]})
    assert state.progress == pytest.approx(0.85) and state.is_completed


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"position": "x"},
        {"position": -1},
        {"position": float("inf")},
        {"position": 5, "segments": "0-5"},
        {"position": 5, "segments": [[5, 1]]},
        {"position": 500, "length": 100},
        {"position": 1, "segments": [[0]]},
    ],
)
def test_bad_watch_data_is_refused(full_session, make_user, body):
    with pytest.raises(WebinarError):
        tracking.update_watch(make_user(), full_session, body)


def test_launch_credentials_authenticate_against_the_lrs(full_session, make_user, client):
    user = make_user()
    launch = tracking.launch_credentials(user, full_session)
    db.session.commit()
    assert launch["actor"]["account"]["name"] == user.uuid
    statement = {
        "actor": launch["actor"],
        "verb": {"id": "https://w3id.org/xapi/video/verbs/played"},
        "object": {"id": launch["activity"], "objectType": "Activity"},
        "result": {"extensions": {"https://w3id.org/xapi/video/extensions/time": 1.5}},
    }
    resp = client.post(
        "/xapi/statements",
        json=[statement],
        headers={"Authorization": launch["auth"], "X-Experience-API-Version": "1.0.3"},
    )
    assert resp.status_code == 200, resp.data
    row = db.session.scalar(select(Statement).where(Statement.verb_id.endswith("/played")))
    assert row.user_id == user.id and row.object_activity_id == launch["activity"]
    other = make_user()
    statement["actor"] = {
        "objectType": "Agent",
        "account": {"homePage": "http://lms.test", "name": other.uuid},
    }
    resp = client.post(
        "/xapi/statements",
        json=[statement],
        headers={"Authorization": launch["auth"], "X-Experience-API-Version": "1.0.3"},
    )
    assert resp.status_code == 403


def test_progress_and_enrolment_signals(app, full_session, make_user, make_session, future_start):
    user = make_user()
    session_res = get_resource("webinar", full_session.uuid)
    chapter_res = get_resource("webinar_chapter", full_session.chapters[0].uuid)
    answers = signals.progress_requested.send(user, resources=[session_res, chapter_res])
    assert {k: v for _f, r in answers for k, v in (r or {}).items()} == {}
    assert any(
        r is True for _f, r in signals.enrolment_requested.send(session_res, user=user, source="readiness")
    )
    tracking.update_watch(user, full_session, {"position": 65, "length": 5400, "segments": [[0, 65]]})
    answers = signals.progress_requested.send(user, resources=[session_res, chapter_res])
    merged = {k: v for _f, r in answers for k, v in (r or {}).items()}
    assert merged == {session_res.id: "enrolled", chapter_res.id: "completed"}
    upcoming = make_session(title="Synergies with the biodiversity framework", start=future_start)
    signals.enrolment_requested.send(get_resource("webinar", upcoming.uuid), user=user, source="readiness")
    assert registrations.registration_for(user, upcoming) is not None


def test_user_deletion_forgets_personal_data(full_session, make_user):
    from webinars import qa

    user = make_user()
    item = qa.ask_question(user, full_session, "A question from someone leaving?", "en")
    tracking.update_watch(user, full_session, {"position": 5})
    exported = dict(r for _f, r in signals.user_data_export.send(user) if r)["webinars"]
    assert exported["questions"][0]["question"] == "A question from someone leaving?"
    signals.user_deleted.send(user, pseudonym="x")
    assert item.user_id is None and tracking.watch_state(user, full_session) is None


def test_a_position_saved_at_the_same_moment_elsewhere_is_updated_not_a_500(app, full_session, make_user):
    """Two first saves at once (the player's "pause" and "ended", or two tabs): the one that loses the race
    finds the row the other committed and updates it, instead of failing on the unique constraint."""
    from sqlalchemy import event

    from webinars.models import WatchState

    user = make_user()
    db.session.commit()
    session_id, user_id = full_session.id, user.id

    done = []

    def other_request_commits_first(session, flush_context, instances):
        if done:
            return
        done.append(True)
        with db.engine.begin() as conn:
            conn.execute(
                WatchState.__table__.insert().values(
                    session_id=session_id, user_id=user_id, position_s=10, segments=[[0, 10]], progress=0
                )
            )

    event.listen(db.session(), "before_flush", other_request_commits_first)
    state = tracking.update_watch(user, full_session, {"position": 30, "length": 100, "segments": [[20, 30]]})
    db.session.commit()
    event.remove(db.session(), "before_flush", other_request_commits_first)
    assert db.session.scalar(select(func.count(WatchState.id))) == 1
    assert state.position_s == 30 and state.segments == [[0, 10], [20, 30]]


def test_attendance_of_a_session_that_has_not_started_is_refused(make_session, make_user, future_start):
    """An attendance file imported before the session (the wrong session chosen, or a test file) would
    give people an "attended" record for an event still to come."""
    upcoming = make_session(title="Upcoming session", start=future_start)
    user = make_user()
    with pytest.raises(WebinarError) as exc:
        tracking.import_attendance_csv(None, upcoming, f"Email,Minutes\n{user.email},45\n".encode())
    assert "has not started yet" in str(exc.value)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Attendance.id))) == 0
    assert db.session.scalar(select(func.count(Statement.id))) == 0
