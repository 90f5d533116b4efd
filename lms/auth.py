"""Who may do what: the user loader and the role decorators every blueprint uses.

Roles: ``learner`` (everyone signed in), ``trainer``, ``coordinator`` (of their own country) and
``admin`` (holds every role). Plugins put finer rules in their ``permissions.py``, built on these.
"""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_logged_in
from sqlalchemy import select

from lms.account.tokens import password_fingerprint
from lms.db import db
from lms.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.login_view = "account.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load(user_uuid: str):
        from lms.models import User

        user = db.session.scalar(select(User).filter_by(uuid=user_uuid))
        # A deactivated or deleted account loses its open sessions too, not only future sign-ins.
        if user is None or not user.is_active:
            return None
        # So does every session opened before the password last changed (a session from before this
        # check existed is given the current password's mark on its next request).
        current = password_fingerprint(user.password_hash)
        if session.setdefault(SESSION_MARK, current) != current:
            return None
        return user

    user_logged_in.connect(_mark_session, app)


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
