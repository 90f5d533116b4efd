"""The courses pages the browser harness checks (en and ar): catalogue, course, lesson (with the
fallback notice in Arabic), quiz, attempt, result, my learning, certificate, verification, the package
step, and the authoring pages (course, lesson, quiz, question, translation, import, team).

Learner state (enrolment, an attempt, a completed module with its certificate) is created on demand for
the demo learner through the courses services, inside the live app."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from tests.browser.pages import PageSpec

MODULE = "the-convention-and-you"


def _demo_learner():
    from lms.models import User

    return db.session.scalar(select(User).filter_by(email="learner@example.org"))


def _course(slug=MODULE):
    from courses.models import Course

    return db.session.scalar(select(Course).filter_by(slug=slug))


def _enrolled(slug=MODULE):
    from courses.services import learning
    from courses.services.publishing import published_view

    course = _course(slug)
    user = _demo_learner()
    view = published_view(course, "en")
    enrolment, _ = learning.enrol(user, course, view)
    db.session.commit()
    return course, view, enrolment, user


def _attempt_path(submitted: bool):
    def _find():
        from courses.services import quizzes
        from tests.courses.sheets import correct_form

        course, view, enrolment, user = _enrolled()
        item = view.item("check-unit-1")
        attempt = quizzes.start_attempt(user, enrolment, view, item)
        if submitted:
            quizzes.submit_attempt(user, enrolment, view, attempt, correct_form(view, item, attempt))
        db.session.commit()
        return f"/courses/{course.slug}/attempts/{attempt.uuid}" + ("/result" if submitted else "")

    return _find


def _certificate(public: bool):
    def _find():
        from courses.models import Certificate
        from courses.services import learning, quizzes
        from tests.courses.sheets import correct_form

        course, view, enrolment, user = _enrolled()
        for item in view.items:
            if item["kind"] == "lesson":
                learning.mark_done(user, enrolment, view, item)
            elif item["kind"] == "quiz" and item["uuid"] not in learning.done_items(enrolment):
                attempt = quizzes.start_attempt(user, enrolment, view, item)
                quizzes.submit_attempt(user, enrolment, view, attempt, correct_form(view, item, attempt))
        db.session.commit()
        cert = db.session.scalar(select(Certificate).filter_by(enrolment_id=enrolment.id))
        return f"/courses/verify/{cert.code}" if public else f"/courses/certificates/{cert.uuid}"

    return _find


def _learn(slug, item_slug):
    def _find():
        _enrolled(slug)
        return f"/courses/{slug}/learn/{item_slug}"

    return _find


def _manage(kind):
    def _find():
        from courses.models import Item, Question

        course = _course()
        if kind == "lesson":
            item = db.session.scalar(select(Item).filter_by(course_id=course.id, slug="origins"))
            return f"/courses/manage/{MODULE}/lessons/{item.uuid}"
        if kind == "quiz":
            item = db.session.scalar(select(Item).filter_by(course_id=course.id, slug="final-check"))
            return f"/courses/manage/{MODULE}/quizzes/{item.uuid}"
        if kind == "question":
            item = db.session.scalar(select(Item).filter_by(course_id=course.id, slug="check-unit-1"))
            question = db.session.scalar(select(Question).filter_by(item_id=item.id, kind="matching"))
            return f"/courses/manage/{MODULE}/questions/{question.uuid}"
        if kind == "translate":
            item = db.session.scalar(
                select(Item).filter_by(course_id=course.id, slug="role-of-the-focal-point")
            )
            return f"/courses/manage/{MODULE}/translations/fr/{item.uuid}"
        return None

    return _find


def _spec(name, path, role=None):
    return PageSpec(f"courses-{name}", path, role=role, plugin="courses")


COURSES_PAGES = [
    _spec("catalogue", "/courses/"),
    _spec("catalogue-filtered", "/courses/?language=fr&article=21&level=introductory"),
    _spec("course", f"/courses/{MODULE}"),
    _spec("course-enrolled", lambda: _enrolled() and f"/courses/{MODULE}", role="learner"),
    _spec("lesson", _learn(MODULE, "origins"), role="learner"),
    _spec("quiz", _learn(MODULE, "check-unit-1"), role="learner"),
    _spec("attempt", _attempt_path(submitted=False), role="learner"),
    _spec("result", _attempt_path(submitted=True), role="learner"),
    _spec("package-step", _learn("products-and-processes", "article-4-self-check"), role="learner"),
    _spec("my-learning", "/courses/my", role="learner"),
    _spec("certificate", _certificate(public=False), role="learner"),
    _spec("verification", _certificate(public=True)),
    _spec("verify-form", "/courses/verify"),
    _spec("manage", "/courses/manage/", role="trainer"),
    _spec("manage-course", f"/courses/manage/{MODULE}", role="trainer"),
    _spec("manage-new-course", "/courses/manage/new", role="trainer"),
    _spec("manage-lesson", _manage("lesson"), role="trainer"),
    _spec("manage-quiz", _manage("quiz"), role="trainer"),
    _spec("manage-question", _manage("question"), role="trainer"),
    _spec("manage-quiz-preview", f"/courses/manage/{MODULE}/preview/check-unit-1", role="trainer"),
    _spec("manage-translations", f"/courses/manage/{MODULE}/translations/fr", role="trainer"),
    _spec("manage-translate-part", _manage("translate"), role="trainer"),
    _spec("manage-import", "/courses/manage/import", role="trainer"),
    _spec("manage-media", f"/courses/manage/{MODULE}/media", role="trainer"),
    _spec("manage-audit", f"/courses/manage/{MODULE}/audit", role="trainer"),
    _spec("manage-learners", f"/courses/manage/{MODULE}/learners", role="trainer"),
    _spec("manage-team", f"/courses/manage/{MODULE}/team", role="trainer"),
]
