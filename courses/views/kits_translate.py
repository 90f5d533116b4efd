"""Translating a kit (trainers): status per language (missing / stale / up to date, by content hash),
then the source and the translation side by side, part by part."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses.forms import ActionForm
from courses.forms_kits import PART_LABELS
from courses.services import kits_texts
from courses.services.errors import CourseError
from courses.services.kits_texts import FIELD_LABELS, FIELDS, SHORT_FIELDS
from courses.services.texts import STATUS_LABELS
from courses.views import bp
from courses.views.kits_manage import kit_or_404
from lms.auth import trainer_required
from lms.config import LANGUAGES
from lms.db import db


def _language_or_404(kit, language: str) -> str:
    if language not in LANGUAGES or language == kit.source_language:
        abort(404)
    return language


@bp.get("/kits/manage/<slug>/translations")
@trainer_required
def kit_translations(slug):
    kit = kit_or_404(slug)
    language = request.args.get("language")
    rows = None
    if language:
        _language_or_404(kit, language)
        rows = kits_texts.overview(kit, language)
    return render_template(
        "courses/kits/manage/translations.html",
        kit=kit,
        summary=kits_texts.summary(kit),
        language=language,
        rows=rows,
        labels=STATUS_LABELS,
        part_labels=PART_LABELS,
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


@bp.route("/kits/manage/<slug>/translations/<language>/<part_uuid>", methods=["GET", "POST"])
@trainer_required
def translate_kit_part(slug, language, part_uuid):
    kit = kit_or_404(slug)
    _language_or_404(kit, language)
    rows = kits_texts.overview(kit, language)
    index = next((n for n, r in enumerate(rows) if r["uuid"] == part_uuid), None)
    if index is None:
        abort(404)
    part = rows[index]
    form = ActionForm()
    target, error, status = part["target"], None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        fields = _posted_fields(part, request.form)
        try:
            kits_texts.save_translation(current_user, kit, part_uuid, language, fields)
        except CourseError as exc:
            db.session.rollback()
            error, target, status = exc.message, fields, 400
        else:
            db.session.commit()
            flash(_("The translation is saved."), "success")
            nxt = next((r for r in rows[index + 1 :] if r["status"] != "up_to_date"), None)
            if request.form.get("next") and nxt is not None:
                return redirect(
                    url_for("courses.translate_kit_part", slug=slug, language=language, part_uuid=nxt["uuid"])
                )
            return redirect(url_for("courses.kit_translations", slug=slug, language=language))
    required, optional = FIELDS[part["type"]]
    return render_template(
        "courses/kits/manage/translate_part.html",
        kit=kit,
        language=language,
        part=part,
        target=target,
        error=error,
        required=required,
        optional=optional,
        labels=STATUS_LABELS,
        names=FIELD_LABELS,
        short=SHORT_FIELDS,
        part_labels=PART_LABELS,
        position=index + 1,
        total=len(rows),
    ), status
