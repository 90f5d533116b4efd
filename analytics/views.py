"""The analytics blueprint: shared helpers; the routes live in ``views_dash`` (trainer dashboards),
``views_public`` (open data, feedback, API) and ``views_admin`` (triage, exports)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

from flask import Blueprint, abort, current_app, render_template, render_template_string, request
from flask_babel import force_locale, format_datetime, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from analytics.dash.common import FilterError, Filters, resources
from analytics.forms import FilterForm, choices
from analytics.labels import (
    MEASURE_LABELS,
    column_label,
    format_cell,
    language_label,
    pick_text,
    region_label,
)
from analytics.render import data_table
from analytics.rollup import get_state
from analytics.scope import parse_refs, scoped_id, user_scope
from analytics.snapshots import DASHBOARDS, fingerprint, get_payload, snapshot_key
from analytics.svg import bar_chart
from lms.config import LANGUAGES
from lms.countries import country_choices
from lms.db import db
from lms.i18n import current_language, details_in_parentheses, sort_key
from lms.markdown import render_markdown
from lms.models import UN_REGIONS

bp = Blueprint("analytics", __name__, template_folder="templates", static_folder="static")


def column(tbl: dict, name: str) -> list:
    i = tbl["columns"].index(name)
    return [row[i] for row in tbl["rows"]]


def rows_as_dicts(tbl: dict) -> list[dict]:
    return [dict(zip(tbl["columns"], row, strict=True)) for row in tbl["rows"]]


@bp.context_processor
def _helpers():
    return {
        "cell": format_cell,
        "column_label": column_label,
        "language_label": language_label,
        "region_label": region_label,
        "chart": bar_chart,
        "column": column,
        "rows_as_dicts": rows_as_dicts,
        "mapped": lambda fn, values: [fn(v) for v in values],
        "table": data_table,
        "titled": _titled,
        "titled_by_language": _titled_by_language,
        "named": lambda names, values: [names.get(v) or v for v in values],
        "pick": pick_language,
        "pick_plain": lambda texts, fallback="": plain(pick_language(texts, fallback)),
        "item_labels": item_labels,
        "item_names": item_names,
        "cell_measure": lambda v: str(MEASURE_LABELS.get(v, v)),
        "computed_at": computed_at,
    }


def computed_at(iso: str) -> str:
    """When a snapshot was computed (stored as ISO 8601 in UTC), in the reader's language and zone."""
    when = datetime.fromisoformat(iso)
    return format_datetime(when if when.tzinfo else when.replace(tzinfo=UTC), "short")


def plain(text: str) -> str:
    """A question's or choice's Markdown as plain text (rendered, then its tags stripped)."""
    return render_markdown(text).striptags() if text else text


def item_labels(payload: dict) -> list[str]:
    tbl = payload["tables"]["items"]
    return [
        plain(pick_language(payload["names"].get(f"{ref}|{item}"), item))
        for ref, item in zip(column(tbl, "resource"), column(tbl, "item"), strict=True)
    ]


def item_names(payload: dict) -> dict[str, str]:
    """``{item: name}`` of a quiz-items payload, in the reader's language."""
    names = payload["names"]
    return {ref_item.split("|", 1)[1]: plain(pick_language(texts)) for ref_item, texts in names.items()}


def pick_language(texts: dict | None, fallback: str = "") -> str:
    """A language map's text in the reader's language, else English, else any."""
    return pick_text(texts, current_language(), fallback)


def _titled(titles: dict, refs: list[str]) -> list[str]:
    lang = current_language()
    return [titles[r].title(lang) if r in titles else r for r in refs]


def _titled_by_language(titles: dict, refs: list[str], langs: list[str], length: int = 34) -> list[str]:
    """Chart labels of rows per resource and language: the title, cut to leave room, then the
    language's name in the reader's language and parentheses ("Title… (Spanish)", "标题…（西班牙语）"), so
    each row's bars are told apart."""
    out = []
    for title, lang in zip(_titled(titles, refs), langs, strict=True):
        suffix = details_in_parentheses([language_label(lang)]).unescape()
        room = max(8, length - len(suffix))
        out.append((title if len(title) <= room else title[: room - 1].rstrip() + "…") + suffix)
    return out


@lru_cache(maxsize=64)
def _fixed_choices(name: str, lang: str) -> tuple:
    """Choice lists that depend only on the language (kept, so their HTML is rendered once)."""
    with force_locale(lang):
        pairs = {
            "language": [(c, language_label(c)) for c in LANGUAGES],
            "region": [(r, region_label(r)) for r in UN_REGIONS],
            "country": country_choices(lang),
        }[name]
        # "All" names what it gathers: languages do not share the gender of countries in every language.
        everything = {
            "language": _("All languages"),
            "region": _("All regions"),
            "country": _("All countries"),
        }
        return tuple(choices([("", everything[name]), *pairs]))


def filter_form(supports, kinds=None, scope: tuple[str, ...] | None = None) -> FilterForm:
    """The filter form; a trainer's resource choices are their own resources only."""
    lang = current_language()
    form = FilterForm(request.args)
    everything = [("", _("All modules, sessions and kits"))]
    form.resource.choices = choices(
        everything
        + sorted(
            ((ref, r.title(lang)) for ref, r in resources(kinds, scope).items()),
            key=lambda c: sort_key(c[1], lang),
        )
    )
    form.language.choices = _fixed_choices("language", lang)
    form.region.choices = _fixed_choices("region", lang)
    form.country.choices = _fixed_choices("country", lang)
    for name in ("resource", "language", "region", "country", "start", "end"):
        if name not in supports:
            delattr(form, name)
    return form


def parse_scoped(supports, scope: tuple[str, ...] | None) -> Filters:
    """The request's filters within the reader's scope; a resource outside it is refused (404)."""
    f = Filters.parse(request.args, set(supports)).scoped(scope)
    if f.kind_key and not f.allows(*f.kind_key):
        abort(404)
    return f


def dashboard_state() -> tuple[dict, tuple[str, ...] | None]:
    """``(fingerprint, scope)`` of the request: the snapshots' fingerprint
    (:func:`analytics.snapshots.fingerprint`) and the reader's scope, read in ONE query and kept for the
    rest of the request. A dashboard page served from the page cache needs nothing else from the
    database (besides the signed-in user)."""
    env = request.environ
    if "analytics.fingerprint" not in env:
        user = current_user
        owner = scoped_id(user)
        fp = fingerprint(owned_by=owner)
        env["analytics.fingerprint"] = fp
        if owner is not None:
            env["analytics.scope"] = parse_refs(fp["owned"])
        elif "analytics.scope" not in env:
            env["analytics.scope"] = user_scope(user)  # admin or anonymous: no query
    return env["analytics.fingerprint"], env["analytics.scope"]


def render_dashboard(
    name: str,
    template: str,
    *,
    kinds=None,
    args: dict | None = None,
    lazy: Callable[[], dict] | None = None,
    **context,
):
    """Validate the filters, read the dashboard's snapshot (computing it if stale) and render. Everything
    shown is within the reader's scope (:mod:`analytics.scope`). ``lazy`` returns more template
    variables (e.g. a resource's heading); it is called only when the page is not in the page cache.

    A page served from the page cache costs one query besides the signed-in user: the fingerprint and
    the reader's scope (:func:`dashboard_state`)."""
    dash = DASHBOARDS[name]
    args = args or {}
    _fp, scope = dashboard_state()
    try:
        f = parse_scoped(dash.supports, scope)
    except FilterError:
        f = None
    if f is not None:
        hit = cached_body(name, template, f, args)
        if hit is not None:
            return hit
    if lazy is not None:
        context.update(lazy())
    form = filter_form(dash.supports, kinds, scope)
    error = None
    if not form.validate():
        error = _("Some filters could not be used; correct them and try again.")
    else:
        try:
            f = parse_scoped(dash.supports, scope)
        except FilterError as exc:
            error = str(exc)
    f = f if error is None else Filters().scoped(scope)
    values = dict(
        filters=f, form=form, error=error, dashboard=name, export_args={**f.as_dict(), **args}, **context
    )
    return cached_page(name, template, f, args, values)


def _fragment_key(name: str, template: str, f: Filters | None, args: dict) -> tuple:
    fp, _scope = dashboard_state()  # one query per request, shared with the scope
    return (
        template,
        snapshot_key(name, f, fp, **args),
        current_language(),
        str(get_timezone()),
        tuple(sorted(request.args.items(multi=True))),
        fp["last_run"],
        getattr(current_user, "is_admin", False),
        fp["titles"],
    )


def cached_body(name: str, template: str, f: Filters | None, args: dict):
    """The page from the fragment cache, or None (before any form or payload is even built)."""
    cached = _FRAGMENTS.get(_fragment_key(name, template, f, args))
    if cached is None:
        return None
    return render_template("analytics/shell.html", title=cached[0], body=cached[1]), 200


def cached_page(name: str, template: str, f: Filters | None, args: dict, values: dict):
    """Render a dashboard page from its (cached) body; see :data:`_FRAGMENTS`. ``values`` are the
    template's variables but ``payload``, ``state`` and ``titles``, added here."""
    error = values.get("error")
    fragment_key = None
    if error is None:
        fragment_key = _fragment_key(name, template, f, args)
        cached = _FRAGMENTS.get(fragment_key)
        if cached is not None:
            _FRAGMENTS.move_to_end(fragment_key)
            return render_template("analytics/shell.html", title=cached[0], body=cached[1]), 200
        values["payload"] = get_payload(name, f, _key=fragment_key[1], **args)
        db.session.commit()
    else:
        values["payload"] = None
    values["state"] = get_state()
    values["titles"] = resources(scope=f.scope)
    title, body = _render_blocks(template, values)
    if fragment_key is not None:
        _FRAGMENTS[fragment_key] = (title, body)
        while len(_FRAGMENTS) > FRAGMENT_CACHE_SIZE:
            _FRAGMENTS.popitem(last=False)
    return render_template("analytics/shell.html", title=title, body=body), (400 if error else 200)


# The dashboards' navigation (the ``dash_nav`` macro), rendered once per application, language, page,
# kind of reader and script root: it is on every page, and its ten links and labels cost as much as
# serving the rest of a cached page.
NAV_CACHE_SIZE = 1024  # endpoints x languages x admin or not, with room to spare


@bp.app_template_global("analytics_dash_nav")
def dash_nav(current: str | None) -> Markup:
    cache = current_app.extensions.setdefault("analytics.nav", {})
    key = (current_language(), current, getattr(current_user, "is_admin", False), request.script_root)
    html = cache.get(key)
    if html is None:
        html = Markup(  # noqa: S704 - Jinja output, autoescaped
            render_template_string(
                '{% from "analytics/_macros.html" import dash_nav with context %}{{ dash_nav(current) }}',
                current=current,
            )
        )
        if len(cache) < NAV_CACHE_SIZE:
            cache[key] = html
    return html


# Rendered dashboard bodies (everything inside <main> but the navigation), keyed by the snapshot and its
# data version, the language, the query and the rollup's last run: a page whose figures have not changed
# is served without rendering its tables and charts again. Per process; bounded.
FRAGMENT_CACHE_SIZE = 256
_FRAGMENTS: OrderedDict = OrderedDict()


def _render_blocks(template: str, values: dict) -> tuple[Markup, Markup]:
    """Render only the ``title`` and ``page`` blocks of a dashboard template."""
    app = current_app._get_current_object()
    app.update_template_context(values)
    tmpl = app.jinja_env.get_template(template)
    ctx = tmpl.new_context(values)
    title = Markup("".join(tmpl.blocks["title"](ctx)))  # noqa: S704 - Jinja output, autoescaped
    body = Markup("".join(tmpl.blocks["page"](ctx)))  # noqa: S704 - Jinja output, autoescaped
    return title, body


from analytics import (  # noqa: E402,F401  (routes on bp)
    views_admin,
    views_api,
    views_dash,
    views_public,
    views_triage,
)
