"""Lesson images (upload with type and size checks; serving), and messages from trainers to learners."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from courses.forms_authoring import ConfirmForm, MessageForm, UploadForm
from courses.models import Media
from courses.permissions import can_edit, can_see_course
from courses.services import reminders
from courses.services.errors import CourseError
from courses.services.media import blob_path, delete_media, draft_media, max_media_bytes, save_media
from courses.services.publishing import get_version, snapshot_of
from courses.views import bp
from courses.views.common import author_course_or_404, course_or_404
from lms.auth import trainer_required
from lms.db import db


@bp.route("/manage/<slug>/media", methods=["GET", "POST"])
@trainer_required
def media(slug):
    course = author_course_or_404(slug)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(max_media_bytes() + 1)
        upload.close()
        try:
            row = save_media(current_user, course, upload.filename or "", data)
        except CourseError as exc:
            db.session.rollback()
            form.file.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                _("Uploaded. Use it in a lesson as ![description](media/%(name)s).", name=row.filename),
                "success",
            )
            return redirect(url_for("courses.media", slug=slug))
    return render_template(
        "courses/manage/media.html",
        course=course,
        form=form,
        rows=draft_media(course),
        limit=max_media_bytes(),
        confirm=ConfirmForm(),
    )


@bp.post("/manage/<slug>/media/<filename>/delete")
@trainer_required
def delete_media_file(slug, filename):
    course = author_course_or_404(slug)
    row = db.session.scalar(select(Media).filter_by(course_id=course.id, filename=filename))
    if row is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        flash(_("Tick the box to confirm the deletion."), "error")
        return redirect(url_for("courses.media", slug=slug))
    delete_media(current_user, course, row)
    db.session.commit()
    flash(_("The image is removed from the draft (published versions keep it)."), "success")
    return redirect(url_for("courses.media", slug=slug))


@bp.get("/<slug>/media/<filename>")
def media_file(slug, filename):
    """An image of the published version (anyone who may see the course), or of the draft (authors)."""
    course = course_or_404(slug)
    meta = None
    if course.published_version is not None and can_see_course(current_user, course):
        version = get_version(course)
        meta = snapshot_of(version).get("media", {}).get(filename) if version else None
    if meta is None and can_edit(current_user, course):
        row = db.session.scalar(select(Media).filter_by(course_id=course.id, filename=filename))
        if row is not None:
            meta = {"sha256": row.sha256, "content_type": row.content_type}
    if meta is None:
        abort(404)
    path = blob_path(meta["sha256"])
    if not path.exists():
        abort(404)
    response = send_file(
        path, mimetype=meta["content_type"], etag=meta["sha256"], conditional=True, max_age=86400
    )
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"
    )
    return response


@bp.route("/manage/<slug>/message", methods=["GET", "POST"])
@trainer_required
def message_learners(slug):
    course = author_course_or_404(slug)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            count = reminders.message_learners(current_user, course, form.subject.data, form.body.data)
        except CourseError as exc:
            db.session.rollback()
            form.body.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                ngettext(
                    "The message is queued for %(num)s learner.",
                    "The message is queued for %(num)s learners.",
                    count,
                ),
                "success",
            )
            return redirect(url_for("courses.edit_course", slug=slug))
    return render_template("courses/manage/message.html", course=course, form=form)
