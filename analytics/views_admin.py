"""Exports (tables for trainers, within their scope; statements and learner-level data for admins);
running the rollup on demand. The triage queue is in :mod:`analytics.views_triage`."""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from analytics.dash.common import RESOURCE_RE, FilterError, Filters, resources
from analytics.exports import (
    ExportError,
    agent_key_for_account,
    csv_text,
    parse_time,
    statement_query,
    stream_statements,
    table_json,
)
from analytics.forms import LearnerExportForm, StatementExportForm, choices
from analytics.models import LearnerProgress
from analytics.rollup import run_rollup
from analytics.scope import current_scope
from analytics.snapshots import DASHBOARDS, get_payload
from analytics.views import bp
from lms.auth import admin_required, trainer_required
from lms.db import db
from lms.i18n import current_language, sort_key
from lms.models import User, audit


# -- table exports ---------------------------------------------------------------------------------------
def _table_response(columns, rows, fmt: str, filename: str) -> Response:
    if fmt == "csv":
        resp = Response(csv_text(columns, rows), mimetype="text/csv")
    else:
        resp = Response(
            json.dumps({"columns": columns, "rows": table_json(columns, rows)}, ensure_ascii=False),
            mimetype="application/json",
        )
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp


@bp.get("/export/<dashboard>/<table>.<fmt>")
@trainer_required
def export_table(dashboard, table, fmt):
    if fmt not in ("csv", "json") or dashboard not in DASHBOARDS or dashboard.startswith("open_data"):
        abort(404)
    args = {}
    try:
        f = Filters.parse(request.args, set(DASHBOARDS[dashboard].supports)).scoped(current_scope())
        if dashboard in ("course", "items", "webinar"):
            kind, key = request.args.get("kind"), request.args.get("key")
            if kind or key:
                if not RESOURCE_RE.match(f"{kind}:{key}"):
                    raise FilterError(_("Unknown resource."))
                args = {"kind": kind, "key": key}
            elif dashboard != "items":
                raise FilterError(_("Choose a resource."))
            if request.args.get("flagged_only"):
                args["flagged_only"] = True
        named = [f.kind_key] if f.kind_key else []
        if "kind" in args:
            named.append((args["kind"], args["key"]))
        if any(not f.allows(*ref) for ref in named):
            abort(404)
        payload = get_payload(dashboard, f, **args)
        db.session.commit()
    except FilterError as exc:
        return Response(str(exc) + "\n", status=400, mimetype="text/plain")
    tbl = payload["tables"].get(table)
    if tbl is None:
        abort(404)
    columns, rows = list(tbl["columns"]), [list(r) for r in tbl["rows"]]
    if "resource" in columns:  # add the title for people reading the file
        known, i = resources(scope=f.scope), columns.index("resource")
        columns.insert(i + 1, "title")
        lang = current_language()
        for r in rows:
            res = known.get(r[i])
            r.insert(i + 1, res.title(lang) if res is not None else "")
    return _table_response(columns, rows, fmt, f"analytics-{dashboard}-{table}")


# -- admin exports ---------------------------------------------------------------------------------------
def _learner_form() -> LearnerExportForm:
    form = LearnerExportForm()
    lang = current_language()
    form.resource.choices = choices(
        [("", _("All modules, sessions and kits"))]
        + sorted(
            ((ref, r.title(lang)) for ref, r in resources(("course", "kit", "workshop")).items()),
            key=lambda c: sort_key(c[1], lang),
        )
    )
    return form


@bp.get("/exports")
@admin_required
def exports():
    return render_template(
        "analytics/exports.html",
        form=StatementExportForm(request.args),
        learner_form=_learner_form(),
        error=None,
    )


@bp.get("/export/statements.jsonl")
@admin_required
def export_statements():
    form = StatementExportForm(request.args)
    error = None
    if not form.validate():
        error = _("Some filters could not be used; correct them and try again.")
    else:
        try:
            since, until = parse_time(form.since.data), parse_time(form.until.data)
            key = (
                agent_key_for_account(current_app.config["BASE_URL"], form.agent.data)
                if form.agent.data
                else None
            )
            stmt = statement_query(
                verb=form.verb.data or None,
                activity=form.activity.data or None,
                related_activities=form.related_activities.data,
                registration=form.registration.data or None,
                agent_key=key,
                since=since,
                until=until,
            )
        except ExportError as exc:
            error = str(exc)
    if error:
        return render_template(
            "analytics/exports.html", form=form, learner_form=_learner_form(), error=error
        ), 400
    limit = form.limit.data
    resp = Response(stream_with_context(stream_statements(stmt, limit)), mimetype="application/x-ndjson")
    resp.headers["Content-Disposition"] = 'attachment; filename="statements.jsonl"'
    return resp


@bp.post("/export/learners.csv")
@admin_required
def export_learners():
    """Learner-level progress; pseudonymous unless the admin states the purpose of an identified export.
    Either way the export is recorded in the audit trail."""
    form = _learner_form()
    error = None
    if not form.validate():
        error = _("The export could not be made; correct the form.")
    elif form.identify.data and len((form.purpose.data or "").strip()) < 15:
        error = _("An export with names and e-mail addresses needs its purpose (at least 15 characters).")
    if error:
        return render_template(
            "analytics/exports.html", form=StatementExportForm(None), learner_form=form, error=error
        ), 400
    L = LearnerProgress
    stmt = select(L, User).outerjoin(User, User.id == L.user_id).order_by(L.kind, L.key, L.id)
    if form.resource.data:
        kind, _sep, key = form.resource.data.partition(":")
        stmt = stmt.where(L.kind == kind, L.key == key)
    columns = [
        "resource",
        "learner",
        "language",
        "country",
        "enrolled",
        "started",
        "completed",
        "passed",
        "best_score",
        "last_lesson",
    ]
    if form.identify.data:
        columns += ["name", "email"]
    rows = []
    for lp, user in db.session.execute(stmt):
        row = [
            f"{lp.kind}:{lp.key}",
            user.uuid if user else lp.actor_key[:16],
            lp.language,
            lp.country_code,
            lp.registered_dt,
            lp.started_dt,
            lp.completed_dt,
            lp.passed_dt,
            lp.best_score,
            lp.last_child,
        ]
        row = [v.isoformat() if hasattr(v, "isoformat") else v for v in row]
        if form.identify.data:
            row += [user.display_name if user else "", user.email if user else ""]
        rows.append(row)
    audit(
        current_user,
        "analytics.export_learners",
        "analytics_learner",
        form.resource.data or "all",
        identified=bool(form.identify.data),
        purpose=(form.purpose.data or "").strip(),
        rows=len(rows),
    )
    db.session.commit()
    return _table_response(columns, rows, "csv", "analytics-learners")


@bp.post("/rollup")
@admin_required
def rollup_now():
    result = run_rollup()
    flash(
        _("Another update is running; try again in a minute.")
        if result.skipped
        else ngettext(
            "The dashboards are up to date (%(num)d new statement).",
            "The dashboards are up to date (%(num)d new statements).",
            result.processed,
        ),
        "info",
    )
    return redirect(url_for("analytics.index"))
