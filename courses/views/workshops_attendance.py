"""Workshops, trainer side: attendance. The roster, imported participant lists, the printable sheet of
check-in codes and check-in (QR code confirmed on the trainer's phone, attendance sheet upload, by hand)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from courses.forms import ActionForm, choices
from courses.forms_authoring import UploadForm
from courses.forms_kits import ParticipantForm
from courses.models_kits import Workshop
from courses.permissions import can_edit
from courses.services import certificates as certs
from courses.services import workshops_attendance as attendance
from courses.services import workshops_registration as registration
from courses.services.errors import CourseError
from courses.services.workshops_csv import ImportRefused
from courses.views import bp
from courses.views.common import attempt
from courses.views.workshops_manage import managed_workshop_or_404, participant_or_404
from lms.auth import trainer_required
from lms.countries import country_choices
from lms.db import db
from lms.i18n import sentences

CODES_PER_PAGE = 40  # each QR code weighs about 1 KB compressed: a page stays light


def _participant_form() -> ParticipantForm:
    form = ParticipantForm(prefix="person")
    form.country.choices = choices([("", _("Choose a country")), *country_choices()])
    return form


def _registered_message(c: dict) -> str:
    return " ".join(
        (
            ngettext("%(num)s participant registered.", "%(num)s participants registered.", c["registered"]),
            ngettext("%(num)s new account created.", "%(num)s new accounts created.", c["accounts_created"]),
            ngettext("%(num)s was already registered.", "%(num)s were already registered.", c["already"]),
        )
    )


def _upload(workshop: Workshop, template: str, handler, done_message, **context):
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
    return render_template(template, workshop=workshop, form=form, errors=errors, **context), status


@bp.route("/workshops/<workshop_uuid>/import", methods=["GET", "POST"])
@trainer_required
def import_workshop_participants(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    return _upload(
        workshop,
        "courses/workshops/import.html",
        registration.import_participants,
        _registered_message,
        person_form=_participant_form(),
    )


@bp.route("/workshops/<workshop_uuid>/participants/new", methods=["POST"])
@trainer_required
def register_workshop_participant(workshop_uuid):
    """Register one person (someone who arrives without having registered); the form is on the import
    page, which comes back with the reason when the person is refused."""
    workshop = managed_workshop_or_404(workshop_uuid)
    person_form = _participant_form()
    if person_form.validate_on_submit():
        try:
            counts = registration.register_person(
                current_user,
                workshop,
                email=person_form.email.data,
                name=person_form.name.data,
                country=person_form.country.data,
                organisation=person_form.organisation.data,
            )
        except registration.WorkshopFull as exc:
            db.session.rollback()
            edit = url_for("courses.edit_workshop", workshop_uuid=workshop.uuid, _anchor="capacity")
            link = Markup('<a href="{}">{}</a>').format(edit, _("Edit the workshop"))
            person_form.form_errors.append(sentences([exc.message, link]))
        except CourseError as exc:
            db.session.rollback()
            person_form.form_errors.append(exc.message)  # markup when it quotes the address
        else:
            db.session.commit()
            flash(_registered_message(counts), "success")
            return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))
    page = render_template(
        "courses/workshops/import.html",
        workshop=workshop,
        form=UploadForm(formdata=None),
        errors=[],
        person_form=person_form,
    )
    return page, 400


def _sheet_message(c: dict) -> Markup:
    """What an attendance sheet did, as the roster then shows it."""
    said = [
        ngettext("%(num)s participant checked in.", "%(num)s participants checked in.", c["checked_in"]),
        ngettext("%(num)s was already checked in.", "%(num)s were already checked in.", c["already"]),
        ngettext(
            "%(num)s participant recorded absent.", "%(num)s participants recorded absent.", c["absent"]
        ),
    ]
    if c.get("absent_kept"):
        said.append(
            ngettext(
                "%(num)s marked absent on the sheet was already checked in: the check-in is kept.",
                "%(num)s marked absent on the sheet were already checked in: their check-ins are kept.",
                c["absent_kept"],
            )
        )
    return sentences(said)


@bp.route("/workshops/<workshop_uuid>/attendance", methods=["GET", "POST"])
@trainer_required
def workshop_attendance(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    return _upload(
        workshop,
        "courses/workshops/attendance.html",
        attendance.import_attendance_sheet,
        _sheet_message,
        not_yet=attendance.not_open_reason(workshop),
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
    if workshop.is_cancelled:  # codes no one can check in with (410 Gone)
        return render_template(
            "courses/workshops/codes.html", workshop=workshop, rows=[], page=1, pages=1
        ), 410
    pages = max(1, -(-len(workshop.participants) // CODES_PER_PAGE))
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= pages:
        abort(404)
    chunk = workshop.participants[(page - 1) * CODES_PER_PAGE : page * CODES_PER_PAGE]
    rows = [(p, certs.qr_data_uri(attendance.check_in_url(p))) for p in chunk]
    return render_template(
        "courses/workshops/codes.html", workshop=workshop, rows=rows, page=page, pages=pages
    )


@bp.post("/workshops/<workshop_uuid>/participants/<participant_uuid>/check-in")
@trainer_required
def check_in_by_hand(workshop_uuid, participant_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    participant = participant_or_404(workshop, participant_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt(
        lambda: attendance.mark_attended(current_user, participant, "manual"),
        _("%(name)s is checked in.", name=participant.user.name),
    )
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
        try:
            new = attendance.mark_attended(current_user, participant, "qr")
        except CourseError as exc:
            db.session.rollback()
            return render_template(
                "courses/workshops/refused.html", message=exc.message, workshop=participant.workshop
            ), 400
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
        # say before the trainer confirms that the check-in would be refused
        not_yet=attendance.not_open_reason(participant.workshop),
    )
