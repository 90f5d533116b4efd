"""Authoring quizzes and their questions (form-based, no JavaScript needed)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courses.forms_authoring import ROWS, ConfirmForm, MoveForm, QuestionForm, QuizForm
from courses.models import QUESTION_KINDS, Question
from courses.services import authoring, authoring_quiz
from courses.services.errors import CourseError
from courses.services.questions import KIND_LABELS
from courses.views import bp
from courses.views.authoring import _item_or_404, _unit_or_404, item_form_data
from courses.views.common import (
    arm_once,
    attempt,
    author_course_or_404,
    flash_already_sent,
    spend_once,
    unspend_once,
)
from lms.auth import trainer_required
from lms.db import db


def _quiz_kwargs(form: QuizForm) -> dict:
    return dict(
        slug=form.slug.data,
        title=form.title.data,
        intro=form.intro.data or "",
        pass_mark=form.pass_mark.data,
        max_attempts=form.max_attempts.data,
        shuffle=form.shuffle.data,
        draw=form.draw.data,
        required=form.is_required.data,
        minutes=form.estimated_minutes.data,
    )


@bp.route("/manage/<slug>/units/<unit_uuid>/quizzes/new", methods=["GET", "POST"])
@trainer_required
def new_quiz(slug, unit_uuid):
    course = author_course_or_404(slug)
    unit = _unit_or_404(course, unit_uuid)
    form = QuizForm()
    if form.validate_on_submit():
        if not spend_once(form):
            flash_already_sent()
            return redirect(url_for("courses.edit_course", slug=slug))
        try:
            item = authoring_quiz.add_quiz(current_user, unit, **_quiz_kwargs(form))
        except CourseError as exc:
            db.session.rollback()
            unspend_once(form)
            form.slug.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The quiz is created. Add its questions."), "success")
            return redirect(url_for("courses.edit_quiz", slug=slug, item_uuid=item.uuid))
    arm_once(form)
    return render_template("courses/manage/quiz_form.html", course=course, form=form, item=None, unit=unit)


@bp.route("/manage/<slug>/quizzes/<item_uuid>", methods=["GET", "POST"])
@trainer_required
def edit_quiz(slug, item_uuid):
    course = author_course_or_404(slug)
    item = _item_or_404(course, item_uuid, "quiz")
    form = QuizForm(data=item_form_data(course, item, **item.settings) if request.method == "GET" else None)
    if form.validate_on_submit() and attempt(
        lambda: authoring_quiz.update_quiz(current_user, item, **_quiz_kwargs(form)),
        _("The quiz is saved in the draft."),
        field=form.slug,
    ):
        return redirect(url_for("courses.edit_quiz", slug=slug, item_uuid=item.uuid))
    questions = [(q, authoring.source_fields(course, q.uuid)) for q in item.questions]
    return render_template(
        "courses/manage/quiz_form.html",
        course=course,
        form=form,
        item=item,
        unit=item.unit,
        questions=questions,
        kinds=KIND_LABELS,
        confirm=ConfirmForm(),
        move=MoveForm(),
    )


def _question_or_404(course, question_uuid) -> Question:
    question = db.session.scalar(select(Question).filter_by(uuid=question_uuid))
    if question is None or question.item.course_id != course.id:
        abort(404)
    return question


def _fill(form: QuestionForm, question: Question, fields: dict) -> None:
    """Put a stored question into the form's rows (GET)."""
    spec = question.spec or {}
    form.prompt.data = fields.get("prompt", "")
    form.points.data = f"{question.points:g}"
    form.feedback_correct.data = fields.get("feedback_correct", "")
    form.feedback_incorrect.data = fields.get("feedback_incorrect", "")
    options = fields.get("options") or {}
    for row, opt in zip(form.options, spec.get("options", []), strict=False):
        row.form.id.data, row.form.correct.data = opt["id"], opt.get("correct", False)
        row.form.text.data = (options.get(opt["id"]) or {}).get("text", "")
        row.form.feedback.data = (options.get(opt["id"]) or {}).get("feedback", "")
    pairs = fields.get("pairs") or {}
    for row, pid in zip(form.pairs, spec.get("pairs", []), strict=False):
        row.form.id.data = pid
        row.form.source.data = (pairs.get(pid) or {}).get("source", "")
        row.form.target.data = (pairs.get(pid) or {}).get("target", "")
    steps = fields.get("items") or {}
    for row, sid in zip(form.steps, spec.get("items", []), strict=False):
        row.form.id.data, row.form.text.data = sid, steps.get(sid, "")
    if question.kind == "truefalse":
        form.truefalse.data = "true" if spec.get("answer") else "false"
    if question.kind == "numeric":
        form.answer.data = f"{spec.get('answer', 0):g}"
        form.tolerance.data = f"{spec.get('tolerance', 0):g}"
    form.accepted.data = "\n".join(fields.get("accepted") or [])


def _grow(form: QuestionForm, question: Question | None) -> None:
    """Enough rows for a question with more than the default number of options."""
    need = (
        max(len((question.spec or {}).get(k, [])) for k in ("options", "pairs", "items")) if question else 0
    )
    for name in ("options", "pairs", "steps"):
        field = getattr(form, name)
        while len(field) < max(ROWS, need + 2) and len(field) < field.max_entries:
            field.append_entry()


@bp.route("/manage/<slug>/quizzes/<item_uuid>/questions/new", methods=["GET", "POST"])
@trainer_required
def new_question(slug, item_uuid):
    course = author_course_or_404(slug)
    item = _item_or_404(course, item_uuid, "quiz")
    kind = request.values.get("kind", "single")
    if kind not in QUESTION_KINDS:
        abort(404)
    form = QuestionForm(data={"kind": kind} if request.method == "GET" else None)
    form.kind.data = kind
    if form.validate_on_submit():
        if not spend_once(form):
            flash_already_sent()
            return redirect(url_for("courses.edit_quiz", slug=slug, item_uuid=item.uuid))
        try:
            authoring_quiz.add_question(current_user, item, kind=kind, data=form.data_for_service())
        except CourseError as exc:
            db.session.rollback()
            unspend_once(form)
            form.attach_error(exc)
        else:
            db.session.commit()
            flash(_("The question is added."), "success")
            return redirect(url_for("courses.edit_quiz", slug=slug, item_uuid=item.uuid))
    arm_once(form)
    _grow(form, None)
    return render_template(
        "courses/manage/question_form.html",
        course=course,
        item=item,
        form=form,
        kind=kind,
        question=None,
        kinds=KIND_LABELS,
    )


@bp.route("/manage/<slug>/questions/<question_uuid>", methods=["GET", "POST"])
@trainer_required
def edit_question(slug, question_uuid):
    course = author_course_or_404(slug)
    question = _question_or_404(course, question_uuid)
    form = QuestionForm()
    form.kind.data = question.kind
    if request.method == "GET":
        _fill(form, question, authoring.source_fields(course, question.uuid))
    elif form.validate_on_submit():
        try:
            authoring_quiz.update_question(current_user, question, data=form.data_for_service())
        except CourseError as exc:
            db.session.rollback()
            form.attach_error(exc)
        else:
            db.session.commit()
            flash(_("The question is saved."), "success")
            return redirect(url_for("courses.edit_quiz", slug=slug, item_uuid=question.item.uuid))
    _grow(form, question)
    return render_template(
        "courses/manage/question_form.html",
        course=course,
        item=question.item,
        form=form,
        kind=question.kind,
        question=question,
        kinds=KIND_LABELS,
        confirm=ConfirmForm(),
    )


@bp.post("/manage/<slug>/questions/<question_uuid>/delete")
@trainer_required
def delete_question(slug, question_uuid):
    course = author_course_or_404(slug)
    question = _question_or_404(course, question_uuid)
    item_uuid = question.item.uuid
    if not ConfirmForm().validate_on_submit():
        flash(_("Tick the box to confirm the deletion."), "error")
        return redirect(url_for("courses.edit_question", slug=slug, question_uuid=question_uuid))
    authoring_quiz.delete_question(current_user, question)
    db.session.commit()
    flash(_("The question is deleted from the draft."), "success")
    return redirect(url_for("courses.edit_quiz", slug=slug, item_uuid=item_uuid))


@bp.post("/manage/<slug>/questions/<question_uuid>/move")
@trainer_required
def move_question(slug, question_uuid):
    course = author_course_or_404(slug)
    question = _question_or_404(course, question_uuid)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    authoring_quiz.move_question(current_user, question, form.direction.data)
    db.session.commit()
    return redirect(url_for("courses.edit_quiz", slug=slug, item_uuid=question.item.uuid))
