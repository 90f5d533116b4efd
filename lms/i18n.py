"""Languages: the six UN languages, locale choice and text direction.

The locale is chosen in this order: an explicit choice (stored on the account for signed-in users, in
the session for visitors) -> the browser's Accept-Language -> English.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from lms.config import LANGUAGES
from lms.extensions import babel


def supported() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    langs = supported()
    if not has_request_context():  # CLI commands and scheduled jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        if session.get("lang") in (None, current_user.locale):
            return current_user.locale
    chosen = session.get("lang")
    if chosen in langs:
        return chosen
    return request.accept_languages.best_match(langs) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "en").split("_")[0]


def text_direction(code: str | None = None) -> str:
    return LANGUAGES.get(code or current_language(), ("", "ltr"))[1]


def language_name(code: str) -> str:
    """A language's name in itself (what a language switcher shows)."""
    return LANGUAGES.get(code, (code, "ltr"))[0]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
