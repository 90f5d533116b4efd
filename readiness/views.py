"""The readiness blueprint: start page, public questionnaire and services, an assessment's overview,
team and state changes. Answering (``views_answers``), results (``views_results``) and the
secretariat's pages (``views_secretariat``) add their routes to the same blueprint."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.auth import login_required
from lms.db import db, utcnow
from lms.i18n import current_language, language_name, list_text
from readiness import catalog, permissions, presenters, scoring, services
from readiness.forms import (
    InviteForm,
    MemberRemoveForm,
    OptInForm,
    StartForm,
    SubmitterForm,
    TransitionForm,
    choices,
    field_errors,
)
from readiness.scoring import completeness

bp = Blueprint(
    "readiness", __name__, template_folder="templates", static_folder="static", static_url_path="/static"
)


@bp.context_processor
def _helpers():
    lang = current_language()
    return {
        "lt": lambda texts, source="en": presenters.ltext(texts, lang, source),
        "level_name": lambda n: presenters.LEVEL_NAMES.get(n, ""),
        "level_meaning": lambda n: presenters.LEVEL_MEANINGS.get(n, ""),
        "state_name": lambda s: presenters.STATE_NAMES.get(s, s),
        "not_asked": lambda status: presenters.NOT_ASKED.get(status),
        "kind_name": lambda k: presenters.KIND_NAMES.get(k, k),
        "action_name": lambda a: presenters.ACTION_NAMES.get(a.split(".", 1)[-1], a),
        "percent": presenters.percent,
        "score_change": presenters.score_change,
        "list_text": list_text,
        "median_level": presenters.median_level,
        "min_coverage_percent": scoring.min_coverage_percent(),
        "language_name": language_name,
        # A person's name inside a sentence: isolated, so that a Latin name in an Arabic sentence does
        # not pull the punctuation after it to the wrong side.
        "bdi": lambda text: Markup("<bdi>{}</bdi>").format(text),
    }


def load_assessment(uuid: str):
    """The assessment the signed-in user may see, or 404/403."""
    assessment = services.get_assessment(uuid)
    if assessment is None:
        abort(404)
    if not permissions.can_view(current_user, assessment):
        abort(403)
    return assessment


def language_notice(q) -> str | None:
    lang = current_language()
    if lang in q.languages():
        return None
    return _(
        "This questionnaire is not yet fully available in %(language)s; missing texts are shown in "
        "%(source)s.",
        language=language_name(lang),
        source=language_name(q.source_language),
    )


@bp.get("/")
def index():
    start_form = None
    if current_user.is_authenticated and permissions.can_start(current_user):
        cycle = services.suggested_cycle(current_user.country_code, utcnow().year)
        start_form = StartForm(formdata=None, cycle=cycle, language=current_language())
    return _index_page(start_form)


def _index_page(start_form: StartForm | None, status: int = 200):
    mine = services.assessments_of_user(current_user) if current_user.is_authenticated else []
    # Told whom to ask when nobody can invite them: their country has no coordinator on the platform.
    no_coordinator = (
        current_user.is_authenticated
        and not mine
        and start_form is None
        and not services.country_has_coordinator(current_user.country_code)
    )
    if start_form is not None:
        start_form.language.choices = choices(
            [(c, language_name(c)) for c in current_app.config["LANGUAGES"]]
        )
    return render_template(
        "readiness/index.html",
        mine=mine,
        start_form=start_form,
        no_coordinator=no_coordinator,
        is_secretariat=permissions.is_secretariat(current_user),
    ), status


@bp.get("/questionnaire")
def questionnaire():
    row = catalog.current_questionnaire_row()
    version = request.args.get("version")
    if version:
        row = catalog.find_questionnaire_row(version) or abort(404)
    db.session.commit()  # the first visit stores the shipped files
    q = catalog.questionnaire_of(row)
    return render_template("readiness/questionnaire.html", q=q, notice=language_notice(q))


@bp.get("/services")
def advisory_services():
    q_row = catalog.current_questionnaire_row()
    ruleset = catalog.ruleset_for(catalog.current_ruleset_row(), q_row)
    db.session.commit()
    is_coordinator = permissions.can_start(current_user)
    # The signed-in coordinator requests a service from their country's latest submitted assessment
    # (a draft's result page offers no request).
    # Without one, a draft or an assessment in review is where the request will come from.
    own = services.assessments_of_country(current_user.country_code) if is_coordinator else []
    latest = next((a for a in own if permissions.can_request_advice(current_user, a)), None)
    unfinished = next((a for a in own if a.state in ("draft", "in_review")), None) if latest is None else None
    return render_template(
        "readiness/services.html",
        services=list(ruleset.services.values()),
        is_coordinator=is_coordinator,
        latest=latest,
        unfinished=unfinished,
    )


@bp.route("/start", methods=["GET", "POST"])
@login_required
def start():
    if not permissions.can_start(current_user):
        abort(403)
    if request.method == "GET":
        # A refused start is shown at this address; reopening it leads back to the form.
        return redirect(url_for("readiness.index"))
    form = StartForm()
    form.language.choices = choices([(c, language_name(c)) for c in current_app.config["LANGUAGES"]])
    # A refused start is shown again as typed, with the reason at its field.
    if not form.validate_on_submit():
        return _index_page(form, 400)
    try:
        assessment = services.start_assessment(
            current_user, cycle=form.cycle.data, language=form.language.data
        )
    except services.ReadinessError as exc:
        db.session.rollback()
        field_errors(form, exc)
        return _index_page(form, 400)
    db.session.commit()
    flash(_("The assessment has started. Invite your colleagues and assign their sections."), "success")
    return redirect(url_for("readiness.team", uuid=assessment.uuid))


@bp.get("/a/<uuid>")
@login_required
def assessment(uuid):
    return _assessment_page(load_assessment(uuid))


def _assessment_page(a, transition: TransitionForm | None = None, status: int = 200):
    """The assessment's overview; ``transition`` is a refused state change, shown with its errors."""
    q = services.questionnaire_for(a)
    answers = services.answer_values(a)
    done = completeness(q, answers)
    editable = permissions.editable_sections(current_user, a, [d.id for d in q.dimensions])
    from readiness.results import latest_result

    return render_template(
        "readiness/assessment.html",
        a=a,
        q=q,
        done=done,
        editable=editable,
        transition=transition or TransitionForm(formdata=None),
        result=latest_result(a),
        can_manage=permissions.can_manage(current_user, a),
        can_submit=permissions.can_submit(current_user, a),
        can_recall=permissions.can_recall(current_user, a),
        notice=language_notice(q),
    ), status


def _team_forms(a):
    invite = InviteForm()
    team_ids = {m.user_id for m in a.members} | {a.coordinator_id}
    invite.user_id.choices = choices(
        [
            (u.id, f"{u.name} ({u.email})")
            for u in services.colleagues(a)
            if u.id not in team_ids and not u.coordinates(a.country_code)
        ]
    )
    q = services.questionnaire_for(a)
    invite.sections.choices = choices(
        [(d.id, presenters.ltext(d.title, current_language(), q.source_language)) for d in q.dimensions]
    )
    submitter = SubmitterForm(formdata=None, user_id=a.submitter_id)
    candidates = [a.coordinator] if a.coordinator else []
    candidates += [m.user for m in a.members if m.role == "editor"]
    submitter.user_id.choices = choices([(u.id, u.name) for u in candidates])
    return invite, submitter, OptInForm(formdata=None, opt_in=a.is_benchmark_opt_in), q


@bp.route("/a/<uuid>/team", methods=["GET", "POST"])
@login_required
def team(uuid):
    a = load_assessment(uuid)
    invite, submitter, opt_in, q = _team_forms(a)
    manage = permissions.can_manage(current_user, a)
    if request.method == "POST":
        if not manage:
            abort(403)
        if invite.validate_on_submit():
            try:
                services.invite(
                    a,
                    current_user,
                    user_id=invite.user_id.data,
                    role=invite.role.data,
                    sections=invite.sections.data or [],
                )
            except services.ReadinessError as exc:
                db.session.rollback()
                field_errors(invite, exc)  # shown with the form as it was filled in
            else:
                db.session.commit()
                flash(_("Your colleague has been added to the team and notified."), "success")
                return redirect(url_for("readiness.team", uuid=uuid))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "readiness/team.html",
        a=a,
        q=q,
        invite=invite,
        submitter=submitter,
        opt_in=opt_in,
        remove=MemberRemoveForm(formdata=None),
        manage=manage,
        editable_state=a.state in permissions.EDITABLE_STATES,
    ), status


@bp.post("/a/<uuid>/team/remove")
@login_required
def team_remove(uuid):
    a = load_assessment(uuid)
    if not permissions.can_manage(current_user, a):
        abort(403)
    form = MemberRemoveForm()
    if form.validate_on_submit() and form.member_id.data.isdigit():
        try:
            services.remove_member(a, current_user, int(form.member_id.data))
        except services.ReadinessError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The colleague has been removed from the team."), "success")
    else:
        flash(_("The form could not be read; please try again."), "error")
    return redirect(url_for("readiness.team", uuid=uuid))


@bp.post("/a/<uuid>/team/submitter")
@login_required
def team_submitter(uuid):
    a = load_assessment(uuid)
    if not permissions.can_manage(current_user, a):
        abort(403)
    _invite, form, _opt, _q = _team_forms(a)
    form.process(request.form)
    if form.validate():
        try:
            services.set_submitter(a, current_user, form.user_id.data)
        except services.ReadinessError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("The submitter has been named."), "success")
    else:
        flash(_("Choose the coordinator or a section editor as submitter."), "error")
    return redirect(url_for("readiness.team", uuid=uuid))


@bp.post("/a/<uuid>/team/benchmark")
@login_required
def team_benchmark(uuid):
    a = load_assessment(uuid)
    if not permissions.can_manage(current_user, a):
        abort(403)
    form = OptInForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_benchmark_opt_in(a, current_user, form.opt_in.data)
    db.session.commit()
    flash(_("Your benchmark choice has been saved."), "success")
    return redirect(url_for("readiness.team", uuid=uuid))


@bp.post("/a/<uuid>/state")
@login_required
def change_state(uuid):
    a = load_assessment(uuid)
    form = TransitionForm()
    if not form.validate_on_submit():
        abort(400)
    action = form.action.data
    actions = {
        "review": (services.send_to_review, _("The assessment is now in review.")),
        "draft": (services.back_to_draft, _("The assessment is open for editing again.")),
        "submit": (services.submit, _("The assessment has been submitted to the secretariat.")),
        "recall": (services.recall, _("The submission has been recalled; it is in review again.")),
    }
    if action not in actions:
        abort(400)
    if action == "submit" and not form.confirm.data:
        form.confirm.errors = [_("Tick the confirmation box to submit.")]
        return _assessment_page(a, form, 400)
    allowed = {
        "review": permissions.can_manage,
        "draft": permissions.can_manage,
        "submit": permissions.is_submitter,
        "recall": lambda u, x: permissions.is_submitter(u, x) or permissions.is_coordinator(u, x),
    }[action](current_user, a)
    if not allowed:
        abort(403)
    func, message = actions[action]
    try:
        func(a, current_user)
    except services.ReadinessError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("readiness.assessment", uuid=uuid))
    db.session.commit()
    flash(message, "success")
    target = "readiness.result" if action == "submit" else "readiness.assessment"
    return redirect(url_for(target, uuid=uuid))


@bp.get("/a/<uuid>/audit")
@login_required
def audit_trail(uuid):
    a = load_assessment(uuid)
    entries = services.audit_trail(a)
    q = services.questionnaire_for(a)
    names = services.user_names(entries)
    titles = {sid: s.title for sid, s in catalog.services_for(a.questionnaire_version).items()}
    lang = current_language()
    return render_template(
        "readiness/audit.html",
        a=a,
        entries=entries,
        details=lambda e: presenters.audit_details(e, q, lang, names, titles),
    )


from readiness import receivers, views_answers, views_results, views_secretariat  # noqa: E402,F401  (routes, signals)
