"""Workshops, trainer side: schedule and edit a workshop, its settings, paper test results, the results
page with the gain per question, certificates and the feedback summary. The roster, participant lists
and check-in are in :mod:`courses.views.workshops_attendance`."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from courses.forms import ActionForm, choices
from courses.forms_kits import FORMAT_LABELS, WorkshopForm
from courses.models_kits import TEST_PHASES, AttendanceCertificate, Kit, Participant, Workshop
from courses.permissions import can_edit
from courses.services import workshops as ws
from courses.services import workshops_attendance as attendance
from courses.services import workshops_certs as wcerts
from courses.services import workshops_notices as notices
from courses.services import workshops_tests as tests
from courses.services.errors import CourseError
from courses.services.kits_snapshot import published_view
from courses.views import bp
from courses.views.common import attempt, lang, validate_with
from courses.views.workshops import _phase_or_404, workshop_or_404
from lms.auth import trainer_required
from lms.countries import country_choices
from lms.db import db
from lms.timezones import automatic_zone, zone_choices

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
    form.country_code.choices = choices([("", _("Choose a country")), *country_choices()])
    form.time_zone.choices = choices([("", _("The country's time zone")), *zone_choices(lang())])
    return form


def _flash_if_past(workshop: Workshop) -> None:
    """Say that a workshop saved with dates in the past is recorded as past: accepted (past workshops
    are recorded too), but closed to registration, which a trainer who mistyped a year should know."""
    if ws.is_past(workshop):
        flash(
            _(
                "The workshop's last day, %(date)s, is in the past: it is recorded as a past workshop, "
                "and nobody can register for it.",
                date=format_date(workshop.end_date, "long"),
            ),
            "info",
        )


@bp.route("/workshops/new", methods=["GET", "POST"])
@trainer_required
def new_workshop():
    form = _workshop_form(
        {"kit": request.args.get("kit"), "languages": [lang()]} if request.method == "GET" else None
    )
    kit = db.session.scalar(select(Kit).filter_by(slug=form.kit.data)) if form.kit.data else None
    created = []
    if validate_with(form, lambda: ws.workshop_problems(kit, form.values())) and attempt(
        lambda: created.append(ws.create_workshop(current_user, kit, **form.values())),
        _("The workshop is scheduled."),
        field=form.title,
        form=form,
    ):
        _flash_if_past(created[0])
        return redirect(url_for("courses.manage_workshop", workshop_uuid=created[0].uuid))
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
                "online_url",
                "daily_start",
                "daily_end",
                "time_zone",
                "languages",
                "organiser",
                "partners",
                "capacity",
                "is_registration_open",
            )
        }
        data["kit"] = workshop.kit.slug
        if workshop.time_zone == automatic_zone(workshop.country_code):
            data["time_zone"] = ""  # the country's: follows the country if the trainer changes it
    form = _workshop_form(data)
    form.kit.choices = choices(
        [(workshop.kit.slug, published_view(workshop.kit, lang(), workshop.kit_version).title)]
    )
    was_past = ws.is_past(workshop)
    if validate_with(form, lambda: ws.workshop_problems(workshop.kit, form.values(), workshop)) and attempt(
        lambda: ws.update_workshop(current_user, workshop, **form.values()),
        _("The workshop is saved."),
        field=form.title,
        form=form,
    ):
        if not was_past:  # said once, when its dates move into the past
            _flash_if_past(workshop)
        return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))
    status = 400 if form.errors else 200
    return render_template("courses/workshops/form.html", form=form, workshop=workshop), status


@bp.get("/workshops/<workshop_uuid>/manage")
@trainer_required
def manage_workshop(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    attendance.load_roster(workshop)
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
        past=ws.is_past(workshop),
        not_yet=attendance.not_open_reason(workshop),  # no check-in buttons before then: the reason
        hours=notices.hours_text(workshop),
    )


@bp.post("/workshops/<workshop_uuid>/settings")
@trainer_required
def workshop_flags(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    flag, value = request.form.get("flag"), request.form.get("value")
    if not ActionForm().validate_on_submit() or flag not in FLAGS or value not in ("0", "1"):
        abort(400)
    reinstating = flag == "is_cancelled" and value == "0" and workshop.is_cancelled
    cancelling = flag == "is_cancelled" and value == "1" and not workshop.is_cancelled
    told = ws.set_flags(current_user, workshop, **{flag: value == "1"})
    db.session.commit()
    if cancelling and ws.is_past(workshop):
        flash(_("The workshop is cancelled. It is already over, so nobody was written to."), "success")
    elif cancelling:
        flash(
            " ".join(
                [
                    _("The workshop is cancelled."),
                    ngettext(
                        "%(num)s participant was told by e-mail.",
                        "%(num)s participants were told by e-mail.",
                        told,
                    ),
                ]
            ),
            "success",
        )
    elif reinstating and ws.is_past(workshop):
        flash(_("The workshop is reinstated. It is already over, so nobody was written to."), "success")
    elif reinstating:
        flash(
            _(
                "The workshop is reinstated. Registration and the online tests stay closed until you "
                "open them."
            ),
            "success",
        )
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))


@bp.post("/workshops/<workshop_uuid>/kit-version")
@trainer_required
def workshop_kit_version(workshop_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt(
        lambda: ws.use_latest_kit_version(current_user, workshop),
        lambda _result: _("The workshop now delivers version %(n)s of the kit.", n=workshop.kit_version),
    )
    return redirect(url_for("courses.manage_workshop", workshop_uuid=workshop.uuid))


def participant_or_404(workshop: Workshop, participant_uuid: str) -> Participant:
    participant = db.session.scalar(
        select(Participant).filter_by(uuid=participant_uuid, workshop_id=workshop.id)
    )
    if participant is None:
        abort(404)
    return participant


@bp.route("/workshops/<workshop_uuid>/paper/<phase>/<participant_uuid>", methods=["GET", "POST"])
@trainer_required
def paper_results(workshop_uuid, phase, participant_uuid):
    workshop = managed_workshop_or_404(workshop_uuid)
    participant = participant_or_404(workshop, participant_uuid)
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
            tests.enter_paper(
                current_user,
                participant,
                phase,
                marks,
                workshop.languages[0],
                blank_sheet=request.form.get("blank_sheet") == "1",
            )
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
    attendance.load_roster(workshop)
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
    attempt(
        lambda: wcerts.issue_all(current_user, workshop),
        lambda count: ngettext("%(num)s certificate issued.", "%(num)s certificates issued.", count),
    )
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
