"""Accounts: where the person is signed in (:mod:`lms.account.sign_ins`), and signing other sessions
out. Routes of the ``account`` blueprint."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.account import sign_ins
from lms.account.views import bp
from lms.auth import idle_limit, login_required
from lms.db import db


@bp.get("/sessions")
@login_required
def sessions():
    return render_template(
        "account/sessions.html",
        records=sign_ins.sessions_of(current_user, idle_limit()),
        this_key=session.get(sign_ins.SESSION_KEY),
        idle_days=current_app.config["SESSION_IDLE_DAYS"],
    )


@bp.post("/sessions/<int:record_id>/end")
@login_required
def end_session(record_id: int):
    # Only the signed-in person's own sessions can be ended; another id is simply not found.
    if sign_ins.end(current_user, record_id):
        db.session.commit()
        flash(_("That session is signed out."), "success")
    else:
        flash(_("That session had already ended."), "info")
    return redirect(url_for("account.sessions"))


@bp.post("/sessions/end-others")
@login_required
def end_other_sessions():
    ended = sign_ins.end_all(current_user, keep_key=session.get(sign_ins.SESSION_KEY))
    db.session.commit()
    flash(
        ngettext(
            "Signed out everywhere else (%(num)s session).",
            "Signed out everywhere else (%(num)s sessions).",
            ended,
        )
        if ended
        else _("No other session was open."),
        "success",
    )
    return redirect(url_for("account.sessions"))
