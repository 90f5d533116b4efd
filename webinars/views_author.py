"""webinars: authoring for trainers: the list of what they manage, the session form, the moderation
queue, and what the other authoring pages share (the per-language text form, refusals shown at their
fields); a season's editor is in :mod:`webinars.views_seasons`, a session's management page in
:mod:`webinars.views_manage`. Every refused form is shown again with the reason (status 400)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth import trainer_required
from lms.config import LANGUAGES
from lms.db import db
from lms.i18n import current_language
from webinars import qa, services, team
from webinars.captions import format_clock
from webinars.errors import WebinarError
from webinars.formatting import with_languages
from webinars.forms import ModerateForm, SessionForm, TextForm, options
from webinars.models import QAItem, Season, WebinarSession
from webinars.permissions import can_edit_season, require_manage
from webinars.views import bp, find_session


def _session(slug: str) -> WebinarSession:
    """The session named by ``slug``, when the current user manages it (404 / 403 otherwise)."""
    session = find_session(slug)
    require_manage(current_user, session)
    return session


def _by_uuid(model, uuid: str):
    """A row of a session (chapter, recording, Q&A item...) the current user manages."""
    row = db.session.scalar(select(model).where(model.uuid == uuid))
    if row is None:
        abort(404)
    require_manage(current_user, row.session)
    return row


def _done(message: str, slug: str, anchor: str = ""):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("webinars.manage_session", slug=slug) + anchor, code=303)


@bp.get("/manage/")
@trainer_required
def manage():
    """The seasons and, in each, the sessions the current user manages (every session for admins)."""
    seasons = db.session.scalars(select(Season).order_by(Season.number.desc())).all()
    managed = db.session.scalars(
        select(WebinarSession)
        .where(team.managed_sessions_filter(current_user))
        .order_by(WebinarSession.start_dt)
        .options(*with_languages())
    ).all()
    by_season: dict[int, list[WebinarSession]] = {}
    for s in managed:
        by_season.setdefault(s.season_id, []).append(s)
    return render_template(
        "webinars/manage/index.html",
        seasons=seasons,
        by_season=by_season,
        pending=team.pending_questions(current_user),
        can_edit_season=lambda season: can_edit_season(current_user, season),
    )


# --- sessions ----------------------------------------------------------------------------------------
def _speakers(text: str) -> list[dict]:
    out = []
    for line in (text or "").splitlines():
        name, _sep, affiliation = line.replace(" - ", " — ").partition("—")
        if name.strip():
            out.append({"name": name.strip(), "affiliation": affiliation.strip()})
    return out


def text_form(item: Season | WebinarSession) -> TextForm:
    """The form of a season's or session's title and description in one more language, showing the
    language asked for (``?lang=``; French when none) as saved."""
    form = TextForm(prefix="text", formdata=None)
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else "fr"
    form.language.data = lang
    form.title.data = item.titles.get(lang, "")
    form.description.data = item.descriptions.get(lang, "")
    return form


def show_problems(form, problems, *, beside=()) -> WebinarError | None:
    """Show each ``(field, reason)`` of a refusal under its field of ``form`` (what was typed is kept);
    the fields named in ``beside`` already show the form's own errors and keep them alone. The reasons
    about no field of the form are returned as one refusal for the top of the page."""
    general = []
    for name, message in problems:
        if name and name in form and name != "csrf_token":
            if name not in beside and message not in form[name].errors:
                form[name].errors = [*form[name].errors, message]
        else:
            general.append(message)
    return WebinarError(general[0], details=general[1:]) if general else None


@bp.route("/manage/sessions/new", methods=["GET", "POST"])
@trainer_required
def new_session():
    return _session_form(None)


@bp.route("/manage/s/<slug>/edit", methods=["GET", "POST"])
@trainer_required
def edit_session(slug: str):
    return _session_form(_session(slug))


def _session_form(session: WebinarSession | None):
    form = SessionForm()
    if session is not None:
        form.start.keep(session.start_dt)
        form.second_start.keep(session.second_start_dt)
    seasons = db.session.scalars(select(Season).order_by(Season.number.desc())).all()
    # The author reads the list in the page's language, whatever language the session is given in.
    lang = current_language()
    form.season.choices = options((s.id, s.title(lang)) for s in seasons)
    if request.method == "GET" and session is not None:
        src = session.source_language
        form.season.data = session.season_id
        form.source_language.data = src
        form.title.data = session.titles.get(src, "")
        form.description.data = session.descriptions.get(src, "")
        form.start.data, form.second_start.data = session.start_dt, session.second_start_dt
        form.duration_min.data = session.duration_min
        form.join_url.data = session.join_url
        form.speakers.data = "\n".join(
            f"{s['name']} — {s['affiliation']}".rstrip(" —") for s in session.speakers
        )
        form.articles.data = ", ".join(str(a) for a in session.articles)
        form.languages.data = ", ".join(session.languages)
    error = None
    if not seasons:
        flash(_("Create a season first."), "info")
        return redirect(url_for("webinars.new_season"))
    if form.is_submitted():
        # The service checks what the form's own validators do not (articles, languages, the second
        # run, the join address, the short name): both are reported together, each at its field.
        values = dict(
            session=session,
            title=form.title.data,
            source_language=form.source_language.data,
            start_dt=form.start.data,
            second_start_dt=form.second_start.data,
            duration_min=form.duration_min.data,
            join_url=form.join_url.data or "",
            articles=form.articles.data or "",
            languages=form.languages.data or "",
            slug=(form.slug.data or "").strip() or None,
        )
        if form.validate():
            try:
                saved = services.save_session(
                    current_user,
                    season=db.session.get(Season, form.season.data),
                    description=form.description.data or "",
                    speakers=_speakers(form.speakers.data),
                    **values,
                )
            except WebinarError as exc:
                db.session.rollback()
                error = show_problems(form, exc.problems)
            else:
                return _done(_("The session was saved."), saved.slug)
        elif "csrf_token" not in form.errors:  # an expired or forged form is not looked at further
            error = show_problems(form, services.session_problems(**values), beside=set(form.errors))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "webinars/manage/session_form.html", form=form, session=session, error=error
    ), status


# --- moderation --------------------------------------------------------------------------------------
@bp.get("/manage/questions")
@trainer_required
def moderation():
    items = qa.moderation_queue(current_user)
    return render_template(
        "webinars/manage/moderation.html",
        items=items,
        forms={i.uuid: ModerateForm(prefix=i.uuid[:8]) for i in items},
        format_clock=format_clock,
    )


@bp.post("/manage/questions/<uuid>")
@trainer_required
def moderate(uuid: str):
    item = _by_uuid(QAItem, uuid)
    if item.source != "followup":
        abort(404)
    form = ModerateForm(prefix=uuid[:8])
    error = None
    if form.validate_on_submit():
        try:
            qa.moderate(
                current_user,
                item,
                action=form.action.data,
                answer=form.answer.data or "",
                answered_by=form.answered_by.data or "",
            )
        except WebinarError as exc:
            db.session.rollback()
            if exc.field in form:  # shown at that field of this question's form
                form[exc.field].errors = [*form[exc.field].errors, str(exc)]
            else:
                error = exc
        else:
            db.session.commit()
            flash(_("The question was moderated."), "success")
            return redirect(url_for("webinars.moderation"), code=303)
    items = qa.moderation_queue(current_user)
    forms = {
        i.uuid: (form if i.uuid == uuid else ModerateForm(prefix=i.uuid[:8], formdata=None)) for i in items
    }
    return render_template(
        "webinars/manage/moderation.html",
        items=items,
        forms=forms,
        error=error,
        refused_uuid=uuid,
        refused_form=form,
        format_clock=format_clock,
    ), 400
