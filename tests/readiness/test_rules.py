"""Recommendation rules: validation, reasons, priority (gap x weight x urgency), merging and caps."""

from __future__ import annotations

from datetime import date

import pytest

from readiness import rules as rmod
from readiness.scoring import score_assessment
from readiness.yamlfile import YAMLFileError
from tests.readiness.conftest import full_answers

RULES_TEXT = rmod.shipped_files()[0].read_text(encoding="utf-8")


@pytest.fixture
def ruleset(questionnaire):
    return rmod.parse_text(RULES_TEXT, questionnaire)


def fake_resolver(entry):
    """Every entry resolves to one resource named after it (a course for article queries)."""
    ((kind, spec),) = entry.items()
    if kind == "service":
        return [{"type": "service", "id": spec, "titles": {"en": spec}, "in_team_language": True}]
    key = spec.get("key") or spec.get("text") or "-".join(str(a) for a in spec.get("articles", []))
    return [
        {"type": "resource", "kind": "course", "key": key, "titles": {"en": key}, "in_team_language": False}
    ]


def test_shipped_rules_are_valid_and_cover_every_dimension(ruleset, questionnaire):
    assert ruleset.version == "2025.1"
    assert {r.dimension for r in ruleset.rules} == {d.id for d in questionnaire.dimensions}
    assert {"reporting-review", "data-clinic"} <= set(ruleset.services)
    for service in ruleset.services.values():
        assert service.title.get("fr") and service.title.get("es")


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            "when: \"answer('2.3') in ['no', 'partly']\"",
            "when: \"answer('9.9') == 'no'\"",
            "unknown item '9.9'",
        ),
        ("when: \"answer('2.3') in ['no', 'partly']\"", "when: \"eval('x')\"", "unknown function"),
        (
            "    dimension: reporting\n    urgent: true\n    when: \"answer('2.3')",
            "    dimension: nowhere\n    urgent: true\n    when: \"answer('2.3')",
            "unknown dimension 'nowhere'",
        ),
        (
            "      - service: data-clinic\n  - id: data-documentation",
            "      - service: nope\n  - id: data-documentation",
            "unknown service 'nope'",
        ),
    ],
)
def test_invalid_rules_are_refused_with_the_line(questionnaire, replace, by, message):
    assert replace in RULES_TEXT
    text = RULES_TEXT.replace(replace, by, 1)
    with pytest.raises(YAMLFileError) as info:
        rmod.parse_text(text, questionnaire, "rules.yaml")
    hits = [p for p in info.value.problems if message in p.message]
    assert hits, info.value.problems
    first_line = text[: text.index(by)].count("\n") + 1
    assert first_line <= hits[0].line <= first_line + by.count("\n") + 1


def test_reasons_name_the_answers_that_fired_a_rule(ruleset, questionnaire):
    answers = full_answers(questionnaire, 4) | {"2.3": "no"}
    profile = score_assessment(questionnaire, answers)
    recs = rmod.recommend(ruleset, questionnaire, answers, profile, fake_resolver, date(2020, 1, 1))
    review = next(r for r in recs if r.get("id") == "reporting-review")
    facts = [f for reason in review["reasons"] for f in reason["facts"]]
    assert {
        "call": "answer",
        "subject": "2.3",
        "op": "in",
        "value": ["no", "partly"],
        "actual": "no",
    } in facts
    assert review["dimension"] == "reporting" and "reporting-accounts" in review["rules"]


def test_no_rule_fires_for_a_mature_country(ruleset, questionnaire):
    answers = full_answers(questionnaire, 4)
    profile = score_assessment(questionnaire, answers)
    assert rmod.recommend(ruleset, questionnaire, answers, profile, fake_resolver, date(2020, 1, 1)) == []


def test_priority_is_gap_times_weight_and_urgency_near_a_deadline(ruleset, questionnaire):
    answers = full_answers(questionnaire, 4) | {"2.3": "no", "8.1": "no"}
    profile = score_assessment(questionnaire, answers)
    far = rmod.recommend(ruleset, questionnaire, answers, profile, fake_resolver, date(2020, 1, 1))
    near = rmod.recommend(ruleset, questionnaire, answers, profile, fake_resolver, date(2025, 10, 1))
    gap_rep = 1 - profile.dimensions["reporting"].score
    gap_inc = 1 - profile.dimensions["inclusion"].score
    by_id = {r.get("id") or r.get("key"): r for r in far}
    assert by_id["reporting-review"]["priority"] == pytest.approx(gap_rep * 1.5, abs=1e-5)  # weight 1.5
    assert by_id["inclusion-review"]["priority"] == pytest.approx(gap_inc * 1.0, abs=1e-5)
    near_by_id = {r.get("id") or r.get("key"): r for r in near}
    assert near_by_id["reporting-review"]["priority"] == pytest.approx(gap_rep * 1.5 * 1.5, abs=1e-5)
    assert near_by_id["reporting-review"]["is_urgent"] and not by_id["reporting-review"]["is_urgent"]
    assert near_by_id["inclusion-review"]["priority"] == by_id["inclusion-review"]["priority"]  # not urgent
    assert [r["priority"] for r in near] == sorted((r["priority"] for r in near), reverse=True)


def test_duplicates_are_merged_and_lists_capped(ruleset, questionnaire):
    answers = full_answers(questionnaire, 0)
    profile = score_assessment(questionnaire, answers)
    recs = rmod.recommend(ruleset, questionnaire, answers, profile, fake_resolver, date(2025, 10, 1))
    keys = [(r["type"], r.get("kind"), r.get("key") or r.get("id")) for r in recs]
    assert len(keys) == len(set(keys))
    assert len(recs) == rmod.MAX_TOTAL
    per_dim = {}
    for r in recs:
        per_dim[r["dimension"]] = per_dim.get(r["dimension"], 0) + 1
    assert max(per_dim.values()) <= rmod.MAX_PER_DIMENSION
    review = next(r for r in recs if r.get("id") == "reporting-review")
    assert {"reporting-accounts", "reporting-process"} <= set(review["rules"])  # merged from two rules
    assert len(review["reasons"]) == len(review["rules"])


def test_without_resolvable_resources_only_services_remain(ruleset, questionnaire):
    answers = full_answers(questionnaire, 0)
    profile = score_assessment(questionnaire, answers)

    def services_only(entry):
        return fake_resolver(entry) if "service" in entry else []

    recs = rmod.recommend(ruleset, questionnaire, answers, profile, services_only, date(2020, 1, 1))
    assert recs and all(r["type"] == "service" for r in recs)
