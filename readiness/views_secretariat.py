"""The secretariat's view (admins): every submission, levels by UN region, advisory requests with their
status, and acknowledgement of submitted assessments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth import admin_required
from lms.countries import region_name
from lms.db import db
from readiness import benchmark as bench
from readiness import catalog, results, services
from readiness.forms import AdviceStatusForm, ConfirmForm
from readiness.models import AdvisoryRequest, Assessment
from readiness.views import bp

STATE_FILTERS = ("submitted", "acknowledged", "in_review", "draft")


def _prefix(req) -> str:
    """Each request's form on the page gets its own field names and ids."""
    return "r" + req.uuid.replace("-", "")[:12]


@bp.get("/secretariat")
@admin_required
def secretariat():
    state = request.args.get("state", "")
    stmt = select(Assessment).order_by(Assessment.cycle.desc(), Assessment.country_code)
    if state in STATE_FILTERS:
        stmt = stmt.where(Assessment.state == state)
    assessments = list(db.session.scalars(stmt))
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
    )


@bp.post("/secretariat/a/<uuid>/acknowledge")
@admin_required
def acknowledge(uuid):
    a = services.get_assessment(uuid)
    if a is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.acknowledge(a, current_user)
    except services.ReadinessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("readiness.secretariat"))
    db.session.commit()
    flash(
        _(
            "The assessment of %(country)s (%(cycle)s) has been acknowledged.",
            country=a.country.name(),
            cycle=a.cycle,
        ),
        "success",
    )
    return redirect(url_for("readiness.secretariat"))


@bp.post("/secretariat/advice/<uuid>")
@admin_required
def advice_status(uuid):
    req = db.session.scalar(select(AdvisoryRequest).filter_by(uuid=uuid))
    if req is None:
        abort(404)
    form = AdviceStatusForm(prefix=_prefix(req))
    if not form.validate_on_submit():
        flash(_("Choose a status; the message may have at most 2000 characters."), "error")
        return redirect(url_for("readiness.secretariat") + "#requests")
    try:
        results.update_advice(req, current_user, form.status.data, form.response.data)
    except services.ReadinessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("readiness.secretariat") + "#requests")
    db.session.commit()
    flash(_("The request has been updated and the country notified."), "success")
    return redirect(url_for("readiness.secretariat") + "#requests")
