"""Authoring (trainers): courses, units, lessons, order, preview, publish / unpublish / archive, audit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courses.forms import ActionForm, choices
from courses.forms_authoring import ConfirmForm, CourseForm, MoveForm, PublishForm, UnitForm
from courses.models import Course, CourseVersion, Enrolment, Item, Unit
from courses.services import authoring, publishing, texts, translation
from courses.services.errors import CourseError, NothingToPublish
from courses.services.snapshot import draft_heads
from courses.services.teams import resource_ids_of
from courses.views import bp
from courses.views.common import (
    arm_once,
    attempt,
    author_course_or_404,
    flash_already_sent,
    flash_error,
    lang,
    spend_once,
    unspend_once,
    validate_with,
)
from lms.auth import trainer_required
from lms.db import db
from lms.i18n import sort_key


def _prereq_choices(form: CourseForm, course: Course | None) -> None:
    """Modules offered as prerequisites, by their title in the author's language (the address's short
    name alone, "emissions", does not say which module it is), in that language's order."""
    rows = [c for c in db.session.scalars(select(Course)) if course is None or c.id != course.id]
    titles = texts.course_titles(rows, lang())
    titled = [(c.slug, titles[c.id]) for c in rows]
    form.prerequisites.choices = choices(sorted(titled, key=lambda pair: sort_key(pair[1])))


def _course_kwargs(form: CourseForm) -> dict:
    """The course form's fields that both creating and editing a course write."""
    return dict(
        title=form.title.data,
        summary=form.summary.data,
        audience=form.audience.data or "",
        level=form.level.data,
        estimated_minutes=form.estimated_minutes.data,
        articles=form.articles.data,
        prerequisites=form.prerequisites.data,
        is_certificate=form.is_certificate.data,
    )


@bp.get("/manage/")
@trainer_required
def manage():
    rows = db.session.scalars(select(Course).order_by(Course.status, Course.slug)).all()
    if not current_user.is_admin:  # a trainer manages the courses of their teams
        mine = resource_ids_of(current_user, Course)
        rows = [c for c in rows if c.id in mine]
    heads = draft_heads(rows, lang())
    entries = [(c, heads[c.id]) for c in rows]
    return render_template("courses/manage/index.html", entries=entries)


@bp.route("/manage/new", methods=["GET", "POST"])
@trainer_required
def new_course():
    form = CourseForm()
    if request.method == "GET":
        form.source_language.data = lang()  # the language the trainer works in
    _prereq_choices(form, None)
    values = dict(slug=form.slug.data, source_language=form.source_language.data, **_course_kwargs(form))
    created = []
    if validate_with(form, lambda: authoring.course_problems(None, **values)) and attempt(
        lambda: created.append(authoring.create_course(current_user, **values)),
        _("The module is created as a draft. Add units and lessons."),
        field=form.slug,
        form=form,
    ):
        return redirect(url_for("courses.edit_course", slug=created[0].slug))
    return render_template("courses/manage/course_form.html", form=form, course=None)


@bp.route("/manage/<slug>", methods=["GET", "POST"])
@trainer_required
def edit_course(slug):
    course = author_course_or_404(slug)
    src = authoring.source_fields(course, course.uuid)
    form = CourseForm(
        data={
            **src,
            "slug": course.slug,
            "source_language": course.source_language,
            "level": course.level,
            "estimated_minutes": course.estimated_minutes,
            "articles": ", ".join(str(a) for a in course.articles or []),
            "prerequisites": course.prerequisites,
            "is_certificate": course.is_certificate,
        }
        if request.method == "GET"
        else None
    )
    _prereq_choices(form, course)
    if request.method == "POST":
        form.slug.data, form.source_language.data = (
            course.slug,
            course.source_language,
        )  # fixed after creation
        values = _course_kwargs(form)
        if validate_with(form, lambda: authoring.course_problems(course, **values)) and attempt(
            lambda: authoring.update_course(current_user, course, **values),
            _("The module is saved. Publish a new version to show the changes to learners."),
            field=form.articles,
            form=form,
        ):
            return redirect(url_for("courses.edit_course", slug=slug))
    versions = db.session.scalars(
        select(CourseVersion).filter_by(course_id=course.id).order_by(CourseVersion.number.desc())
    ).all()
    enrolled = len(db.session.scalars(select(Enrolment.id).filter_by(course_id=course.id)).all())
    return render_template(
        "courses/manage/course.html",
        course=course,
        form=form,
        view=publishing.draft_view(course, lang()),
        versions=versions,
        enrolled=enrolled,
        publish_form=PublishForm(),
        action=ActionForm(),
        confirm=ConfirmForm(),
        move=MoveForm(),
        changed=publishing.has_unpublished_changes(course),
        problems=publishing.check_publishable(publishing.build_snapshot(course)),
        translations=translation.summary(course),
    )


def _course_action(slug, func, message):
    course = author_course_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        func(current_user, course)
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("courses.edit_course", slug=slug))


@bp.post("/manage/<slug>/publish")
@trainer_required
def publish(slug):
    course = author_course_or_404(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = publishing.publish(current_user, course, note=form.note.data or "")
    except NothingToPublish as exc:  # a resubmitted form, or nothing edited since: not an error
        db.session.rollback()
        flash(str(exc), "info")
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        flash(_("Version %(n)s is published.", n=version.number), "success")
    return redirect(url_for("courses.edit_course", slug=slug))


@bp.post("/manage/<slug>/unpublish")
@trainer_required
def unpublish(slug):
    return _course_action(
        slug, publishing.unpublish, _("The module is unpublished: learners no longer see it.")
    )


@bp.post("/manage/<slug>/archive")
@trainer_required
def archive(slug):
    return _course_action(slug, publishing.archive, _("The module is archived."))


@bp.post("/manage/<slug>/restore")
@trainer_required
def restore(slug):
    return _course_action(slug, publishing.restore, _("The module is restored as a draft."))


# Units -------------------------------------------------------------------------------------------


def _unit_or_404(course: Course, unit_uuid: str) -> Unit:
    unit = db.session.scalar(select(Unit).filter_by(uuid=unit_uuid, course_id=course.id))
    if unit is None:
        abort(404)
    return unit


def item_form_data(course: Course, item: Item, **extra) -> dict:
    """What the edit form of a step shows first: its texts in the source language, its settings."""
    return {
        **authoring.source_fields(course, item.uuid),
        **extra,
        "slug": item.slug,
        "is_required": item.is_required,
        "estimated_minutes": item.estimated_minutes,
    }


def _item_or_404(course: Course, item_uuid: str, kind: str | None = None) -> Item:
    item = db.session.scalar(select(Item).filter_by(uuid=item_uuid, course_id=course.id))
    if item is None or (kind is not None and item.kind != kind):
        abort(404)
    return item


@bp.route("/manage/<slug>/units/new", methods=["GET", "POST"])
@trainer_required
def new_unit(slug):
    course = author_course_or_404(slug)
    form = UnitForm()
    if form.validate_on_submit():
        if not spend_once(form):
            flash_already_sent()
            return redirect(url_for("courses.edit_course", slug=slug))
        if attempt(
            lambda: authoring.add_unit(current_user, course, title=form.title.data),
            _("The unit is added."),
            field=form.title,
            refused=lambda: unspend_once(form),
        ):
            return redirect(url_for("courses.edit_course", slug=slug))
    arm_once(form)
    return render_template("courses/manage/unit_form.html", course=course, form=form, unit=None)


@bp.route("/manage/<slug>/units/<unit_uuid>", methods=["GET", "POST"])
@trainer_required
def edit_unit(slug, unit_uuid):
    course = author_course_or_404(slug)
    unit = _unit_or_404(course, unit_uuid)
    form = UnitForm(data=authoring.source_fields(course, unit.uuid) if request.method == "GET" else None)
    if form.validate_on_submit() and attempt(
        lambda: authoring.update_unit(current_user, unit, title=form.title.data), field=form.title
    ):
        return redirect(url_for("courses.edit_course", slug=slug))
    return render_template(
        "courses/manage/unit_form.html", course=course, form=form, unit=unit, confirm=ConfirmForm()
    )


def _move(slug: str, thing, move, anchor: str):
    """Move a unit or a step up or down (``move(actor, thing, direction)``), back to it on the page."""
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    move(current_user, thing, form.direction.data)
    db.session.commit()
    return redirect(url_for("courses.edit_course", slug=slug) + anchor)


def _delete(slug: str, thing, delete, deleted: str, unconfirmed_url: str | None = None):
    """Delete a unit or a step once the box is ticked (else back to ``unconfirmed_url``, by default the
    course page, with a note)."""
    if not ConfirmForm().validate_on_submit():
        flash(_("Tick the box to confirm the deletion."), "error")
        return redirect(unconfirmed_url or url_for("courses.edit_course", slug=slug))
    delete(current_user, thing)
    db.session.commit()
    flash(deleted, "success")
    return redirect(url_for("courses.edit_course", slug=slug))


@bp.post("/manage/<slug>/units/<unit_uuid>/move")
@trainer_required
def move_unit(slug, unit_uuid):
    unit = _unit_or_404(author_course_or_404(slug), unit_uuid)
    return _move(slug, unit, authoring.move_unit, f"#u-{unit.uuid}")


@bp.post("/manage/<slug>/units/<unit_uuid>/delete")
@trainer_required
def delete_unit(slug, unit_uuid):
    unit = _unit_or_404(author_course_or_404(slug), unit_uuid)
    return _delete(
        slug,
        unit,
        authoring.delete_unit,
        _("The unit and its steps are deleted from the draft."),
        url_for("courses.edit_unit", slug=slug, unit_uuid=unit_uuid),
    )


# Lessons and items -----------------------------------------------------------------------------------


@bp.post("/manage/<slug>/items/<item_uuid>/move")
@trainer_required
def move_item(slug, item_uuid):
    item = _item_or_404(author_course_or_404(slug), item_uuid)
    return _move(slug, item, authoring.move_item, f"#i-{item.uuid}")


@bp.post("/manage/<slug>/items/<item_uuid>/delete")
@trainer_required
def delete_item(slug, item_uuid):
    item = _item_or_404(author_course_or_404(slug), item_uuid)
    return _delete(slug, item, authoring.delete_item, _("The step is deleted from the draft."))
