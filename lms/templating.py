"""Template globals and filters shared by the core and every plugin."""

from __future__ import annotations

from babel.dates import get_datetime_format
from flask import Flask, current_app, render_template, request
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale
from markupsafe import Markup

from lms import i18n, timezones
from lms.account.tokens import make_language_token
from lms.markdown import render_markdown
from lms.plugins import enabled_plugins


def _datetime_minutes(value) -> str:
    """A date and time to the minute, in the reader's language and time zone, written the way the
    ``date`` filter writes dates ("Nov 24, 2026, 11:17 PM"): ``datetime('short')`` would put "11/24/26"
    next to them."""
    if not value:
        return ""
    # As Babel joins its own medium date and time, with the short time (no seconds).
    return (
        get_datetime_format("medium", locale=get_locale())
        .replace("'", "")
        .replace("{0}", format_time(value, "short"))
        .replace("{1}", format_date(value, "medium"))
    )


def resource_footer(kind: str, key: str, part: str = "") -> Markup:
    """The foot of a learning-resource page: every enabled plugin's ``resource_footer`` template (see
    :attr:`lms.plugins.Plugin.resource_footer`), e.g. "Was this useful?" and "Report a problem"."""
    footer = {"kind": kind, "key": str(key), "part": part, "next": request.path}
    # Autoescaped templates of the plugins: their output is HTML already.
    parts = [
        Markup(render_template(plugin.resource_footer, footer=footer))  # noqa: S704
        for plugin in enabled_plugins(current_app).values()
        if plugin.resource_footer
    ]
    if not parts:
        return Markup("")
    return Markup('<div class="resource-footer">') + Markup("").join(parts) + Markup("</div>")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = lambda v, fmt="medium": format_datetime(v, fmt) if v else ""
    app.jinja_env.filters["date"] = lambda v, fmt="medium": format_date(v, fmt) if v else ""
    app.jinja_env.filters["datetime_minutes"] = _datetime_minutes
    # A moment with its zone's name, in the reader's zone: "Nov 25, 2026, 5:00 PM East Africa Time".
    app.jinja_env.filters["moment"] = timezones.moment
    app.jinja_env.globals["reader_zone"] = timezones.reader_zone
    app.jinja_env.globals["reader_zone_is_default"] = timezones.reader_zone_is_default
    app.jinja_env.globals["zone_label"] = timezones.zone_label  # "Kenya", "Brazil (Sao Paulo)", "UTC"
    app.jinja_env.filters["number"] = lambda v: format_decimal(v) if v is not None else ""
    # A whole percentage (0-100) in the reader's language: "75 %" in French, "75%" in English.
    app.jinja_env.filters["percentage"] = lambda v: i18n.percent_text(v / 100) if v is not None else ""
    app.jinja_env.filters["filesize"] = i18n.file_size
    app.jinja_env.filters["isolate"] = i18n.isolate
    # Running text names languages in the reader's language; the switcher uses ``languages`` below.
    app.jinja_env.globals["language_name"] = i18n.language_name
    app.jinja_env.globals["native_language_name"] = i18n.native_language_name
    app.jinja_env.globals["lang_attrs"] = i18n.lang_attrs
    # Lists in the reader's language: ``items|list_text``, or ``{{ list_sep(loop) }}`` after each item
    # of a loop whose items are markup.
    app.jinja_env.filters["list_text"] = i18n.list_text
    app.jinja_env.globals["list_sep"] = lambda loop: i18n.list_separator(loop.index0, loop.length)
    # Details of one thing ("MP4, 12 MB": ``[fmt, size]|details``) and a label before its value
    # (``labelled(_('Transcript'), title)``), each with the reader's punctuation.
    app.jinja_env.filters["details"] = i18n.details_text
    app.jinja_env.filters["details_in_parentheses"] = i18n.details_in_parentheses
    app.jinja_env.filters["sentences"] = i18n.sentences
    app.jinja_env.globals["labelled"] = i18n.labelled
    app.jinja_env.globals["resource_footer"] = resource_footer
    app.jinja_env.globals["language_token"] = make_language_token

    @app.context_processor
    def _globals():
        lang = i18n.current_language()
        nav, account_nav, trainer_nav = [], [], []
        for plugin in enabled_plugins(app).values():
            nav.extend(plugin.nav)
            account_nav.extend(plugin.account_nav)
            trainer_nav.extend(plugin.trainer_nav)
        return {
            "site_name": app.config["SITE_NAME"],
            "current_lang": lang,
            "text_dir": i18n.text_direction(lang),
            # The language switcher: each language in its own name.
            "languages": [(code, i18n.native_language_name(code)) for code in i18n.supported()],
            "plugin_nav": nav,
            "plugin_account_nav": account_nav,
            "plugin_trainer_nav": trainer_nav,
            "enabled_plugins": enabled_plugins(app),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
