"""The pre/post test of a kit (trainers): add and edit its questions, with the course quiz's question
form (the kit's questions are kit parts of kind ``question``)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses.forms_authoring import ROWS, QuestionForm
from courses.models import QUESTION_KINDS
from courses.models_kits import Kit, KitPart
from courses.services import kits as authoring
from courses.services.kits_texts import source_fields
from courses.services.questions import KIND_LABELS
from courses.views import bp
from courses.views.authoring_quiz import _fill
from courses.views.common import attempt, test_closed
from courses.views.kits_manage import kit_or_404, part_or_404
from lms.auth import trainer_required


def _fill_question(form: QuestionForm, part: KitPart) -> None:
    settings = part.settings or {}
    _fill(
        form,
        SimpleNamespace(
            kind=settings.get("qkind"),
            spec=settings.get("spec") or {},
            points=float(settings.get("points", 1)),
        ),
        source_fields(part.kit, part.uuid),
    )


def _question_page(kit: Kit, kind: str, part: KitPart | None, save, saved: str):
    """The form of a new question (``part`` None) or of an existing one; ``save(data)`` writes it."""
    form = QuestionForm()
    if part is not None and request.method == "GET":
        _fill_question(form, part)
    elif form.validate_on_submit() and attempt(lambda: save(form.data_for_service()), saved):
        return redirect(url_for("courses.edit_kit", slug=kit.slug) + "#question")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "courses/kits/manage/question_form.html",
        kit=kit,
        form=form,
        kind=kind,
        part=part,
        kinds=KIND_LABELS,
        rows=ROWS,
    ), status


@bp.route("/kits/manage/<slug>/questions/new", methods=["GET", "POST"])
@trainer_required
def new_kit_question(slug):
    kit = kit_or_404(slug)
    if closed := test_closed(kit, url_for("courses.edit_kit", slug=kit.slug) + "#question"):
        return closed
    kind = request.values.get("kind", "single")
    if kind not in QUESTION_KINDS:
        abort(404)
    return _question_page(
        kit,
        kind,
        None,
        lambda data: authoring.add_question(current_user, kit, kind=kind, data=data),
        _("The question is added to the test."),
    )


@bp.route("/kits/manage/<slug>/questions/<part_uuid>", methods=["GET", "POST"])
@trainer_required
def edit_kit_question(slug, part_uuid):
    kit = kit_or_404(slug)
    part = part_or_404(kit, part_uuid, question=True)
    if closed := test_closed(kit, url_for("courses.edit_kit", slug=kit.slug) + "#question"):
        return closed
    return _question_page(
        kit,
        part.settings.get("qkind"),
        part,
        lambda data: authoring.update_question(current_user, part, data=data),
        _("The question is saved in the draft."),
    )
