"""The analytics blueprint: shared helpers; the routes live in ``views_dash`` (trainer dashboards),
``views_public`` (open data, feedback, API) and ``views_admin`` (triage, exports)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from analytics.dash.common import FilterError, Filters, resources
from analytics.forms import FilterForm, choices
from analytics.labels import MEASURE_LABELS, column_label, format_cell, language_label, region_label
from analytics.rollup import get_state
from analytics.snapshots import DASHBOARDS, get_payload
from analytics.svg import bar_chart
from lms.config import LANGUAGES
from lms.countries import country_choices
from lms.db import db
from lms.i18n import current_language
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
        "titled": _titled,
        "named": lambda names, values: [names.get(v) or v for v in values],
        "pick": pick_language,
        "item_labels": item_labels,
        "cell_measure": lambda v: str(MEASURE_LABELS.get(v, v)),
    }


def item_labels(payload: dict) -> list[str]:
    tbl = payload["tables"]["items"]
    return [
        pick_language(payload["names"].get(f"{ref}|{item}"), item)
        for ref, item in zip(column(tbl, "resource"), column(tbl, "item"), strict=True)
    ]


def pick_language(texts: dict | None, fallback: str = "") -> str:
    """A language map's text in the reader's language, else English, else any."""
    texts = texts or {}
    lang = current_language()
    for code, text in texts.items():
        if code.split("-")[0] == lang and text:
            return text
    for code, text in texts.items():
        if code.split("-")[0] == "en" and text:
            return text
    return next((t for t in texts.values() if t), fallback)


def _titled(titles: dict, refs: list[str]) -> list[str]:
    lang = current_language()
    return [titles[r].title(lang) if r in titles else r for r in refs]


def filter_form(supports, kinds=None) -> FilterForm:
    lang = current_language()
    form = FilterForm(request.args)
    everything = [("", _("All"))]
    form.resource.choices = choices(
        everything
        + sorted(((ref, r.title(lang)) for ref, r in resources(kinds).items()), key=lambda c: c[1].casefold())
    )
    form.language.choices = choices(everything + [(c, language_label(c)) for c in LANGUAGES])
    form.region.choices = choices(everything + [(r, region_label(r)) for r in UN_REGIONS])
    form.country.choices = choices(everything + country_choices(lang))
    for name in ("resource", "language", "region", "country", "start", "end"):
        if name not in supports:
            delattr(form, name)
    return form


def render_dashboard(name: str, template: str, *, kinds=None, args: dict | None = None, **context):
    """Validate the filters, read the dashboard's snapshot (computing it if stale) and render."""
    dash = DASHBOARDS[name]
    form = filter_form(dash.supports, kinds)
    error = None
    payload = None
    f = Filters()
    if not form.validate():
        error = _("Some filters could not be used; correct them and try again.")
    else:
        try:
            f = Filters.parse(request.args, set(dash.supports))
        except FilterError as exc:
            error = str(exc)
    if error is None:
        payload = get_payload(name, f, **(args or {}))
        db.session.commit()
    html = render_template(
        template,
        payload=payload,
        filters=f,
        form=form,
        error=error,
        state=get_state(),
        titles=resources(),
        dashboard=name,
        export_args={**f.as_dict(), **(args or {})},
        **context,
    )
    return html, (400 if error else 200)


from analytics import views_admin, views_api, views_dash, views_public  # noqa: E402,F401  (routes on bp)
