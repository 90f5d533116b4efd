"""Workshops, participant side: the list and page of a workshop, registration, the check-in ticket (QR
code), the calendar file, the online pre-test and post-test and feedback. Certificates of attendance
and their public verification are in :mod:`.workshops_certs`; trainer pages in
:mod:`.workshops_manage`."""

from __future__ import annotations

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from courses.forms import ActionForm
from courses.forms_kits import FORMAT_LABELS, FeedbackForm
from courses.models_kits import TEST_PHASES, Workshop
from courses.permissions import can_edit
from courses.services import certificates as certs
from courses.services import workshops as ws
from courses.services import workshops_certs as wcerts
from courses.services import workshops_notices as notices
from courses.services import workshops_registration as registration
from courses.services import workshops_tests as tests
from courses.services.errors import BadSubmission, CourseError, SomeUnanswered, UnclearAnswer
from courses.services.workshops import today
from courses.services.workshops_attendance import check_in_url
from courses.views import bp
from courses.views.common import flash_error, form_values, lang, unclear_status
from lms.account.mails import external_url
from lms.auth import login_required
from lms.db import db
from lms.timezones import hours_elsewhere, reader_zone, reader_zone_is_default

PUBLIC_RESULTS_MIN = 5


def workshop_or_404(workshop_uuid: str) -> Workshop:
    workshop = ws.workshop_by_uuid(workshop_uuid)
    if workshop is None:
        abort(404)
    return workshop


def participant_or_404(workshop: Workshop):
    participant = ws.participant_of(workshop, current_user)
    if participant is None:
        abort(404)
    return participant


def _phase_or_404(phase: str) -> str:
    if phase not in TEST_PHASES:
        abort(404)
    return phase


@bp.get("/workshops")
def workshops():
    # A cancelled workshop stays listed (marked) until its dates have passed, then drops out.
    now = today()
    rows = db.session.scalars(
        select(Workshop)
        .where(or_(Workshop.is_cancelled.is_(False), Workshop.end_date >= now))
        .order_by(Workshop.start_date.desc())
    ).all()
    mine = []
    if current_user.is_authenticated:
        mine = registration.registrations_of(current_user)
    return render_template(
        "courses/workshops/list.html",
        mine=mine,
        upcoming=[w for w in reversed(rows) if w.end_date >= now],
        past=[w for w in rows if w.end_date < now],
        formats=FORMAT_LABELS,
    )


@bp.get("/workshops/<workshop_uuid>")
def workshop(workshop_uuid):
    workshop = workshop_or_404(workshop_uuid)
    participant = ws.participant_of(workshop, current_user)
    view = tests.kit_view(workshop, lang())
    is_team = can_edit(current_user, workshop)
    online_url = _online_url_for_reader(workshop, participant, is_team)
    page = render_template(
        "courses/workshops/workshop.html",
        workshop=workshop,
        view=view,
        participant=participant,
        formats=FORMAT_LABELS,
        form=ActionForm(),
        taken=ws.count_participants(workshop),
        past=ws.is_past(workshop),
        started=ws.has_started(workshop),
        results={p: tests.result_of(participant, p) for p in TEST_PHASES} if participant else {},
        certificate=wcerts.certificate_of(participant) if participant else None,
        feedback_open=wcerts.can_give_feedback(participant),
        summary=_results_for_page(workshop, view),
        online_url=online_url,
        over_at_venue=ws.is_over_at_venue(workshop),
        is_trainer=is_team,
        hours=notices.hours_text(workshop),
        hours_here=_hours_here(workshop),
    )
    resp = make_response(page)
    if online_url:  # a registrant's page: no shared cache keeps its address
        resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _hours_here(workshop: Workshop) -> str | None:
    """The first day's hours in the reader's own zone, when they have one and it is not the venue's
    time (a visitor's times would be UTC, which tells them nothing)."""
    if not notices.has_hours(workshop) or reader_zone_is_default():
        return None
    return hours_elsewhere(
        workshop.start_date, workshop.daily_start, workshop.daily_end, workshop.time_zone, reader_zone()
    )


def _results_for_page(workshop: Workshop, view):
    """Trainers always see the results; everyone once the workshop is over and at least
    ``PUBLIC_RESULTS_MIN`` participants took each test (no small groups, so no one is singled out).
    Results not shown are not read: only counted."""
    if not can_edit(current_user, workshop):
        if not ws.is_past(workshop) or min(tests.tested_counts(workshop).values()) < PUBLIC_RESULTS_MIN:
            return None
    return tests.summary(workshop, lang(), view)


@bp.post("/workshops/<workshop_uuid>/register")
@login_required
def register_workshop(workshop_uuid):
    workshop = workshop_or_404(workshop_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        _participant, created = registration.self_register(current_user, workshop)
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        if created:
            flash(_("You are registered. Show your ticket's QR code when you arrive."), "success")
    return redirect(url_for("courses.workshop", workshop_uuid=workshop.uuid))


@bp.post("/workshops/<workshop_uuid>/unregister")
@login_required
def unregister_workshop(workshop_uuid):
    workshop = workshop_or_404(workshop_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        registration.cancel_registration(current_user, workshop)
    except CourseError as exc:
        db.session.rollback()
        flash_error(exc)
    else:
        db.session.commit()
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("courses.workshop", workshop_uuid=workshop.uuid))


@bp.get("/workshops/<workshop_uuid>/ticket")
@login_required
def workshop_ticket(workshop_uuid):
    workshop = workshop_or_404(workshop_uuid)
    participant = participant_or_404(workshop)
    if workshop.is_cancelled:  # no check-in code for a workshop that does not take place (410 Gone)
        return render_template(
            "courses/workshops/ticket.html", workshop=workshop, participant=participant, qr=None
        ), 410
    return render_template(
        "courses/workshops/ticket.html",
        workshop=workshop,
        participant=participant,
        qr=certs.qr_data_uri(check_in_url(participant)),
    )


@bp.get("/workshops/<workshop_uuid>/calendar.ics")
def workshop_calendar(workshop_uuid):
    """The workshop's days as a calendar file (public, as the workshop's page is). A registrant's or
    the workshop team's file also carries the address to join a hybrid workshop online."""
    workshop = workshop_or_404(workshop_uuid)
    page = external_url("courses.workshop", workshop_uuid=workshop.uuid)
    participant = ws.participant_of(workshop, current_user)
    online = _online_url_for_reader(workshop, participant, can_edit(current_user, workshop))
    resp = Response(notices.calendar_for(workshop, page, online_url=online), mimetype="text/calendar")
    resp.headers["Content-Disposition"] = f'attachment; filename="{notices.calendar_filename(workshop)}"'
    if online:
        resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _online_url_for_reader(workshop: Workshop, participant, is_team: bool) -> str:
    """The online address for this reader: its team, and registrants (``participant``) of a workshop
    that takes place; empty for anyone else."""
    if is_team or (participant is not None and not workshop.is_cancelled):
        return notices.online_url_for(workshop)
    return ""


@bp.route("/workshops/<workshop_uuid>/tests/<phase>", methods=["GET", "POST"])
@login_required
def workshop_test(workshop_uuid, phase):
    """The test's page (status, your score); POST starts (or continues) the online test."""
    workshop = workshop_or_404(workshop_uuid)
    participant = participant_or_404(workshop)
    _phase_or_404(phase)
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            tests.start_test(participant, phase, lang())
        except CourseError as exc:
            db.session.rollback()
            flash_error(exc)
            return redirect(url_for("courses.workshop_test", workshop_uuid=workshop.uuid, phase=phase))
        db.session.commit()
        return redirect(url_for("courses.workshop_test_sheet", workshop_uuid=workshop.uuid, phase=phase))
    return render_template(
        "courses/workshops/test.html",
        workshop=workshop,
        participant=participant,
        phase=phase,
        result=tests.result_of(participant, phase),
        form=form,
        label=tests.phase_label(phase),
    )


@bp.route("/workshops/<workshop_uuid>/tests/<phase>/sheet", methods=["GET", "POST"])
@login_required
def workshop_test_sheet(workshop_uuid, phase):
    workshop = workshop_or_404(workshop_uuid)
    participant = participant_or_404(workshop)
    _phase_or_404(phase)
    result = tests.result_of(participant, phase)
    if result is None or result.mode != "online":
        return redirect(url_for("courses.workshop_test", workshop_uuid=workshop.uuid, phase=phase))
    form = ActionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        answers = form_values(request.form)
        try:
            tests.submit_test(participant, result, answers)
        except UnclearAnswer as exc:  # the sheet again, answers kept, each reason by its question
            db.session.rollback()
            return _sheet_page(workshop, result, form, phase, exc, answers), unclear_status(exc)
        except BadSubmission as exc:
            db.session.rollback()
            return render_template(
                "courses/workshops/refused.html", message=exc.message, workshop=workshop
            ), 400
        except CourseError as exc:
            db.session.rollback()
            flash_error(exc)
        else:
            db.session.commit()
            flash(_("Your answers are recorded."), "success")
        return redirect(url_for("courses.workshop_test", workshop_uuid=workshop.uuid, phase=phase))
    if result.submitted_dt is not None:
        return redirect(url_for("courses.workshop_test", workshop_uuid=workshop.uuid, phase=phase))
    return _sheet_page(workshop, result, form, phase)


def _sheet_page(workshop, result, form, phase, unclear: UnclearAnswer | None = None, answers=None):
    view = tests.kit_view(workshop, result.language)
    sheet = [
        (d, view.question(d["uuid"]), view.texts(view.question(d["uuid"])["texts"]))
        for d in result.drawn
        if view.question(d["uuid"]) is not None
    ]
    return render_template(
        "courses/workshops/sheet.html",
        workshop=workshop,
        result=result,
        sheet=sheet,
        form=form,
        label=tests.phase_label(phase),
        phase=phase,
        unclear=unclear,
        may_leave_unanswered=isinstance(unclear, SomeUnanswered),
        answers=answers or {},
    )


@bp.route("/workshops/<workshop_uuid>/feedback", methods=["GET", "POST"])
@login_required
def workshop_feedback(workshop_uuid):
    workshop = workshop_or_404(workshop_uuid)
    participant = participant_or_404(workshop)
    existing = wcerts.feedback_of(participant)
    form = FeedbackForm(
        data={"rating": str(existing.rating), "comment": existing.comment}
        if existing and request.method == "GET"
        else None
    )
    status = 200
    if form.validate_on_submit():
        try:
            wcerts.give_feedback(participant, rating=form.rating.data, comment=form.comment.data or "")
        except CourseError as exc:
            db.session.rollback()
            form.rating.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Thank you for your feedback."), "success")
            return redirect(url_for("courses.workshop", workshop_uuid=workshop.uuid))
    if form.errors:
        status = 400
    return render_template(
        "courses/workshops/feedback.html",
        workshop=workshop,
        form=form,
        existing=existing,
        is_open=wcerts.can_give_feedback(participant),
    ), status


from courses.services.workshops_receivers import connect as _connect_receivers  # noqa: E402

_connect_receivers()
