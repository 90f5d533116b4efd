"""Unbound Flask extensions; :func:`lms.create_app` binds them with ``init_app``."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from lms.db import db

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Limits are declared on the routes that need them (login, reset, feedback); none by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

__all__ = ["babel", "csrf", "db", "limiter", "login_manager"]
