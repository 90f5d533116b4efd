"""Defects from the user review, authoring side: resubmitted forms create nothing twice, publishing an
unchanged course is a no-op, the question editor puts each error on its own field, the manage page has
unique ids and no pointless move buttons, the quiz preview shows the quiz as learners see it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.models import AuditEntry


@pytest.fixture
def signed_trainer(client, trainer, login):
    login(trainer)
    return trainer


def _token(html: str) -> str:
    return re.search(r'name="once" type="hidden" value="([^"]+)"', html).group(1)


def test_a_resubmitted_new_unit_form_adds_one_unit(client, signed_trainer, course):
    from courses.models import Unit

    token = _token(client.get("/courses/manage/basics/units/new").get_data(as_text=True))
    data = {"title": "Trade", "once": token}
    first = client.post("/courses/manage/basics/units/new", data=data)
    second = client.post("/courses/manage/basics/units/new", data=data, follow_redirects=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "already sent" in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Unit.id)).filter_by(course_id=course.id)) == 2
    # A fresh form (new token) adds a unit again.
    token = _token(client.get("/courses/manage/basics/units/new").get_data(as_text=True))
    client.post("/courses/manage/basics/units/new", data={"title": "Waste", "once": token})
    assert db.session.scalar(select(func.count(Unit.id)).filter_by(course_id=course.id)) == 3


def test_a_refused_form_keeps_its_token_usable(client, signed_trainer, course):
    from courses.models import Question

    quiz = course.units[0].items[2]
    url = f"/courses/manage/basics/quizzes/{quiz.uuid}/questions/new?kind=single"
    token = _token(client.get(url).get_data(as_text=True))
    data = {"kind": "single", "prompt": "P", "points": "1", "options-0-text": "A", "options-1-text": "B"}
    resp = client.post(url, data={**data, "once": token})
    assert resp.status_code == 200 and "exactly one correct option" in resp.get_data(as_text=True)
    before = db.session.scalar(select(func.count(Question.id)))
    fixed = {**data, "once": _token(resp.get_data(as_text=True)), "options-0-correct": "y"}
    assert client.post(url, data=fixed).status_code == 302
    assert client.post(url, data=fixed).status_code == 302  # the resend is ignored
    assert db.session.scalar(select(func.count(Question.id))) == before + 1


def test_publishing_twice_is_a_no_op_with_a_message(client, signed_trainer, course):
    from courses.models import CourseVersion

    def published_entries():
        return db.session.scalar(
            select(func.count(AuditEntry.id)).filter_by(action="courses.course_published")
        )

    before = published_entries()
    resp = client.post("/courses/manage/basics/publish", data={}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "Nothing changed since version 1" in html and "Version 1 is published" not in html
    assert published_entries() == before
    assert db.session.scalar(select(func.count(CourseVersion.id))) == 1
    # After an unpublish, publishing the same draft re-opens the course (not a no-op).
    client.post("/courses/manage/basics/unpublish")
    resp = client.post("/courses/manage/basics/publish", data={}, follow_redirects=True)
    assert "Version 1 is published" in resp.get_data(as_text=True)
    assert published_entries() == before + 1
