"""Workshops, trainer side: schedule and edit a workshop, the roster, imported participant lists,
check-in (QR code confirmed on the trainer's phone, attendance sheet upload, by hand), paper test
results, the results page with the gain per question, certificates and the feedback summary."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courses.forms import ActionForm, choices
from courses.forms_authoring import UploadForm
from courses.forms_kits import FORMAT_LABELS, WorkshopForm
from courses.models_kits import TEST_PHASES, AttendanceCertificate, Kit, Participant, Workshop
from courses.permissions import can_edit
from courses.services import certificates as certs
from courses.services import workshops as ws
from courses.services import workshops_attendance as attendance
from courses.services import workshops_certs as wcerts
from courses.services import workshops_tests as tests
from courses.services.errors import CourseError
from courses.services.kits_snapshot import published_view
from courses.services.workshops_csv import ImportRefused
from courses.views import bp
from courses.views.common import flash_error, lang
from courses.views.workshops import _phase_or_404, workshop_or_404
from lms.auth import trainer_required
from lms.countries import country_choices
from lms.db import db

CODES_PER_PAGE = 40  # each QR code weighs about 1 KB compressed: a page stays light
FLAGS = ("is_registration_open", "is_pre_test_open", "is_post_test_open", "is_cancelled")


def managed_workshop_or_404(workshop_uuid: str) -> Workshop:
    """The workshop, for its team and admins only (403 for other trainers)."""
    workshop = workshop_or_404(workshop_uuid)
    if not can_edit(current_user, workshop):
        abort(403)
    return workshop


def _workshop_form(data=None) -> WorkshopForm:
    form = WorkshopForm(data=data)
    kits = db.session.scalars(select(Kit).where(Kit.published_version.is_not(None)).order_by(Kit.slug)).all()
    form.kit.choices = choices((k.slug, published_view(k, lang()).title) for k in kits)
    form.country_code.choices = choices(country_choices())
    return form


@bp.route("/workshops/new", methods=["GET", "POST"])
@trainer_required
def new_workshop():
    form = _workshop_form(
        {"kit": request.args.get("kit"), "languages": [lang()]} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        kit = db.session.scalar(select(Kit).filter_by(slug=form.kit.data))
        try:
            workshop = ws.create_workshop(current_user, kit, **form.values())
        except CourseError as exc:
            db.session.rollback()
            form.title.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The workshop is scheduled."), "success")
            return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))
    status = 400 if form.errors else 200
    return render_template("courses/workshops/form.html", form=form, workshop=None), status


@bp.route("/workshops/<workshop_uuid>/edit", methods=["GET", "POST"])
@trainer_required
def edit_workshop(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    data = None
    if request.method == "GET":
        data = {
            k: getattr(workshop, k)
            for k in (
                "title",
                "description",
                "start_date",
                "end_date",
                "city",
                "country_code",
                "format",
                "languages",
                "organiser",
                "partners",
                "capacity",
                "is_registration_open",
            )
        }
        data["kit"] = workshop.kit.slug
    form = _workshop_form(data)
    form.kit.choices = choices(
        [(workshop.kit.slug, published_view(workshop.kit, lang(), workshop.kit_version).title)]
    )
    if form.validate_on_submit():
        try:
            ws.update_workshop(current_user, workshop, **form.values())
        except CourseError as exc:
            db.session.rollback()
            form.title.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The workshop is saved."), "success")
            return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))
    status = 400 if form.errors else 200
    return render_template("courses/workshops/form.html", form=form, workshop=workshop), status


@bp.get("/workshops/<workshop_uuid>/manage")
@trainer_required
def manage_workshop(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    results = tests.results_by_participant(workshop)
    certificates = {
        c.participant_id: c
        for c in db.session.scalars(select(AttendanceCertificate).filter_by(workshop_id=workshop.id))
    }
    return render_template(
        "courses/workshops/manage.html",
        workshop=workshop,
        results=results,
        certificates=certificates,
        form=ActionForm(),
        formats=FORMAT_LABELS,
        latest=workshop.kit.published_version,
        phases=TEST_PHASES,
    )


@bp.post("/workshops/<workshop_uuid>/settings")
@trainer_required
def workshop_flags(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    flag, value = request.form.get("flag"), request.form.get("value")
    if not ActionForm().validate_on_submit() or flag not in FLAGS or value not in ("0", "1"):
        abort(400)
    ws.set_flags(current_user, workshop, **{flag: value == "1"})
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))


@bp.post("/workshops/<workshop_uuid>/kit-version")
@trainer_required
def workshop_kit_version(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        ws.use_latest_kit_version(current_user, workshop)
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        flash(_("The workshop now delivers version %(n)s of the kit.", n=workshop.kit_version), "success")
    return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))


def _upload(workshop: Workshop, template: str, handler, done_message):
    form = UploadForm()
    errors, status = [], 200
    if form.validate_on_submit():
        data = form.file.data.read(2 * 1024 * 1024)
        try:
            counts = handler(current_user, workshop, data)
        except ImportRefused as exc:
            db.session.rollback()
            errors, status = exc.errors, 400
            form.file.errors.append(str(exc.message))
        except CourseError as exc:
            db.session.rollback()
            form.file.errors.append(str(exc.message))
            status = 400
        else:
            db.session.commit()
            flash(done_message(counts), "success")
            return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))
    elif request.method == "POST":
        status = 400
    return render_template(template, workshop=workshop, form=form, errors=errors), status


@bp.route("/workshops/<workshop_uuid>/import", methods=["GET", "POST"])
@trainer_required
def import_workshop_participants(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    return _upload(
        workshop,
        "courses/workshops/import.html",
        ws.import_participants,
        lambda c: _(
            "%(n)s participants registered (%(new)s new accounts); %(old)s were already registered.",
            n=c["registered"],
            new=c["accounts_created"],
            old=c["already"],
        ),
    )


@bp.route("/workshops/<workshop_uuid>/attendance", methods=["GET", "POST"])
@trainer_required
def workshop_attendance(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    return _upload(
        workshop,
        "courses/workshops/attendance.html",
        attendance.import_attendance_sheet,
        lambda c: _(
            "%(n)s participants checked in; %(old)s already were; %(absent)s marked absent.",
            n=c["checked_in"],
            old=c["already"],
            absent=c["absent"],
        ),
    )


@bp.get("/workshops/<workshop_uuid>/roster.csv")
@trainer_required
def workshop_roster(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    return Response(
        attendance.roster_csv(workshop),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="workshop-{workshop.uuid[:8]}.csv"'},
    )


@bp.get("/workshops/<workshop_uuid>/check-in-codes")
@trainer_required
def workshop_codes(workshop_uuid):
    """A printable sheet: every participant's check-in QR code and a signature column."""
    workshop = managed_workshop_or_404(workshop_uuid)
    pages = max(1, -(-len(workshop.participants) // CODES_PER_PAGE))
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= pages:
        abort(404)
    chunk = workshop.participants[(page - 1) * CODES_PER_PAGE : page * CODES_PER_PAGE]
    rows = [(p, certs.qr_data_uri(attendance.check_in_url(p))) for p in chunk]
    return render_template(
        "courses/workshops/codes.html", workshop=workshop, rows=rows, page=page, pages=pages
    )


def _participant_or_404(workshop: Workshop, participant_uuid: str) -> Participant:
    participant = db.session.scalar(
        select(Participant).filter_by(uuid=participant_uuid, workshop_id=workshop.id)
    )
    if participant is None:
        abort(404)
    return participant


@bp.post("/workshops/<workshop_uuid>/participants/<participant_uuid>/check-in")
@trainer_required
def check_in_by_hand(workshop_uuid, participant_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    participant = _participant_or_404(workshop, participant_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attendance.mark_attended(current_user, participant, "manual")
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        flash(_("%(name)s is checked in.", name=participant.user.name), "success")
    return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))


@bp.route("/workshops/check-in/<token>", methods=["GET", "POST"])
@trainer_required
def check_in(token):
    """Opened from a participant's QR code on the trainer's phone; the trainer confirms with a POST."""
    try:
        participant = attendance.participant_from_token(token)
    except CourseError as exc:
        return render_template("courses/workshops/refused.html", message=exc.message, workshop=None), 400
    if not can_edit(current_user, participant.workshop):
        abort(403)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        new = attendance.mark_attended(current_user, participant, "qr")
        db.session.commit()
        flash(
            _("%(name)s is checked in.", name=participant.user.name)
            if new
            else _("%(name)s was already checked in.", name=participant.user.name),
            "success",
        )
        return redirect(url_for("courses.check_in", token=token))
    return render_template(
        "courses/workshops/check_in.html",
        participant=participant,
        workshop=participant.workshop,
        form=form,
        token=token,
    )


@bp.route("/workshops/<workshop_uuid>/paper/<phase>/<participant_uuid>", methods=["GET", "POST"])
@trainer_required
def paper_results(workshop_uuid, phase, participant_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    participant = _participant_or_404(workshop, participant_uuid)
    _phase_or_404(phase)
    view = tests.kit_view(workshop, lang())
    result = tests.result_of(participant, phase)
    form = ActionForm()
    error, status = None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        marks, bad = {}, False
        for q in view.s["questions"]:
            value = request.form.get(f"m_{q['uuid']}", "")
            if value not in ("", "1", "0"):
                bad = True
            marks[q["uuid"]] = {"1": True, "0": False}.get(value)
        try:
            if bad:
                raise CourseError(_("Each answer is marked right, wrong or not answered."))
            tests.enter_paper(current_user, participant, phase, marks, workshop.languages[0])
        except CourseError as exc:
            db.session.rollback()
            error, status = exc.message, 400
        else:
            db.session.commit()
            flash(
                _(
                    "The %(test)s of %(name)s is recorded.",
                    test=tests.phase_label(phase),
                    name=participant.user.name,
                ),
                "success",
            )
            return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))
    return render_template(
        "courses/workshops/paper.html",
        workshop=workshop,
        participant=participant,
        phase=phase,
        view=view,
        result=result,
        form=form,
        error=error,
        label=tests.phase_label(phase),
    ), status


@bp.get("/workshops/<workshop_uuid>/results")
@trainer_required
def workshop_results(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    results = tests.results_by_participant(workshop)
    return render_template(
        "courses/workshops/results.html",
        workshop=workshop,
        summary=tests.summary(workshop, lang()),
        results=results,
    )


@bp.post("/workshops/<workshop_uuid>/certificates")
@trainer_required
def issue_workshop_certificates(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        count = wcerts.issue_all(current_user, workshop)
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        flash(_("%(n)s certificates issued.", n=count), "success")
    return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))


@bp.get("/workshops/<workshop_uuid>/feedback-summary")
@trainer_required
def workshop_feedback_summary(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    return render_template(
        "courses/workshops/feedback_summary.html",
        workshop=workshop,
        summary=wcerts.feedback_summary(workshop),
    )
