"""Translating a kit (trainers): status per language (missing / stale / up to date, by content hash),
then the source and the translation side by side, part by part."""

from __future__ import annotations

from flask import render_template, request, url_for
from sqlalchemy import select

from courses.forms_kits import PART_LABELS
from courses.models_kits import KitPart
from courses.services import kits_texts
from courses.services.kits_texts import FIELD_LABELS, FIELDS, SHORT_FIELDS
from courses.services.texts import STATUS_LABELS
from courses.views import bp
from courses.views.common import test_closed
from courses.views.kits_manage import kit_or_404
from courses.views.translate import language_or_404, translate_step
from lms.auth import trainer_required
from lms.db import db


@bp.get("/kits/manage/<slug>/translations")
@trainer_required
def kit_translations(slug):
    kit = kit_or_404(slug)
    language = request.args.get("language")
    rows = None
    if language:
        language_or_404(kit.source_language, language)
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


@bp.route("/kits/manage/<slug>/translations/<language>/<part_uuid>", methods=["GET", "POST"])
@trainer_required
def translate_kit_part(slug, language, part_uuid):
    kit = kit_or_404(slug)
    language_or_404(kit.source_language, language)
    kind = db.session.scalar(select(KitPart.kind).filter_by(uuid=part_uuid, kit_id=kit.id))
    if kind in ("question", "exercise") and (
        closed := test_closed(kit, url_for("courses.kit_translations", slug=slug, language=language))
    ):
        return closed
    step = translate_step(
        kits_texts, kit, language, part_uuid, FIELDS, "courses.translate_kit_part", "courses.kit_translations"
    )
    if step.response is not None:
        return step.response
    required, optional = FIELDS[step.part["type"]]
    return render_template(
        "courses/kits/manage/translate_part.html",
        kit=kit,
        language=language,
        part=step.part,
        target=step.target,
        error=step.error,
        required=required,
        optional=optional,
        labels=STATUS_LABELS,
        names=FIELD_LABELS,
        short=SHORT_FIELDS,
        part_labels=PART_LABELS,
        position=step.index + 1,
        total=step.total,
    ), 400 if step.error is not None else 200
