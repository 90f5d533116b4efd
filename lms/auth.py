"""Who may do what: the user loader and the role decorators every blueprint uses.

Roles: ``learner`` (everyone signed in), ``trainer``, ``coordinator`` (of their own country) and
``admin`` (holds every role). Plugins put finer rules in their ``permissions.py``, built on these.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import Flask, abort, current_app, g, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user, user_logged_in
from sqlalchemy.exc import SQLAlchemyError

from lms.account import sign_ins
from lms.account.tokens import password_fingerprint
from lms.db import db, utcnow
from lms.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.login_view = "account.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load(user_uuid: str):
        # A session that was signed out, ended from another device or left unused too long is over.
        found = sign_ins.load(user_uuid, session.get(sign_ins.SESSION_KEY), idle_limit())
        if found is None:
            return None
        user, record = found
        # A deactivated or deleted account loses its open sessions too, not only future sign-ins.
        if not user.is_active:
            return None
        # So does every session opened before the password last changed (a session from before this
        # check existed is given the current password's mark on its next request).
        current = password_fingerprint(user.password_hash)
        if session.setdefault(SESSION_MARK, current) != current:
            return None
        if record.last_seen_dt < utcnow() - sign_ins.TOUCH_EVERY:
            g.sign_in_used = record.id
        return user

    @app.after_request
    def _note_use(response):
        # Written after the view, in a transaction of its own: the view has committed (or dropped)
        # its own work by now, and a page that writes nothing still counts as use.
        record_id = g.pop("sign_in_used", None)
        if record_id is not None:
            db.session.rollback()
            try:
                sign_ins.touch(record_id)
                db.session.commit()
            except SQLAlchemyError:
                # Only a note of use (the database busy or away): the page the person asked for is
                # done and must not turn into an error; the next request notes it again.
                db.session.rollback()
                current_app.logger.warning("could not note the use of a signed-in session", exc_info=True)
        return response

    user_logged_in.connect(_mark_session, app)


def idle_limit() -> timedelta:
    """How long an unused signed-in session stays open (``SESSION_IDLE_DAYS``)."""
    return timedelta(days=current_app.config["SESSION_IDLE_DAYS"])


def sign_out() -> None:
    """Sign this browser out and end its signed-in session on the server (the caller commits): a copy
    of the cookie taken before opens nothing."""
    sign_ins.end_by_key(session.pop(sign_ins.SESSION_KEY, None))
    logout_user()


def sign_in(user, record) -> None:
    """Sign ``user`` in on this browser, as the signed-in session ``record``
    (:func:`lms.account.sign_ins.open_sign_in`, committed by the caller). The session starts afresh:
    nothing written into it before signing in (its CSRF token included) is carried into the account's."""
    session.clear()
    login_user(user)
    session[sign_ins.SESSION_KEY] = record.key


SESSION_MARK = "_pw"
"""Session key: the fingerprint of the password the session was opened with."""


def _mark_session(_app, user, **_extra) -> None:
    keep_session(user)


def keep_session(user) -> None:
    """Keep the current session signed in after ``user`` (its user) changed their password; every other
    open session of the account is signed out on its next request."""
    session[SESSION_MARK] = password_fingerprint(user.password_hash)


def role_required(*roles: str):
    """Signed-in users holding any of ``roles``; anonymous visitors go to the sign-in page (401 ->
    redirect), others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(current_user.has_role(r) for r in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


login_required = role_required("learner")
trainer_required = role_required("trainer")
admin_required = role_required("admin")
