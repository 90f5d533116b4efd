"""Authoring kits in the browser (trainers): the kit, its parts and test questions, publish, preview,
copy for a region, package import and export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courses.forms import ActionForm, choices
from courses.forms_authoring import PublishForm
from courses.forms_kits import PART_LABELS, KitForm, NewKitForm, part_form_class, part_values
from courses.models_kits import PART_KINDS, Kit, KitPart, Workshop
from courses.permissions import can_edit, may_see_answer_keys
from courses.services import kits as authoring
from courses.services.errors import CourseError
from courses.services.kits_files import max_kit_file_bytes
from courses.services.kits_offline import drop_cached_bundles
from courses.services.kits_snapshot import (
    draft_view,
    has_unpublished_changes,
    latest_version,
    publish,
    unpublish,
)
from courses.services.kits_texts import source_fields, source_titles
from courses.services.questions import KIND_LABELS
from courses.services.teams import resource_ids_of
from courses.services.workshops import count_participants_of
from courses.views import bp
from courses.views.common import TEST_CLOSED, attempt, lang, test_closed
from courses.views.kits import _kit_page
from lms.auth import trainer_required
from lms.countries import country_choices
from lms.db import db
from lms.i18n import file_size

EDITABLE_KINDS = [k for k in PART_KINDS if k != "question"]


def any_kit_or_404(slug: str) -> Kit:
    kit = db.session.scalar(select(Kit).filter_by(slug=slug))
    if kit is None:
        abort(404)
    return kit


def kit_or_404(slug: str) -> Kit:
    """The kit, for its team and admins only (403 for other trainers)."""
    kit = any_kit_or_404(slug)
    if not can_edit(current_user, kit):
        abort(403)
    return kit


def part_or_404(kit: Kit, part_uuid: str, question: bool | None = False) -> KitPart:
    """A part of the kit: a test question when ``question``, another part when False, either when None."""
    part = db.session.scalar(select(KitPart).filter_by(uuid=part_uuid, kit_id=kit.id))
    if part is None or (question is not None and (part.kind == "question") != question):
        abort(404)
    return part


@bp.get("/kits/manage/")
@trainer_required
def manage_kits():
    kits = db.session.scalars(select(Kit).order_by(Kit.slug)).all()
    workshops = db.session.scalars(select(Workshop).order_by(Workshop.start_date.desc())).all()
    if not current_user.is_admin:  # a trainer manages the kits and workshops of their teams
        kit_ids, workshop_ids = resource_ids_of(current_user, Kit), resource_ids_of(current_user, Workshop)
        kits = [k for k in kits if k.id in kit_ids]
        workshops = [w for w in workshops if w.id in workshop_ids]
    return render_template(
        "courses/kits/manage/index.html",
        kits=kits,
        workshops=workshops,
        titles=source_titles(kits),
        participants=count_participants_of(workshops),
    )


def _kit_kwargs(form) -> dict:
    return dict(
        slug=form.slug.data,
        articles=form.articles.data or "",
        region=form.region.data or "",
        pass_mark=form.pass_mark.data,
        **form.texts(),
    )


@bp.route("/kits/manage/new", methods=["GET", "POST"])
@trainer_required
def new_kit():
    form = NewKitForm()
    if request.method == "GET":
        form.source_language.data = lang()  # the language the trainer works in
    if form.validate_on_submit():
        try:
            kit = authoring.create_kit(
                current_user, source_language=form.source_language.data, **_kit_kwargs(form)
            )
        except CourseError as exc:
            db.session.rollback()
            form.slug.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The kit is created as a draft. Add its case studies, guide and test."), "success")
            return redirect(url_for("courses.edit_kit", slug=kit.slug))
    return render_template(
        "courses/kits/manage/kit_form.html", form=form, kit=None
    ), 400 if form.errors else 200


@bp.route("/kits/manage/<slug>", methods=["GET", "POST"])
@trainer_required
def edit_kit(slug):
    kit = kit_or_404(slug)
    data = None
    if request.method == "GET":
        data = {
            **source_fields(kit, kit.uuid),
            "slug": kit.slug,
            "articles": ", ".join(map(str, kit.articles or [])),
            "region": kit.region,
            "pass_mark": kit.pass_mark,
        }
    form = KitForm(data=data)
    if form.validate_on_submit() and attempt(
        lambda: authoring.update_kit(current_user, kit, **_kit_kwargs(form)),
        _("The kit is saved in the draft."),
        field=form.slug,
    ):
        return redirect(url_for("courses.edit_kit", slug=kit.slug))
    status = 400 if form.errors else 200
    parts = {kind: [(p, source_fields(kit, p.uuid)) for p in kit.parts_of(kind)] for kind in PART_KINDS}
    return render_template(
        "courses/kits/manage/kit.html",
        kit=kit,
        form=form,
        parts=parts,
        kinds=EDITABLE_KINDS,
        part_labels=PART_LABELS,
        qkinds=KIND_LABELS,
        publish_form=PublishForm(),
        action=ActionForm(),
        changed=has_unpublished_changes(kit),
        latest=latest_version(kit),
        workshops=db.session.scalars(select(Workshop).filter_by(kit_id=kit.id)).all(),
        test_closed=None if may_see_answer_keys(current_user, kit) else TEST_CLOSED,
    ), status


def _part_form(kind: str, data=None):
    form = part_form_class(kind)(data=data)
    if hasattr(form, "country"):
        form.country.choices = choices(
            [("", _("Regional or global (no single country)")), *country_choices()]
        )
    if hasattr(form, "file"):
        form.file.description = _(
            "Instead of an address: a PDF, PowerPoint, Word, Excel or OpenDocument file or a PNG or JPEG "
            "image, at most %(size)s.",
            size=file_size(max_kit_file_bytes()),
        )
    return form


def _part_page(kit: Kit, kind: str, part: KitPart | None, data, save, saved: str):
    """The form of a new part (``part`` None) or of an existing one; ``save(fields, settings)``."""
    form = _part_form(kind, data)
    if form.validate_on_submit() and attempt(lambda: save(*part_values(kind, form)), saved, form=form):
        return redirect(url_for("courses.edit_kit", slug=kit.slug) + f"#{kind}")
    status = 400 if request.method == "POST" else 200
    extra = {"action": ActionForm()} if part is not None else {}
    return render_template(
        "courses/kits/manage/part_form.html",
        kit=kit,
        form=form,
        kind=kind,
        part=part,
        label=PART_LABELS[kind],
        **extra,
    ), status


@bp.route("/kits/manage/<slug>/parts/new/<kind>", methods=["GET", "POST"])
@trainer_required
def new_kit_part(slug, kind):
    kit = kit_or_404(slug)
    if kind not in EDITABLE_KINDS:
        abort(404)
    return _part_page(
        kit,
        kind,
        None,
        None,
        lambda fields, settings: authoring.add_part(
            current_user, kit, kind, fields=fields, settings=settings
        ),
        _("Added to the draft."),
    )


@bp.route("/kits/manage/<slug>/parts/<part_uuid>", methods=["GET", "POST"])
@trainer_required
def edit_kit_part(slug, part_uuid):
    kit = kit_or_404(slug)
    part = part_or_404(kit, part_uuid)
    if part.kind == "exercise" and (closed := test_closed(kit, url_for("courses.edit_kit", slug=slug))):
        return closed  # its expected outcome is the facilitators'
    settings = {k: v for k, v in (part.settings or {}).items() if k != "file"}  # a file is not typed in
    data = {**source_fields(kit, part.uuid), **settings} if request.method == "GET" else None
    return _part_page(
        kit,
        part.kind,
        part,
        data,
        lambda fields, settings: authoring.update_part(current_user, part, fields=fields, settings=settings),
        _("Saved in the draft."),
    )


@bp.post("/kits/manage/<slug>/parts/<part_uuid>/move")
@trainer_required
def move_kit_part(slug, part_uuid):
    kit = kit_or_404(slug)
    part = part_or_404(kit, part_uuid, question=None)
    attempt(lambda: authoring.move_part(current_user, part, request.form.get("direction", "")))
    return redirect(url_for("courses.edit_kit", slug=kit.slug) + f"#{part.kind}")


@bp.post("/kits/manage/<slug>/parts/<part_uuid>/delete")
@trainer_required
def delete_kit_part(slug, part_uuid):
    kit = kit_or_404(slug)
    part = part_or_404(kit, part_uuid, question=None)
    if request.form.get("confirm") != "y":
        flash(_("Tick the box to confirm the deletion."), "error")
        return redirect(url_for("courses.edit_kit", slug=kit.slug) + f"#{part.kind}")
    authoring.delete_part(current_user, part)
    db.session.commit()
    flash(_("Deleted from the draft."), "success")
    return redirect(url_for("courses.edit_kit", slug=kit.slug))


@bp.post("/kits/manage/<slug>/publish")
@trainer_required
def publish_kit(slug):
    kit = kit_or_404(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    attempt(
        lambda: publish(current_user, kit, note=form.note.data or ""),
        lambda version: _("Version %(n)s is published.", n=version.number),
    )
    return redirect(url_for("courses.edit_kit", slug=kit.slug))


@bp.post("/kits/manage/<slug>/unpublish")
@trainer_required
def unpublish_kit(slug):
    kit = kit_or_404(slug)
    if attempt(
        lambda: unpublish(current_user, kit),
        _("The kit is no longer listed. Workshops that deliver it keep their version."),
    ):
        drop_cached_bundles(kit.id)  # once committed: a refused unpublishing keeps them
    return redirect(url_for("courses.edit_kit", slug=kit.slug))


@bp.get("/kits/manage/<slug>/preview")
@trainer_required
def preview_kit(slug):
    kit = kit_or_404(slug)
    return _kit_page(kit, draft_view(kit, request.args.get("lang") or lang()), preview=True)
