"""The analytics pages the browser harness checks (every dashboard and the public pages, en and ar)."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from tests.browser.pages import PageSpec


def _first(kind: str, template: str):
    def _find():
        from lms.registry import LearningResource

        key = db.session.scalar(
            select(LearningResource.key).where(LearningResource.kind == kind).order_by(LearningResource.id)
        )
        return template.format(key=key) if key else None

    return _find


def _first_report():
    from analytics.models_feedback import ProblemReport

    uuid = db.session.scalar(select(ProblemReport.uuid).order_by(ProblemReport.id))
    return f"/analytics/triage/{uuid}" if uuid else None


def _spec(name, path, role=None):
    return PageSpec(f"analytics-{name}", path, role=role, plugin="analytics")


ANALYTICS_PAGES = [
    _spec("open-data", "/analytics/open-data"),
    _spec("feedback-form", _first("course", "/analytics/feedback?resource=course:{key}&next=/")),
    _spec("report-form", _first("course", "/analytics/report?resource=course:{key}&next=/")),
    _spec("evaluation", _first("course", "/analytics/evaluation/course/{key}"), role="learner"),
    _spec("index", "/analytics/", role="trainer"),
    _spec("overview", "/analytics/overview", role="trainer"),
    _spec("courses", "/analytics/courses", role="trainer"),
    _spec("course", _first("course", "/analytics/courses/course/{key}"), role="trainer"),
    _spec("course-items", _first("course", "/analytics/courses/course/{key}/items"), role="trainer"),
    _spec("flagged-items", "/analytics/items", role="trainer"),
    _spec("webinars", "/analytics/webinars", role="trainer"),
    _spec("webinar", _first("webinar", "/analytics/webinars/{key}"), role="trainer"),
    _spec("workshops", "/analytics/workshops", role="trainer"),
    _spec("readiness", "/analytics/readiness", role="trainer"),
    _spec("feedback-summary", "/analytics/feedback-summary", role="trainer"),
    _spec("triage", "/analytics/triage", role="trainer"),
    _spec("triage-report", _first_report, role="trainer"),
    _spec("exports", "/analytics/exports", role="admin"),
]
