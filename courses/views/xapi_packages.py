"""Imported xAPI (TinCan) and cmi5 packages: upload and edit (trainers), launch (learners), the package
files of a launch session, and the cmi5 fetch URL."""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courses.forms import ActionForm
from courses.forms_authoring import ConfirmForm, PackageUploadForm, TitleForm
from courses.models import Package
from courses.services import authoring, learning
from courses.services import xapi_packages as xp
from courses.services.archive import MAX_TOTAL_BYTES, safe_name
from courses.services.errors import CourseError, PackageError
from courses.services.publishing import published_view
from courses.views import bp
from courses.views.authoring import _item_or_404, _unit_or_404
from courses.views.common import author_course_or_404, course_or_404, flash_error, lang, visible_course_or_404
from lms.auth import login_required, trainer_required
from lms.db import db
from lms.extensions import csrf

PACKAGE_CSP = (
    "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads; "
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; connect-src 'self'; "
    "frame-ancestors 'self'"
)


@bp.route("/manage/<slug>/units/<unit_uuid>/packages/new", methods=["GET", "POST"])
@trainer_required
def new_package(slug, unit_uuid):
    course = course_or_404(slug)
    unit = _unit_or_404(course, unit_uuid)
    form = PackageUploadForm()
    errors, status = [], 200
    if form.validate_on_submit():
        data = form.file.data.read(MAX_TOTAL_BYTES + 1)
        form.file.data.close()
        try:
            if len(data) > MAX_TOTAL_BYTES:
                raise PackageError(
                    _("The package is refused."), errors=[("", "", _("the upload is too large"))]
                )
            xp.add_package(
                current_user,
                unit,
                slug=form.slug.data,
                title=form.title.data or "",
                required=form.is_required.data,
                data=data,
            )
        except PackageError as exc:
            db.session.rollback()
            errors, status = exc.errors, 400
            form.file.errors.append(str(exc.message))
        except CourseError as exc:
            db.session.rollback()
            form.slug.errors.append(str(exc))
            status = 400
        else:
            db.session.commit()
            flash(_("The package is added to the draft."), "success")
            return redirect(url_for("courses.edit_course", slug=slug))
    elif request.method == "POST":
        status = 400
    return render_template(
        "courses/manage/package_form.html",
        course=course,
        unit=unit,
        form=form,
        errors=errors,
        item=None,
        package=None,
    ), status


@bp.route("/manage/<slug>/packages/<item_uuid>", methods=["GET", "POST"])
@trainer_required
def edit_package(slug, item_uuid):
    course = course_or_404(slug)
    item = _item_or_404(course, item_uuid, "package")
    package = db.session.scalar(select(Package).filter_by(uuid=item.settings.get("package_uuid")))
    form = TitleForm(data=authoring.source_fields(course, item.uuid) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            xp.rename_package(current_user, item, form.title.data)
        except CourseError as exc:
            db.session.rollback()
            form.title.errors.append(str(exc))
            return render_template(
                "courses/manage/package_form.html",
                course=course,
                unit=item.unit,
                form=form,
                errors=[],
                item=item,
                package=package,
                confirm=ConfirmForm(),
            )
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("courses.edit_course", slug=slug))
    return render_template(
        "courses/manage/package_form.html",
        course=course,
        unit=item.unit,
        form=form,
        errors=[],
        item=item,
        package=package,
        confirm=ConfirmForm(),
    )


def package_page(**context):
    """The learner's page of a package step (called by the learner item view): cmi5, its blocks and AUs
    with what the learner has done in each, one launch button per AU."""
    from courses.services import cmi5

    package = xp.package_of(context["item"])
    if package is None:
        abort(404)
    return render_template(
        "courses/package.html",
        package=package,
        children=cmi5.children_of(package),
        states=cmi5.states_of(context.get("enrolment"), package),
        node_title=lambda node: cmi5.title_in(node, lang()),
        **context,
    )


@bp.post("/<slug>/learn/<item_slug>/launch")
@login_required
def launch(slug, item_slug):
    course = visible_course_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    enrolment = learning.get_enrolment(current_user, course)
    if enrolment is None:
        flash(_("Enrol in the module to study it."), "info")
        return redirect(url_for("courses.course", slug=slug))
    view = published_view(course, lang())
    item = view.item(item_slug)
    package = xp.package_of(item) if item is not None and item["kind"] == "package" else None
    if package is None:
        abort(404)
    try:
        _session, url = xp.start_launch(
            current_user,
            enrolment,
            view,
            item,
            package,
            files_url=lambda sid: url_for(
                "courses.package_file", slug=slug, session_uuid=sid, path="x", _external=True
            )[:-1],
            fetch_url=lambda token: url_for("courses.cmi5_fetch", token=token, _external=True),
            return_url=url_for("courses.item", slug=slug, item_slug=item_slug, _external=True),
            au_uuid=request.form.get("au") or None,
        )
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
        return redirect(url_for("courses.item", slug=slug, item_slug=item_slug))
    enrolment.last_item_uuid = item["uuid"]
    db.session.commit()
    return redirect(url, code=303)


@bp.get("/<slug>/run/<session_uuid>/<path:path>")
def package_file(slug, session_uuid, path):
    """A file of the package, served under its course for one launch session (the session id in the path
    is the access key, so the sandboxed content can load its files without cookies)."""
    session = xp.session_for_files(session_uuid)
    clean = safe_name(path)
    if session is None or clean is None:
        abort(404)
    package = db.session.scalar(select(Package).filter_by(uuid=session.package_uuid))
    if (
        package is None
        or clean not in (package.files or [])
        or package.course_id != session.enrolment.course_id
    ):
        abort(404)
    if session.enrolment.course.slug != slug:
        abort(404)
    response = send_file(xp.package_dir(package.uuid) / clean, conditional=True, max_age=0)
    response.headers["Content-Security-Policy"] = PACKAGE_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/cmi5/fetch/<token>", methods=["POST", "OPTIONS"])
@csrf.exempt
def cmi5_fetch(token):
    """cmi5 fetch URL: POST returns the authorization token once; then error-code 1."""
    if request.method == "OPTIONS":
        response = Response(status=204)
    else:
        status, body = xp.fetch_token(token)
        db.session.commit()
        response = jsonify(body)
        response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/manage/<slug>/packages/<item_uuid>/waive")
@trainer_required
def waive_au(slug, item_uuid):
    """Waive one AU of a cmi5 package for one enrolled learner (cmi5 9.3.7)."""
    from courses.services import cmi5

    course = author_course_or_404(slug)
    item = _item_or_404(course, item_uuid, "package")
    package = db.session.scalar(select(Package).filter_by(uuid=item.settings.get("package_uuid")))
    if package is None or package.kind != "cmi5" or not ActionForm().validate_on_submit():
        abort(400)
    try:
        user, enrolment = cmi5.enrolled_learner(course, request.form.get("email", ""))
        au = xp.au_of(package, request.form.get("au", ""))
        if au is None:
            raise CourseError(_("This activity is not part of the package."))
        cmi5.waive(current_user, user, enrolment, package, au, request.form.get("reason", ""))
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
        return redirect(url_for("courses.edit_package", slug=slug, item_uuid=item_uuid))
    db.session.commit()
    flash(_("The activity is waived for this learner."), "success")
    return redirect(url_for("courses.edit_package", slug=slug, item_uuid=item_uuid))
