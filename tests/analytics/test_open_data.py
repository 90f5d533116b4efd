"""The public open-data dashboard: suppression, licence, CSV/JSON/dictionary downloads, API, OpenAPI."""

from __future__ import annotations

import csv
import io
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
    assert enrol[("all", "all")]["value"] == "22"
    # nothing under 5 is shown anywhere
    assert all(r["value"] == "" or int(r["value"]) >= 5 for r in rows)
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

    payload = opendata.compute()
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
    assert enrol[("weog", "en")] == "7" and enrol[("africa", "fr")] == ""
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
    assert summary.get_json()["measures"]["enrolments"] == 22
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
