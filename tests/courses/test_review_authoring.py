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


def test_question_errors_are_shown_against_their_own_field(client, signed_trainer, course):
    quiz = course.units[0].items[2]
    base = f"/courses/manage/basics/quizzes/{quiz.uuid}/questions/new"
    html = client.post(
        f"{base}?kind=single",
        data={"kind": "single", "prompt": "P", "points": "many", "options-0-text": "A"},
    ).get_data(as_text=True)
    assert '<p class="error" id="points-error">Points must be a number' in html
    assert 'id="prompt-error"' not in html
    html = client.post(
        f"{base}?kind=single",
        data={"kind": "single", "prompt": "P", "points": "1", "options-0-text": "A", "options-1-text": "B"},
    ).get_data(as_text=True)
    assert '<p class="error" id="options-error">A single-choice question needs exactly one' in html
    assert 'aria-describedby="options-error"' in html and 'href="#options"' in html
    html = client.post(f"{base}?kind=fillin", data={"kind": "fillin", "prompt": "P", "points": "1"}).get_data(
        as_text=True
    )
    assert '<p class="error" id="accepted-error">Give at least one accepted answer' in html


def test_true_false_has_no_silent_default(client, signed_trainer, course):
    from courses.models import Question

    quiz = course.units[0].items[2]
    url = f"/courses/manage/basics/quizzes/{quiz.uuid}/questions/new?kind=truefalse"
    html = client.get(url).get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="truefalse".*?</select>', html, re.S).group(0)
    assert "required" in select_html and '<option selected value="">' in select_html
    before = db.session.scalar(select(func.count(Question.id)))
    html = client.post(url, data={"kind": "truefalse", "prompt": "P", "points": "1"}).get_data(as_text=True)
    assert 'id="truefalse-error"' in html and "true or false" in html
    assert db.session.scalar(select(func.count(Question.id))) == before


def test_quiz_preview_shows_the_quiz_with_the_answers_marked(client, signed_trainer, course):
    html = client.get("/courses/manage/basics/preview/check").get_data(as_text=True)
    # Options and fields as learners see them, read-only, the correct ones marked.
    assert '<fieldset class="question" disabled' in html
    assert "2013" in html and "2020" in html
    marked = r'<input type="radio"[^>]*checked>\s*<label[^>]*>2017 <strong[^>]*>correct answer'
    assert re.search(marked, html) is not None
    assert not re.search(r"<label[^>]*>2013 <strong", html)
    assert "mercury · Hg" in html  # the accepted answers of the fill-in question
    assert "year of <strong>adoption</strong>" in html  # feedback in Markdown, as learners see it


def test_manage_page_ids_are_unique_and_moves_are_only_offered_where_possible(client, signed_trainer, course):
    from courses.services import authoring

    authoring.add_unit(signed_trainer, course, title="Second unit")
    db.session.commit()
    html = client.get("/courses/manage/basics").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    # Two units, three steps in the first: the first unit and the first step cannot go up, the last
    # unit cannot go down; the last step of the first unit can (into the second unit).
    assert html.count("Move up:") == 1 + 2 and html.count("Move down:") == 1 + 3
    assert not re.search(r"Move up: Getting started", html)
    assert not re.search(r"Move down: Second unit", html)
    assert not re.search(r"Move up: History<", html)
    assert re.search(r"Move down: Check your knowledge<", html)
