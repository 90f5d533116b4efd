"""Follow-up questions about a cancelled session: a session cancelled before any of its runs took place
takes no new question (no form, and a crafted request is refused with the reason, nothing kept); one
whose first run was held keeps its Q&A; questions asked before the cancellation stay as they were."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.db import db, utcnow
from webinars import qa, services
from webinars.errors import WebinarError
from webinars.models import QAItem

CLOSED = "This session was cancelled: questions about it are closed."
QUESTION = "Will the session be given again next season?"


@pytest.fixture
def cancelled(make_session, future_start):
    """A published session given twice, cancelled before either run."""
    s = make_session(
        title="Gender action plan", start=future_start, second_start_dt=future_start + timedelta(hours=12)
    )
    services.cancel_session(None, s, "The speaker is unwell.")
    db.session.commit()
    return s


@pytest.fixture
def partly_held(make_session):
    """A session whose first run was held and whose second run was cancelled."""
    s = make_session(start=utcnow() - timedelta(hours=3), second_start_dt=utcnow() + timedelta(days=1))
    services.cancel_session(None, s)
    db.session.commit()
    return s


def _count() -> int:
    return db.session.scalar(select(func.count(QAItem.id)))


def test_the_service_refuses_a_question_about_a_wholly_cancelled_session(cancelled, make_user):
    assert cancelled.is_cancelled and not cancelled.is_partly_held
    with pytest.raises(WebinarError, match="questions about it are closed"):
        qa.ask_question(make_user(), cancelled, QUESTION, "en")
    assert _count() == 0


def test_a_session_whose_first_run_was_held_keeps_its_questions(partly_held, make_user):
    assert partly_held.is_partly_held
    assert qa.ask_question(make_user(), partly_held, QUESTION, "en").status == "pending"


def test_the_page_of_a_wholly_cancelled_session_has_no_question_form(client, cancelled, make_user, login):
    login(make_user())
    page = client.get(f"/webinars/s/{cancelled.slug}").get_data(as_text=True)
    assert CLOSED in page and "This session was cancelled: there is no recording." in page
    assert f"/webinars/s/{cancelled.slug}/questions" not in page and "Send my question" not in page


def test_a_crafted_question_about_a_wholly_cancelled_session_is_refused(client, cancelled, make_user, login):
    login(make_user())
    resp = client.post(f"/webinars/s/{cancelled.slug}/questions", data={"question": QUESTION})
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "Your question was not sent" in page and CLOSED in page
    db.session.expire_all()
    assert _count() == 0


def test_the_page_of_a_partly_held_session_keeps_its_question_form(client, partly_held, make_user, login):
    login(make_user())
    page = client.get(f"/webinars/s/{partly_held.slug}").get_data(as_text=True)
    assert CLOSED not in page and "Send my question" in page
    resp = client.post(f"/webinars/s/{partly_held.slug}/questions", data={"question": QUESTION})
    assert resp.status_code == 303
    db.session.expire_all()
    assert _count() == 1


def test_questions_asked_before_the_cancellation_stay_as_they_were(
    client, make_session, make_user, future_start, login
):
    s = make_session(start=future_start)
    moderator = make_user(role="trainer")
    published = qa.ask_question(make_user(), s, "Which products does Article 4 cover?", "en")
    qa.moderate(moderator, published, action="answer", answer="Batteries, lamps and cosmetics.")
    pending = qa.ask_question(make_user(), s, QUESTION, "en")
    db.session.commit()
    services.cancel_session(None, s)
    db.session.commit()
    db.session.expire_all()
    assert (published.status, pending.status) == ("published", "pending")
    assert pending in qa.moderation_queue()
    page = client.get(f"/webinars/s/{s.slug}").get_data(as_text=True)
    assert "Which products does Article 4 cover?" in page and "Batteries, lamps and cosmetics." in page
