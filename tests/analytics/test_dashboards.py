"""Dashboards: figures from the rollups, filters, freshness, snapshots, charts, tables, page weight."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from analytics.models import Snapshot
from lms.db import db

SEG = "https://w3id.org/xapi/video/extensions/played-segments"
LEN = "https://w3id.org/xapi/video/extensions/length"


def journey(actor, *, lang="en", country="FR", complete=True, lessons=3, day=0, kind="course", key="c1"):
    t = datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=day)
    specs = [
        dict(verb="registered", activity=f"{kind}/{key}", actor=actor, language=lang, country=country, ts=t)
    ]
    for i in range(lessons):
        specs.append(
            dict(
                verb="experienced",
                activity=f"{kind}/{key}/lesson/l{i}",
                actor=actor,
                language=lang,
                country=country,
                ts=t + timedelta(hours=i + 1),
            )
        )
    if complete:
        specs.append(
            dict(
                verb="completed",
                activity=f"{kind}/{key}",
                actor=actor,
                language=lang,
                country=country,
                ts=t + timedelta(days=4),
            )
        )
    return specs


@pytest.fixture
def data(add_statements, rollup, publish):
    publish("course", "c1", "Supply and trade")
    publish("course", "c2", '=HYPERLINK("http://evil")')
    publish("webinar", "w1", "Minamata Online: Article 4")
    specs = []
    for i in range(6):
        specs += journey(f"fr{i}", lang="fr", country="SN", complete=i < 4, day=i)
    for i in range(3):
        specs += journey(f"es{i}", lang="es", country="MX", complete=False, lessons=1 + i, day=40 + i)
    specs += journey("en0", key="c2", day=70)
    # as the webinar player sends them: the recording is a part of the session
    specs += [
        dict(
            verb="paused",
            activity="webinar/w1/recording",
            actor="v1",
            context_extensions={LEN: 180},
            result={"extensions": {SEG: "0[.]150"}},
        ),
        dict(
            verb="completed",
            activity="webinar/w1/recording",
            actor="v1",
            context_extensions={LEN: 180},
            result={"completion": True, "extensions": {SEG: "0[.]150"}},
        ),
        dict(verb="asked", activity="webinar/w1/qa/q1", actor="v1", parents=["webinar/w1"]),
    ]
    add_statements(specs)
    rollup()


def get_ok(client, path):
    resp = client.get(path)
    assert resp.status_code == 200, resp.data[:500]
    return resp.get_data(as_text=True)


def test_overview_shows_totals_by_month_region_and_language(client, as_owner, data):
    as_owner()
    html = get_ok(client, "/analytics/overview")
    assert "<h1>Overview</h1>" in html
    resp = client.get("/analytics/api/v1/dashboards/overview")
    tables = resp.get_json()["tables"]
    totals = dict(tables["totals"]["rows"])
    assert totals["enrolments"] == 10 and totals["completions"] == 5 and totals["active_learners"] == 11
    by_month = {r[0]: r for r in tables["by_month"]["rows"]}
    assert by_month["2024-03"][3] == 6 and by_month["2024-04"][3] == 3
    assert "2024-04" in by_month and list(by_month) == sorted(by_month)  # no gaps, in order
    by_region = {r[0]: r for r in tables["by_region"]["rows"]}
    assert by_region["africa"][2] == 6 and by_region["grulac"][3] == 0
    # the chart is an accessible SVG and the figures are in a table with header cells
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert '<th scope="col">Enrolments</th>' in html and '<th scope="row">' in html
    assert "Figures include learning records stored up to" in html


def test_filters_narrow_the_figures_and_bad_filters_are_refused_with_the_reason(client, as_owner, data):
    as_owner()
    africa = client.get("/analytics/api/v1/dashboards/overview?region=africa&language=fr").get_json()
    assert dict(africa["tables"]["totals"]["rows"])["enrolments"] == 6
    period = client.get("/analytics/api/v1/dashboards/overview?start=2024-04&end=2024-04").get_json()
    assert dict(period["tables"]["totals"]["rows"])["enrolments"] == 3
    course = client.get("/analytics/api/v1/dashboards/overview?resource=course:c2").get_json()
    totals = dict(course["tables"]["totals"]["rows"])
    assert totals["enrolments"] == 1 and totals["registered_learners"] is None
    for bad, reason in (
        ("start=2024-13", "YYYY-MM"),
        ("region=mars", "Unknown region"),
        ("resource=course", "Unknown resource"),
        ("start=2024-05&end=2024-01", "starts after"),
    ):
        resp = client.get(f"/analytics/overview?{bad}")
        assert resp.status_code == 400
        api = client.get(f"/analytics/api/v1/dashboards/overview?{bad}")
        assert api.status_code == 400 and reason in api.get_json()["error"], bad
    assert "Some filters could not be used" in client.get("/analytics/overview?country=XX1").get_data(
        as_text=True
    )


def test_dashboards_read_snapshots_until_the_data_changes(
    client, as_owner, data, add_statements, rollup, monkeypatch
):
    as_owner()
    import dataclasses

    from analytics.snapshots import DASHBOARDS

    calls = []
    real = DASHBOARDS["overview"].compute
    counting = dataclasses.replace(
        DASHBOARDS["overview"], compute=lambda f, **kw: calls.append(1) or real(f, **kw)
    )
    monkeypatch.setitem(DASHBOARDS, "overview", counting)
    for _ in range(3):
        get_ok(client, "/analytics/overview?language=fr")
    assert len(calls) == 1
    add_statements(journey("late", lang="fr", country="SN", day=2))
    rollup()
    assert len(calls) == 2  # the run precomputed the unfiltered overview
    get_ok(client, "/analytics/overview?language=fr")
    assert len(calls) == 3  # the filtered one is recomputed once, on demand
    get_ok(client, "/analytics/overview?language=fr")
    assert len(calls) == 3
    # the rollup precomputed the unfiltered dashboards and dropped stale snapshots
    versions = set(db.session.scalars(select(Snapshot.version)))
    assert len({v.split(":")[0] for v in versions}) == 1
    assert db.session.scalar(select(func.count(Snapshot.id)).where(Snapshot.dashboard == "courses")) >= 1


def test_courses_funnel_time_to_complete_and_where_learners_stop(client, as_owner, data):
    as_owner()
    html = get_ok(client, "/analytics/courses")
    assert "Supply and trade" in html and "/analytics/courses/course/c1" in html
    api = client.get("/analytics/api/v1/dashboards/courses").get_json()
    row = next(
        dict(zip(api["tables"]["by_course"]["columns"], r, strict=True))
        for r in api["tables"]["by_course"]["rows"]
        if r[0] == "course:c1"
    )
    assert (row["registered"], row["started"], row["completed"]) == (9, 9, 4)
    assert row["completion_rate"] == pytest.approx(4 / 9, abs=1e-3)
    assert row["median_days_to_complete"] == pytest.approx(4.0)
    detail = client.get("/analytics/api/v1/dashboards/course?kind=course&key=c1").get_json()["tables"]
    lessons = {r[0]: r for r in detail["lessons"]["rows"]}
    assert lessons["lesson/l0"][1] == 9 and lessons["lesson/l2"][1] == 7
    # the 5 learners who did not complete stopped at l0 (es0), l1 (es1), l2 (es2, fr4, fr5)
    assert (lessons["lesson/l0"][2], lessons["lesson/l1"][2], lessons["lesson/l2"][2]) == (1, 1, 3)
    funnel = {r[1]: r for r in detail["funnel"]["rows"]}
    assert funnel["fr"][2] == 6 and funnel["es"][4] == 0
    page = get_ok(client, "/analytics/courses/course/c1")
    assert "Where learners stop" in page and "<h1>Supply and trade</h1>" in page
    assert client.get("/analytics/courses/course/nope").status_code == 404  # not a course they own
    assert client.get("/analytics/courses/webinar/w1").status_code == 404


def test_webinar_watch_through_and_workshop_gains(client, as_owner, data, add_statements, rollup, publish):
    publish("kit", "k1", "Trade workshop")
    specs = []
    for i, (pre, post) in enumerate(((0.4, 0.8), (0.5, 0.7), (0.6, 0.6))):
        specs += [
            dict(verb="attended", activity="kit/k1", actor=f"p{i}"),
            dict(verb="scored", activity="kit/k1/pre-test", actor=f"p{i}", result={"score": {"scaled": pre}}),
            dict(
                verb="scored", activity="kit/k1/post-test", actor=f"p{i}", result={"score": {"scaled": post}}
            ),
        ]
    add_statements(specs)
    rollup()
    as_owner()
    web = client.get("/analytics/api/v1/dashboards/webinar?key=w1").get_json()["tables"]
    minutes = dict((r[0], r[1]) for r in web["minutes"]["rows"])
    assert minutes == {0: 1, 1: 1, 2: 1}
    summary = dict(zip(web["summary"]["columns"], web["summary"]["rows"][0], strict=True))
    assert summary["views"] == 1 and summary["unique_viewers"] == 1 and summary["watch_through"] == 1.0
    assert summary["completions"] == 1 and summary["questions_asked"] == 1
    assert "Which minutes are watched" in get_ok(client, "/analytics/webinars/w1")
    assert "Minamata Online: Article 4" in get_ok(client, "/analytics/webinars")
    ws = client.get("/analytics/api/v1/dashboards/workshops").get_json()["tables"]["by_workshop_language"]
    row = dict(zip(ws["columns"], ws["rows"][0], strict=True))
    assert row["attended"] == 3 and row["paired"] == 3
    assert row["mean_gain"] == pytest.approx(0.2, abs=1e-4)
    assert row["normalised_gain"] == pytest.approx((0.4 / 0.6 + 0.2 / 0.5 + 0) / 3, abs=1e-3)
    assert "Trade workshop" in get_ok(client, "/analytics/workshops")


def test_readiness_levels_are_hidden_below_k_countries(client, as_owner, add_statements, rollup):
    ext = "http://lms.test/xapi/extensions/levels"
    african = ["SN", "NG", "KE", "GH", "EG"]
    specs = [
        dict(
            verb="submitted",
            activity="readiness/q1",
            actor=f"c{i}",
            country=cc,
            result={"extensions": {ext: {"skills": 2 + i % 2, "data": None}}},
        )
        for i, cc in enumerate(african)
    ]
    specs += [
        dict(
            verb="submitted",
            activity="readiness/q1",
            actor="x",
            country=cc,
            result={"extensions": {ext: {"skills": 4}}},
        )
        for cc in ("FR", "DE")
    ]
    add_statements(specs)
    rollup()
    as_owner()
    levels = client.get("/analytics/api/v1/dashboards/readiness").get_json()["tables"]["levels"]["rows"]
    by = {(r[0], r[1]): r for r in levels}
    assert by[("weog", "skills")][3] is None and by[("weog", "skills")][4] is True
    # Africa's mean would give WEOG's by difference with the mean of all 7: hidden too
    assert by[("africa", "skills")][2] == 5 and by[("africa", "skills")][4] is True
    assert by[("all", "skills")][2] == 7 and by[("all", "skills")][3] == pytest.approx((12 + 8) / 7, abs=1e-3)
    html = get_ok(client, "/analytics/readiness")
    assert "at least 5 countries" in html


def test_the_readiness_funnel_follows_recommendations_to_completion(
    client, as_owner, make_user, add_statements, rollup, publish
):
    from lms import signals

    course = publish("course", "c1", "Article 3")
    learners = [make_user(role="learner", country_code="SN") for _ in range(3)]
    for u in learners:
        signals.enrolment_requested.send(course, user=u, source="readiness")
    db.session.commit()
    add_statements(
        [
            dict(
                verb="submitted",
                activity="readiness/q1",
                actor="coord",
                country="SN",
                result={"extensions": {"http://x/levels": {"skills": 2}}},
            )
        ]
        + [dict(verb="registered", activity="course/c1", actor=u.uuid, user_id=u.id) for u in learners[:2]]
        + [dict(verb="completed", activity="course/c1", actor=learners[0].uuid, user_id=learners[0].id)]
    )
    rollup()
    as_owner()
    funnel = {
        r[0]: r
        for r in client.get("/analytics/api/v1/dashboards/readiness").get_json()["tables"]["funnel"]["rows"]
    }
    assert funnel["assessments_submitted"][1] == 1 and funnel["countries_assessed"][1] == 1
    assert funnel["recommended"][1] == 3 and funnel["enrolled"][1] == 2 and funnel["completed"][1] == 1
    assert funnel["enrolled"][2] == pytest.approx(2 / 3, abs=1e-3)


def test_exports_of_tables_are_csv_and_json_and_safe_against_formulas(client, as_owner, data):
    as_owner()
    resp = client.get("/analytics/export/courses/by_course.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    text = resp.get_data(as_text=True)
    assert text.splitlines()[0].startswith("resource,title,registered,started,completed")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    js = client.get("/analytics/export/courses/by_course.json").get_json()
    assert {r["resource"] for r in js["rows"]} == {"course:c1", "course:c2"}
    assert client.get("/analytics/export/course/lessons.csv?kind=course&key=c1").status_code == 200
    assert client.get("/analytics/export/course/lessons.csv").status_code == 400
    assert client.get("/analytics/export/overview/nope.csv").status_code == 404
    assert client.get("/analytics/export/overview/by_month.xlsx").status_code == 404
    bad = client.get("/analytics/export/overview/by_month.csv?start=13")
    assert bad.status_code == 400 and b"YYYY-MM" in bad.data


PAGES = [
    "/analytics/",
    "/analytics/overview",
    "/analytics/courses",
    "/analytics/courses/course/c1",
    "/analytics/courses/course/c1/items",
    "/analytics/items",
    "/analytics/webinars",
    "/analytics/webinars/w1",
    "/analytics/workshops",
    "/analytics/readiness",
    "/analytics/feedback-summary",
    "/analytics/triage",
    "/analytics/open-data",
    "/analytics/exports",
]


def test_every_dashboard_page_is_small_has_one_h1_and_no_inline_script_or_style(client, as_role, data):
    as_role("admin")
    for path in PAGES:
        html = get_ok(client, path)
        assert len(gzip.compress(html.encode())) < 60 * 1024, path
        assert html.count("<h1") == 1 and 'style="' not in html and "<script" not in html, path


def test_the_api_needs_a_known_dashboard_and_a_resource_for_detail_views(client, as_owner, data):
    as_owner()
    assert client.get("/analytics/api/v1/dashboards/nothing").status_code == 404
    assert client.get("/analytics/api/v1/dashboards/course").status_code == 400
    ok = client.get("/analytics/api/v1/dashboards/items?kind=course&key=c1")
    assert ok.status_code == 200 and json.loads(ok.data)["dashboard"] == "items"


def test_a_rendered_page_is_reused_until_its_figures_change(
    client, as_owner, data, add_statements, rollup, monkeypatch
):
    import analytics.views as views

    as_owner()
    client.get("/analytics/")  # shows the "signed in" flash message
    renders = []
    real = views._render_blocks
    monkeypatch.setattr(views, "_render_blocks", lambda t, values: renders.append(t) or real(t, values))

    def main(html):  # the header's sign-out form carries a fresh CSRF token each time
        return html[html.index("<main") : html.index("</main>")]

    first = main(get_ok(client, "/analytics/courses"))
    assert main(get_ok(client, "/analytics/courses")) == first and len(renders) == 1
    get_ok(client, "/analytics/courses?language=fr")
    client.get("/language/fr")
    get_ok(client, "/analytics/courses")
    assert len(renders) == 3  # another query, another language: rendered once each
    client.get("/language/en")
    add_statements(journey("late", key="c2", day=3))
    rollup()
    after = main(get_ok(client, "/analytics/courses"))
    assert len(renders) == 4 and after != first
    assert client.get("/analytics/courses?start=bad").status_code == 400  # errors are never served from cache


def test_readiness_reads_the_readiness_plugins_statements_and_keeps_each_countrys_latest(
    client, as_owner, add_statements, rollup
):
    ext = "http://lms.test/xapi/extensions/"

    def submitted(country, uuid, skills, day, actor_country=None):
        return dict(
            verb="submitted",
            activity=f"readiness-assessment/{uuid}",
            actor=f"coord-{country}",
            country=actor_country or country,
            ts=datetime(2025, 1, day, tzinfo=UTC),
            context_extensions={ext + "assessment-country": country, ext + "assessment-cycle": "2025"},
            result={
                "completion": True,
                "extensions": {
                    ext + "dimension-scores": {"skills": 0.1, "data": 0.9},
                    ext + "dimension-levels": {"skills": skills, "data": None},
                },
            },
        )

    specs = [submitted(cc, f"a-{cc}", 3, 1) for cc in ("SN", "NG", "KE", "GH", "EG")]
    specs.append(submitted("SN", "b-SN", 5, 20))  # a later cycle replaces Senegal's levels
    specs.append(submitted("CI", "a-CI", 1, 2, actor_country="FR"))  # counted for the assessed country
    add_statements(specs)
    rollup()
    as_owner()
    tables = client.get("/analytics/api/v1/dashboards/readiness").get_json()["tables"]
    by = {(r[0], r[1]): r for r in tables["levels"]["rows"]}
    assert by[("africa", "skills")][2] == 6  # six African countries, Senegal once
    assert by[("africa", "skills")][3] == pytest.approx((5 + 3 + 3 + 3 + 3 + 1) / 6)  # levels, not scores
    assert ("africa", "data") not in by  # no level given
    funnel = dict((r[0], r[1]) for r in tables["funnel"]["rows"])
    assert funnel["assessments_submitted"] == 7 and funnel["countries_assessed"] == 6


def test_detail_pages_filter_by_everything_but_the_resource_in_their_url(client, as_owner, data):
    as_owner()
    for path in ("/analytics/courses/course/c1", "/analytics/webinars/w1"):
        html = get_ok(client, path)
        assert 'name="resource"' not in html and 'name="language"' in html, path
    # another resource in the query changes nothing, and is no error
    assert client.get("/analytics/webinars/w1?resource=course:c1").status_code == 200
    page = get_ok(client, "/analytics/courses/course/c1?resource=course:c2")
    assert "<h1>Supply and trade</h1>" in page
    french = client.get("/analytics/api/v1/dashboards/course?kind=course&key=c1&language=fr").get_json()
    assert {r[1] for r in french["tables"]["funnel"]["rows"]} == {"fr"}
    other = client.get("/analytics/api/v1/dashboards/course?kind=course&key=c1&resource=course:c2").get_json()
    assert {r[1] for r in other["tables"]["funnel"]["rows"]} == {"fr", "es"}
    html = get_ok(client, "/analytics/courses/course/c1?language=es")
    assert '<option value="es" selected>' in html


def test_rates_are_written_in_the_readers_language(client, as_owner, data):
    """c1's completion rate (4 of 9): "44.4%" in English, "44,4 %" (no-break space) in French."""
    as_owner()
    html = get_ok(client, "/analytics/courses")
    assert "<td>44.4%</td>" in html
    client.get("/language/fr")
    html = get_ok(client, "/analytics/courses")
    assert "<td>44,4\u00a0%</td>" in html and "<td>44,4%</td>" not in html


def test_a_rate_without_a_denominator_is_a_dash_not_zero(
    client, as_owner, data, add_statements, rollup, publish
):
    publish("course", "c3", "Emissions")
    # learners who opened a lesson of c3 without enrolling: nobody enrolled, so no completion rate
    add_statements(
        [dict(verb="experienced", activity="course/c3/lesson/l0", actor="x", parents=["course/c3"])]
    )
    rollup()
    as_owner()
    rows = client.get("/analytics/api/v1/dashboards/courses").get_json()["tables"]["by_course"]["rows"]
    c3 = next(r for r in rows if r[0] == "course:c3")
    assert (c3[1], c3[2], c3[4]) == (0, 1, None)
    html = get_ok(client, "/analytics/courses")
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    row = next(tr for tr in body.split("<tr>") if "Emissions" in tr)
    assert "0%" not in row
    assert '<span aria-hidden="true">—</span><span class="visually-hidden">no data</span>' in row


def test_when_a_view_was_computed_is_written_in_the_readers_language(client, as_owner, data, app):
    from flask_babel import force_locale, format_datetime

    as_owner()
    client.get("/language/fr")
    html = get_ok(client, "/analytics/overview")
    computed = db.session.scalar(select(Snapshot.computed_dt).where(Snapshot.dashboard == "overview"))
    payload = client.get("/analytics/api/v1/dashboards/overview").get_json()
    when = datetime.fromisoformat(payload["computed"])
    with app.test_request_context(), force_locale("fr"):
        shown = format_datetime(when, "short")
    assert computed is not None and shown in html
    assert payload["computed"][:16].replace("T", " ") not in html


def test_the_update_button_counts_statements_in_the_singular_and_the_plural(client, as_role, add_statements):
    as_role("admin")
    add_statements([dict(verb="registered", activity="course/c1", actor="one")])
    html = client.post("/analytics/rollup", follow_redirects=True).get_data(as_text=True)
    assert "(1 new statement)" in html
    html = client.post("/analytics/rollup", follow_redirects=True).get_data(as_text=True)
    assert "(0 new statements)" in html


def test_the_all_choice_of_each_filter_says_what_it_gathers(client, as_owner, data):
    """ "All" agrees with what it gathers ("Toutes les langues" but "Tous les pays" in French), so each
    filter's first choice has its own words."""
    import re

    as_owner()
    client.get("/language/fr")
    html = get_ok(client, "/analytics/overview")

    def first_choice(name):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
        return re.search(r'<option[^>]*value=""[^>]*>([^<]*)</option>', select).group(1)

    assert first_choice("language") == "Toutes les langues"
    assert first_choice("region") == "Toutes les régions"
    assert first_choice("country") == "Tous les pays"
    assert first_choice("resource") == "Tous les modules, sessions et kits"


def _assessments(levels_by_country: dict[str, int]) -> list[dict]:
    ext = "http://lms.test/xapi/extensions/levels"
    return [
        dict(
            verb="submitted",
            activity="readiness/q1",
            actor=f"coord-{cc}",
            country=cc,
            result={"extensions": {ext: {"skills": level}}},
        )
        for cc, level in levels_by_country.items()
    ]


def test_a_hidden_regions_mean_cannot_be_worked_out_from_the_mean_of_all_regions(
    client, as_owner, add_statements, rollup
):
    """11 countries: 7 in WEOG, 1 + 1 + 2 elsewhere. The four are hidden; with WEOG's and all regions'
    means shown, their mean would be (11 × all − 7 × WEOG) / 4, so WEOG is hidden too."""
    weog = dict.fromkeys(("FR", "DE", "IT", "ES", "GB", "NL", "BE"), 3)
    weog["FR"] = 4
    others = {"SN": 1, "JP": 5, "MX": 2, "BR": 2}
    add_statements(_assessments({**weog, **others}))
    rollup()
    as_owner()
    tables = client.get("/analytics/api/v1/dashboards/readiness").get_json()["tables"]
    by = {(r[0], r[1]): r for r in tables["levels"]["rows"]}
    assert by[("all", "skills")][2] == 11 and by[("all", "skills")][3] == pytest.approx(32 / 11, abs=1e-3)
    assert by[("weog", "skills")][2] == 7
    assert by[("weog", "skills")][3] is None and by[("weog", "skills")][4] is True
    assert all(r[3] is None for r in tables["levels"]["rows"] if r[0] != "all")
    regions = {r[0]: r for r in tables["regions"]["rows"]}
    assert regions["weog"][2] is True and regions["all"][2] is False
    csv = client.get("/analytics/export/readiness/levels.csv").get_data(as_text=True)
    weog_line = next(line for line in csv.splitlines() if line.startswith("weog,"))
    assert "3.143" not in csv and weog_line.split(",")[3] == ""
    html = get_ok(client, "/analytics/readiness")
    assert "the smallest shown region is hidden too" in html and "3.143" not in html


def test_a_region_hidden_to_protect_another_stays_hidden_when_the_page_is_filtered_to_it(
    client, as_owner, add_statements, rollup
):
    """7 WEOG countries and Senegal: Senegal is hidden, so WEOG is too (all 8 minus WEOG would be
    Senegal). Filtered to WEOG, neither its row nor "all" (the same 7 countries) may show its mean."""
    weog = dict.fromkeys(("FR", "DE", "IT", "ES", "GB", "NL", "BE"), 3)
    weog["FR"] = 4
    add_statements(_assessments({**weog, "SN": 1}))
    rollup()
    as_owner()
    filtered = client.get("/analytics/api/v1/dashboards/readiness?region=weog").get_json()["tables"]
    assert {r[0] for r in filtered["levels"]["rows"]} == {"weog", "all"}
    assert all(r[3] is None and r[4] is True for r in filtered["levels"]["rows"])
    assert all(r[2] is True for r in filtered["regions"]["rows"])
    csv = client.get("/analytics/export/readiness/levels.csv?region=weog").get_data(as_text=True)
    assert "3.143" not in csv
    assert "3.143" not in get_ok(client, "/analytics/readiness?region=weog")
    # Unfiltered, all 8 countries' mean is shown; WEOG's is not.
    rows = client.get("/analytics/api/v1/dashboards/readiness").get_json()["tables"]["levels"]["rows"]
    by = {(r[0], r[1]): r for r in rows}
    assert by[("all", "skills")][3] == pytest.approx(23 / 8, abs=1e-3) and by[("weog", "skills")][3] is None


def test_groups_hidden_together_with_k_countries_leave_the_other_means_shown(
    client, as_owner, add_statements, rollup
):
    """Hidden groups of 2 + 3 countries hold k = 5 together: their combined mean can be worked out,
    but not either one's, so the shown groups stay."""
    weog = dict.fromkeys(("FR", "DE", "IT", "ES", "GB", "NL"), 3)
    africa = dict.fromkeys(("SN", "NG", "KE", "GH", "EG"), 2)
    add_statements(_assessments({**weog, **africa, "MX": 1, "BR": 1, "JP": 4, "CN": 4, "IN": 4}))
    rollup()
    as_owner()
    by = {
        (r[0], r[1]): r
        for r in client.get("/analytics/api/v1/dashboards/readiness").get_json()["tables"]["levels"]["rows"]
    }
    assert by[("grulac", "skills")][4] is True and by[("asia_pacific", "skills")][4] is True
    assert by[("weog", "skills")][3] == pytest.approx(3) and by[("africa", "skills")][3] == pytest.approx(2)
    assert by[("all", "skills")][4] is False


def test_hidden_groups_hide_the_smallest_shown_groups_until_k_countries_are_hidden():
    from analytics.dash.readiness import hidden_groups

    assert hidden_groups({"weog": 7, "africa": 1, "grulac": 2, "asia_pacific": 1}, 5) == {
        "weog",
        "africa",
        "grulac",
        "asia_pacific",
    }
    assert hidden_groups({"weog": 7, "africa": 6, "grulac": 2}, 5) == {"grulac", "africa"}
    assert hidden_groups({"weog": 7, "africa": 6}, 5) == set()
    assert hidden_groups({"weog": 7, "grulac": 3, "ceeg": 2}, 5) == {"grulac", "ceeg"}


def test_the_readiness_funnel_gives_shares_only_where_one_step_is_part_of_the_other(
    client, as_owner, add_statements, rollup
):
    specs = _assessments({"SN": 2, "NG": 3})
    specs.append({**specs[0], "actor": "coord-SN-2"})  # a second submission about Senegal
    add_statements(specs)
    rollup()
    as_owner()
    funnel = {
        r[0]: r
        for r in client.get("/analytics/api/v1/dashboards/readiness").get_json()["tables"]["funnel"]["rows"]
    }
    assert funnel["assessments_submitted"][1:] == [3, None]
    # Countries are not a share of submissions, nor recommended resources of countries.
    assert funnel["countries_assessed"][1:] == [2, None]
    assert funnel["recommended"][1:] == [0, None]
    assert funnel["enrolled"][2] is None  # nothing recommended: no share of it
    csv = client.get("/analytics/export/readiness/funnel.csv").get_data(as_text=True)
    assert "countries_assessed,2,\r\n" in csv or "countries_assessed,2,\n" in csv
    html = get_ok(client, "/analytics/readiness")
    assert "66.7%" not in html


def test_certificates_of_courses_and_workshops_are_counted_per_resource_as_in_the_total(
    client, as_owner, make_user, data, publish
):
    from lms import signals
    from lms.registry import LearningResource

    course = db.session.scalar(select(LearningResource).filter_by(kind="course", key="c1"))
    workshop = publish("workshop", "ws1", "Trade workshop in Dakar")
    learner = make_user(role="learner", country_code="SN")
    signals.certificate_issued.send("courses", user=learner, resource=course, verification_code="C1-0001")
    for i in range(3):  # attendance certificates of the workshop's participants
        u = make_user(role="learner", country_code="SN")
        signals.certificate_issued.send("courses", user=u, resource=workshop, verification_code=f"WS-{i}")
    db.session.commit()
    as_owner()
    total = dict(client.get("/analytics/api/v1/dashboards/overview").get_json()["tables"]["totals"]["rows"])
    tbl = client.get("/analytics/api/v1/dashboards/courses").get_json()["tables"]["by_course"]
    certs = {r[0]: r[tbl["columns"].index("certificates")] for r in tbl["rows"]}
    assert certs["course:c1"] == 1 and certs["workshop:ws1"] == 3
    assert sum(certs.values()) == total["certificates"] == 4
    by_lang = client.get("/analytics/api/v1/dashboards/courses").get_json()["tables"]["by_course_language"]
    assert sum(r[by_lang["columns"].index("certificates")] for r in by_lang["rows"]) == 4
    csv = client.get("/analytics/export/courses/by_course.csv").get_data(as_text=True)
    assert next(line for line in csv.splitlines() if line.startswith("workshop:ws1,")).endswith(",3")
    html = get_ok(client, "/analytics/courses")
    assert "Trade workshop in Dakar" in html


def test_the_webinar_chart_labels_each_sessions_bars_with_their_language(
    client, as_owner, data, add_statements, rollup
):
    add_statements(
        [
            dict(
                verb="paused",
                activity="webinar/w1/recording",
                actor="v2",
                language="es",
                context_extensions={LEN: 180},
                result={"extensions": {SEG: "0[.]60"}},
            )
        ]
    )
    rollup()
    as_owner()
    html = get_ok(client, "/analytics/webinars")
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    labels = re.findall(r'<text [^>]*class="lbl">([^<]*)</text>', svg)
    session_labels = [lbl for lbl in labels if lbl.startswith("Minamata")]
    assert len(session_labels) == 2 and len(set(session_labels)) == 2
    assert session_labels[0].endswith("(English)") and session_labels[1].endswith("(Spanish)")
    assert all(len(lbl) <= 34 for lbl in session_labels)
    client.get("/language/fr")
    html = get_ok(client, "/analytics/webinars")
    assert "(espagnol)" in html.split("</svg>", 1)[0]
    assert "Minamata Online: Article 4" in html  # the table keeps the whole title
    client.get("/language/zh")
    svg = get_ok(client, "/analytics/webinars").split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "（西班牙语）" in svg and " (" not in svg  # Chinese parentheses, no space before them


def test_the_workshop_chart_draws_no_bar_for_missing_scores_and_labels_languages(
    client, as_owner, add_statements, rollup, publish
):
    publish("workshop", "ws1", "Controlling mercury trade: Arctic regional workshop")
    add_statements(
        [
            dict(verb="attended", activity="workshop/ws1", actor="p0", language="en"),
            dict(verb="attended", activity="workshop/ws1", actor="p1", language="ru"),
        ]
    )
    rollup()
    as_owner()
    svg = get_ok(client, "/analytics/workshops").split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "0%" not in svg and '<rect x="220"' not in svg  # no bar (legend swatches stand at x=10)
    assert svg.count("no data") == 4  # two missing scores in each of the two languages
    labels = re.findall(r'<text [^>]*class="lbl">([^<]*)</text>', svg)
    workshop_labels = [lbl for lbl in labels if lbl.startswith("Controlling")]
    assert len(workshop_labels) == 2 and len(set(workshop_labels)) == 2
    assert workshop_labels[0].endswith("(English)") and workshop_labels[1].endswith("(Russian)")
    add_statements(
        [dict(verb="scored", activity="workshop/ws1/pre-test", actor="p0", result={"score": {"scaled": 1.0}})]
    )
    rollup()
    svg = get_ok(client, "/analytics/workshops").split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "100%" in svg and "0%" not in svg.replace("100%", "")
    assert svg.count('<rect x="220"') == 1
    assert svg.count("no data") == 3
