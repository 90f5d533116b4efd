"""Minamata LMS core: the application factory.

``create_app(config=None)`` reads settings in this order, later ones winning: :class:`lms.config.Defaults`,
``instance/config.py`` (if present), ``LMS_*`` environment variables, then ``config`` (a mapping, used by
tests). It binds the extensions, loads the enabled plugins and registers the core blueprints.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from lms import config as lms_config
from lms.db import db as _db


def create_app(config: dict | None = None) -> Flask:
    instance_path = os.environ.get("LMS_INSTANCE_PATH") or (config or {}).get("INSTANCE_PATH")
    app = Flask(
        "lms",
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        instance_relative_config=True,
    )
    app.config.from_object(lms_config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(lms_config.from_environment())
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    lms_config.ensure_secret_key(app)
    lms_config.ensure_base_url(app)
    lms_config.ensure_mail_from(app)
    lms_config.ensure_invitation_days(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "lms.sqlite3")
    if not app.config.get("MEDIA_DIR"):
        app.config["MEDIA_DIR"] = str(Path(app.instance_path) / "media")
    if not app.config.get("PDF_CACHE_DIR"):
        app.config["PDF_CACHE_DIR"] = str(Path(app.instance_path) / "pdf-cache")
    if app.config["ENV"] == "production":
        app.config.setdefault("SESSION_COOKIE_SECURE", True)
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True

    from lms import auth, i18n, security
    from lms.extensions import csrf, limiter, login_manager

    _db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    auth.init_app(app)

    from lms import models, registry  # noqa: F401  (tables)
    from lms.views import bp as core_bp

    app.register_blueprint(core_bp)
    _register_optional_core_blueprints(app)

    from lms.plugins import load_plugins

    load_plugins(app)

    from lms import cli, errors, scheduler, static_versions, templating

    templating.init_app(app)
    static_versions.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    scheduler.init_app(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind ``PROXY_HOPS`` reverse proxies, take the client address, scheme and host from their
    ``X-Forwarded-*`` headers: rate limits count per visitor, not per proxy, and generated URLs use https.
    Never set it without a proxy in front: a client could then forge its address."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def _register_optional_core_blueprints(app: Flask) -> None:
    """Core areas that live in their own packages (accounts, admin, the LRS)."""
    from lms.account import views_privacy, views_sessions  # noqa: F401  (routes of the account blueprint)
    from lms.account.views import bp as account_bp
    from lms.admin.views import bp as admin_bp
    from lms.xapi import documents, platform, privacy, resources  # noqa: F401  (LRS routes, receivers)
    from lms.xapi import tasks as xapi_tasks
    from lms.xapi.admin_views import bp as xapi_admin_bp
    from lms.xapi.views import bp as xapi_bp

    app.register_blueprint(account_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(xapi_bp)
    app.register_blueprint(xapi_admin_bp)
    xapi_tasks.init_app(app)
