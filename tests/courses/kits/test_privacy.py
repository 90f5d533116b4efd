"""A participant's data export lists their workshops; deleting the account erases what names them
(certificates, comments, typed answers) and keeps anonymous scores and ratings."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import build_workshop


def _participate(trainer, kit, user):
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_certs as wcerts
    from courses.services import workshops_registration as registration
    from courses.services import workshops_tests as tests

    workshop = build_workshop(trainer, kit, start=date.today() - timedelta(days=3))
    participant = registration.register_participant(workshop, user)
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
    from courses.models_kits import AttendanceCertificate, Participant, WorkshopFeedback, WorkshopTestResult
    from lms.account.services import execute_deletion, request_deletion

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


def test_enrolment_and_progress_signals_for_workshops_and_kits(app, trainer, kit, learner, make_user):
    from courses.services import workshops_attendance as attendance
    from courses.services.workshops import participant_of
    from lms.registry import get_resource
    from lms.signals import enrolment_requested, progress_requested

    workshop = build_workshop(trainer, kit, start=date.today())
    res_w, res_k = get_resource("workshop", workshop.uuid), get_resource("kit", kit.uuid)

    def enrol(resource, user):
        answers = enrolment_requested.send(resource, user=user, source="readiness")
        return [r for _f, r in answers if r is not None]

    assert enrol(res_w, learner) == [True]
    participant = participant_of(workshop, learner)
    assert participant is not None
    assert enrol(res_k, learner) == []

    def progress(user):
        merged = {}
        for _f, result in progress_requested.send(user, resources=[res_w, res_k]):
            merged.update(result or {})
        return merged

    assert progress(learner) == {res_w.id: "enrolled", res_k.id: "enrolled"}
    attendance.mark_attended(trainer, participant, "manual")
    assert progress(learner) == {res_w.id: "completed", res_k.id: "completed"}
    assert progress(make_user()) == {}
    full = build_workshop(trainer, kit, capacity=1, title="Full")
    assert enrol(get_resource("workshop", full.uuid), make_user()) == [True]
    assert enrol(get_resource("workshop", full.uuid), make_user()) == [False]
