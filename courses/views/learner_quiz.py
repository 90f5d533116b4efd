"""Learners taking a quiz: start an attempt, answer the sheet (answers the learner can correct come back
with the reason, nothing recorded), see the result."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from courses.forms import ActionForm
from courses.models import Certificate, QuizAttempt
from courses.services import quizzes
from courses.services.errors import BadSubmission, CourseError, SomeUnanswered, UnclearAnswer
from courses.services.publishing import published_view
from courses.views import bp
from courses.views.common import (
    flash_error,
    form_values,
    lang,
    refused,
    unclear_status,
    visible_course_or_404,
)
from courses.views.learner import posted_step
from courses.views.rendering import describe_result
from lms.auth import login_required
from lms.db import db


@bp.post("/<slug>/learn/<item_slug>/attempts")
@login_required
def start_attempt(slug, item_slug):
    course, enrolment, view, item = posted_step(slug, item_slug, kind="quiz")
    try:
        attempt = quizzes.start_attempt(current_user, enrolment, view, item)
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
        return redirect(url_for("courses.item", slug=slug, item_slug=item_slug))
    db.session.commit()
    return redirect(url_for("courses.attempt", slug=slug, attempt_uuid=attempt.uuid))


def _own_attempt(course, attempt_uuid):
    attempt = db.session.scalar(select(QuizAttempt).filter_by(uuid=attempt_uuid))
    if (
        attempt is None
        or attempt.enrolment.course_id != course.id
        or attempt.enrolment.user_id != current_user.id
    ):
        abort(404)
    view = quizzes.attempt_view(attempt.enrolment, attempt, attempt.language)
    if view is None:
        abort(404)
    item = view.item_by_uuid(attempt.quiz_uuid)
    if item is None:
        abort(404)
    return attempt, view, item


@bp.route("/<slug>/attempts/<attempt_uuid>", methods=["GET", "POST"])
@login_required
def attempt(slug, attempt_uuid):
    course = visible_course_or_404(slug)
    attempt, view, item = _own_attempt(course, attempt_uuid)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():  # the CSRF token
            abort(400)
        answers = form_values(request.form)
        try:
            quizzes.submit_attempt(current_user, attempt.enrolment, view, attempt, answers)
        except UnclearAnswer as exc:  # the sheet again, answers kept, each reason by its question
            db.session.rollback()
            return _attempt_page(course, view, item, attempt, exc, answers), unclear_status(exc)
        except BadSubmission as exc:
            db.session.rollback()
            return refused(exc.message)
        db.session.commit()
        return redirect(url_for("courses.result", slug=slug, attempt_uuid=attempt.uuid), code=303)
    if attempt.submitted_dt is not None:
        return redirect(url_for("courses.result", slug=slug, attempt_uuid=attempt.uuid))
    return _attempt_page(course, view, item, attempt)


def _attempt_page(course, view, item, attempt, unclear: UnclearAnswer | None = None, answers=None):
    questions = {q["uuid"]: q for q in item.get("questions", [])}
    sheet = [
        (d, questions[d["uuid"]], view.texts(questions[d["uuid"]]["texts"]))
        for d in attempt.drawn
        if d["uuid"] in questions
    ]
    return render_template(
        "courses/attempt.html",
        course=course,
        view=view,
        item=item,
        attempt=attempt,
        sheet=sheet,
        form=ActionForm(),
        unclear=unclear,
        may_leave_unanswered=isinstance(unclear, SomeUnanswered),
        answers=answers or {},
    )


@bp.get("/<slug>/attempts/<attempt_uuid>/result")
@login_required
def result(slug, attempt_uuid):
    course = visible_course_or_404(slug)
    attempt, view, item = _own_attempt(course, attempt_uuid)
    if attempt.submitted_dt is None:
        return redirect(url_for("courses.attempt", slug=slug, attempt_uuid=attempt.uuid))
    questions = {q["uuid"]: q for q in item.get("questions", [])}
    rows = [
        (
            questions[d["uuid"]],
            *view.texts(questions[d["uuid"]]["texts"])[:2],
            d,
            attempt.results.get(d["uuid"], {}),
        )
        for d in attempt.drawn
        if d["uuid"] in questions
    ]
    enrolment = attempt.enrolment
    current = published_view(course, lang())
    _prev, nxt = current.neighbours(item["slug"])
    return render_template(
        "courses/result.html",
        course=course,
        view=view,
        item=item,
        attempt=attempt,
        rows=rows,
        show_answers=quizzes.show_answers(enrolment, item, attempt),
        left=quizzes.attempts_left(enrolment, item),
        next_item=nxt,
        form=ActionForm(),
        completed=enrolment.completed_dt is not None,
        certificate=db.session.scalar(select(Certificate).filter_by(enrolment_id=enrolment.id)),
        describe=describe_result,
    )
