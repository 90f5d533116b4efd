"""The anonymised benchmark: opt-in, k-anonymity (at least five other countries), medians and quartiles
only, complementary suppression, and the secretariat's levels by region."""

from __future__ import annotations

import statistics

import pytest

from lms.db import db
from readiness import benchmark as bench
from readiness import services
from tests.readiness.conftest import full_answers, submit

DIMS = ["governance", "reporting", "exchange", "data", "opendata", "infrastructure", "skills", "inclusion"]


@pytest.fixture
def country(make_user, questionnaire):
    """``country(code, level, opt_in=True)``: a submitted 2026 assessment of that country."""

    def _make(code, level, opt_in=True, cycle="2026"):
        coordinator = make_user(role="coordinator", country_code=code)
        a = services.start_assessment(coordinator, cycle=cycle, language="en")
        services.set_benchmark_opt_in(a, coordinator, opt_in)
        result = submit(a, coordinator, full_answers(questionnaire, level))
        return a, result

    return _make


def test_summaries_need_five_values_and_are_rounded():
    with pytest.raises(ValueError):
        bench.summarise([0.1, 0.2, 0.3, 0.4])
    s = bench.summarise([0.11, 0.32, 0.5, 0.61, 0.93])
    assert s == {"q1": 0.3, "median": 0.5, "q3": 0.6}
    assert all(round(v / 0.05) * 0.05 == pytest.approx(v) for v in s.values())


def test_a_group_is_shown_only_with_five_other_countries(country):
    fr, _ = country("FR", 2)
    for code, level in [("DE", 1), ("ES", 2), ("IT", 3), ("PT", 4)]:
        country(code, level)
    data = bench.benchmark(fr, DIMS)
    region, everyone = data["groups"]
    assert region["count"] == 4 and all(v is None for v in region["dimensions"].values())
    assert all(v is None for v in everyone["dimensions"].values())
    country("BE", 3)
    country("NL", 4, opt_in=False)  # not counted
    data = bench.benchmark(fr, DIMS)
    region = data["groups"][0]
    assert region["count"] == 5
    expected_scores = sorted(
        res.profile["dimensions"]["reporting"]["score"]
        for a, res in bench._latest_results("2026")
        if a.country_code in {"DE", "ES", "IT", "PT", "BE"}
    )
    q1, med, q3 = statistics.quantiles(expected_scores, n=4, method="inclusive")
    assert region["dimensions"]["reporting"] == {
        "q1": bench._round(q1),
        "median": bench._round(med),
        "q3": bench._round(q3),
    }
    assert set(region["dimensions"]["reporting"]) == {"q1", "median", "q3"}  # no single values or means


def test_own_country_and_other_cycles_are_left_out(country):
    fr, _ = country("FR", 4)
    for code in ("DE", "ES", "IT", "PT"):
        country(code, 1)
    country("BE", 1, cycle="2024")
    assert all(v is None for v in bench.benchmark(fr, DIMS)["groups"][0]["dimensions"].values())


def test_all_parties_are_suppressed_when_they_differ_from_the_region_by_fewer_than_five(country):
    fr, _ = country("FR", 2)
    for code, level in [("DE", 1), ("ES", 2), ("IT", 3), ("PT", 4), ("BE", 2)]:
        country(code, level)
    for code in ("SN", "KE"):
        country(code, 1)
    region, everyone = bench.benchmark(fr, DIMS)["groups"]
    assert region["dimensions"]["reporting"] is not None
    assert everyone["count"] == 7 and everyone["dimensions"]["reporting"] is None
    for code in ("BR", "MX", "JP"):
        country(code, 3)
    region, everyone = bench.benchmark(fr, DIMS)["groups"]
    assert everyone["dimensions"]["reporting"] is not None and region["dimensions"]["reporting"] is not None


def test_benchmark_page_requires_opt_in_and_shows_suppression(
    client_for, country, coordinator, questionnaire
):
    a = services.start_assessment(coordinator, cycle="2026", language="fr")
    submit(a, coordinator, full_answers(questionnaire, 2))
    for code in ("DE", "ES", "IT", "PT", "BE"):
        country(code, 3)
    c = client_for(coordinator)
    page = c.get(f"/readiness/a/{a.uuid}/benchmark").get_data(as_text=True)
    assert "has not opted in" in page and "median " not in page.split("<table")[-1]
    services.set_benchmark_opt_in(a, coordinator, True)
    db.session.commit()
    page = c.get(f"/readiness/a/{a.uuid}/benchmark").get_data(as_text=True)
    # Five others, all in the region: both groups are the same five countries, so both may show.
    body = page.split("<tbody>")[1]
    assert body.count("median ") == 16 and page.count("(5 countries)") == 2
    assert "not shown: too few countries" not in page
    country("SN", 1)  # one country outside the region: all Parties would single it out
    page = c.get(f"/readiness/a/{a.uuid}/benchmark").get_data(as_text=True)
    body = page.split("<tbody>")[1]
    assert body.count("median ") == 8 and body.count("not shown: too few countries") == 8


def test_benchmark_headers_count_countries_in_the_plural_the_language_needs(
    client_for, country, coordinator, questionnaire
):
    a = services.start_assessment(coordinator, cycle="2026", language="fr")
    submit(a, coordinator, full_answers(questionnaire, 2))
    services.set_benchmark_opt_in(a, coordinator, True)
    db.session.commit()
    country("DE", 3)
    page = client_for(coordinator).get(f"/readiness/a/{a.uuid}/benchmark").get_data(as_text=True)
    assert "All Parties (1 country)" in page and "(1 countries)" not in page


def test_secretariat_sees_levels_by_region(client_for, country, secretariat):
    country("FR", 4, opt_in=False)
    country("SN", 1)
    overview = bench.secretariat_overview()
    assert overview["weog"]["count"] == 1 and overview["africa"]["count"] == 1
    assert overview["weog"]["median_levels"]["reporting"] > overview["africa"]["median_levels"]["reporting"]
    page = client_for(secretariat).get("/readiness/secretariat").get_data(as_text=True)
    assert "Levels by region" in page and "Western European and others" in page and "Africa" in page


def test_median_levels_by_region_have_one_decimal_in_the_readers_format(client_for, country, secretariat):
    import re

    country("FR", 1)
    country("DE", 4)  # two countries in the region: medians halfway between their levels
    country("SN", 3)
    c = client_for(secretariat)
    c.get("/language/fr")
    page = c.get("/readiness/secretariat").get_data(as_text=True)
    table = page[page.index('id="regions-h"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", table[: table.index("</table>")], re.S)[1:]
    medians = [cell for row in rows for cell in re.findall(r"<td>(.*?)</td>", row)[1:]]  # after the count
    assert len(medians) == 16 and all(re.fullmatch(r"\d,\d", m) for m in medians), medians


def test_secretariat_lists_each_cycle_s_countries_in_the_reader_s_alphabetical_order(
    client_for, country, secretariat
):
    """Not by ISO code: in Spanish Alemania (DE) comes before Francia (FR) and Senegal, and Suiza (CH)
    last; the newest cycle still comes first."""
    for code in ("SN", "CH", "FR", "DE"):
        country(code, 3)
    country("BE", 3, cycle="2027")
    c = client_for(secretariat)
    c.get("/language/es")
    page = c.get("/readiness/secretariat").get_data(as_text=True)
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    order = [table.index(name) for name in ("Bélgica", "Alemania", "Francia", "Senegal", "Suiza")]
    assert order == sorted(order)


def test_the_secretariat_s_medians_take_each_country_s_latest_assessment(make_user, questionnaire, country):
    coordinator = make_user(role="coordinator", country_code="FR")
    levels = {}
    for cycle, level in (("2024", 4), ("2026", 0)):
        a = services.start_assessment(coordinator, cycle=cycle, language="en")
        levels[cycle] = submit(a, coordinator, full_answers(questionnaire, level)).profile["dimensions"]
    _de, de_result = country("DE", 2)
    level = {
        key: d["reporting"]["level"] for key, d in {**levels, "DE": de_result.profile["dimensions"]}.items()
    }
    weog = bench.secretariat_overview()["weog"]
    assert weog["count"] == 2
    assert weog["median_levels"]["reporting"] == statistics.median([level["2026"], level["DE"]])
    # Counting France's 2024 assessment too would give another median.
    assert statistics.median(level.values()) != statistics.median([level["2026"], level["DE"]])
