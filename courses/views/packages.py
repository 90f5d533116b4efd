"""Course packages (export / import as zip) and offline copies for learners."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from courses.forms_authoring import UploadForm
from courses.services import learning, package_export, package_io
from courses.services.archive import MAX_TOTAL_BYTES
from courses.services.errors import PackageError
from courses.services.offline import offline_zip
from courses.services.publishing import draft_is_published, published_view
from courses.views import bp
from courses.views.common import author_course_or_404, lang, visible_course_or_404
from lms.auth import login_required, trainer_required
from lms.db import db


def zip_response(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/manage/<slug>/export")
@trainer_required
def export_package(slug):
    course = author_course_or_404(slug)
    return zip_response(package_export.export_zip(course), f"{course.slug}.zip")


def import_page(package, template: str, *, replaced: str, unchanged: str, is_published, edit_endpoint: str):
    """The upload page of a course or kit package. ``package`` is the service module
    (:mod:`courses.services.package_io` or ``kits_package``): its ``files_from_zip`` and ``import_files``
    read and write the upload, or raise :class:`PackageError`, whose errors the page lists with status
    400 (nothing is kept); ``replaced`` is the message when the package replaced an existing draft,
    ``unchanged`` when the draft it replaced is now what ``is_published(resource)`` says is published."""
    form = UploadForm()
    errors = []
    status = 200
    if form.validate_on_submit():
        data = form.file.data.read(MAX_TOTAL_BYTES + 1)
        form.file.data.close()
        try:
            if len(data) > MAX_TOTAL_BYTES:
                raise PackageError(
                    _("The package is refused."), errors=[("", "", _("the upload is too large"))]
                )
            resource, created = package.import_files(current_user, package.files_from_zip(data))
        except PackageError as exc:
            db.session.rollback()
            errors = exc.errors
            form.file.errors.append(str(exc.message))
            status = 400
        else:
            db.session.commit()
            if created:
                flash(_("The package is imported as a draft."), "success")
            else:
                flash(unchanged if is_published(resource) else replaced, "success")
            return redirect(url_for(edit_endpoint, slug=resource.slug))
    elif request.method == "POST":
        status = 400
    return render_template(template, form=form, errors=errors), status


@bp.route("/manage/import", methods=["GET", "POST"])
@trainer_required
def import_package():
    return import_page(
        package_io,
        "courses/manage/import.html",
        replaced=_("The package replaced the draft of this module. Publish to show it to learners."),
        unchanged=_("The package is the version learners already see: there is nothing to publish."),
        is_published=draft_is_published,
        edit_endpoint="courses.edit_course",
    )


@bp.get("/<slug>/offline.zip")
@login_required
def offline(slug):
    course = visible_course_or_404(slug)
    if learning.get_enrolment(current_user, course) is None:
        flash(_("Enrol in the module to study it."), "info")
        return redirect(url_for("courses.course", slug=slug))
    view = published_view(course, lang())
    unit_uuid = request.args.get("unit")
    if unit_uuid and not any(u["uuid"] == unit_uuid for u in view.s["units"]):
        abort(404)
    name = f"{course.slug}-{view.language}" + (f"-unit-{unit_uuid[:8]}" if unit_uuid else "") + ".zip"
    return zip_response(offline_zip(view, unit_uuid), name)
