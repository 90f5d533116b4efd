"""The item-level trend across questionnaire versions: a second version renames, splits, merges, adds
and removes items, and the re-assessment compares each dimension over the items both versions share."""

from __future__ import annotations

import copy

import pytest

from lms.db import db
from readiness import catalog, results, services
from readiness import questionnaire as qmod
from readiness import questionnaire_file as qfile
from readiness.trend import changes, item_mapping
from readiness.yamlfile import YAMLFileError
from tests.readiness.conftest import full_answers, submit

NEW_ITEM = {
    "id": "2.9",
    "type": "yesno",
    "text": {
        "en": "Is the next report's timetable agreed with all contributing institutions?",
        "fr": "Le calendrier du prochain rapport est-il convenu avec toutes les institutions "
        "contributrices ?",
        "es": "¿Se ha acordado el calendario del próximo informe con todas las instituciones participantes?",
    },
}


def second_version(q: qmod.Questionnaire) -> qmod.Questionnaire:
    """Version 2027.1: 2.3 renamed 2.7, 2.4 split into 2.4 and 2.8, 2.5 merged into 2.2, 2.9 new, 1.4
    removed."""
    data = copy.deepcopy(q.to_dict())
    data["version"] = "2027.1"
    data["previous"] = {
        "version": "2025.1",
        "items": {"2.7": "2.3", "2.8": "2.4", "2.2": ["2.2", "2.5"], "2.9": None},
    }
    gov, rep = data["dimensions"][0], data["dimensions"][1]
    gov["items"] = [it for it in gov["items"] if it["id"] != "1.4"]
    items = {it["id"]: it for it in rep["items"]}
    items["2.3"]["id"] = "2.7"
    split = copy.deepcopy(items["2.4"]) | {"id": "2.8"}
    rep["items"] = [items["2.1"], items["2.2"], items["2.3"], items["2.4"], split, NEW_ITEM]
    return qmod.from_dict(data, sha256="test-2027.1")


@pytest.fixture
def two_cycles(coordinator, questionnaire):
    """2024 answered at level 1 under 2025.1 (1.4 fully ticked); 2026 at level 3 under 2027.1 with the new
    question 2.9 answered "no"."""
    earlier = services.start_assessment(coordinator, cycle="2024", language="fr")
    old_answers = full_answers(questionnaire, 1) | {"1.4": [o.id for o in questionnaire.item("1.4").options]}
    submit(earlier, coordinator, old_answers)
    q2 = second_version(questionnaire)
    catalog.store_questionnaire(q2)
    db.session.commit()
    current = services.start_assessment(coordinator, cycle="2026", language="fr")
    assert current.questionnaire_version.version == "2027.1"
    result = submit(current, coordinator, full_answers(q2, 3) | {"2.9": "no"})
    return earlier, current, result, q2


def test_the_mapping_names_every_kind_of_change(questionnaire):
    q2 = second_version(questionnaire)
    mapping = item_mapping(q2, questionnaire, "2025.1")
    assert mapping["2.7"] == ["2.3"] and mapping["2.2"] == ["2.2", "2.5"] and mapping["2.9"] == []
    assert mapping["1.1"] == ["1.1"]  # kept by its stable id
    diff = changes(mapping, questionnaire)
    assert diff["new_items"] == ["2.9"]
    assert diff["removed_items"] == ["1.4"]
    assert diff["renamed_items"] == [["2.7", "2.3"]]
    assert diff["split_items"] == [["2.4", ["2.4", "2.8"]]]
    assert diff["merged_items"] == [["2.2", ["2.2", "2.5"]]]


def _mean(pairs):
    return sum(w * s for w, s in pairs) / sum(w for w, _s in pairs)


def test_each_dimension_is_compared_over_the_shared_items(two_cycles, questionnaire):
    earlier, current, result, q2 = two_cycles
    trend = results.trend(current, result.profile)
    assert trend["questionnaire_version"] == "2025.1" and not trend["is_same_version"]
    old = results.latest_result(earlier).profile

    gov = trend["dimensions"]["governance"]
    old_items = old["items"]
    expected_prev = _mean(
        [(questionnaire.item(i).weight, old_items[i]["score"]) for i in ("1.1", "1.2", "1.3", "1.5")]
    )
    assert gov["previous_score"] == pytest.approx(expected_prev, abs=1e-6)
    # the removed 1.4 (fully ticked then) no longer counts: the stored score was higher
    assert old["dimensions"]["governance"]["score"] > gov["previous_score"] + 0.1
    assert gov["compared_items"] == 4

    rep = trend["dimensions"]["reporting"]
    now_items = result.profile["items"]
    expected_now = _mean(
        [(q2.item(i).weight, now_items[i]["score"]) for i in ("2.1", "2.2", "2.7", "2.4", "2.8")]
    )
    assert rep["comparable_score"] == pytest.approx(expected_now, abs=1e-6)
    assert rep["score"] < rep["comparable_score"]  # the new 2.9 ("no") counts now, but is not compared
    assert rep["previous_score"] == pytest.approx(old["dimensions"]["reporting"]["score"], abs=1e-6)
    assert rep["delta"] == pytest.approx(rep["comparable_score"] - rep["previous_score"], abs=1e-4)
    assert rep["compared_items"] == 5 and rep["previous_level"] == old["dimensions"]["reporting"]["level"]


def test_the_result_page_lists_new_and_removed_questions(two_cycles, client_for, coordinator):
    _earlier, current, _result, _q2 = two_cycles
    html = client_for(coordinator).get(f"/readiness/a/{current.uuid}/result").get_data(as_text=True)
    assert 'id="trend-h"' in html
    assert "New questions, not compared" in html and "Is the next report&#39;s timetable agreed" in html
    assert (
        "Questions removed since then" in html and "Which institutions take part in the coordination?" in html
    )
    assert (
        "2.7 was 2.3" in html
        and "2.4 was split into 2.4 and 2.8" in html
        and "2.2 merges 2.2 and 2.5" in html
    )
    # the current rules name items this version lacks: no recommendations, but advice can still be asked
    assert "Data management clinic" in html


def test_same_version_compares_whole_dimensions(coordinator, questionnaire):
    earlier = services.start_assessment(coordinator, cycle="2024", language="fr")
    submit(earlier, coordinator, full_answers(questionnaire, 1))
    current = services.start_assessment(coordinator, cycle="2026", language="fr")
    result = submit(current, coordinator, full_answers(questionnaire, 3))
    trend = results.trend(current, result.profile)
    assert trend["is_same_version"] and trend["new_items"] == [] and trend["removed_items"] == []
    old = results.latest_result(earlier).profile["dimensions"]
    for dim_id, row in trend["dimensions"].items():
        assert row["previous_score"] == pytest.approx(old[dim_id]["score"], abs=1e-6)
        assert row["comparable_score"] == pytest.approx(row["score"], abs=1e-6)


def test_a_merge_mapping_is_valid_in_a_file():
    text = qfile.shipped_files()[0].read_text(encoding="utf-8")
    text = text.replace(
        'version: "2025.1"',
        'version: "2027.1"\nprevious:\n  version: "2025.1"\n  items: {"2.2": ["2.2", "2.5"], "2.1": null}',
        1,
    )
    assert qfile.parse_text(text).previous["items"]["2.2"] == ["2.2", "2.5"]
    bad = text.replace('"2.2": ["2.2", "2.5"]', '"2.2": []')
    with pytest.raises(YAMLFileError, match="a list of them"):
        qfile.parse_text(bad)
