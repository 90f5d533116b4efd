"""Trainer dashboards: a trainer sees the courses, sessions and kits they own, an admin all of them
(:mod:`analytics.scope`); another trainer's resource is a 404."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _

from analytics.dash.common import RESOURCE_RE
from analytics.parts import names_by_part
from analytics.rollup import get_state
from analytics.scope import in_scope
from analytics.views import bp, dashboard_state, render_dashboard
from lms.auth import trainer_required
from lms.i18n import current_language
from lms.registry import get_resource

KEY_RE = RESOURCE_RE.pattern.split(":", 1)[1].rstrip("$")


@bp.get("/")
@trainer_required
def index():
    return render_template("analytics/index.html", state=get_state())


@bp.get("/overview")
@trainer_required
def overview():
    return render_dashboard(
        "overview", "analytics/overview.html", kinds=("course", "kit", "webinar", "workshop")
    )


@bp.get("/courses")
@trainer_required
def courses():
    return render_dashboard("courses", "analytics/courses.html", kinds=("course", "kit", "workshop"))


def _title(res, fallback: str) -> str:
    return res.title(current_language()) if res is not None else fallback


def _check_resource(kind: str, key: str, kinds: tuple) -> None:
    """404 unless ``kind:key`` is a well-formed ref of ``kinds`` within the reader's scope. The scope
    comes with the page's fingerprint (one query); the resource itself is read only when the page is
    rendered (see :func:`_heading`), not when it comes from the page cache."""
    if kind not in kinds or not RESOURCE_RE.match(f"{kind}:{key}"):
        abort(404)
    if not in_scope(dashboard_state()[1], kind, key):
        abort(404)


def _heading(kind: str, key: str, fallback: str, fmt=None):
    """Template variables ``resource`` and ``heading`` (the resource's title, through ``fmt``), for
    :func:`analytics.views.render_dashboard`'s ``lazy``."""

    def lazy() -> dict:
        res = get_resource(kind, key)
        title = _title(res, fallback)
        return {"resource": res, "heading": fmt(title) if fmt else title}

    return lazy


@bp.get("/courses/<kind>/<key>")
@trainer_required
def course(kind, key):
    _check_resource(kind, key, ("course", "kit"))
    return render_dashboard(
        "course",
        "analytics/course.html",
        args={"kind": kind, "key": key},
        lazy=_heading(kind, key, f"{kind}:{key}"),
        kind=kind,
        key=key,
    )


@bp.app_template_global("analytics_lesson_names")
def _lesson_names(kind, key, payload):
    """Names of the lessons and quizzes of a course's "where learners stop" table."""
    if not payload:
        return {}
    return names_by_part(f"{kind}:{key}", payload["tables"]["lessons"]["rows"], None, 0)


@bp.app_template_global("analytics_part_names")
def _part_names(tbl: dict) -> dict[str, str]:
    """Names of the parts in a table with ``resource`` and ``part`` columns (feedback comments)."""
    cols = tbl["columns"]
    return names_by_part(None, tbl["rows"], cols.index("resource"), cols.index("part"))


@bp.get("/courses/<kind>/<key>/items")
@trainer_required
def course_items(kind, key):
    _check_resource(kind, key, ("course", "kit"))
    return render_dashboard(
        "items",
        "analytics/items.html",
        args={"kind": kind, "key": key},
        lazy=_heading(kind, key, f"{kind}:{key}", lambda title: _("Quiz items: %(title)s", title=title)),
        kind=kind,
        key=key,
    )


@bp.get("/items")
@trainer_required
def flagged_items():
    return render_dashboard(
        "items",
        "analytics/items.html",
        args={"flagged_only": True},
        resource=None,
        kind=None,
        key=None,
        heading=_("Quiz items much harder in one language"),
    )


@bp.get("/webinars")
@trainer_required
def webinars():
    return render_dashboard("webinars", "analytics/webinars.html", kinds=("webinar",))


@bp.get("/webinars/<key>")
@trainer_required
def webinar(key):
    _check_resource("webinar", key, ("webinar",))
    return render_dashboard(
        "webinar",
        "analytics/webinar.html",
        args={"kind": "webinar", "key": key},
        lazy=_heading("webinar", key, key),
        kind="webinar",
        key=key,
    )


@bp.get("/workshops")
@trainer_required
def workshops():
    return render_dashboard("workshops", "analytics/workshops.html", kinds=("workshop", "kit"))


@bp.get("/readiness")
@trainer_required
def readiness():
    return render_dashboard("readiness", "analytics/readiness.html")


@bp.get("/feedback-summary")
@trainer_required
def feedback_summary():
    return render_dashboard("feedback", "analytics/feedback_summary.html")
