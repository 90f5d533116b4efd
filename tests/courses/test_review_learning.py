"""Defects from the user review, learner side: a stale translation says so and links the source text;
a word in a numeric answer or two steps in one place are refused without using the attempt."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import func, select

from lms.db import db
from tests.courses.conftest import CORRECTABLE_QUESTIONS, build_course


def refresh():
    """The test's app context caches the locale between requests: forget it."""
    g.pop("_flask_babel", None)
    from flask_babel import refresh as babel_refresh

    babel_refresh()


def test_a_stale_translation_tells_the_learner_and_links_the_source(client, course, trainer, learner, login):
    from courses.services import authoring, publishing, translation

    history = next(i for u in course.units for i in u.items if i.slug == "history")
    translation.save_translation(
        trainer, course, history.uuid, "es", {"title": "Historia", "body": "Adoptado en 2013."}
    )
    publishing.publish(trainer, course)
    db.session.commit()
    learner.locale = "es"
    db.session.commit()
    login(learner)
    refresh()
    client.post("/courses/basics/enrol")
    html = client.get("/courses/basics/learn/history").get_data(as_text=True)
    assert "Adoptado en 2013." in html and "/learn/history?read=source" not in html
    authoring.update_lesson(
        trainer,
        history,
        slug="history",
        title="History",
        body="Adopted in 2013, in force since 16 August 2017.",
        required=True,
        minutes=10,
    )
    publishing.publish(trainer, course)
    db.session.commit()
    refresh()
    html = client.get("/courses/basics/learn/history").get_data(as_text=True)
    assert "Adoptado en 2013." in html  # still the Spanish text, but now with a notice and a link
    assert "/courses/basics/learn/history?read=source" in html
    # The notice is outside the Spanish-marked article, in the page's language.
    notice_at = html.index("?read=source")
    assert notice_at < html.index("<article")
    html = client.get("/courses/basics/learn/history?read=source").get_data(as_text=True)
    assert "in force since 16 August 2017" in html and "Adoptado" not in html
    assert 'lang="en" dir="ltr"' in html
    # Translating again (from the new source) removes the notice at the next version.
    translation.save_translation(
        trainer, course, history.uuid, "es", {"title": "Historia", "body": "En vigor desde 2017."}
    )
    publishing.publish(trainer, course)
    db.session.commit()
    refresh()
    html = client.get("/courses/basics/learn/history").get_data(as_text=True)
    assert "En vigor desde 2017." in html and "?read=source" not in html


@pytest.fixture
def numeric_course(trainer):
    from courses.services import authoring_quiz, publishing

    course = build_course(trainer, slug="basics", publish=False, questions=False, shuffle=False)
    quiz = course.units[0].items[2]
    for kind, data in CORRECTABLE_QUESTIONS:
        authoring_quiz.add_question(trainer, quiz, kind=kind, data=data)
    publishing.publish(trainer, course)
    db.session.commit()
    return course


def test_a_word_for_a_number_and_two_steps_in_one_place_are_refused(client, numeric_course, learner, login):
    from courses.models import QuizAttempt

    login(learner)
    client.post("/courses/basics/enrol")
    url = client.post("/courses/basics/learn/check/attempts").headers["Location"]
    attempt = db.session.scalar(select(QuizAttempt))
    numeric, ordering = attempt.drawn
    tokens = list(ordering["tokens"])
    data = {
        "attempt": attempt.uuid,
        f"q_{numeric['uuid']}": "quatre",
        f"q_{ordering['uuid']}_{tokens[0]}": "1",
        f"q_{ordering['uuid']}_{tokens[1]}": "1",
        f"q_{ordering['uuid']}_{tokens[2]}": "2",
    }
    resp = client.post(url, data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Enter a number" in html and "Two steps have the same place" in html
    assert 'value="quatre"' in html  # the learner's answers are kept
    db.session.refresh(attempt)
    assert attempt.submitted_dt is None and attempt.score_scaled is None
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1
    from tests.courses.conftest import statements

    assert statements("answered") == []
    # Corrected, the same attempt is graded.
    by_id = {v: k for k, v in ordering["tokens"].items()}
    order = numeric_course.units[0].items[2].questions[1].spec["items"]
    data = {"attempt": attempt.uuid, f"q_{numeric['uuid']}": "4,0"}
    data |= {f"q_{ordering['uuid']}_{by_id[sid]}": str(n) for n, sid in enumerate(order, start=1)}
    assert client.post(url, data=data).status_code == 303
    db.session.refresh(attempt)
    assert attempt.number == 1 and attempt.score_scaled == 1.0


def test_the_result_gives_the_steps_of_an_ordering_question_as_a_sequence(
    client, numeric_course, learner, login
):
    """ "Notify → Consent → Export", not "Notify, Consent and Export" (which reads as a set)."""
    from courses.models import QuizAttempt

    login(learner)
    client.post("/courses/basics/enrol")
    url = client.post("/courses/basics/learn/check/attempts").headers["Location"]
    attempt = db.session.scalar(select(QuizAttempt))
    numeric, ordering = attempt.drawn
    by_id = {v: k for k, v in ordering["tokens"].items()}
    order = numeric_course.units[0].items[2].questions[1].spec["items"]
    data = {"attempt": attempt.uuid, f"q_{numeric['uuid']}": "4"}
    data |= {f"q_{ordering['uuid']}_{by_id[sid]}": str(n) for n, sid in enumerate(order, start=1)}
    assert client.post(url, data=data).status_code == 303
    html = client.get(f"{url}/result").get_data(as_text=True)
    assert "Notify → Consent → Export" in html and "Consent and Export" not in html


def test_completion_links_the_certificate_and_offers_a_review(client, course, learner, login):
    from courses.models import Certificate, QuizAttempt
    from tests.courses.test_learning import right_answers

    login(learner)
    client.post("/courses/basics/enrol")
    for step in ("history", "reporting"):
        client.post(f"/courses/basics/learn/{step}/done")
    html = client.get("/courses/basics").get_data(as_text=True)
    assert 'action="/courses/basics/continue"' in html and "Review the module" not in html
    url = client.post("/courses/basics/learn/check/attempts").headers["Location"]
    html = client.get(url).get_data(as_text=True)
    attempt = db.session.scalar(select(QuizAttempt))
    assert client.post(url, data=right_answers(attempt, html)).status_code == 303
    cert = db.session.scalar(select(Certificate))
    html = client.get(f"{url}/result").get_data(as_text=True)
    assert f'href="/courses/certificates/{cert.uuid}">You completed the module: see your certificate' in html
    html = client.get("/courses/basics").get_data(as_text=True)
    assert 'action="/courses/basics/continue"' not in html
    assert f'/courses/certificates/{cert.uuid}"' in html
    assert 'href="/courses/basics/learn/history">Review the module from the start' in html


def test_the_badge_of_a_french_certificate_speaks_french(client, trainer, learner, login):
    import json

    from courses.models import Certificate
    from courses.services import authoring, learning, publishing

    course = build_course(trainer, slug="basics", questions=False, publish=False)
    authoring.delete_item(trainer, course.units[0].items[2])
    publishing.publish(trainer, course)
    view = publishing.published_view(course, "fr")
    enrolment, _ = learning.enrol(learner, course, view)
    for item in view.items:
        learning.mark_done(learner, enrolment, view, item)
    db.session.commit()
    cert = db.session.scalar(select(Certificate))
    cert.language = "fr"  # as when the learner studied in French
    db.session.commit()
    login(learner)
    cred = json.loads(client.get(f"/courses/certificates/{cert.uuid}/badge.json").data)
    assert cred["issuer"]["name"] == "Secrétariat de la Convention de Minamata sur le mercure"
    assert cred["credentialSubject"]["achievement"]["inLanguage"] == "fr"


def test_catalogue_marks_a_partly_translated_course(client, course, trainer):
    from courses.services import publishing, translation

    translation.save_translation(
        trainer, course, course.uuid, "fr", {"title": "La Convention en bref", "summary": "Ce que demande."}
    )
    history = course.units[0].items[0]
    fields = {"title": "Historique", "body": "2013."}
    translation.save_translation(trainer, course, history.uuid, "fr", fields)
    publishing.publish(trainer, course)
    db.session.commit()
    html = client.get("/courses/?language=fr").get_data(as_text=True)
    assert "Partly translated into" in html
    html = client.get("/courses/?language=en").get_data(as_text=True)
    assert "Partly translated into" not in html
    # The module's own page says so too: its reader would meet the source language part of the way.
    client.get("/language/fr")
    html = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Partiellement traduit en français" in html
    client.get("/language/en")
    html = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "Partly translated" not in html
    # A visitor who creates an account from here comes back here.
    assert f'href="/account/register?next=/courses/{course.slug}"' in html
