"""The readiness pages the browser harness checks (en and ar): start page, questionnaire, advisory
services, and France's demo assessment (overview, team, a questionnaire section, all answers, result,
print view, benchmark, audit trail) as its coordinator, plus the secretariat view as admin."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from tests.browser.pages import PageSpec


def _assessment(suffix: str = ""):
    def _find():
        from readiness.models import Assessment

        uuid = db.session.scalar(
            select(Assessment.uuid).where(Assessment.country_code == "FR").order_by(Assessment.cycle.desc())
        )
        return f"/readiness/a/{uuid}{suffix}" if uuid else None

    return _find


def _spec(name, path, role=None):
    return PageSpec(f"readiness-{name}", path, role=role, plugin="readiness")


READINESS_PAGES = [
    _spec("index", "/readiness/"),
    _spec("index-coordinator", "/readiness/", role="coordinator"),
    _spec("questionnaire", "/readiness/questionnaire"),
    _spec("services", "/readiness/services"),
    _spec("assessment", _assessment(), role="coordinator"),
    _spec("team", _assessment("/team"), role="coordinator"),
    _spec("section", _assessment("/section/reporting"), role="coordinator"),
    _spec("review", _assessment("/review"), role="coordinator"),
    _spec("result", _assessment("/result"), role="coordinator"),
    _spec("result-print", _assessment("/result/print"), role="coordinator"),
    _spec("benchmark", _assessment("/benchmark"), role="coordinator"),
    _spec("audit", _assessment("/audit"), role="coordinator"),
    _spec("secretariat", "/readiness/secretariat", role="admin"),
]
