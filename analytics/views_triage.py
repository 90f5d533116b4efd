"""The triage queue of problem reports: a trainer sees and handles the reports on the resources they
own, an admin all of them (:mod:`analytics.scope`)."""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Select, bindparam, func, select

from analytics.dash.common import resources
from analytics.forms import TriageForm
from analytics.labels import format_cell
from analytics.models_feedback import REPORT_STATUSES, ProblemReport
from analytics.parts import part_labels
from analytics.scope import current_scope, in_scope, owned_condition, scoped_id
from analytics.services import AnalyticsError, set_report_status
from analytics.views import bp
from lms.auth import trainer_required
from lms.db import db
from lms.i18n import current_language
from lms.models import User
from lms.registry import LearningResource

PAGE = 50
OPEN = ("new", "in_progress")


@lru_cache(maxsize=16)
def _queue_statements(scoped: bool, status: str) -> tuple[Select, Select]:
    """``(counts per status, reports of status)``, built once per process: building the scope's
    conditions cost more than running the queries. ``scoped``: a trainer's reports, the user id in the
    bind parameter ``owner_id``."""
    mine = [owned_condition(ProblemReport, bindparam("owner_id"))] if scoped else []
    counts = (
        select(ProblemReport.status, func.count(ProblemReport.id)).where(*mine).group_by(ProblemReport.status)
    )
    reports = select(ProblemReport).where(*mine)
    if status == "open":
        reports = reports.where(ProblemReport.status.in_(OPEN))
    elif status != "all":
        reports = reports.where(ProblemReport.status == status)
    return counts, reports.order_by(ProblemReport.created_dt.desc(), ProblemReport.id.desc())


@lru_cache(maxsize=1)
def _titles_select() -> Select:
    return select(LearningResource.kind, LearningResource.key, LearningResource.titles).where(
        LearningResource.key.in_(bindparam("keys", expanding=True))
    )


def _resource_names(refs: set[str]) -> dict[str, str]:
    """``{"kind:key": title}`` in the reader's language for the resources on the page, read as plain
    columns (loading registry entities cost more than the rest of the page's queries)."""
    if not refs:
        return {}
    lang = current_language()
    keys = sorted({ref.partition(":")[2] for ref in refs})
    names = {}
    for kind, key, titles in db.session.execute(_titles_select(), {"keys": keys}):
        if f"{kind}:{key}" in refs:  # the title rule of the registry, on the bare columns
            names[f"{kind}:{key}"] = LearningResource.title(SimpleNamespace(titles=titles, key=key), lang)
    return names


@lru_cache(maxsize=4096)
def _label(locale: str, col: str, value) -> Markup:
    """A category, status or language cell in ``locale`` (the current one when called)."""
    return format_cell(col, value)


@lru_cache(maxsize=4096)
def _when(locale: str, tz: str, dt) -> str:
    """A report's date in ``locale`` and time zone ``tz`` (the current ones when called)."""
    return format_datetime(dt, "short")


def _row_helpers() -> dict:
    """Template helpers of the queue: its rows repeat the same few labels and, from one visit to the
    next, the same dates; formatting them with Babel on every row cost most of the page."""
    locale, tz = str(get_locale()), str(get_timezone())
    return {
        "label": lambda col, value: _label(locale, col, value),
        "when": lambda dt: _when(locale, tz, dt),
    }


@bp.get("/triage")
@trainer_required
def triage():
    status = request.args.get("status", "open")
    if status not in (*REPORT_STATUSES, "open", "all"):
        abort(400)
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        abort(400)
    owner = scoped_id(current_user)
    counts_stmt, reports_stmt = _queue_statements(owner is not None, status)
    params = {} if owner is None else {"owner_id": owner}
    # The per-status counts shown in the navigation also give the number of pages (no COUNT of its own).
    counts = dict(db.session.execute(counts_stmt, params).all())
    if status == "open":
        total = sum(counts.get(s, 0) for s in OPEN)
    elif status == "all":
        total = sum(counts.values())
    else:
        total = counts.get(status, 0)
    reports = []
    if total > (page - 1) * PAGE:
        stmt = reports_stmt.limit(PAGE).offset((page - 1) * PAGE)
        reports = db.session.scalars(stmt, params).all()
    return render_template(
        "analytics/triage.html",
        reports=reports,
        status=status,
        counts=counts,
        page=page,
        pages=max(1, -(-total // PAGE)),
        names=_resource_names({f"{r.kind}:{r.key}" for r in reports}),
        parts=part_labels((f"{r.kind}:{r.key}", r.part) for r in reports),
        **_row_helpers(),
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
        parts=part_labels([(f"{report.kind}:{report.key}", report.part)]),
        reporter=reporter,
    ), status
