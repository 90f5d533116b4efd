"""Reminders: section editors of a quiet draft with unanswered questions, and the coordinator of an
assessment that sits in review; once per period, in the recipient's language, never to the wrong people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import OutboxMessage
from readiness import reminders, services
from readiness.tasks import JOBS
from tests.readiness.conftest import answer_all, full_answers


def mails():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def run(days: float) -> int:
    count = reminders.send_reminders(now=utcnow() + timedelta(days=days))
    db.session.commit()
    return count


def test_the_job_is_registered_daily(app):
    from lms.scheduler import all_jobs

    job = next(j for j in all_jobs(app) if j.id == "readiness.reminders")
    assert job is JOBS[0] and job.trigger == "interval" and job.trigger_args == {"hours": 24}


def test_a_quiet_draft_reminds_each_editor_once_per_period(assessment, editor, reviewer, coordinator):
    before = len(mails())  # the invitations
    assert run(13) == 0
    assert run(15) == 1
    sent = mails()[before:]
    assert [m.recipient for m in sent] == [editor.email]
    assert (
        "National reporting under Article 21" in sent[0].body
        and "Mercury data and inventories" in sent[0].body
    )
    assert "Governance and coordination" not in sent[0].body  # not one of the editor's sections
    assert f"/readiness/a/{assessment.uuid}" in sent[0].body
    assert run(15) == 0  # the same day again: nothing
    assert run(25) == 0  # within the period after the reminder
    assert run(30) == 1  # still quiet a whole period later: once more
    assert {m.recipient for m in mails()[before:]} == {editor.email}


def test_saving_an_answer_starts_a_new_period(assessment, editor, questionnaire):
    before = len(mails())
    answer_all(assessment, editor, {"2.1": 2})
    assert run(15) == 1
    row = services.answers_of(assessment)["2.1"]
    row.updated_dt = utcnow() + timedelta(days=20)  # the editor came back after the reminder
    db.session.commit()
    assert run(30) == 0  # only 10 quiet days since
    assert run(35) == 1
    assert len(mails()) == before + 2


def test_editors_with_everything_answered_are_not_reminded(assessment, editor, questionnaire):
    answers = full_answers(questionnaire, 3)
    answer_all(
        assessment,
        editor,
        {i: v for i, v in answers.items() if questionnaire.item(i).dimension_id in ("reporting", "data")},
    )
    before = len(mails())
    assert run(15) == 0 and len(mails()) == before


def test_the_reminder_is_in_the_recipients_language(assessment, editor):
    editor.locale = "ar"
    db.session.commit()
    before = len(mails())
    assert run(15) == 1
    body = mails()[before].body
    assert "التقارير الوطنية بموجب المادة 21" in body and "National reporting" not in body


@pytest.mark.parametrize("how", ["deactivated", "opted out", "left the country"])
def test_nobody_is_reminded_who_should_not_be(assessment, editor, how):
    if how == "deactivated":
        editor.is_active_account = False
    elif how == "opted out":
        editor.is_reminders_off = True  # the profile's "no reminder e-mails" setting
    else:
        editor.country_code = "DE"
    db.session.commit()
    before = len(mails())
    assert run(15) == 0 and len(mails()) == before


def test_the_setting_changes_the_period(app, assessment, editor):
    app.config["READINESS_REMINDER_DAYS"] = 3
    try:
        assert run(2) == 0
        assert run(4) == 1
    finally:
        app.config.pop("READINESS_REMINDER_DAYS")


def test_an_assessment_in_review_reminds_the_coordinator_once(assessment, coordinator, editor):
    services.send_to_review(assessment, coordinator)
    db.session.commit()
    before = len(mails())
    assert run(13) == 0
    assert run(14.5) == 1
    sent = mails()[before:]
    assert [m.recipient for m in sent] == [coordinator.email]
    assert "review" in sent[0].subject and f"/readiness/a/{assessment.uuid}/review" in sent[0].body
    assert run(15) == 0
    services.back_to_draft(assessment, coordinator)  # no longer in review: no review reminder
    db.session.commit()
    assert all(m.recipient != coordinator.email for m in mails()[before + 1 :])


def test_submitted_assessments_are_not_reminded(assessment, coordinator, questionnaire):
    from tests.readiness.conftest import submit

    submit(assessment, coordinator, full_answers(questionnaire, 2))
    before = len(mails())
    assert run(40) == 0 and len(mails()) == before
