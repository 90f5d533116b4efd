"""The demo data: readiness figures are those of the assessments the readiness plugin's demo submits,
with the questionnaire's dimensions; the analytics demo invents none."""

from __future__ import annotations

from sqlalchemy import func, select

from analytics.generator import DIMENSIONS, Generator, Plan
from lms.db import db
from tests.analytics.test_labels import newest_questionnaire


def test_generated_readiness_submissions_use_the_questionnaires_dimensions(app):
    gen = Generator(Plan(base_url="http://lms.test", courses=[], webinars=[], workshops=[]))
    built = gen.readiness_journey(gen.new_learner())
    levels = next(iter(built[0][0]["data"]["result"]["extensions"].values()))
    assert list(DIMENSIONS) == list(levels) == [d["id"] for d in newest_questionnaire()["dimensions"]]


def test_the_analytics_demo_invents_no_readiness_submission(app, countries):
    from analytics.demo import demo_plan

    gen = Generator(demo_plan(app.config["BASE_URL"]))
    assert not [b for b in gen.statements(7000) if "/readiness" in b[0]["data"]["object"]["id"]]


def test_the_readiness_dashboard_of_the_demo_agrees_with_the_readiness_plugin(app, client, login):
    from readiness.models import Assessment

    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    submitted = db.session.scalar(
        select(func.count(Assessment.id)).where(Assessment.submitted_dt.is_not(None))
    )
    countries = db.session.scalar(
        select(func.count(func.distinct(Assessment.country_code))).where(Assessment.submitted_dt.is_not(None))
    )
    assert submitted and countries
    from lms.demo import DEMO_PASSWORD
    from lms.models import User

    login(db.session.scalar(select(User).filter_by(email="admin@example.org")), DEMO_PASSWORD)
    tables = client.get("/analytics/api/v1/dashboards/readiness").get_json()["tables"]
    funnel = {row[0]: row[1] for row in tables["funnel"]["rows"]}
    assert (funnel["assessments_submitted"], funnel["countries_assessed"]) == (submitted, countries)
    assert {row[1] for row in tables["levels"]["rows"]} <= set(DIMENSIONS)
