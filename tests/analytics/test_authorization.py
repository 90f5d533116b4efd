"""Who may open every analytics route: anonymous, learner, trainer, coordinator and admin."""

from __future__ import annotations

import pytest

from lms.db import db

ROLES = ("anonymous", "learner", "trainer", "coordinator", "admin")

TRAINER = {"anonymous": 302, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 200}
ADMIN = {"anonymous": 302, "learner": 403, "trainer": 403, "coordinator": 403, "admin": 200}
PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = {"anonymous": 302, "learner": 200, "trainer": 200, "coordinator": 200, "admin": 200}
API_TRAINER = {"anonymous": 401, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 200}


# (endpoint, method, path, data, expected status by role)
CASES = [
    ("analytics.index", "GET", "/analytics/", None, TRAINER),
    ("analytics.overview", "GET", "/analytics/overview", None, TRAINER),
    ("analytics.courses", "GET", "/analytics/courses", None, TRAINER),
    ("analytics.course", "GET", "/analytics/courses/course/c1", None, TRAINER),
    ("analytics.course_items", "GET", "/analytics/courses/course/c1/items", None, TRAINER),
    ("analytics.flagged_items", "GET", "/analytics/items", None, TRAINER),
    ("analytics.webinars", "GET", "/analytics/webinars", None, TRAINER),
    ("analytics.webinar", "GET", "/analytics/webinars/w1", None, TRAINER),
    ("analytics.workshops", "GET", "/analytics/workshops", None, TRAINER),
    ("analytics.readiness", "GET", "/analytics/readiness", None, TRAINER),
    ("analytics.feedback_summary", "GET", "/analytics/feedback-summary", None, TRAINER),
    ("analytics.triage", "GET", "/analytics/triage", None, TRAINER),
    ("analytics.triage_report", "GET", "/analytics/triage/{report}", None, TRAINER),
    (
        "analytics.triage_report",
        "POST",
        "/analytics/triage/{report}",
        {"status": "in_progress", "note": ""},
        {**TRAINER, "trainer": 302, "admin": 302},
    ),
    ("analytics.export_table", "GET", "/analytics/export/overview/by_month.csv", None, TRAINER),
    ("analytics.exports", "GET", "/analytics/exports", None, ADMIN),
    ("analytics.export_statements", "GET", "/analytics/export/statements.jsonl", None, ADMIN),
    ("analytics.export_learners", "POST", "/analytics/export/learners.csv", {"resource": ""}, ADMIN),
    ("analytics.rollup_now", "POST", "/analytics/rollup", {}, {**ADMIN, "admin": 302}),
    ("analytics.open_data", "GET", "/analytics/open-data", None, PUBLIC),
    ("analytics.open_data_csv", "GET", "/analytics/open-data.csv", None, PUBLIC),
    ("analytics.open_data_json", "GET", "/analytics/open-data.json", None, PUBLIC),
    ("analytics.open_data_dictionary", "GET", "/analytics/open-data-dictionary.csv", None, PUBLIC),
    ("analytics.api_open_data", "GET", "/analytics/api/v1/open-data", None, PUBLIC),
    ("analytics.api_summary", "GET", "/analytics/api/v1/summary", None, PUBLIC),
    ("analytics.api_openapi", "GET", "/analytics/api/openapi.json", None, PUBLIC),
    ("analytics.api_dashboard", "GET", "/analytics/api/v1/dashboards/overview", None, API_TRAINER),
    ("analytics.static", "GET", "/analytics/static/analytics.css", None, PUBLIC),
    ("analytics.feedback", "GET", "/analytics/feedback?resource=course:c1&next=/", None, PUBLIC),
    (
        "analytics.feedback",
        "POST",
        "/analytics/feedback",
        {"resource": "course:c1", "useful": "yes", "next": "/"},
        dict.fromkeys(ROLES, 302),
    ),
    ("analytics.report", "GET", "/analytics/report?resource=course:c1", None, PUBLIC),
    (
        "analytics.report",
        "POST",
        "/analytics/report",
        {"resource": "course:c1", "category": "wrong_fact", "description": "Article 9 is about releases."},
        dict.fromkeys(ROLES, 302),
    ),
    ("analytics.evaluation", "GET", "/analytics/evaluation/course/c1", None, SIGNED_IN),
    (
        "analytics.evaluation",
        "POST",
        "/analytics/evaluation/course/c1",
        {"relevance": "5", "clarity": "4", "language_quality": "4"},
        {**SIGNED_IN, **dict.fromkeys(ROLES[1:], 302)},
    ),
]

ENDPOINTS_COVERED = {case[0] for case in CASES}


@pytest.fixture
def world(app, countries):
    from analytics.models_feedback import ProblemReport
    from lms.registry import publish_resource

    publish_resource(
        kind="course",
        key="c1",
        plugin="courses",
        titles={"en": "Article 3"},
        url="/courses/c1",
        languages=["en"],
    )
    publish_resource(
        kind="webinar",
        key="w1",
        plugin="webinars",
        titles={"en": "Session 1"},
        url="/webinars/w1",
        languages=["en"],
    )
    report = ProblemReport(kind="course", key="c1", category="wrong_fact", description="x")
    db.session.add(report)
    db.session.commit()
    return {"report": report.uuid}


@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_expected_status_on_every_route(client, make_user, login, world, role):
    """One signed-in session per role walks every route (an app per route and role would take minutes)."""
    if role != "anonymous":
        user = make_user(role=role)
        login(user)
        if role == "trainer":  # a trainer reaches the dashboards of the resources they own
            from lms.registry import set_resource_owners

            set_resource_owners("course", "c1", [user.id])
            set_resource_owners("webinar", "w1", [user.id])
            db.session.commit()
    wrong = []
    for _endpoint, method, path, data, expected in CASES:
        path = path.format(**world)
        resp = client.get(path) if method == "GET" else client.post(path, data=data)
        status = resp.status_code
        location = resp.headers.get("Location", "")
        resp.close()
        if status != expected[role]:
            wrong.append(f"{method} {path}: {status}, expected {expected[role]}")
        elif status == 302 and role == "anonymous" and method == "GET" and "/account/login" not in location:
            wrong.append(f"{method} {path}: redirected to {location}, not to the sign-in page")
    assert not wrong, "\n".join(wrong)


def test_every_analytics_route_is_listed(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("analytics.")}
    assert endpoints == ENDPOINTS_COVERED
