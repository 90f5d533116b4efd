"""Configuration: defaults, then ``instance/config.py``, then ``LMS_*`` environment variables, then the
mapping passed to :func:`lms.create_app` (tests).

Every setting is documented in the README. Environment values are parsed as JSON when they look like
JSON (numbers, booleans, lists), so ``LMS_PLUGINS='["courses"]'`` and ``LMS_PLUGINS=courses,webinars``
both work.
"""

from __future__ import annotations

import json
import os
import secrets
from email.message import EmailMessage
from pathlib import Path

LANGUAGES = {
    # code: (name in itself, text direction)
    "en": ("English", "ltr"),
    "fr": ("Français", "ltr"),
    "es": ("Español", "ltr"),
    "ar": ("العربية", "rtl"),
    "zh": ("中文", "ltr"),
    "ru": ("Русский", "ltr"),
}


class Defaults:
    ENV = "development"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: sqlite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    PLUGINS = ["courses", "webinars", "readiness", "analytics"]
    SITE_NAME = "Minamata LMS"
    BASE_URL = "http://127.0.0.1:5000"
    LANGUAGES = list(LANGUAGES)
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent.parent / "translations")
    MAIL_TRANSPORT = "file"  # "file" writes .eml to instance/mail/, "smtp" uses the SMTP_* settings
    MAIL_FROM = "Minamata LMS <no-reply@localhost>"
    SMTP_HOST = "localhost"
    SMTP_PORT = 25
    SMTP_USERNAME: str | None = None
    SMTP_PASSWORD: str | None = None
    SMTP_STARTTLS = False
    SCHEDULER_ENABLED = False  # run APScheduler inside the web process (development)
    RATELIMIT_STORAGE_URI = "memory://"
    # Signing in must not fail with the shared storage (Redis): while it does not answer, each worker
    # counts in its own memory, and goes back to the storage once it answers again.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_ENABLED = True
    PROXY_HOPS = 0  # reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    # Per visitor (IP address): a workshop room signs up and signs in together behind one address, so
    # this stays well above a room's use; each account is guarded by ``RATELIMIT_PER_ADDRESS``.
    RATELIMIT_LOGIN = "30 per minute;300 per hour"
    # Per e-mail address typed (sign-in, new confirmation link, password reset), whoever sends it.
    RATELIMIT_PER_ADDRESS = "10 per hour"
    MEDIA_DIR: str | None = None  # default: instance/media
    MAX_CONTENT_LENGTH = 200 * 1024 * 1024
    PDF_FONT_DIRS = ["/usr/share/fonts"]  # where lms.pdf looks for Noto / DejaVu fonts
    PDF_CACHE_DIR: str | None = None  # default: instance/pdf-cache
    WTF_CSRF_ENABLED = True
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - werkzeug method string; scrypt with its default cost
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_DAYS = 30  # a signed-in session unused this long is signed out
    INVITATION_DAYS = 14  # an administrator's invitation link (choose your password) stays valid this long
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    XAPI_FORWARD_MAX_ATTEMPTS = 8
    XAPI_FORWARD_BATCH = 50
    XAPI_LAUNCH_TOKEN_MINUTES = 240
    XAPI_FORWARD: list = []  # external LRSs: [{name, endpoint, username, password, verbs|activity_types}]
    XAPI_FORWARD_CLAIM_SECONDS = 600  # a forwarding run's claim on queued items expires after this
    # http:// external LRSs beyond this machine (a private network between containers); off: https only.
    XAPI_FORWARD_ALLOW_HTTP = False
    XAPI_DOCUMENT_MAX_BYTES = 16 * 1024 * 1024  # State / profile documents (413 above)


def _parse_env_value(raw: str):
    text = raw.strip()
    if text[:1] in "[{" or text in ("true", "false", "null") or text.lstrip("-").isdigit():
        try:
            return json.loads(text)
        except ValueError:
            return raw
    return raw


# Settings that hold lists; a comma-separated environment value is split for them.
_LIST_SETTINGS = {"PLUGINS", "LANGUAGES"}
# Environment names that map onto library setting names.
_ALIASES = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}


def from_environment(environ=None) -> dict:
    """Collect ``LMS_*`` variables (and ``DATABASE_URL``) into a settings mapping."""
    environ = os.environ if environ is None else environ
    out: dict = {}
    for key, raw in environ.items():
        if key == "DATABASE_URL":
            name = key
        elif key.startswith("LMS_") and not key.startswith("LMS_TEST_"):
            name = key[4:]
        else:
            continue
        name = _ALIASES.get(name, name)
        value = _parse_env_value(raw)
        if name in _LIST_SETTINGS and isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        out[name] = value
    return out


def ensure_base_url(app) -> None:
    """Production needs its public address: mailed links (account confirmation, password reset) and
    the xAPI identifiers stored in every statement are built from it, and the development default
    would send users to 127.0.0.1 and tie the learning records to it for good."""
    if app.config["ENV"] == "production" and app.config.get("BASE_URL") in (None, "", Defaults.BASE_URL):
        raise RuntimeError(
            "LMS_BASE_URL must be set in production (the public address, e.g. https://learn.example.org)"
        )


def ensure_mail_from(app) -> None:
    """The sender of every mail, and the organiser named in every calendar file, must read as one
    address, read as mail programs read a From header: a display name with a comma left unquoted, or
    two addresses, would make them see others."""
    value = app.config.get("MAIL_FROM") or ""
    header = EmailMessage()
    try:
        header["From"] = value
        addresses = header["From"].addresses
        defects = header["From"].defects
    except (ValueError, IndexError):
        addresses, defects = (), ("unreadable",)
    if len(addresses) != 1 or defects or not addresses[0].username or not addresses[0].domain:
        raise RuntimeError(
            f"LMS_MAIL_FROM is not one mail address: {value!r} (quote a display name that holds a "
            'comma: "Minamata Convention, Secretariat" <training@example.org>)'
        )


def ensure_invitation_days(app) -> None:
    """Refuse to start with an invitation lifetime that is not a whole number of days from 1: links
    count whole days, and the mail says how many (1.5 would have been cut to 1 without a word)."""
    value = app.config.get("INVITATION_DAYS", 14)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuntimeError(f"LMS_INVITATION_DAYS must be a whole number of days from 1, not {value!r}")


def ensure_secret_key(app) -> None:
    """Use the configured key; otherwise generate one into the instance folder (development only)."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config["ENV"] == "production":
        raise RuntimeError(
            "LMS_SECRET_KEY must be set in production (a long random string, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()
