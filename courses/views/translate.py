"""Translation view (trainers): status per language, then source and target side by side per part.
:func:`translate_step` and :func:`posted_fields` also serve the kit translation pages (kits_translate)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, flash, redirect, render_template, request, url_for
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


def language_or_404(source_language: str, language: str) -> str:
    """A target language of the translation pages: a site language other than the source (404 otherwise)."""
    if language not in LANGUAGES or language == source_language:
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
    language_or_404(course.source_language, language)
    rows = translation.overview(course, language)
    return render_template(
        "courses/manage/translate_list.html",
        course=course,
        language=language,
        rows=rows,
        labels=STATUS_LABELS,
    )


def posted_fields(part: dict, form, fields_table: dict) -> dict:
    """Read the side-by-side form (hand-written field names, see translate_part.html); ``fields_table``
    gives the (required, optional) fields of each part type (courses and kits have their own)."""
    required, optional = fields_table[part["type"]]
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


@dataclass
class PartStep:
    """One part of a side-by-side translation page, after the POST (if any) was handled."""

    index: int
    total: int  # how many parts the resource has
    part: dict
    form: ActionForm
    target: dict
    error: str | None = None
    response: Response | None = None  # the redirect after a successful save


def translate_step(
    service,
    resource,
    language: str,
    part_uuid: str,
    fields_table: dict,
    part_endpoint: str,
    list_endpoint: str,
) -> PartStep:
    """The part of a course or kit being translated (404 for an unknown language or part), with a posted
    translation handled. ``service`` is :mod:`courses.services.translation` or ``kits_texts`` (their
    ``overview`` lists the parts, ``save_translation`` writes one or raises :class:`CourseError`: the
    page then shows the posted text again with the error). After a save the response goes to the next
    part that is not up to date when "save and next" was pressed, else to the list (``list_endpoint``)."""
    language_or_404(resource.source_language, language)
    rows = service.overview(resource, language)
    index = next((n for n, r in enumerate(rows) if r["uuid"] == part_uuid), None)
    if index is None:
        abort(404)
    part = rows[index]
    step = PartStep(index=index, total=len(rows), part=part, form=ActionForm(), target=part["target"])
    if request.method != "POST":
        return step
    if not step.form.validate_on_submit():
        abort(400)
    fields = posted_fields(part, request.form, fields_table)
    try:
        service.save_translation(current_user, resource, part_uuid, language, fields)
    except CourseError as exc:
        db.session.rollback()
        step.error, step.target = exc.message, fields
        return step
    db.session.commit()
    flash(_("The translation is saved."), "success")
    ids = {"slug": resource.slug, "language": language}
    nxt = next((r for r in rows[index + 1 :] if r["status"] != "up_to_date"), None)
    if nxt is not None and request.form.get("next"):
        step.response = redirect(url_for(part_endpoint, part_uuid=nxt["uuid"], **ids))
    else:
        step.response = redirect(url_for(list_endpoint, **ids))
    return step


@bp.route("/manage/<slug>/translations/<language>/<part_uuid>", methods=["GET", "POST"])
@trainer_required
def translate_part(slug, language, part_uuid):
    course = author_course_or_404(slug)
    step = translate_step(
        translation,
        course,
        language,
        part_uuid,
        FIELDS,
        "courses.translate_part",
        "courses.translate_language",
    )
    if step.response is not None:
        return step.response
    part, target = step.part, step.target
    preview = None
    if part["type"] == "lesson" and target.get("body"):
        preview = lesson_html(target["body"], slug)
    required, optional = FIELDS[part["type"]]
    # A refused save shows the page again with status 200 here (the kit page answers 400): kept as it was.
    return render_template(
        "courses/manage/translate_part.html",
        course=course,
        language=language,
        part=part,
        target=target,
        error=step.error,
        form=step.form,
        required=required,
        optional=optional,
        labels=STATUS_LABELS,
        preview=preview,
        position=step.index + 1,
        total=step.total,
    )
