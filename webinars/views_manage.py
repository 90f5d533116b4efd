"""webinars: the management page of one session (trainers): translations, recordings, audio, captions,
slides, chapters, Q&A and attendance imports, publishing and deletions. Each form posts to its own
route; a refused one shows the page again with the reason (status 400) and keeps nothing."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from lms.auth import trainer_required
from lms.config import LANGUAGES
from lms.db import db
from webinars import qa, services, tracking
from webinars.articles import article_label
from webinars.captions import format_clock
from webinars.errors import WebinarError
from webinars.forms import (
    ActionForm,
    AttachmentForm,
    CancelSessionForm,
    CaptionForm,
    ChapterForm,
    CSVImportForm,
    RecordingForm,
    TextForm,
)  # fmt: skip
from webinars.models import Attachment, CaptionTrack, Chapter, Recording, Registration, WebinarSession
from webinars.permissions import can_manage_team
from webinars.views import bp
from webinars.views_author import _by_uuid, _done, _session, text_form


def _forms():
    return {
        "text": TextForm(prefix="text"),
        "recording": RecordingForm(prefix="rec"),
        "caption": CaptionForm(prefix="cap"),
        "attachment": AttachmentForm(prefix="att"),
        "chapter": ChapterForm(prefix="chap"),
        "qa": CSVImportForm(prefix="qa"),
        "attendance": CSVImportForm(prefix="att-csv"),
        "action": ActionForm(),
        "cancel": CancelSessionForm(prefix="cancel"),
    }


def _manage_page(
    session: WebinarSession, forms: dict | None = None, error: WebinarError | None = None, status: int = 200
):
    forms = forms or _forms()
    if request.method == "GET" or not forms["text"].language.data:  # another form of the page was sent
        forms["text"] = text_form(session)
    registrations = db.session.scalars(
        select(Registration).where(Registration.session_id == session.id).order_by(Registration.created_dt)
    ).all()
    return render_template(
        "webinars/manage/session.html",
        session=session,
        registrations=registrations,
        can_manage_team=can_manage_team(current_user, session),
        forms=forms,
        error=error,
        format_clock=format_clock,
        article_label=article_label,
    ), status


@bp.get("/manage/s/<slug>")
@trainer_required
def manage_session(slug: str):
    return _manage_page(_session(slug))


def _post(slug: str, form_key: str, action, anchor: str):
    """Validate the named form of the manage page, run ``action(session, form)`` (a service call) and
    commit; on refusal show the page again with the reason and keep nothing."""
    session = _session(slug)
    forms = _forms()
    form = forms[form_key]
    if not form.validate_on_submit():
        return _manage_page(session, forms, WebinarError(_("Please correct the form below.")), 400)
    try:
        message = action(session, form)
    except WebinarError as exc:
        db.session.rollback()
        return _manage_page(_session(slug), forms, exc, 400)
    return _done(message, session.slug, anchor)


@bp.post("/manage/s/<slug>/text")
@trainer_required
def session_text(slug: str):
    def action(session, form):
        services.set_session_text(
            current_user, session, form.language.data, form.title.data, form.description.data
        )
        return _("The translation was saved.")

    return _post(slug, "text", action, "#translations")


@bp.post("/manage/s/<slug>/recordings")
@trainer_required
def add_recording(slug: str):
    def action(session, form):
        upload = form.file.data
        has_file = upload is not None and getattr(upload, "filename", "")
        services.save_recording(
            current_user,
            session,
            language=form.language.data,
            kind=form.kind.data,
            stream=upload.stream if has_file else None,
            filename=upload.filename if has_file else None,
            url=form.url.data or None,
        )
        return _("The recording was saved.")

    return _post(slug, "recording", action, "#recordings")


@bp.post("/manage/s/<slug>/captions")
@trainer_required
def add_captions(slug: str):
    def action(session, form):
        track = services.save_captions(
            current_user,
            session,
            language=form.language.data,
            data=form.file.data.read(),
            filename=form.file.data.filename or "",
        )
        return ngettext("Captions saved: %(num)d cue.", "Captions saved: %(num)d cues.", track.cue_count)

    return _post(slug, "caption", action, "#captions")


@bp.post("/manage/s/<slug>/attachments")
@trainer_required
def add_attachment(slug: str):
    def action(session, form):
        services.save_attachment(
            current_user,
            session,
            title=form.title.data,
            stream=form.file.data.stream,
            filename=form.file.data.filename or "",
            language=form.language.data or None,
        )
        return _("The file was attached.")

    return _post(slug, "attachment", action, "#attachments")


@bp.post("/manage/s/<slug>/chapters")
@trainer_required
def add_chapter(slug: str):
    def action(session, form):
        services.save_chapter(
            current_user,
            session,
            start_s=form.start.seconds,
            titles=form.titles(),
            articles=services.parse_articles(form.articles.data),
        )
        return _("The chapter was added.")

    return _post(slug, "chapter", action, "#chapters")


@bp.route("/manage/chapters/<uuid>", methods=["GET", "POST"])
@trainer_required
def edit_chapter(uuid: str):
    chapter = _by_uuid(Chapter, uuid)
    form = ChapterForm()
    if request.method == "GET":
        form.start.data = format_clock(chapter.start_s)
        for code in LANGUAGES:
            getattr(form, f"title_{code}").data = chapter.titles.get(code, "")
        form.articles.data = ", ".join(str(a) for a in chapter.articles)
    error = None
    if form.validate_on_submit():
        try:
            services.save_chapter(
                current_user,
                chapter.session,
                chapter=chapter,
                start_s=form.start.seconds,
                titles=form.titles(),
                articles=services.parse_articles(form.articles.data),
            )
        except WebinarError as exc:
            db.session.rollback()
            error = exc
        else:
            return _done(_("The chapter was saved."), chapter.session.slug, "#chapters")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "webinars/manage/chapter_form.html", form=form, chapter=chapter, error=error
    ), status


@bp.post("/manage/s/<slug>/qa-import")
@trainer_required
def import_qa(slug: str):
    def action(session, form):
        count = qa.import_qa_csv(current_user, session, form.file.data.read())
        return ngettext(
            "%(num)s question and its answer were imported.",
            "%(num)s questions and answers were imported.",
            count,
        )

    return _post(slug, "qa", action, "#qa")


@bp.post("/manage/s/<slug>/attendance-import")
@trainer_required
def import_attendance(slug: str):
    def action(session, form):
        r = tracking.import_attendance_csv(current_user, session, form.file.data.read())
        return _(
            "Attendance recorded for %(recorded)s people; %(unknown)s addresses have no account; "
            "%(already)s were recorded before.",
            **r,
        )

    return _post(slug, "attendance", action, "#attendance")


@bp.post("/manage/s/<slug>/publish")
@trainer_required
def publish(slug: str):
    def action(session, form):
        if request.form.get("publish") == "0":
            services.unpublish_session(current_user, session)
            return _("The session is no longer public.")
        services.publish_session(current_user, session)
        return _("The session is published.")

    return _post(slug, "action", action, "")


def _delete(row, slug: str, service, message: str, anchor: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    service(current_user, row)
    return _done(message, slug, anchor)


@bp.post("/manage/recordings/<uuid>/delete")
@trainer_required
def delete_recording(uuid: str):
    rec = _by_uuid(Recording, uuid)
    return _delete(
        rec, rec.session.slug, services.delete_recording, _("The recording was removed."), "#recordings"
    )


@bp.post("/manage/s/<slug>/captions/<lang>/delete")
@trainer_required
def delete_captions(slug: str, lang: str):
    session = _session(slug)
    track = db.session.scalar(select(CaptionTrack).filter_by(session_id=session.id, language=lang))
    if track is None:
        abort(404)
    return _delete(track, slug, services.delete_captions, _("The captions were removed."), "#captions")


@bp.post("/manage/attachments/<uuid>/delete")
@trainer_required
def delete_attachment(uuid: str):
    att = _by_uuid(Attachment, uuid)
    return _delete(
        att, att.session.slug, services.delete_attachment, _("The file was removed."), "#attachments"
    )


@bp.post("/manage/chapters/<uuid>/delete")
@trainer_required
def delete_chapter(uuid: str):
    chapter = _by_uuid(Chapter, uuid)
    return _delete(
        chapter, chapter.session.slug, services.delete_chapter, _("The chapter was removed."), "#chapters"
    )
