"""The public open-data dashboard: suppression, licence, CSV/JSON/dictionary downloads, API, OpenAPI."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from analytics.suppression import exposed_equations


@pytest.fixture
def activity(add_statements, rollup):
    specs = []
    # 12 French-speaking learners in Senegal (africa), 3 Spanish-speaking in Mexico, 7 English in France
    for i in range(12):
        specs.append(
            dict(verb="registered", activity="course/c1", actor=f"sn{i}", language="fr", country="SN")
        )
    for i in range(3):
        specs.append(
            dict(verb="registered", activity="course/c1", actor=f"mx{i}", language="es", country="MX")
        )
    for i in range(7):
        specs.append(
            dict(
                verb="registered",
                activity="course/c1",
                actor=f"fr{i}",
                language="en",
                country="FR",
                ts=datetime(2025, 2, 1, tzinfo=UTC),
            )
        )
    add_statements(specs)
    rollup()


def rows_of(client, query=""):
    text = client.get(f"/analytics/open-data.csv{query}").get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(text)))


def test_small_cells_are_suppressed_with_their_complements(client, activity):
    rows = rows_of(client)
    enrol = {(r["region"], r["language"]): r for r in rows if r["measure"] == "enrolments"}
    assert enrol[("africa", "fr")]["value"] == "12"
    assert enrol[("grulac", "es")]["value"] == "" and enrol[("grulac", "es")]["is_suppressed"] == "true"
    # 22 in all minus the 12 and the 7 shown would be the hidden 3: the grand total is hidden too
    assert enrol[("all", "all")]["value"] == ""
    # no count from 1 to 4 is shown anywhere; zeros are shown
    assert all(r["value"] == "" or int(r["value"]) == 0 or int(r["value"]) >= 5 for r in rows)
    assert enrol[("weog", "fr")]["value"] == "0" and enrol[("weog", "fr")]["is_suppressed"] == "false"
    # the hidden 3 cannot be recomputed from the grulac row or the Spanish column
    assert (
        enrol[("grulac", "all")]["value"] == ""
        or sum(1 for (reg, _l), r in enrol.items() if reg == "grulac" and r["value"] == "") >= 2
    )
    assert (
        enrol[("all", "es")]["value"] == ""
        or sum(1 for (_r, lang), r in enrol.items() if lang == "es" and r["value"] == "") >= 2
    )


def test_the_table_passes_the_equation_check(app, activity):
    from analytics import opendata

    payload = opendata.of_period(opendata.compute_all())
    regions, langs, values = opendata.matrix(payload, "enrolments")
    cells = {("G",): values[("all", "all")]}
    for ri, r in enumerate(regions[:-1]):
        cells[("R", ri)] = values[(r, "all")]
        for ci, lang in enumerate(langs[:-1]):
            cells[("x", ri, ci)] = values[(r, lang)]
    for ci, lang in enumerate(langs[:-1]):
        cells[("C", ci)] = values[("all", lang)]
    assert exposed_equations(cells, len(regions) - 1, len(langs) - 1) == []


def test_the_page_states_the_licence_and_offers_downloads(client, activity):
    html = client.get("/analytics/open-data").get_data(as_text=True)
    assert "CC BY 4.0" in html and 'rel="license"' in html and "creativecommons.org/licenses/by/4.0" in html
    for link in (
        "/analytics/open-data.csv",
        "/analytics/open-data.json",
        "/analytics/open-data-dictionary.csv",
    ):
        assert link in html
    assert '<th scope="row">Africa</th>' in html and "hidden" in html


def test_the_licence_sentence_is_composed_by_the_translation(app, client, activity, monkeypatch):
    """In Chinese the sentence naming the licence ends with "。", not a Latin full stop after the link."""
    from flask_babel import force_locale, get_translations

    with app.test_request_context(), force_locale("zh"):
        catalog = get_translations()._catalog
    monkeypatch.setitem(catalog, "Licence: %(licence)s.", "许可协议：%(licence)s。")
    client.get("/language/zh")
    html = client.get("/analytics/open-data").get_data(as_text=True)
    assert re.search(r'许可协议：<a href="[^"]+" rel="license">[^<]+</a>。', html)
    assert "</a>. " not in html.split('class="licence"', 1)[1].split("</p>", 1)[0]


def test_json_carries_dictionary_licence_and_the_same_data(client, activity):
    doc = client.get("/analytics/open-data.json").get_json()
    assert doc["licence"]["name"] == "CC BY 4.0" and doc["attribution"]
    assert {d["field"] for d in doc["dictionary"]} >= {
        "measure",
        "region",
        "language",
        "value",
        "is_suppressed",
    }
    assert len(doc["data"]) == len(rows_of(client))
    assert doc["suppression"]["threshold"] == 5
    dictionary = client.get("/analytics/open-data-dictionary.csv").get_data(as_text=True)
    assert dictionary.startswith("field,type,description") and "measure=enrolments" in dictionary


def test_a_year_can_be_chosen_and_a_bad_one_is_refused(client, activity):
    rows = rows_of(client, "?year=2025")
    enrol = {(r["region"], r["language"]): r["value"] for r in rows if r["measure"] == "enrolments"}
    assert enrol[("weog", "en")] == "7" and enrol[("africa", "fr")] == "0"  # nobody in 2025
    assert {r["period"] for r in rows} == {"2025"}
    for path in (
        "/analytics/open-data?year=1850",
        "/analytics/open-data.csv?year=abc",
        "/analytics/api/v1/open-data?year=2099",
    ):
        assert client.get(path).status_code == 400, path


def test_the_public_api_is_documented_and_embeddable(client, activity):
    summary = client.get("/analytics/api/v1/summary")
    assert summary.headers["Access-Control-Allow-Origin"] == "*"
    published = {
        r["measure"]: int(r["value"]) if r["value"] else None
        for r in rows_of(client)
        if r["region"] == "all" and r["language"] == "all"
    }
    assert summary.get_json()["measures"] == published and published["enrolments"] is None
    spec = client.get("/analytics/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    assert {
        "/analytics/api/v1/open-data",
        "/analytics/api/v1/summary",
        "/analytics/api/v1/dashboards/{name}",
    } <= set(spec["paths"])
    for path in spec["paths"].values():
        for op in path.values():
            for resp in op["responses"].values():
                ref = resp.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
                if ref:
                    assert ref.split("/")[-1] in spec["components"]["schemas"]
    api = client.get("/analytics/api/v1/open-data").get_json()
    assert api["data"] == client.get("/analytics/open-data.json").get_json()["data"]


@pytest.fixture
def viewers_2024(add_statements, rollup):
    """2024 English webinar viewers: 20 in Senegal, 19 in India, 1 in France; nobody else that year."""
    specs = []
    for country, n in (("SN", 20), ("IN", 19), ("FR", 1)):
        for i in range(n):
            specs.append(
                dict(
                    verb="played",
                    activity="webinar/w1",
                    actor=f"{country}{i}",
                    language="en",
                    country=country,
                    ts=datetime(2024, 3, 1, tzinfo=UTC),
                )
            )
    specs.append(dict(verb="registered", actor="later", country="FR", ts=datetime(2025, 3, 1, tzinfo=UTC)))
    add_statements(specs)
    rollup()


def _published(rows: list[dict], measure: str, regions: list[str], langs: list[str]) -> dict:
    values = {(r["region"], r["language"]): r["value"] for r in rows if r["measure"] == measure}

    def get(region, lang):
        v = values[(region, lang)]
        return None if v in ("", None) else int(v)

    out = {("G",): get("all", "all")}
    for ri, region in enumerate(regions):
        out[("R", ri)] = get(region, "all")
        for ci, lang in enumerate(langs):
            out[("x", ri, ci)] = get(region, lang)
    for ci, lang in enumerate(langs):
        out[("C", ci)] = get("all", lang)
    return out


@pytest.mark.parametrize("query", ["?year=2024", ""])
def test_a_single_viewer_cannot_be_worked_out_in_any_format(app, client, viewers_2024, query):
    from analytics import opendata
    from tests.analytics.test_suppression import assert_protected, true_cells

    regions, langs = opendata._regions(), opendata._languages()
    grid = [[0] * len(langs) for _ in regions]
    for region, n in (("africa", 20), ("asia_pacific", 19), ("weog", 1)):
        grid[regions.index(region)][langs.index("en")] = n
    csv_rows = rows_of(client, query)
    json_rows = client.get(f"/analytics/open-data.json{query}").get_json()["data"]
    for rows in (csv_rows, [{k: ("" if v is None else v) for k, v in r.items()} for r in json_rows]):
        out = _published(rows, "webinar_viewers", regions, langs)
        assert out[("x", regions.index("weog"), langs.index("en"))] is None
        # "English, all regions" minus the regions shown is not the one viewer in Western Europe
        assert_protected(true_cells(grid), out)
    html = client.get(f"/analytics/open-data{query}").get_data(as_text=True)
    assert ">40<" not in html or ">39<" not in html


def test_a_year_cannot_be_worked_out_from_all_years_and_the_other_year(client, add_statements, rollup):
    specs = []
    for year, counts in (
        (2024, {("SN", "fr"): 12, ("SN", "en"): 9, ("FR", "fr"): 2, ("FR", "en"): 10}),
        (2025, {("SN", "fr"): 20, ("SN", "en"): 10, ("FR", "fr"): 6, ("FR", "en"): 10}),
    ):
        for (country, lang), n in counts.items():
            specs += [
                dict(
                    verb="registered",
                    actor=f"{year}{country}{lang}{i}",
                    language=lang,
                    country=country,
                    ts=datetime(year, 5, 1, tzinfo=UTC),
                )
                for i in range(n)
            ]
    add_statements(specs)
    rollup()

    def weog_french(query):
        rows = rows_of(client, query)
        return next(
            r["value"]
            for r in rows
            if r["measure"] == "enrolments" and r["region"] == "weog" and r["language"] == "fr"
        )

    published = {q: weog_french(q) for q in ("", "?year=2024", "?year=2025")}
    assert published["?year=2024"] == ""
    # 8 in all years minus 6 in 2025 would be the 2 of 2024
    assert "" in (published[""], published["?year=2025"]), published


def test_the_suppression_is_solved_once_per_data_version_for_every_year(
    client, activity, make_user, monkeypatch, add_statements, rollup
):
    """Solving the linked suppression is the costly part of open data: it is done once for all years
    and each year's page is cut from it; a new account (open data counts none) does not undo it."""
    from analytics import opendata
    from lms.db import db

    calls = []
    real = opendata.suppress_linked
    monkeypatch.setattr(opendata, "suppress_linked", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    everything = client.get("/analytics/open-data.csv").get_data(as_text=True)
    solved = len(calls)  # 0: the rollup job solved it already
    by_year = {}
    for year in ("2024", "2025"):
        resp = client.get(f"/analytics/open-data.csv?year={year}")
        assert resp.status_code == 200
        by_year[year] = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
        assert client.get(f"/analytics/open-data?year={year}").status_code == 200
    make_user()
    db.session.commit()
    assert client.get("/analytics/open-data.csv").get_data(as_text=True) == everything
    assert len(calls) == solved
    enrol_2025 = {
        (r["region"], r["language"]): r["value"] for r in by_year["2025"] if r["measure"] == "enrolments"
    }
    assert enrol_2025[("weog", "en")] == "7" and {r["period"] for r in by_year["2025"]} == {"2025"}
    add_statements([dict(verb="registered", activity="course/c1", actor="sn99", language="fr", country="SN")])
    rollup()  # new data: solved again, once
    assert len(calls) == solved + len(opendata.MEASURES)


def test_a_year_without_figures_between_two_years_shows_zeros(app, activity):
    from analytics import opendata

    payload = opendata.of_period(opendata.compute_all(), "2019")
    rows = payload["tables"]["open_data"]["rows"]
    assert payload["period"] == "2019" and rows and all(r[3] == 0 and r[4] is False for r in rows)
    assert {r[0] for r in rows} == set(opendata.MEASURES)


def _enrol(country, lang, n, tag):
    return [
        dict(verb="registered", activity="course/c1", actor=f"{tag}{i}", language=lang, country=country)
        for i in range(n)
    ]


def test_no_hidden_cell_of_a_row_is_its_total_minus_the_cells_shown(client, add_statements, rollup):
    """Central and Eastern Europe: 46 in English, 67 in Russian and nobody else used to publish the
    five empty languages as hidden under a total of 113 (so all 0); a zero is shown as 0, and a row
    with one small count hides a second cell or its total."""
    from tests.analytics.test_suppression import line_alone_fixes

    add_statements(
        _enrol("PL", "en", 46, "pl")
        + _enrol("RU", "ru", 67, "ru")
        + _enrol("SN", "fr", 30, "sn")
        + _enrol("SN", "en", 3, "sne")
        + _enrol("SN", "ar", 1, "sna")
        + _enrol("FR", "en", 25, "fr")
        + _enrol("FR", "fr", 9, "frf")
        + _enrol("MX", "es", 2, "mx")
        + _enrol("MX", "en", 1, "mxe")
    )
    rollup()
    for rows in (
        rows_of(client),
        [
            {
                k: ("" if v is None else str(v).lower() if isinstance(v, bool) else str(v))
                for k, v in r.items()
            }
            for r in client.get("/analytics/open-data.json").get_json()["data"]
        ],
    ):
        enrol = {(r["region"], r["language"]): r for r in rows if r["measure"] == "enrolments"}
        ceeg = {lang: r["value"] for (region, lang), r in enrol.items() if region == "ceeg"}
        assert ceeg == {
            "en": "46",
            "ru": "67",
            "all": "113",
            "fr": "0",
            "es": "0",
            "ar": "0",
            "zh": "0",
            "und": "0",
        }
        assert enrol[("africa", "en")]["value"] == ""  # the 3
        regions = {region for region, _lang in enrol}
        langs = {lang for _region, lang in enrol}
        lines = [
            [(region, lang) for lang in langs if lang != "all"] + [(region, "all")] for region in regions
        ]
        lines += [
            [(region, lang) for region in regions if region != "all"] + [("all", lang)] for lang in langs
        ]
        for *members, total in lines:
            values = [None if enrol[m]["value"] == "" else int(enrol[m]["value"]) for m in members]
            assert all(v is None or v == 0 or v >= 5 for v in values)
            shown_total = enrol[total]["value"]
            assert not line_alone_fixes(values, None if shown_total == "" else int(shown_total)), (
                total,
                values,
            )
    html = client.get("/analytics/open-data").get_data(as_text=True)
    assert "counts from 1 to 4 are hidden" in html


def test_a_certificate_is_published_with_the_next_data_update_not_before(client, activity, make_user, rollup):
    """The page dates its figures by the data update: a certificate issued since does not change them
    until the next one (comparing two loads would otherwise single out its holder)."""
    from lms import signals
    from lms.db import db
    from lms.registry import publish_resource

    def certificates_total():
        return next(
            r["value"]
            for r in rows_of(client)
            if r["measure"] == "certificates" and r["region"] == r["language"] == r["period"] == "all"
        )

    before = certificates_total()
    course = publish_resource(
        kind="course", key="c1", plugin="courses", titles={"en": "C1"}, url="/c1", languages=["en"]
    )
    for i in range(6):
        user = make_user(country_code="SN", locale="fr")
        signals.certificate_issued.send("courses", user=user, resource=course, verification_code=f"OD-{i}")
    db.session.commit()
    assert certificates_total() == before
    rollup()  # the next data update, with no new statement: the certificates alone move the data
    assert certificates_total() == "6"
