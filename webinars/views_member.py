"""webinars: what signed-in attendees do: ask a follow-up question, upvote, register for an upcoming
session, follow a season, and store the player position (JSON, used by the player script)."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.auth import login_required
from lms.db import db
from lms.i18n import current_language, sentences
from webinars import qa, registrations, services, tracking
from webinars.errors import WebinarError
from webinars.forms import ActionForm, QuestionForm, RegisterForm, options
from webinars.models import QAItem, Season
from webinars.views import bp, get_session


def _flash_error(exc: WebinarError) -> None:
    flash(sentences([exc.message, *exc.details]), "error")


@bp.post("/s/<slug>/questions")
@login_required
def ask(slug: str):
    session = get_session(slug)
    form = QuestionForm()
    if form.validate_on_submit():
        time_s = int(form.time_s.data) if (form.time_s.data or "").isdigit() else None
        try:
            qa.ask_question(current_user, session, form.question.data, current_language(), time_s)
        except WebinarError as exc:
            db.session.rollback()
            return _question_page(session, form, str(exc)), 400
        db.session.commit()
        flash(
            _(
                "Thank you. Your question will appear once a moderator has published it; you will "
                "receive an e-mail when it is answered."
            ),
            "success",
        )
        return redirect(url_for("webinars.session_page", slug=slug) + "#ask", code=303)
    return _question_page(session, form, None), 400


def _question_page(session, form, error):
    return render_template("webinars/ask.html", session=session, form=form, error=error)


@bp.post("/questions/<uuid>/upvote")
@login_required
def upvote(uuid: str):
    item = db.session.scalar(select(QAItem).where(QAItem.uuid == uuid))
    if item is None or not item.session.is_published:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        qa.toggle_vote(current_user, item)
    except WebinarError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
    return redirect(url_for("webinars.session_page", slug=item.session.slug) + f"#qa-{item.uuid}", code=303)


@bp.post("/s/<slug>/register")
@login_required
def register(slug: str):
    session = get_session(slug)
    form = RegisterForm()
    form.run.choices = options((n, str(n)) for n in range(1, len(session.runs()) + 1))
    if not form.validate_on_submit():
        abort(400)
    try:
        registrations.register(current_user, session, form.run.data)
    except WebinarError as exc:
        db.session.rollback()
        _flash_error(exc)
    else:
        db.session.commit()
        flash(_("You are registered. We will remind you by e-mail before the session starts."), "success")
    return redirect(url_for("webinars.session_page", slug=slug) + "#register", code=303)


@bp.post("/s/<slug>/unregister")
@login_required
def unregister(slug: str):
    session = get_session(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        registrations.unregister(current_user, session)
    except WebinarError as exc:
        db.session.rollback()
        _flash_error(exc)
    else:
        db.session.commit()
        flash(_("Your registration was cancelled."), "success")
    return redirect(url_for("webinars.session_page", slug=slug) + "#register", code=303)


@bp.post("/seasons/<slug>/follow")
@login_required
def follow(slug: str):
    season = db.session.scalar(select(Season).where(Season.slug == slug))
    if season is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    following = request.form.get("follow") == "1"
    services.set_following(current_user, season, following)
    db.session.commit()
    flash(
        _("You will receive an e-mail when a recording of this season is published.")
        if following
        else _("You no longer follow this season."),
        "success",
    )
    return redirect(url_for("webinars.season", slug=slug), code=303)


@bp.route("/s/<slug>/position", methods=["GET", "POST"])
@login_required
def position(slug: str):
    """GET: the saved position; POST (JSON, X-CSRFToken header): save position and watched segments."""
    session = get_session(slug)
    if request.method == "GET":
        state = tracking.watch_state(current_user, session)
        return jsonify(_state_json(state))
    data = request.get_json(silent=True)
    try:
        state = tracking.update_watch(current_user, session, data)
    except WebinarError as exc:
        db.session.rollback()
        return jsonify({"error": str(exc)}), 400
    db.session.commit()
    return jsonify(_state_json(state))


def _state_json(state) -> dict:
    if state is None:
        return {"position": 0, "progress": 0, "completed": False, "segments": []}
    return {
        "position": state.position_s,
        "progress": round(state.progress, 4),
        "completed": state.is_completed,
        "segments": state.segments,
    }
