"""The secretariat's view (admins): every submission, levels by UN region, advisory requests with their
status, acknowledgement of submitted assessments, and the appointment of country coordinators."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth import admin_required
from lms.countries import country_name, region_name
from lms.db import db
from lms.i18n import sort_key
from lms.models import User
from readiness import benchmark as bench
from readiness import catalog, coordinators, results, services
from readiness.forms import AdviceStatusForm, ConfirmForm, field_errors
from readiness.models import AdvisoryRequest, Assessment
from readiness.views import bp

STATE_FILTERS = ("submitted", "acknowledged", "in_review", "draft")


def _prefix(req) -> str:
    """Each request's form on the page gets its own field names and ids."""
    return "r" + req.uuid.replace("-", "")[:12]


@bp.get("/secretariat")
@admin_required
def secretariat():
    return _secretariat_page(request.args.get("state", ""))


def _secretariat_page(state: str, refused: AdviceStatusForm | None = None, refused_uuid: str = ""):
    """The secretariat's page; ``refused``: a request's form shown again as filled in, with its errors."""
    stmt = select(Assessment)
    if state in STATE_FILTERS:
        stmt = stmt.where(Assessment.state == state)
    # Newest cycle first, then the countries in the reader's alphabetical order (not by ISO code).
    by_name = sorted(db.session.scalars(stmt), key=lambda a: sort_key(country_name(a.country_code)))
    assessments = sorted(by_name, key=lambda a: a.cycle, reverse=True)
    q = catalog.questionnaire_of(catalog.current_questionnaire_row())
    ruleset = catalog.ruleset_for(catalog.current_ruleset_row(), catalog.current_questionnaire_row())
    db.session.commit()  # the first visit may store the shipped files
    overview = bench.secretariat_overview()
    status_forms = {}
    requests = results.advisory_requests()
    for req in requests:
        status_forms[req.uuid] = AdviceStatusForm(
            formdata=None, prefix=_prefix(req), status=req.status, response=req.response
        )
    if refused is not None:
        status_forms[refused_uuid] = refused
    latest = {a.id: results.latest_result(a) for a in assessments}
    levels = {a_id: (res.profile["dimensions"] if res else {}) for a_id, res in latest.items()}
    return render_template(
        "readiness/secretariat.html",
        assessments=assessments,
        state=state,
        states=STATE_FILTERS,
        q=q,
        overview=sorted(overview.items()),
        region_name=region_name,
        requests=requests,
        status_forms=status_forms,
        services=ruleset.services,
        ack_form=ConfirmForm(formdata=None),
        levels=levels,
        status_label=results.status_label,
        focal_points=coordinators.focal_points_without_coordinator(),
    ), (200 if refused is None else 400)


@bp.post("/secretariat/a/<uuid>/acknowledge")
@admin_required
def acknowledge(uuid):
    a = services.get_assessment(uuid)
    if a is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    # Back to the list as it was filtered (an unknown state is simply not kept).
    state = request.form.get("state", "")
    back = url_for("readiness.secretariat", **({"state": state} if state in STATE_FILTERS else {}))
    try:
        services.acknowledge(a, current_user)
    except services.ReadinessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    flash(
        _(
            "The assessment of %(country)s (%(cycle)s) has been acknowledged.",
            country=country_name(a.country_code),
            cycle=a.cycle,
        ),
        "success",
    )
    return redirect(back)


@bp.post("/secretariat/coordinators/<user_uuid>")
@admin_required
def appoint_coordinator(user_uuid):
    user = db.session.scalar(select(User).filter_by(uuid=user_uuid))
    if user is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        coordinators.appoint(current_user, user)
    except services.ReadinessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("readiness.secretariat") + "#coordinators")
    db.session.commit()
    flash(
        _(
            "%(name)s is now the coordinator of %(country)s and has been told by e-mail.",
            name=user.name,
            country=country_name(user.country_code),
        ),
        "success",
    )
    return redirect(url_for("readiness.secretariat") + "#coordinators")


@bp.post("/secretariat/advice/<uuid>")
@admin_required
def advice_status(uuid):
    req = db.session.scalar(select(AdvisoryRequest).filter_by(uuid=uuid))
    if req is None:
        abort(404)
    form = AdviceStatusForm(prefix=_prefix(req))
    # A refused update is shown again at that request's form, so that the message to the country is not
    # lost and the reason is at its field.
    if not form.validate_on_submit():
        if form.response.errors:
            form.response.errors = [_("The message is longer than %(n)s characters.", n=2000)]
        return _secretariat_page("", form, req.uuid)
    try:
        results.update_advice(req, current_user, form.status.data, form.response.data)
    except services.ReadinessError as exc:
        db.session.rollback()
        field_errors(form, exc)
        return _secretariat_page("", form, req.uuid)
    db.session.commit()
    flash(_("The request has been updated and the country notified."), "success")
    return redirect(url_for("readiness.secretariat") + "#requests")
