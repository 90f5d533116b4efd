"""Learner journey: catalogue, enrolment, lessons, resume, progress, completion, xAPI statements."""

from __future__ import annotations

import re

from flask_babel import refresh
from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import build_course, statements


def _enrol(client, slug="basics"):
    resp = client.post(f"/courses/{slug}/enrol")
    assert resp.status_code == 302
    return resp


def test_catalogue_is_public_and_filters(client, trainer):
    build_course(trainer, slug="basics")
    other = build_course(trainer, slug="trade", publish=False)
    from courses.services import authoring, publishing

    authoring.update_course(
        trainer,
        other,
        title="Supply and trade",
        summary="Article 3.",
        level="advanced",
        estimated_minutes=60,
        articles=[3],
        prerequisites=[],
        is_certificate=True,
    )
    publishing.publish(trainer, other)
    build_course(trainer, slug="draft-only", publish=False)
    db.session.commit()
    html = client.get("/courses/").get_data(as_text=True)
    assert "The Convention in brief" in html and "Supply and trade" in html
    assert "draft-only" not in html  # drafts are not listed
    html = client.get("/courses/?article=3").get_data(as_text=True)
    assert "Supply and trade" in html and "The Convention in brief" not in html
    html = client.get("/courses/?level=introductory").get_data(as_text=True)
    assert "The Convention in brief" in html and "Supply and trade" not in html
    html = client.get("/courses/?language=fr").get_data(as_text=True)
    assert "No module matches these filters." in html
    # A bad filter value is ignored, not an error.
    assert client.get("/courses/?article=abc&level=<x>").status_code == 200


def test_course_page_for_visitor_invites_to_sign_in(client, course):
    html = client.get("/courses/basics").get_data(as_text=True)
    assert "History" in html and "to enrol in this module" in html
    assert "/courses/basics/learn/history" not in html  # lessons are linked once enrolled
    assert client.get("/courses/nope").status_code == 404
    # One sentence with its two links, so that each language orders and punctuates it: in Chinese no
    # spaces between the words, and the links are links (not escaped text).
    client.get("/language/zh")
    html = client.get("/courses/basics").get_data(as_text=True)
    sentence = r'<p><a href="/account/login[^"]*">登录</a>或<a href="/account/register[^"]*">创建账户</a>，'
    assert re.search(sentence, html)
    # Each step's details follow its title directly: full-width parentheses bring their own space.
    assert re.search(r"</span><span class=\"muted\">（", html) and not re.search(
        r"\s<span class=\"muted\">（", html
    )


def test_unpublished_course_is_hidden_from_learners(client, trainer, learner, login):
    build_course(trainer, slug="hidden", publish=False)
    login(learner)
    assert client.get("/courses/hidden").status_code == 404
    assert client.post("/courses/hidden/enrol").status_code == 404


def test_enrol_study_resume_and_complete(client, course, learner, login):
    from courses.models import Certificate, Enrolment

    login(learner)
    _enrol(client)
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.user_id == learner.id
    registered = statements("registered")
    assert len(registered) == 1 and registered[0].registration == enrolment.uuid
    assert registered[0].object_activity_id.endswith(f"/xapi/activities/course/{course.uuid}")
    # Enrolling twice changes nothing.
    _enrol(client)
    assert len(statements("registered")) == 1

    resp = client.post("/courses/basics/continue")
    assert resp.headers["Location"].endswith("/courses/basics/learn/history")
    assert len(statements("launched")) == 1
    html = client.get("/courses/basics/learn/history").get_data(as_text=True)
    assert "<strong>2013</strong>" in html and 'rel="next"' in html
    assert len(statements("experienced")) == 1
    client.get("/courses/basics/learn/history")  # a second visit is not a new experience
    assert len(statements("experienced")) == 1

    resp = client.post("/courses/basics/learn/history/done")
    assert resp.headers["Location"].endswith("/courses/basics/learn/reporting")
    client.get("/courses/basics/learn/reporting")
    # Resume goes back to the last step opened.
    assert client.post("/courses/basics/continue").headers["Location"].endswith("/learn/reporting")
    html = client.get("/courses/basics").get_data(as_text=True)
    assert "Continue where you left off" in html and 'value="33"' in html  # 1 of 3 required steps
    client.post("/courses/basics/learn/reporting/done")
    # Pass the quiz: the course completes.
    _pass_quiz(client)
    db.session.expire_all()
    enrolment = db.session.scalar(select(Enrolment))
    assert enrolment.completed_dt is not None
    completed = [s for s in statements("completed") if s.object_activity_id.endswith(course.uuid)]
    assert len(completed) == 1 and completed[0].registration == enrolment.uuid
    assert db.session.scalar(select(Certificate).filter_by(enrolment_id=enrolment.id)) is not None
    html = client.get("/courses/my").get_data(as_text=True)
    assert 'value="100"' in html and "Certificate" in html


def _pass_quiz(client, slug="basics", quiz="check"):
    from courses.models import QuizAttempt

    resp = client.post(f"/courses/{slug}/learn/{quiz}/attempts")
    assert resp.status_code == 302, resp.data[:300]
    attempt_url = resp.headers["Location"]
    html = client.get(attempt_url).get_data(as_text=True)
    attempt = db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
    data = right_answers(attempt, html)
    resp = client.post(attempt_url, data=data)
    assert resp.status_code == 303, resp.data[:500]
    return attempt


def right_answers(attempt, html):
    """Build a correct answer sheet for the basics quiz from the attempt's token map."""
    data = {"attempt": attempt.uuid}
    for drawn in attempt.drawn:
        name = f"q_{drawn['uuid']}"
        assert f'name="{name}' in html
        by_id = {v: k for k, v in drawn["tokens"].items()}
        if "b" in by_id:
            data[name] = by_id["b"]
        elif drawn["tokens"]:
            raise AssertionError("unexpected question")
        elif 'value="true"' in html and name + '-t"' in html:
            data[name] = "true"
        else:
            data[name] = "  MERCURY "
    return data


def test_prerequisites_are_enforced_with_a_clear_message(client, trainer, learner, login):
    build_course(trainer, slug="basics")
    from courses.services import authoring, publishing

    advanced = build_course(trainer, slug="advanced", publish=False)
    authoring.update_course(
        trainer,
        advanced,
        title="Going further",
        summary="More.",
        level="advanced",
        estimated_minutes=30,
        articles=[],
        prerequisites=["basics"],
        is_certificate=True,
    )
    publishing.publish(trainer, advanced)
    db.session.commit()
    login(learner)
    html = client.get("/courses/advanced").get_data(as_text=True)
    assert "Complete these modules first:" in html
    resp = client.post("/courses/advanced/enrol", follow_redirects=True)
    assert "Complete these modules first: The Convention in brief." in resp.get_data(as_text=True)
    from courses.models import Enrolment

    assert db.session.scalar(select(Enrolment)) is None
    assert statements("registered") == []


def test_lesson_needs_enrolment(client, course, learner, login):
    login(learner)
    resp = client.get("/courses/basics/learn/history")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/courses/basics")
    assert statements() == []


def test_language_fallback_notice_and_translated_lesson(client, course, trainer, learner, login):
    from courses.services import publishing, translation

    history = next(i for u in course.units for i in u.items if i.slug == "history")
    translation.save_translation(
        trainer,
        course,
        history.uuid,
        "fr",
        {"title": "Historique", "body": "La Convention a été adoptée en 2013."},
    )
    publishing.publish(trainer, course)
    db.session.commit()
    learner.locale = "fr"
    db.session.commit()
    login(learner)
    refresh()  # the test's app context (and its cached locale) outlives each request
    _enrol(client)
    html = client.get("/courses/basics/learn/history").get_data(as_text=True)
    assert "Historique" in html and "not yet available" not in html and "pas encore disponible" not in html
    html = client.get("/courses/basics/learn/reporting").get_data(as_text=True)
    assert 'lang="en"' in html and "National reporting" in html
    assert re.search(r"(not yet available in French|pas encore disponible en français)", html)
    experienced = statements("experienced")
    assert [s.language for s in experienced] == ["fr", "en"]


def test_new_version_keeps_progress_and_tells_what_changed(client, course, trainer, learner, login):
    from courses.models import Enrolment
    from courses.services import authoring, publishing

    login(learner)
    _enrol(client)
    client.post("/courses/basics/continue")
    client.get("/courses/basics/learn/history")
    client.post("/courses/basics/learn/history/done")
    reporting = next(i for u in course.units for i in u.items if i.slug == "reporting")
    authoring.update_lesson(
        trainer,
        reporting,
        slug="reporting",
        title="National reporting",
        body="Article 21: every four years, a full national report.",
        required=True,
        minutes=10,
    )
    authoring.add_lesson(trainer, course.units[0], slug="new-step", title="Fresh lesson", body="New text.")
    publishing.publish(trainer, course)
    db.session.commit()
    html = client.get("/courses/basics").get_data(as_text=True)
    assert "This module was updated since you last studied it." in html
    assert "New: Fresh lesson" in html and "Changed: National reporting" in html
    enrolment = db.session.scalar(select(Enrolment))
    from courses.services.learning import done_items

    history = next(i for u in course.units for i in u.items if i.slug == "history")
    assert history.uuid in done_items(enrolment)  # progress survived version 2
    assert "done" in html


def test_my_learning_is_in_the_header_for_signed_in_users_only(client, course, learner, login):
    """A learner reaches their modules, sessions and workshops from every page, not only the catalogue."""
    link = '<a href="/courses/my">My learning</a>'
    assert link not in client.get("/").get_data(as_text=True)
    login(learner)
    assert link in client.get("/").get_data(as_text=True)
    assert '<a href="/courses/my" aria-current="page">My learning</a>' in client.get("/courses/my").get_data(
        as_text=True
    )


def test_a_module_completed_before_steps_were_added_still_reads_completed(
    client, course, trainer, learner, login
):
    """My learning says what happened: completed (certificate and all), and a newer version of the
    module has steps the learner has not done, rather than "67% — completed"."""
    from courses.services import authoring, publishing

    login(learner)
    _enrol(client)
    client.post("/courses/basics/learn/history/done")
    client.post("/courses/basics/learn/reporting/done")
    _pass_quiz(client)
    row = client.get("/courses/my").get_data(as_text=True).split("<tbody>", 1)[1]
    assert "100%" in row and "— completed" in row and "steps were added since" not in row
    authoring.add_lesson(trainer, course.units[0], slug="new-step", title="Fresh lesson", body="New text.")
    publishing.publish(trainer, course)
    db.session.commit()
    row = client.get("/courses/my").get_data(as_text=True).split("<tbody>", 1)[1]
    assert "— completed; steps were added since" in row and "100%" not in row
    assert "/courses/certificates/" in row  # the certificate stays theirs
