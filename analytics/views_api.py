"""The read-only JSON API for aggregates, documented by an OpenAPI 3.1 document at
``/analytics/api/openapi.json``. Open-data figures are public (CORS open, so the secretariat's website
and other UN platforms can embed them); dashboard payloads need a trainer's session."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_babel import gettext as _
from flask_login import current_user

from analytics.dash.common import RESOURCE_RE, FilterError, Filters
from analytics.rollup import get_state
from analytics.scope import current_scope
from analytics.snapshots import DASHBOARDS, get_payload
from analytics.views import bp
from analytics.views_public import open_data_document, open_data_year, public_document
from lms.db import db

API_DASHBOARDS = (
    "overview",
    "courses",
    "course",
    "items",
    "webinars",
    "webinar",
    "workshops",
    "readiness",
    "feedback",
)


def _json(body, status=200, public=False):
    resp = jsonify(body)
    resp.status_code = status
    if public:
        resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def _freshness() -> dict:
    state = get_state()
    return {
        "data_as_of": state.last_stored_dt.isoformat() if state and state.last_stored_dt else None,
        "last_run": state.last_run_dt.isoformat() if state and state.last_run_dt else None,
    }


@bp.get("/api/v1/open-data")
def api_open_data():
    _form, year, error = open_data_year()
    if error:
        return _json({"error": error}, 400, public=True)
    return _json(public_document("doc", year, open_data_document), public=True)


@bp.get("/api/v1/summary")
def api_summary():
    """Headline figures (all years, all regions and languages), suppressed like the open data."""
    doc = public_document("doc", None, open_data_document)
    totals = {
        r["measure"]: r["value"] for r in doc["data"] if r["region"] == "all" and r["language"] == "all"
    }
    return _json(
        {"measures": totals, "licence": doc["licence"], "attribution": doc["attribution"], **_freshness()},
        public=True,
    )


@bp.get("/api/v1/dashboards/<name>")
def api_dashboard(name):
    from flask import request

    if not current_user.is_authenticated:
        return _json({"error": _("Sign in as a trainer.")}, 401)
    if not current_user.has_role("trainer"):
        return _json({"error": _("Trainers and administrators only.")}, 403)
    if name not in API_DASHBOARDS:
        return _json({"error": _("Unknown dashboard “%(name)s”.", name=name[:40])}, 404)
    args = {}
    try:
        f = Filters.parse(request.args, set(DASHBOARDS[name].supports)).scoped(current_scope())
        if name in ("course", "items", "webinar"):
            kind = request.args.get("kind") or ("webinar" if name == "webinar" else "")
            key = request.args.get("key") or ""
            if name != "items" or kind or key:
                if not RESOURCE_RE.match(f"{kind}:{key}"):
                    raise FilterError(_("kind and key must name a resource."))
                args = {"kind": kind, "key": key}
    except FilterError as exc:
        return _json({"error": str(exc)}, 400)
    named = [f.kind_key] if f.kind_key else []
    if args:
        named.append((args["kind"], args["key"]))
    if any(not f.allows(*ref) for ref in named):
        message = _("You can see the figures of your own modules, sessions and kits only.")
        return _json({"error": message}, 404)
    payload = get_payload(name, f, **args)
    db.session.commit()
    tables = {n: {"columns": t["columns"], "rows": t["rows"]} for n, t in payload["tables"].items()}
    return _json(
        {
            "dashboard": name,
            "filters": f.as_dict(),
            "computed": payload.get("computed"),
            "tables": tables,
            **_freshness(),
        }
    )


FILTER_PARAMS = [
    {
        "name": "resource",
        "in": "query",
        "schema": {"type": "string", "pattern": "^[a-z_]+:[A-Za-z0-9_.-]+$"},
        "description": "A registry resource, kind:key (e.g. course:3f2c...).",
    },
    {
        "name": "language",
        "in": "query",
        "schema": {"type": "string", "enum": ["en", "fr", "es", "ar", "zh", "ru"]},
    },
    {
        "name": "region",
        "in": "query",
        "schema": {"type": "string", "enum": ["africa", "asia_pacific", "ceeg", "grulac", "weog"]},
    },
    {"name": "country", "in": "query", "schema": {"type": "string", "pattern": "^[A-Z]{2}$"}},
    {
        "name": "start",
        "in": "query",
        "schema": {"type": "string", "pattern": "^\\d{4}-\\d{2}$"},
        "description": "First month (YYYY-MM), inclusive.",
    },
    {
        "name": "end",
        "in": "query",
        "schema": {"type": "string", "pattern": "^\\d{4}-\\d{2}$"},
        "description": "Last month (YYYY-MM), inclusive.",
    },
]


def openapi_document() -> dict:
    year = {
        "name": "year",
        "in": "query",
        "schema": {"type": "string", "pattern": "^\\d{4}$"},
        "description": "Count one calendar year only.",
    }
    error = {
        "description": "Bad filter",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Minamata LMS analytics API",
            "version": "1.0.0",
            "description": "Read-only aggregates of the learning platform of the Minamata Convention on "
            "Mercury. Open data is published under CC BY 4.0 with small-cell suppression "
            "(counts from 1 to 4 hidden, zeros shown, plus complementary suppression).",
            "license": {"name": "CC BY 4.0 (data)", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": url_for("core.home", _external=True).rstrip("/")}],
        "paths": {
            "/analytics/api/v1/open-data": {
                "get": {
                    "summary": "Open data by UN region and language",
                    "parameters": [year],
                    "responses": {
                        "200": {
                            "description": "The data set with its dictionary and licence",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/OpenData"}}
                            },
                        },
                        "400": error,
                    },
                }
            },
            "/analytics/api/v1/summary": {
                "get": {
                    "summary": "Headline figures (suppressed like the open data)",
                    "responses": {
                        "200": {
                            "description": "Totals by measure",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Summary"}}
                            },
                        }
                    },
                }
            },
            "/analytics/api/v1/dashboards/{name}": {
                "get": {
                    "summary": "A dashboard's tables (trainers and admins; session cookie)",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": list(API_DASHBOARDS)},
                        },
                        {
                            "name": "kind",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": "For course, items and webinar: the resource kind.",
                        },
                        {
                            "name": "key",
                            "in": "query",
                            "schema": {"type": "string"},
                            "description": "For course, items and webinar: the resource key.",
                        },
                        *FILTER_PARAMS,
                    ],
                    "responses": {
                        "200": {
                            "description": "Tables of the dashboard",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Dashboard"}}
                            },
                        },
                        "400": error,
                        "401": error,
                        "403": error,
                        "404": error,
                    },
                }
            },
            "/analytics/open-data.csv": {
                "get": {
                    "summary": "Open data as CSV",
                    "parameters": [year],
                    "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}},
                    "required": ["error"],
                },
                "Table": {
                    "type": "object",
                    "properties": {
                        "columns": {"type": "array", "items": {"type": "string"}},
                        "rows": {"type": "array", "items": {"type": "array"}},
                    },
                },
                "Dashboard": {
                    "type": "object",
                    "properties": {
                        "dashboard": {"type": "string"},
                        "filters": {"type": "object"},
                        "computed": {"type": "string", "format": "date-time"},
                        "data_as_of": {"type": ["string", "null"], "format": "date-time"},
                        "tables": {
                            "type": "object",
                            "additionalProperties": {"$ref": "#/components/schemas/Table"},
                        },
                    },
                },
                "OpenDataRow": {
                    "type": "object",
                    "properties": {
                        "measure": {"type": "string"},
                        "region": {"type": "string"},
                        "language": {"type": "string"},
                        "value": {"type": ["integer", "null"]},
                        "is_suppressed": {"type": "boolean"},
                        "period": {"type": "string"},
                    },
                },
                "OpenData": {
                    "type": "object",
                    "properties": {
                        "licence": {"type": "object"},
                        "attribution": {"type": "string"},
                        "period": {"type": "string"},
                        "dictionary": {"type": "array", "items": {"type": "object"}},
                        "data": {"type": "array", "items": {"$ref": "#/components/schemas/OpenDataRow"}},
                    },
                },
                "Summary": {
                    "type": "object",
                    "properties": {
                        "measures": {"type": "object", "additionalProperties": {"type": ["integer", "null"]}},
                        "licence": {"type": "object"},
                        "data_as_of": {"type": ["string", "null"]},
                    },
                },
            }
        },
    }


@bp.get("/api/openapi.json")
def api_openapi():
    return _json(openapi_document(), public=True)
