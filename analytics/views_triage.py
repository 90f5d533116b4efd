"""The triage queue of problem reports: a trainer sees and handles the reports on the resources they
own, an admin all of them (:mod:`analytics.scope`)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from analytics.dash.common import resources, scope_conds
from analytics.forms import TriageForm
from analytics.models_feedback import REPORT_STATUSES, ProblemReport
from analytics.scope import current_scope, in_scope
from analytics.services import AnalyticsError, set_report_status
from analytics.views import bp
from lms.auth import trainer_required
from lms.db import db
from lms.models import User

PAGE = 50


@bp.get("/triage")
@trainer_required
def triage():
    status = request.args.get("status", "open")
    if status not in (*REPORT_STATUSES, "open", "all"):
        abort(400)
    scope = current_scope()
    mine = scope_conds(ProblemReport, scope)
    stmt = select(ProblemReport).where(*mine)
    if status == "open":
        stmt = stmt.where(ProblemReport.status.in_(("new", "in_progress")))
    elif status != "all":
        stmt = stmt.where(ProblemReport.status == status)
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        abort(400)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    reports = db.session.scalars(
        stmt.order_by(ProblemReport.created_dt.desc(), ProblemReport.id.desc())
        .limit(PAGE)
        .offset((page - 1) * PAGE)
    ).all()
    counts = dict(
        db.session.execute(
            select(ProblemReport.status, func.count(ProblemReport.id))
            .where(*mine)
            .group_by(ProblemReport.status)
        ).all()
    )
    return render_template(
        "analytics/triage.html",
        reports=reports,
        status=status,
        counts=counts,
        page=page,
        pages=max(1, -(-total // PAGE)),
        titles=resources(scope=scope),
    )


@bp.route("/triage/<uuid>", methods=["GET", "POST"])
@trainer_required
def triage_report(uuid):
    report = db.session.scalar(select(ProblemReport).filter_by(uuid=uuid))
    if report is None or not in_scope(current_scope(), report.kind, report.key):
        abort(404)  # another trainer's report is as unknown as a missing one
    form = TriageForm(obj=None)
    if request.method == "GET":
        form.status.data, form.note.data = report.status, report.resolution_note
    error = None
    if request.method == "POST" and form.validate():
        try:
            mailed = set_report_status(
                report, status=form.status.data, note=form.note.data, actor=current_user
            )
        except AnalyticsError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash(
                _("The report is updated; the reporter was told by e-mail.")
                if mailed
                else _("The report is updated."),
                "success",
            )
            return redirect(url_for("analytics.triage_report", uuid=uuid))
    status = 400 if (error or (request.method == "POST" and form.errors)) else 200
    reporter = db.session.get(User, report.user_id) if report.user_id else None
    return render_template(
        "analytics/triage_report.html",
        report=report,
        form=form,
        error=error,
        titles=resources(),
        reporter=reporter,
    ), status
