"""Public pages: the open-data dashboard and its downloads, and the feedback loop ("Was this useful?",
"Report a problem", the end-of-course evaluation) that any page of the platform can link or post to."""

from __future__ import annotations

import json
from collections import OrderedDict

from flask import Response, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from analytics import opendata
from analytics.dash.common import Filters
from analytics.exports import csv_text, table_json
from analytics.forms import EvaluationForm, FeedbackForm, OpenDataForm, ReportForm, choices
from analytics.models import MonthlyCount
from analytics.models_feedback import Evaluation
from analytics.rollup import get_state
from analytics.services import (
    AnalyticsError,
    parse_resource,
    record_feedback,
    report_problem,
    save_evaluation,
)
from analytics.snapshots import get_payload, snapshot_key
from analytics.views import bp, cached_body, cached_page
from lms.auth import login_required
from lms.db import db
from lms.extensions import limiter
from lms.i18n import current_language
from lms.views import safe_next


def _feedback_limit() -> str:
    return current_app.config.get("ANALYTICS_FEEDBACK_RATELIMIT", "10 per minute;60 per hour")


# -- open data -----------------------------------------------------------------------------------------
def _years() -> list[str]:
    lo, hi = db.session.execute(select(func.min(MonthlyCount.month), func.max(MonthlyCount.month))).one()
    if not lo:
        return []
    return [str(y) for y in range(int(hi[:4]), int(lo[:4]) - 1, -1)]


def open_data_year() -> tuple[OpenDataForm, str | None, str | None]:
    """The open-data year asked for in the query string (the page and the API take the same parameter):
    ``(form, year or None for all years, error message or None)``."""
    form = OpenDataForm(request.args)
    form.year.choices = choices([("", _("All years"))] + [(y, y) for y in _years()])
    if not form.validate():
        return form, None, _("There are no figures for that year.")
    return form, form.year.data or None, None


def open_data_document(payload: dict) -> dict:
    state = get_state()
    tbl = payload["tables"]["open_data"]
    return {
        "title": "Minamata LMS open data: learning by UN region and language",
        "publisher": opendata.ATTRIBUTION,
        "licence": opendata.LICENCE,
        "attribution": opendata.ATTRIBUTION,
        "period": payload.get("period"),
        "data_as_of": state.last_stored_dt.isoformat() if state and state.last_stored_dt else None,
        "computed": payload.get("computed"),
        "suppression": {
            "threshold": 5,
            "rule": "counts from 1 to 4 are hidden (zeros are shown: they reveal nobody); further cells "
            "are hidden so that hidden counts cannot be derived from totals or from the other years",
        },
        "dictionary": [{"field": f, "type": t, "description": str(d)} for f, t, d in opendata.DICTIONARY],
        "measures": {k: str(v) for k, v in opendata.MEASURES.items()},
        "data": table_json(tbl["columns"], tbl["rows"]),
    }


@bp.get("/open-data")
def open_data():
    year = request.args.get("year") or None
    if year is None or opendata.YEAR_RE.match(year):
        hit = cached_body("open_data", "analytics/open_data.html", Filters(), {"year": year})
        if hit is not None:
            return hit
    form, year, error = open_data_year()
    values = dict(form=form, error=error, year=year, opendata=opendata)
    return cached_page("open_data", "analytics/open_data.html", Filters(), {"year": year}, values)


def _cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


_PUBLIC: OrderedDict = OrderedDict()


def public_document(kind: str, year: str | None, build):
    """An open-data download built once per data version and language (public endpoints are fetched
    by other sites and must stay cheap). Per process; bounded."""
    key = (kind, snapshot_key("open_data", Filters(), year=year), current_language())
    hit = _PUBLIC.get(key)
    if hit is None:
        payload = get_payload("open_data", Filters(), _key=key[1], year=year)
        db.session.commit()
        hit = _PUBLIC[key] = build(payload)
        while len(_PUBLIC) > 32:
            _PUBLIC.popitem(last=False)
    return hit


@bp.get("/open-data.csv")
def open_data_csv():
    _form, year, error = open_data_year()
    if error:
        return Response(error + "\n", status=400, mimetype="text/plain")
    body = public_document(
        "csv", year, lambda p: csv_text(p["tables"]["open_data"]["columns"], p["tables"]["open_data"]["rows"])
    )
    resp = Response(body, mimetype="text/csv")
    resp.headers["Content-Disposition"] = f'attachment; filename="minamata-lms-open-data-{year or "all"}.csv"'
    return _cors(resp)


@bp.get("/open-data.json")
def open_data_json():
    _form, year, error = open_data_year()
    if error:
        return _cors(Response(json.dumps({"error": error}), status=400, mimetype="application/json"))
    body = public_document(
        "json", year, lambda p: json.dumps(open_data_document(p), ensure_ascii=False, indent=1)
    )
    return _cors(Response(body, mimetype="application/json"))


@bp.get("/open-data-dictionary.csv")
def open_data_dictionary():
    rows = [[f, t, str(d)] for f, t, d in opendata.DICTIONARY]
    rows += [[f"measure={k}", "value", str(v)] for k, v in opendata.MEASURES.items()]
    resp = Response(csv_text(["field", "type", "description"], rows), mimetype="text/csv")
    resp.headers["Content-Disposition"] = 'attachment; filename="minamata-lms-open-data-dictionary.csv"'
    return _cors(resp)


# -- feedback loop -------------------------------------------------------------------------------------
def _about(form) -> tuple[object, str | None]:
    """The registry resource a feedback form is about (or None) and an error message."""
    try:
        return parse_resource(form.resource.data, form.part.data)[3], None
    except AnalyticsError as exc:
        return None, str(exc)


def _back(form, res) -> str:
    return safe_next(form.next.data, default=res.url if res is not None else "/")


def _user():
    return current_user if current_user.is_authenticated else None


@bp.route("/feedback", methods=["GET", "POST"])
@limiter.limit(_feedback_limit, methods=["POST"])
def feedback():
    form = FeedbackForm(request.form if request.method == "POST" else request.args)
    res, error = _about(form)
    if request.method == "POST" and error is None and form.validate():
        try:
            record_feedback(
                resource=form.resource.data,
                part=form.part.data,
                is_useful=form.useful.data == "yes",
                comment=form.comment.data,
                language=current_language(),
                user=_user(),
            )
        except AnalyticsError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Thank you for your feedback."), "success")
            return redirect(_back(form, res))
    status = 400 if (error or (request.method == "POST" and form.errors)) else 200
    return render_template("analytics/feedback_form.html", form=form, resource=res, error=error), status


@bp.route("/report", methods=["GET", "POST"])
@limiter.limit(_feedback_limit, methods=["POST"])
def report():
    form = ReportForm(request.form if request.method == "POST" else request.args)
    res, error = _about(form)
    if request.method == "POST" and error is None and form.validate():
        try:
            report_problem(
                resource=form.resource.data,
                part=form.part.data,
                category=form.category.data,
                description=form.description.data,
                email=form.email.data,
                language=current_language(),
                user=_user(),
            )
        except AnalyticsError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Thank you: the problem was reported to the trainers."), "success")
            return redirect(_back(form, res))
    status = 400 if (error or (request.method == "POST" and form.errors)) else 200
    return render_template("analytics/report_form.html", form=form, resource=res, error=error), status


@bp.route("/evaluation/<kind>/<key>", methods=["GET", "POST"])
@login_required
def evaluation(kind, key):
    ref = f"{kind}:{key}"
    try:
        res = parse_resource(ref)[3]
    except AnalyticsError:
        res = None
    if res is None or kind not in ("course", "kit"):
        from flask import abort

        abort(404)
    existing = db.session.scalar(select(Evaluation).filter_by(user_id=current_user.id, kind=kind, key=key))
    form = EvaluationForm(request.form if request.method == "POST" else None, obj=None)
    if request.method == "GET" and existing is not None:
        form.relevance.data, form.clarity.data = str(existing.relevance), str(existing.clarity)
        form.language_quality.data, form.suggestions.data = (
            str(existing.language_quality),
            existing.suggestions,
        )
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    error = None
    if request.method == "POST" and form.validate():
        try:
            save_evaluation(
                user=current_user,
                resource=ref,
                relevance=int(form.relevance.data),
                clarity=int(form.clarity.data),
                language_quality=int(form.language_quality.data),
                suggestions=form.suggestions.data,
                language=current_language(),
            )
        except AnalyticsError as exc:
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Thank you for evaluating this module."), "success")
            return redirect(safe_next(form.next.data, default=res.url))
    status = 400 if (error or (request.method == "POST" and form.errors)) else 200
    return render_template(
        "analytics/evaluation.html", form=form, resource=res, error=error, existing=existing
    ), status
