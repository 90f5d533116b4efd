"""Trainers see the dashboards, tables, exports, API and triage queue of the resources they own; admins
see everything; learners see none of it."""

from __future__ import annotations

import pytest

from analytics.models import ItemStat
from analytics.models_feedback import Feedback, ProblemReport
from lms.db import db
from tests.analytics.test_dashboards import journey

SEG = "https://w3id.org/xapi/video/extensions/played-segments"
LEN = "https://w3id.org/xapi/video/extensions/length"


def _views(actor: str, key: str) -> list[dict]:
    return [
        dict(
            verb="paused",
            activity=f"webinar/{key}/recording",
            actor=actor,
            context_extensions={LEN: 120},
            result={"extensions": {SEG: "0[.]60"}},
        )
    ]


@pytest.fixture
def world(app, make_user, add_statements, rollup, publish):
    """Trainer A owns course cA (3 learners) and session wA (1 viewer); trainer B owns course cB
    (5 learners) and session wB (2 viewers); each resource has one feedback and one problem report."""
    from lms.registry import set_resource_owners

    a, b = make_user(role="trainer"), make_user(role="trainer")
    for ref, owner, title in (
        (("course", "cA"), a, "Course of A"),
        (("course", "cB"), b, "Course of B"),
        (("webinar", "wA"), a, "Session of A"),
        (("webinar", "wB"), b, "Session of B"),
    ):
        publish(*ref, title)
        set_resource_owners(*ref, [owner.id])
    specs = []
    for i in range(3):
        specs += journey(f"a{i}", key="cA", day=i)
    for i in range(5):
        specs += journey(f"b{i}", key="cB", day=i, complete=False)
    specs += _views("va0", "wA") + _views("vb0", "wB") + _views("vb1", "wB")
    add_statements(specs)
    reports = {}
    for key in ("cA", "cB"):
        db.session.add(Feedback(kind="course", key=key, language="en", is_useful=True, comment=f"on {key}"))
        report = ProblemReport(kind="course", key=key, category="wrong_fact", description=f"wrong in {key}")
        db.session.add(report)
        db.session.add(ItemStat(kind="course", key=key, item=f"q-{key}", n=40, n_correct=10, is_flagged=True))
        db.session.flush()
        reports[key] = report.uuid
    db.session.commit()
    rollup()
    return {"a": a, "b": b, "reports": reports}


def _api(client, path):
    resp = client.get(path)
    assert resp.status_code == 200, resp.data[:300]
    return resp.get_json()["tables"]


def _totals(client) -> dict:
    return dict(_api(client, "/analytics/api/v1/dashboards/overview")["totals"]["rows"])


def _refs(tbl) -> set:
    i = tbl["columns"].index("resource")
    return {r[i] for r in tbl["rows"]}


@pytest.mark.parametrize(
    ("who", "mine", "theirs", "enrolments"), [("a", "cA", "cB", 3), ("b", "cB", "cA", 5)]
)
def test_each_trainer_sees_only_their_own_resources(client, login, world, who, mine, theirs, enrolments):
    login(world[who])
    totals = _totals(client)
    assert totals["enrolments"] == enrolments
    assert totals["registered_learners"] is None  # accounts belong to no resource: admins only
    courses = _api(client, "/analytics/api/v1/dashboards/courses")
    assert _refs(courses["by_course"]) == {f"course:{mine}"}
    webinars = _api(client, "/analytics/api/v1/dashboards/webinars")
    assert _refs(webinars["by_session_language"]) == {f"webinar:w{who.upper()}"}
    items = _api(client, "/analytics/api/v1/dashboards/items")
    assert _refs(items["items"]) == {f"course:{mine}"}
    feedback = _api(client, "/analytics/api/v1/dashboards/feedback")
    assert _refs(feedback["by_resource_language"]) == {f"course:{mine}"}

    page = client.get("/analytics/courses").get_data(as_text=True)
    assert f"Course of {who.upper()}" in page and f"Course of {theirs[-1]}" not in page
    assert f'value="course:{mine}"' in page and f'value="course:{theirs}"' not in page  # filter choices
    csv = client.get("/analytics/export/courses/by_course.csv").get_data(as_text=True)
    assert f"course:{mine}" in csv and f"course:{theirs}" not in csv

    triage = client.get("/analytics/triage?status=all").get_data(as_text=True)
    assert f"/analytics/triage/{world['reports'][mine]}" in triage
    assert f"/analytics/triage/{world['reports'][theirs]}" not in triage
    assert client.get(f"/analytics/triage/{world['reports'][mine]}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/analytics/courses/course/cB",
        "/analytics/courses/course/cB/items",
        "/analytics/webinars/wB",
        "/analytics/overview?resource=course:cB",
        "/analytics/feedback-summary?resource=course:cB",
        "/analytics/api/v1/dashboards/course?kind=course&key=cB",
        "/analytics/api/v1/dashboards/overview?resource=course:cB",
        "/analytics/api/v1/dashboards/items?kind=course&key=cB",
        "/analytics/export/course/funnel.csv?kind=course&key=cB",
        "/analytics/export/overview/totals.json?resource=course:cB",
        "/analytics/triage/{report}",
    ],
)
def test_a_url_naming_another_trainers_resource_is_not_found(client, login, world, path):
    login(world["a"])
    resp = client.get(path.format(report=world["reports"]["cB"]))
    assert resp.status_code == 404
    assert b"Course of B" not in resp.data
    resp = client.post(f"/analytics/triage/{world['reports']['cB']}", data={"status": "fixed", "note": ""})
    assert resp.status_code == 404
    assert db.session.scalar(db.select(ProblemReport.status).filter_by(uuid=world["reports"]["cB"])) == "new"


def test_an_admin_sees_both_trainers_resources(client, as_role, world):
    as_role("admin")
    totals = _totals(client)
    assert totals["enrolments"] == 8 and totals["registered_learners"] is not None
    assert _refs(_api(client, "/analytics/api/v1/dashboards/courses")["by_course"]) == {
        "course:cA",
        "course:cB",
    }
    assert _refs(_api(client, "/analytics/api/v1/dashboards/webinars")["by_session_language"]) == {
        "webinar:wA",
        "webinar:wB",
    }
    triage = client.get("/analytics/triage?status=all").get_data(as_text=True)
    assert all(f"/analytics/triage/{uuid}" in triage for uuid in world["reports"].values())
    assert client.get("/analytics/courses/course/cB").status_code == 200


def test_a_trainer_who_owns_nothing_sees_empty_dashboards(client, as_role, world):
    as_role("trainer")
    assert _totals(client)["enrolments"] == 0
    assert _api(client, "/analytics/api/v1/dashboards/courses")["by_course"]["rows"] == []
    assert client.get("/analytics/overview").status_code == 200
    assert "wrong in" not in client.get("/analytics/triage?status=all").get_data(as_text=True)


def test_a_learner_gets_403(client, as_role, world):
    as_role("learner")
    for path in ("/analytics/overview", "/analytics/courses/course/cA", "/analytics/triage"):
        assert client.get(path).status_code == 403
    assert client.get("/analytics/api/v1/dashboards/overview").status_code == 403


def test_the_scope_lists_what_the_registry_says_the_trainer_owns(app, world, make_user):
    from analytics.scope import user_scope
    from lms.registry import resources_owned_by, set_resource_owners, withdraw_resource

    a = world["a"]
    withdraw_resource("webinar", "wA")  # withdrawn resources stay in scope: their past figures remain
    set_resource_owners("course", "cB", [a.id, world["b"].id])  # two owners
    db.session.commit()
    expected = tuple(sorted(f"{r.kind}:{r.key}" for r in resources_owned_by(a.id)))
    assert user_scope(a) == expected == ("course:cA", "course:cB", "webinar:wA")
    assert user_scope(make_user(role="trainer")) == ()
    assert user_scope(make_user(role="admin")) is None


def _queries(client, path) -> int:
    """SQL statements run by one request for ``path`` (which must succeed)."""
    from sqlalchemy import event

    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200, path
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("who", ["a", "admin"])
def test_a_cached_dashboard_page_costs_one_query_more_than_a_trivial_page(
    client, login, make_user, world, who
):
    """The fingerprint of the snapshots and the trainer's scope come in one round trip; the resource a
    detail page names is only read when the page is rendered, not when it is served from the cache."""
    login(world["a"] if who == "a" else make_user(role="admin"))
    trivial = _queries(client, "/search")
    for path in (
        "/analytics/overview",
        "/analytics/courses/course/cA",
        "/analytics/courses/course/cA/items",
        "/analytics/webinars/wA",
    ):
        client.get(path)  # computes and caches the page
        assert _queries(client, path) == trivial + 1, path


def test_a_trainer_who_loses_a_resource_loses_its_cached_pages_at_once(client, login, world):
    from lms.registry import set_resource_owners

    login(world["a"])
    for _ in range(2):  # the second is served from the page cache
        page = client.get("/analytics/courses/course/cA")
        assert page.status_code == 200 and b"Course of A" in page.data
    assert b"Course of A" in client.get("/analytics/courses").data
    set_resource_owners("course", "cA", [world["b"].id])
    db.session.commit()
    assert client.get("/analytics/courses/course/cA").status_code == 404
    assert b"Course of A" not in client.get("/analytics/courses").data


def test_the_triage_queue_pages_by_the_status_counts(client, login, world):
    """Page numbers come from the per-status counts; titles are read for the reports shown."""
    a = world["a"]
    for i in range(51):
        db.session.add(ProblemReport(kind="course", key="cA", category="other", description=f"open {i}"))
    for status in ("fixed", "wont_fix"):
        db.session.add(ProblemReport(kind="course", key="cA", category="other", status=status))
    db.session.add(ProblemReport(kind="course", key="cB", category="other", status="fixed"))
    db.session.commit()
    login(a)
    first = client.get("/analytics/triage").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Open (52)" not in first  # cA: 51 new + the world's one
    assert "New (52)" in first and "Fixed (1)" in first and "Won't fix (1)" in first
    assert first.count('<th scope="row">') == 50 and "Course of A" in first
    second = client.get("/analytics/triage?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count('<th scope="row">') == 2
    fixed = client.get("/analytics/triage?status=fixed").get_data(as_text=True)
    assert "Page 1" not in fixed and fixed.count('<th scope="row">') == 1
    assert client.get("/analytics/triage?status=all").get_data(as_text=True).count("Page 1 of 2") == 1
    beyond = client.get("/analytics/triage?page=9").get_data(as_text=True)
    assert "No reports here." in beyond and "Course of" not in beyond
