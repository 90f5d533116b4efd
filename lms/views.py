"""Core pages: home, language choice, site search, health."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from lms.account.tokens import is_language_token
from lms.db import db
from lms.discovery import latest_resources, search_resources
from lms.i18n import current_language
from lms.plugins import enabled_plugins
from lms.signals import resume_requested

bp = Blueprint("core", __name__)

CONTINUE_LIMIT = 3
"""How many items the home page's "Continue learning" lists at most (the rest: "My learning")."""


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths are followed after a redirect-bearing action."""
    if not target:
        return default
    # Browsers read "\" as "/" and drop tabs/newlines, so "/\evil.example" or "/\t/evil.example" would
    # leave the site; refuse both outright.
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def continue_learning(user, limit: int = CONTINUE_LIMIT) -> list[dict]:
    """What ``user`` started and has not finished, as every plugin that answers
    :data:`lms.signals.resume_requested` describes it, most recently active first, at most ``limit``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    items = []
    for _receiver, reply in resume_requested.send(user, limit=limit):
        items.extend(reply or [])
    return sorted(items, key=lambda item: item["last_active"], reverse=True)[:limit]


@bp.get("/")
def home():
    return render_template(
        "home.html",
        latest=latest_resources(current_language()),
        resume=continue_learning(current_user),
    )


@bp.get("/language/<code>")
def set_language(code: str):
    """Remember the chosen language (on the account when signed in) and go back.

    Any site can send a browser here (a link, an image, a redirect), so only the switcher's own links,
    which carry the account's language token as ``t`` (:func:`lms.account.tokens.make_language_token`),
    change the account's language (that of its mails); a
    request without it changes what this browser shows, nothing else."""
    if code not in current_app.config["LANGUAGES"]:
        return redirect(url_for("core.home"))
    session["lang"] = code
    own_link = current_user.is_authenticated and is_language_token(request.args.get("t"), current_user)
    if own_link and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next(request.args.get("next")))


@bp.get("/search")
def search():
    """Site-wide search over the registry of learning resources (titles in every language)."""
    q = (request.args.get("q") or "").strip()
    results = search_resources(q, current_language()) if q else []
    further = [p.deep_search for p in enabled_plugins(current_app).values() if p.deep_search] if q else []
    return render_template("search.html", q=q, results=results, further=further)


@bp.get("/healthz")
def health():
    db.session.execute(select(1))
    return {"status": "ok"}
