"""Kits as files and copies (trainers): copy a kit to adapt it for a region, export a kit package, import
one (validated whole, refused with file, line and reason)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses.forms_kits import CopyKitForm
from courses.permissions import can_edit, may_see_answer_keys
from courses.services import kits_copy, kits_package
from courses.services.errors import CourseError
from courses.services.kits_snapshot import draft_is_published, is_visible
from courses.views import bp
from courses.views.common import flash_error
from courses.views.kits_manage import any_kit_or_404, kit_or_404
from courses.views.packages import import_page, zip_response
from lms.auth import trainer_required
from lms.db import db


@bp.route("/kits/manage/<slug>/copy", methods=["GET", "POST"])
@trainer_required
def copy_kit(slug):
    # Any trainer may adapt a published kit for their region (the copy is theirs), from the version
    # visitors see; the draft, and a kit no longer published, stay the team's.
    kit = any_kit_or_404(slug)
    from_draft = can_edit(current_user, kit)
    if not from_draft and not is_visible(kit):
        abort(403)
    title = kits_copy.copy_title(kit, published=not from_draft)
    with_test = may_see_answer_keys(current_user, kit)  # the questions carry their answers
    form = CopyKitForm()
    if request.method == "GET":
        form.slug.data = f"{kit.slug}-adapted"[:80]
        form.title.data = title
    if form.validate_on_submit():
        try:
            copy = kits_copy.copy_kit(
                current_user,
                kit,
                slug=form.slug.data,
                region=form.region.data,
                title=form.title.data,
                published=not from_draft,
                with_test=with_test,
            )
        except CourseError as exc:
            db.session.rollback()
            form.slug.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                _("The copy is a new draft kit: adapt its case studies and guide, then publish it."),
                "success",
            )
            return redirect(url_for("courses.edit_kit", slug=copy.slug))
    status = 400 if form.errors else 200
    return render_template(
        "courses/kits/manage/copy.html",
        kit=kit,
        form=form,
        title=title or kit.slug,
        from_draft=from_draft,
        with_test=with_test,
    ), status


@bp.get("/kits/manage/<slug>/export")
@trainer_required
def export_kit(slug):
    kit = kit_or_404(slug)
    # Refused whole rather than sent without the test: imported back, a package without it would
    # remove the kit's questions.
    if kit.parts_of("question") and not may_see_answer_keys(current_user, kit):
        flash(
            _(
                "The kit's package carries its test with the answers, and you take part in a workshop "
                "of this kit (or of a copy of it) that is not over: export it once that workshop is over."
            ),
            "error",
        )
        return redirect(url_for("courses.edit_kit", slug=kit.slug))
    try:
        data = kits_package.export_zip(kit)
    except CourseError as exc:  # a resource's file is gone: no package rather than one without it
        flash_error(exc)
        return redirect(url_for("courses.edit_kit", slug=kit.slug))
    return zip_response(data, f"kit-{kit.slug}.zip")


@bp.route("/kits/manage/import", methods=["GET", "POST"])
@trainer_required
def import_kit():
    return import_page(
        kits_package,
        "courses/kits/manage/import.html",
        replaced=_("The package replaced the draft of this kit. Publish to show it."),
        unchanged=_("The package is the version the kit's page already shows: there is nothing to publish."),
        is_published=draft_is_published,
        edit_endpoint="courses.edit_kit",
    )
