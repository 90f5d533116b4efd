"""Authoring lessons (Markdown with a server-rendered preview) and previewing the draft as a learner."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses.forms import ActionForm
from courses.forms_authoring import ConfirmForm, LessonForm
from courses.services import authoring, publishing
from courses.services.errors import CourseError
from courses.views import bp
from courses.views.authoring import _item_or_404, _unit_or_404, item_form_data
from courses.views.common import (
    arm_once,
    attempt,
    author_course_or_404,
    flash_already_sent,
    lang,
    spend_once,
    unspend_once,
)
from courses.views.rendering import lesson_html
from lms.auth import trainer_required
from lms.db import db


def _previewing(form) -> bool:
    # Previewing the text needs nothing else of the form: the title or short name may come later
    # (the app's CSRF protection has checked the request already). The text itself is checked (its
    # length) by the caller before it is rendered.
    return form.is_submitted() and bool(form.preview.data)


@bp.route("/manage/<slug>/units/<unit_uuid>/lessons/new", methods=["GET", "POST"])
@trainer_required
def new_lesson(slug, unit_uuid):
    course = author_course_or_404(slug)
    unit = _unit_or_404(course, unit_uuid)
    form = LessonForm()
    preview = None
    if _previewing(form):
        preview = lesson_html(form.body.data, slug) if form.body.validate(form) else None
    elif form.validate_on_submit():
        if not spend_once(form):
            flash_already_sent()
            return redirect(url_for("courses.edit_course", slug=slug))
        else:
            try:
                authoring.add_lesson(
                    current_user,
                    unit,
                    slug=form.slug.data,
                    title=form.title.data,
                    body=form.body.data,
                    required=form.is_required.data,
                    minutes=form.estimated_minutes.data,
                )
            except CourseError as exc:
                db.session.rollback()
                unspend_once(form)
                form.slug.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("The lesson is saved in the draft."), "success")
                return redirect(url_for("courses.edit_course", slug=slug))
    arm_once(form)
    return render_template(
        "courses/manage/lesson_form.html", course=course, form=form, item=None, preview=preview
    )


@bp.route("/manage/<slug>/lessons/<item_uuid>", methods=["GET", "POST"])
@trainer_required
def edit_lesson(slug, item_uuid):
    course = author_course_or_404(slug)
    item = _item_or_404(course, item_uuid, "lesson")
    form = LessonForm(data=item_form_data(course, item) if request.method == "GET" else None)
    preview = None
    if _previewing(form):
        preview = lesson_html(form.body.data, slug) if form.body.validate(form) else None
    elif form.validate_on_submit():
        if attempt(
            lambda: authoring.update_lesson(
                current_user,
                item,
                slug=form.slug.data,
                title=form.title.data,
                body=form.body.data,
                required=form.is_required.data,
                minutes=form.estimated_minutes.data,
            ),
            _("The lesson is saved in the draft."),
            field=form.slug,
        ):
            return redirect(url_for("courses.edit_lesson", slug=slug, item_uuid=item.uuid))
    return render_template(
        "courses/manage/lesson_form.html",
        course=course,
        form=form,
        item=item,
        preview=preview,
        confirm=ConfirmForm(),
    )


@bp.get("/manage/<slug>/preview/<item_slug>")
@trainer_required
def preview(slug, item_slug):
    """The draft step exactly as a learner would see it, in any language (``?lang=fr``)."""
    course = author_course_or_404(slug)
    language = request.args.get("lang") or lang()
    view = publishing.draft_view(course, language)
    item = view.item(item_slug)
    if item is None:
        abort(404)
    texts, shown, fallback = view.texts(item["texts"])
    prev_item, next_item = view.neighbours(item_slug)
    context = dict(
        course=course,
        view=view,
        item=item,
        texts=texts,
        shown=shown,
        fallback=fallback,
        prev_item=prev_item,
        next_item=next_item,
        preview=True,
        form=ActionForm(),
        percent=0,
    )
    if item["kind"] == "quiz":
        return render_template("courses/quiz.html", attempts=[], left=None, **context)
    body = lesson_html(texts.get("body") or texts.get("description") or "", slug)
    return render_template("courses/lesson.html", body=body, **context)
