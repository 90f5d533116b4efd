"""A participant's data export lists their workshops; deleting the account erases what names them
(certificates, comments, typed answers) and keeps anonymous scores and ratings."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import build_workshop


def _participate(trainer, kit, user):
    from courses.services import workshops as ws
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_certs as wcerts
    from courses.services import workshops_tests as tests

    workshop = build_workshop(trainer, kit, start=date.today() - timedelta(days=3))
    participant = ws.register_participant(workshop, user)
    attendance.mark_attended(trainer, participant, "manual")
    cert, _ = wcerts.issue(trainer, participant, notify=False)
    view = tests.kit_view(workshop, "en")
    tests.enter_paper(trainer, participant, "pre", {q["uuid"]: True for q in view.s["questions"]}, "en")
    wcerts.give_feedback(participant, rating=4, comment="Ask Léa at the ministry, room 12")
    db.session.commit()
    return workshop, participant, cert


def test_export_lists_the_workshops(app, trainer, kit, learner):
    from lms.account.services import export_user_data

    workshop, participant, cert = _participate(trainer, kit, learner)
    (entry,) = export_user_data(learner)["workshops"]
    assert entry["workshop"] == workshop.title and entry["registration"] == participant.uuid
    assert entry["attended"] and entry["certificate"]["code"] == cert.code
    assert entry["tests"][0]["phase"] == "pre" and entry["tests"][0]["score_scaled"] == 1.0
    assert entry["feedback"] == {"rating": 4, "comment": "Ask Léa at the ministry, room 12"}


def test_deletion_erases_names_and_free_text(app, trainer, kit, learner, make_user):
    from lms.account.services import execute_deletion, request_deletion

    from courses.models_kits import AttendanceCertificate, Participant, WorkshopFeedback, WorkshopTestResult

    _participate(trainer, kit, learner)
    admin = make_user(role="admin")
    req = request_deletion(learner, "please")
    execute_deletion(req, admin)
    db.session.commit()
    assert db.session.scalar(select(func.count(AttendanceCertificate.id))) == 0
    feedback = db.session.scalar(select(WorkshopFeedback))
    assert feedback.rating == 4 and feedback.comment == ""
    assert db.session.scalar(select(WorkshopTestResult)).score_scaled == 1.0
    assert db.session.scalar(select(func.count(Participant.id))) == 1
