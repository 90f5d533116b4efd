"""Results: the result page (levels, charts with their data table, strengths, recommendations with
reasons, trend), print view, PDF, CSV/JSON exports, the learning path enrolment, advisory requests and the
benchmark."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.auth import login_required
from lms.countries import region_name
from lms.db import db
from lms.i18n import current_language
from readiness import benchmark as bench
from readiness import catalog, exports, permissions, presenters, report_pdf, results, services
from readiness.forms import AdviceForm, ConfirmForm, choices, field_errors
from readiness.report_build import build_report
from readiness.views import bp, language_notice, load_assessment


def _context(a):
    """What the result pages show: the stored result when submitted, else a provisional scoring."""
    q = services.questionnaire_for(a)
    lang = current_language()
    stored = results.latest_result(a) if a.state in ("submitted", "acknowledged") else None
    if stored is not None:
        profile, recs = stored.profile, stored.recommendations
    else:
        prof, recs, _rules = results.compute(a)
        profile = prof.to_dict()
    dims = profile["dimensions"]
    chart = presenters.radar([(str(i + 1), dims[d.id]["score"]) for i, d in enumerate(q.dimensions)])
    return {
        "a": a,
        "q": q,
        "stored": stored,
        "profile": profile,
        "dims": dims,
        "recs": recs,
        "chart": chart,
        "rec_rows": [(r, presenters.reasons(r, q, lang)) for r in recs],
        "trend": results.trend(a, profile),
        "notice": language_notice(q),
    }


def _advice_form(a, ctx, formdata=None):
    """The advisory request form, recommended services first; ``None`` when the reader cannot ask."""
    if not permissions.can_request_advice(current_user, a):
        return None
    service_list = catalog.services_for(a.questionnaire_version)
    form = AdviceForm(formdata=formdata)
    recommended = [r["id"] for r in ctx["recs"] if r.get("type") == "service" and r["id"] in service_list]
    ordered = recommended + [s for s in service_list if s not in recommended]
    form.service.choices = choices(
        [(sid, presenters.ltext(service_list[sid].title, current_language())) for sid in ordered]
    )
    if formdata is None:
        # Not preselected: a service already requested and still open (asking again would be refused).
        is_open = results.open_advice_services(a)
        form.service.data = next((sid for sid in ordered if sid not in is_open), None)
    return form


def _render_result(a, ctx, advice_form, status=200):
    stored = ctx["stored"]
    service_list = catalog.services_for(a.questionnaire_version)
    path = results.learning_path(stored) if stored else []
    progress = results.path_progress(current_user, stored) if stored else {}
    return render_template(
        "readiness/result.html",
        **ctx,
        advice_form=advice_form,
        enrol_form=ConfirmForm(formdata=None),
        path=path,
        progress=progress,
        # Offered while some resource of the path is neither enrolled in nor completed.
        can_enrol=bool(stored)
        and permissions.is_team(current_user, a)
        and results.path_left_to_enrol(stored, progress),
        requests=results.advisory_requests(a),
        status_label=results.status_label,
        service_titles={sid: s.title for sid, s in service_list.items()},
    ), status


@bp.get("/a/<uuid>/result")
@login_required
def result(uuid):
    a = load_assessment(uuid)
    ctx = _context(a)
    return _render_result(a, ctx, _advice_form(a, ctx))


@bp.get("/a/<uuid>/result/print")
@login_required
def result_print(uuid):
    a = load_assessment(uuid)
    ctx = _context(a)
    lang = current_language()
    return render_template(
        "readiness/result_print.html",
        **ctx,
        rows=services.answers_of(a),
        answer_text=lambda item_id, value: presenters.answer_text(ctx["q"], item_id, value, lang),
    )


@bp.get("/a/<uuid>/result.pdf")
@login_required
def result_pdf(uuid):
    """The result as a PDF in the reader's language; the print view when no font can draw it."""
    a = load_assessment(uuid)
    lang = current_language()
    data = report_pdf.render(build_report(_context(a), lang))
    if data is None:
        flash(_("The PDF cannot be made on this server; print this page or save it as PDF instead."), "info")
        return redirect(url_for("readiness.result_print", uuid=uuid))
    filename = f"readiness-{a.country_code}-{a.cycle}-{lang}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _stored_or_404(a):
    stored = results.latest_result(a)
    if stored is None or a.state not in ("submitted", "acknowledged"):
        abort(404)
    return stored


@bp.get("/a/<uuid>/result.csv")
@login_required
def result_csv(uuid):
    a = load_assessment(uuid)
    stored = _stored_or_404(a)
    rows = exports.result_rows(
        a, stored, services.answers_of(a), services.questionnaire_for(a), current_language()
    )
    filename = f"readiness-{a.country_code}-{a.cycle}.csv"
    return Response(
        exports.write_csv(rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/a/<uuid>/result.json")
@login_required
def result_json(uuid):
    a = load_assessment(uuid)
    stored = _stored_or_404(a)
    data = exports.result_json(
        a, stored, services.answers_of(a), services.questionnaire_for(a), results.trend(a, stored.profile)
    )
    filename = f"readiness-{a.country_code}-{a.cycle}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=1),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/a/<uuid>/path/enrol")
@login_required
def enrol(uuid):
    a = load_assessment(uuid)
    if not permissions.is_team(current_user, a):
        abort(403)
    stored = _stored_or_404(a)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        accepted, requested = results.enrol_in_path(a, current_user, stored)
    except services.ReadinessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("readiness.result", uuid=uuid))
    db.session.commit()
    if requested and accepted == requested:
        flash(
            ngettext(
                "You are enrolled in the resource of the learning path.",
                "You are enrolled in the %(num)d resources of the learning path.",
                accepted,
            ),
            "success",
        )
    elif requested:
        flash(
            ngettext(
                "You are enrolled in %(accepted)s of the %(num)d resources; the others do not take "
                "enrolments and can be opened directly.",
                "You are enrolled in %(accepted)s of the %(num)d resources; the others do not take "
                "enrolments and can be opened directly.",
                requested,
                accepted=accepted,
            ),
            "info",
        )
    else:
        flash(_("The learning path has no resources to enrol in yet."), "info")
    return redirect(url_for("readiness.result", uuid=uuid) + "#path")


@bp.post("/a/<uuid>/advice")
@login_required
def request_advice(uuid):
    a = load_assessment(uuid)
    if not permissions.can_request_advice(current_user, a):
        abort(403)
    ctx = _context(a)
    form = _advice_form(a, ctx, formdata=request.form)
    if not form.validate_on_submit():
        # Shown again as it was filled in, the errors at their fields.
        return _render_result(a, ctx, form, status=400)
    try:
        results.request_advice(a, current_user, form.service.data, form.message.data)
    except services.ReadinessError as exc:
        db.session.rollback()
        field_errors(form, exc)
        return _render_result(a, ctx, form, status=400)
    db.session.commit()
    flash(_("Your request has been sent to the secretariat."), "success")
    return redirect(url_for("readiness.result", uuid=uuid) + "#advice")


@bp.get("/a/<uuid>/benchmark")
@login_required
def benchmark(uuid):
    a = load_assessment(uuid)
    q = services.questionnaire_for(a)
    stored = results.latest_result(a) if a.state in ("submitted", "acknowledged") else None
    data = None
    if stored is not None and a.is_benchmark_opt_in:
        data = bench.benchmark(a, [d.id for d in q.dimensions])
    return render_template(
        "readiness/benchmark.html",
        a=a,
        q=q,
        stored=stored,
        data=data,
        region_label=region_name(a.country.region) if a.country else "",
        can_manage=permissions.can_manage(current_user, a),
        notice=language_notice(q),
    )
