"""Translation view (trainers): status per language, then source and target side by side per part."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses.forms import ActionForm
from courses.services import translation
from courses.services.errors import CourseError
from courses.services.texts import FIELDS, STATUS_LABELS
from courses.views import bp
from courses.views.common import author_course_or_404
from courses.views.rendering import lesson_html
from lms.auth import trainer_required
from lms.config import LANGUAGES
from lms.db import db


def _language_or_404(course, language: str) -> str:
    if language not in LANGUAGES or language == course.source_language:
        abort(404)
    return language


@bp.get("/manage/<slug>/translations")
@trainer_required
def translations(slug):
    course = author_course_or_404(slug)
    return render_template(
        "courses/manage/translations.html", course=course, summary=translation.summary(course)
    )


@bp.get("/manage/<slug>/translations/<language>")
@trainer_required
def translate_language(slug, language):
    course = author_course_or_404(slug)
    _language_or_404(course, language)
    rows = translation.overview(course, language)
    return render_template(
        "courses/manage/translate_list.html",
        course=course,
        language=language,
        rows=rows,
        labels=STATUS_LABELS,
    )


def _posted_fields(part: dict, form) -> dict:
    """Read the side-by-side form (hand-written field names, see translate_part.html)."""
    required, optional = FIELDS[part["type"]]
    fields = {name: form.get(f"f_{name}", "") for name in (*required, *optional)}
    source = part["source"]
    if part["type"] == "question":
        if source.get("options"):
            fields["options"] = {
                i: {"text": form.get(f"opt_{i}_text", ""), "feedback": form.get(f"opt_{i}_feedback", "")}
                for i in source["options"]
            }
        if source.get("pairs"):
            fields["pairs"] = {
                i: {"source": form.get(f"pair_{i}_source", ""), "target": form.get(f"pair_{i}_target", "")}
                for i in source["pairs"]
            }
        if source.get("items"):
            fields["items"] = {i: form.get(f"step_{i}", "") for i in source["items"]}
        if part["kind"] == "fillin":
            fields["accepted"] = form.get("f_accepted", "")
    return fields


@bp.route("/manage/<slug>/translations/<language>/<part_uuid>", methods=["GET", "POST"])
@trainer_required
def translate_part(slug, language, part_uuid):
    course = author_course_or_404(slug)
    _language_or_404(course, language)
    rows = translation.overview(course, language)
    index = next((n for n, r in enumerate(rows) if r["uuid"] == part_uuid), None)
    if index is None:
        abort(404)
    part = rows[index]
    form = ActionForm()
    target = part["target"]
    error = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        fields = _posted_fields(part, request.form)
        try:
            translation.save_translation(current_user, course, part_uuid, language, fields)
        except CourseError as exc:
            db.session.rollback()
            error = exc.message
            target = fields
        else:
            db.session.commit()
            flash(_("The translation is saved."), "success")
            nxt = next((r for r in rows[index + 1 :] if r["status"] != "up_to_date"), None)
            if nxt is not None and request.form.get("next"):
                return redirect(
                    url_for("courses.translate_part", slug=slug, language=language, part_uuid=nxt["uuid"])
                )
            return redirect(url_for("courses.translate_language", slug=slug, language=language))
    preview = None
    if part["type"] == "lesson" and target.get("body"):
        preview = lesson_html(target["body"], slug)
    required, optional = FIELDS[part["type"]]
    return render_template(
        "courses/manage/translate_part.html",
        course=course,
        language=language,
        part=part,
        target=target,
        error=error,
        form=form,
        required=required,
        optional=optional,
        labels=STATUS_LABELS,
        preview=preview,
        position=index + 1,
        total=len(rows),
    )
