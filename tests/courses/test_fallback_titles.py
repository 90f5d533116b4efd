"""In an Arabic page, the English titles of a module that has no Arabic text keep their own language and
direction (or "Why mercury?" reads "?Why mercury"), and the step arrows point the way Arabic reads."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from courses.models import QuizAttempt
from lms.db import db


def _arabic(client, learner, login):
    learner.locale = "ar"
    db.session.commit()
    login(learner)
    g.pop("_flask_babel", None)
    from flask_babel import refresh

    refresh()


def test_fallback_titles_carry_their_language_in_an_arabic_page(client, course, learner, login):
    _arabic(client, learner, login)
    client.post("/courses/basics/enrol")
    html = client.get("/courses/basics").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert '<span lang="en" dir="ltr">History</span></a>' in html
    assert '<span lang="en" dir="ltr">Getting started</span>' in html
    lesson = client.get("/courses/basics/learn/reporting").get_data(as_text=True)
    # The breadcrumb (the module's title) and the neighbours' titles, with arrows pointing the Arabic way.
    assert '<span lang="en" dir="ltr">The Convention in brief</span></a></nav>' in lesson
    assert 'rel="prev">→ ' in lesson and '<span lang="en" dir="ltr">History</span></a>' in lesson
    assert '<span lang="en" dir="ltr">Check your knowledge</span> ←</a>' in lesson


def test_the_audience_of_a_fallback_module_carries_its_language(client, course, learner, login):
    _arabic(client, learner, login)
    html = client.get("/courses/basics").get_data(as_text=True)
    assert '<dd lang="en" dir="ltr">National focal points</dd>' in html


def test_my_learning_gives_a_fallback_module_title_its_language(client, course, learner, login):
    _arabic(client, learner, login)
    client.post("/courses/basics/enrol")
    html = client.get("/courses/my").get_data(as_text=True)
    assert '"><span lang="en" dir="ltr">The Convention in brief</span></a>' in html


def test_titles_in_the_page_language_are_not_wrapped(client, course, learner, login):
    login(learner)
    client.post("/courses/basics/enrol")
    html = client.get("/courses/basics").get_data(as_text=True)
    assert ">History</a>" in html and 'lang="en" dir="ltr">History' not in html
    lesson = client.get("/courses/basics/learn/reporting").get_data(as_text=True)
    assert 'rel="prev">← ' in lesson and "Check your knowledge →</a>" in lesson


def test_a_result_in_arabic_keeps_the_direction_of_english_questions(client, course, learner, login):
    # "When did the Convention enter into force?" read "?When did…" and the feedback's full stop jumped
    # to its start; "True"/"False" stay in the page's language and direction.
    _arabic(client, learner, login)
    client.post("/courses/basics/enrol")
    url = client.post("/courses/basics/learn/check/attempts").headers["Location"]
    attempt = db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
    choice = next(d for d in attempt.drawn if d["tokens"])
    wrong = {v: k for k, v in choice["tokens"].items()}["a"]
    sheet = {"attempt": attempt.uuid, f"q_{choice['uuid']}": wrong, "unanswered": "submit"}
    assert client.post(url, data=sheet).status_code == 303
    html = client.get(f"{url}/result").get_data(as_text=True)
    assert '<div lang="en" dir="ltr"><p>When did the Convention enter into force?</p>' in html
    assert '<span lang="en" dir="ltr">2013</span>' in html
    feedback = '<div class="feedback" lang="en" dir="ltr"><p>That is the year of <strong>adoption</strong>.'
    assert feedback in html


def test_a_written_answer_says_the_language_it_is_accepted_in(client, course, learner, login):
    """A fill-in question shown in English on an Arabic page takes English words: the field says so and
    is marked English (the keyboard and the direction follow); in the question's own language it
    says nothing more."""
    from flask_babel import force_locale

    from lms.i18n import language_name

    _arabic(client, learner, login)
    client.post("/courses/basics/enrol")
    url = client.post("/courses/basics/learn/check/attempts").headers["Location"]
    attempt = db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
    html = client.get(url).get_data(as_text=True)
    fillin = next(d for d in attempt.drawn if not d["tokens"] and f'q_{d["uuid"]}-t"' not in html)
    with force_locale("ar"):
        english = language_name("en")
    field = html.split(f'<label for="q_{fillin["uuid"]}">', 1)[1].split("</div>", 1)[0]
    assert english in field.split("</label>", 1)[0]
    assert 'lang="en" dir="ltr"' in field.split("<input", 1)[1]
    learner.locale = "en"
    db.session.commit()
    client.get("/language/en")
    html = client.get(url).get_data(as_text=True)
    assert f'<label for="q_{fillin["uuid"]}">Your answer</label>' in html
