"""The pure scoring module: unit tests of each rule and property tests (hypothesis) for monotonicity
and bounds, on the shipped questionnaire and on generated ones."""

from __future__ import annotations

import ast
import inspect

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness import scoring
from readiness.questionnaire import Dimension, Item, Option, Questionnaire
from readiness.questionnaire_file import load_file, shipped_files

SHIPPED = load_file(shipped_files()[0])
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Drawing 40 answers is slow; fewer examples on the shipped questionnaire.
PROPS_SHIPPED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_q(items, dim_weight=1.0):
    items = tuple(Item(**{"text": {"en": i["id"]}, "dimension_id": "d", **i}) for i in items)
    return Questionnaire(
        "t",
        "2025.1",
        "published",
        "en",
        {"en": "t"},
        {},
        (Dimension("d", {"en": "d"}, {}, dim_weight, (), items),),
    )


def rubric(item_id, **kw):
    return {"id": item_id, "type": "rubric", "levels": tuple({"en": str(n)} for n in range(5)), **kw}


def test_the_module_does_not_import_flask():
    tree = ast.parse(inspect.getsource(scoring))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names}
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any("flask" in (m or "") for m in modules | names)


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, 1), (0.19, 1), (0.2, 2), (0.39, 2), (0.4, 3), (0.6, 4), (0.79, 4), (0.8, 5), (1, 5)],
)
def test_levels_at_fifths(score, level):
    assert scoring.level_for(score) == level


def test_level_refuses_out_of_range():
    with pytest.raises(ValueError):
        scoring.level_for(1.01)


def test_weighted_mean_of_answered_items():
    q = make_q([rubric("a", weight=3), {"id": "b", "type": "yesno"}, rubric("c")])
    d = scoring.score_assessment(q, {"a": 4, "b": "no", "c": 2}).dimensions["d"]
    assert d.score == pytest.approx((3 * 1 + 0 + 0.5) / 5)
    assert d.level == 4 and d.answered == 3 and d.applicable == 3


def test_not_applicable_is_left_out_and_dont_know_counts_as_unanswered():
    q = make_q([rubric("a"), rubric("b"), rubric("c"), rubric("d")])
    d = scoring.score_assessment(q, {"a": 4, "b": "na", "c": "dk", "d": 4}).dimensions["d"]
    assert d.applicable == 3 and d.answered == 2 and d.responded == 3
    assert d.score == 1.0 and d.level is None  # 2 of 3 answered < 70 %


def test_seventy_percent_coverage_is_needed_for_a_level():
    q = make_q([rubric(x) for x in "abcdefghij"])
    answers = {x: 4 for x in "abcdefg"}
    assert scoring.score_assessment(q, answers).dimensions["d"].level == 5  # 7 of 10
    del answers["g"]
    d = scoring.score_assessment(q, answers).dimensions["d"]
    assert d.level is None and d.score == 1.0  # 6 of 10: a score but no level


def test_gate_item_caps_the_level_at_two():
    q = make_q([rubric("g", is_gate=True), rubric("a"), rubric("b"), rubric("c")])
    capped = scoring.score_assessment(q, {"g": 1, "a": 4, "b": 4, "c": 4}).dimensions["d"]
    assert capped.score == pytest.approx(13 / 16) and capped.level == 2 and capped.is_capped
    assert capped.capped_by == ["g"]
    for gate_value in ("dk",):
        assert (
            scoring.score_assessment(q, {"g": gate_value, "a": 4, "b": 4, "c": 4}).dimensions["d"].level == 2
        )
    free = scoring.score_assessment(q, {"g": 2, "a": 4, "b": 4, "c": 4}).dimensions["d"]
    assert free.level == 5 and not free.is_capped
    na = scoring.score_assessment(q, {"g": "na", "a": 4, "b": 4, "c": 4}).dimensions["d"]
    assert na.level == 5


def test_skipped_items_count_as_lowest_and_do_not_need_answers():
    q = make_q([{"id": "has", "type": "yesno"}, rubric("use", show_if="answer('has') in ['partly', 'yes']")])
    no = scoring.score_assessment(q, {"has": "no", "use": 4})
    assert (
        no.states["use"].status == "skipped"
        and no.dimensions["d"].score == 0
        and no.dimensions["d"].level == 1
    )
    yes = scoring.score_assessment(q, {"has": "yes", "use": 2})
    assert yes.dimensions["d"].score == 0.75


def test_a_skipped_item_is_neither_answered_nor_applicable():
    q = make_q([{"id": "has", "type": "yesno"}, rubric("use", show_if="answer('has') in ['partly', 'yes']")])
    d = scoring.score_assessment(q, {"has": "no"}).dimensions["d"]
    assert (d.answered, d.applicable, d.responded, d.coverage) == (1, 1, 1, 1.0)
    assert scoring.completeness(q, {"has": "no"})["d"] == (1, 0, 1)


@pytest.mark.parametrize("earlier", [None, "dk", "na"])
def test_a_follow_up_not_asked_yet_is_not_scored(earlier):
    q = make_q([{"id": "has", "type": "yesno"}, rubric("use", show_if="answer('has') in ['partly', 'yes']")])
    answers = {"has": earlier} if earlier else {}
    p = scoring.score_assessment(q, answers)
    d = p.dimensions["d"]
    assert p.states["use"].status == "hidden" and p.states["use"].score is None
    assert d.score is None and d.level is None and d.answered == 0
    assert d.applicable == (0 if earlier == "na" else 1)


def test_an_unanswered_section_has_no_score_when_others_are_answered():
    profile = scoring.score_assessment(SHIPPED, {"1.1": 3, "1.2": "yes", "7.1": 2})
    for dim_id in ("reporting", "data"):
        d = profile.dimensions[dim_id]
        assert d.answered == 0 and d.score is None and d.level is None, dim_id
        assert d.applicable == len(SHIPPED.dimension(dim_id).items) - 1  # its follow-up is not asked yet
    assert profile.dimensions["governance"].answered == 2
    assert profile.to_dict()["items"]["2.4"] == {"status": "hidden", "score": None}


def test_completeness_counts_as_the_scored_profile():
    from tests.readiness.conftest import full_answers

    answers = {**full_answers(SHIPPED, 1), "1.2": "dk", "3.1": "na"}
    profile = scoring.score_assessment(SHIPPED, answers)
    done = scoring.completeness(SHIPPED, answers)
    assert profile.states["2.4"].status == "skipped"  # 2.2 is "no"
    for dim_id, d in profile.dimensions.items():
        assert done[dim_id] == (d.answered, d.responded - d.answered, d.applicable)
    assert done["reporting"] == (4, 0, 4) and profile.dimensions["reporting"].answered == 4
    assert done["governance"].dont_know == 1 and done["governance"].is_complete


def test_checklist_and_number_band_scores():
    q = make_q(
        [
            {
                "id": "c",
                "type": "checklist",
                "options": (Option("x", {}), Option("y", {}), Option("z", {}), Option("w", {})),
            },
            {
                "id": "n",
                "type": "number",
                "options": (Option("0", {}, 0), Option("1-5", {}, 0.4), Option("6+", {}, 1)),
            },
        ]
    )
    p = scoring.score_assessment(q, {"c": ["x", "z"], "n": "1-5"})
    assert p.states["c"].score == 0.5 and p.states["n"].score == 0.4
    assert scoring.score_assessment(q, {"c": [], "n": "6+"}).states["c"].score == 0
    assert scoring.score_assessment(q, {"c": ["bogus"], "n": "7"}).states["c"].status == "missing"


def test_profile_has_no_headline_rank_but_a_distribution(questionnaire):
    from tests.readiness.conftest import full_answers

    profile = scoring.score_assessment(questionnaire, full_answers(questionnaire, 3)).to_dict()
    assert set(profile) == {"scoring_version", "dimensions", "distribution", "strengths", "gaps", "items"}
    assert sum(profile["distribution"].values()) == 8
    assert "overall" not in profile and "rank" not in str(profile.keys())


def test_completeness_per_dimension(questionnaire):
    done = scoring.completeness(questionnaire, {"1.1": 0, "1.2": "dk", "2.2": "na"})
    # "Don't know" (1.2) is not an answer that counts towards a level, but nothing is left to answer.
    assert done["governance"] == (1, 1, 4)  # 1.5 is hidden while 1.1 is 0
    assert done["governance"].responded == 2 and not done["governance"].is_complete
    assert done["reporting"] == (0, 0, 3)  # 2.2 not applicable, 2.4 hidden (2.2 is not yes/partly)


# --- properties ----------------------------------------------------------------------------------------


def answer_values(item):
    if item.type == "checklist":
        ids = [o.id for o in item.options]
        return st.lists(st.sampled_from(ids), unique=True).map(lambda v: sorted(v, key=ids.index))
    return st.sampled_from(item.choices())


def answers_for(q):
    def one(item):
        return st.one_of(st.none(), st.sampled_from(["na", "dk"]), answer_values(item))

    return st.fixed_dictionaries({i.id: one(i) for i in q.items.values()}).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


def improve(item, value, data):
    if item.type == "checklist":
        missing = [o.id for o in item.options if o.id not in value]
        if not missing:
            return None
        extra = data.draw(st.lists(st.sampled_from(missing), min_size=1, unique=True))
        ids = [o.id for o in item.options]
        return sorted([*value, *extra], key=ids.index)
    order = item.choices()
    pos = order.index(value)
    if pos == len(order) - 1:
        return None
    return order[data.draw(st.integers(pos + 1, len(order) - 1))]


def check_monotone(q, answers, data):
    scoreable = [k for k, v in answers.items() if v not in ("na", "dk")]
    if not scoreable:
        return
    item_id = data.draw(st.sampled_from(sorted(scoreable)))
    item = q.items[item_id]
    better = improve(item, answers[item_id], data)
    if better is None:
        return
    before = scoring.score_assessment(q, answers)
    after = scoring.score_assessment(q, {**answers, item_id: better})
    for dim_id, b in before.dimensions.items():
        a = after.dimensions[dim_id]
        if b.score is not None and a.score is not None:
            assert a.score >= b.score - 1e-9, (item_id, answers[item_id], better, dim_id)
        if b.level is not None and a.level is not None:
            assert a.level >= b.level, (item_id, answers[item_id], better, dim_id)


@PROPS_SHIPPED
@given(data=st.data())
def test_a_better_answer_never_lowers_a_score_on_the_shipped_questionnaire(data):
    answers = data.draw(answers_for(SHIPPED))
    check_monotone(SHIPPED, answers, data)


@st.composite
def questionnaires(draw):
    kinds = draw(
        st.lists(st.sampled_from(["rubric", "yesno", "checklist", "number"]), min_size=1, max_size=7)
    )
    items = []
    for n, kind in enumerate(kinds):
        spec = {
            "id": f"i{n}",
            "type": kind,
            "weight": draw(st.floats(0.1, 5)),
            "is_gate": draw(st.booleans()),
        }
        if kind == "rubric":
            spec["levels"] = tuple({"en": str(x)} for x in range(5))
        elif kind == "checklist":
            spec["options"] = tuple(Option(f"o{x}", {}) for x in range(draw(st.integers(2, 5))))
        elif kind == "number":
            raw = sorted(draw(st.lists(st.floats(0, 1), min_size=1, max_size=4)))
            spec["options"] = tuple(Option(f"b{x}", {}, s) for x, s in enumerate([*raw, 1.0]))
        if n > 0 and items[0]["type"] == "yesno" and draw(st.booleans()):
            spec["show_if"] = "answer('i0') in ['partly', 'yes']"
        items.append(spec)
    return make_q(items)


@PROPS
@given(q=questionnaires(), data=st.data())
def test_a_better_answer_never_lowers_a_score_on_generated_questionnaires(q, data):
    check_monotone(q, data.draw(answers_for(q)), data)


@PROPS
@given(q=questionnaires(), data=st.data())
def test_scores_and_levels_stay_in_bounds(q, data):
    answers = data.draw(answers_for(q))
    profile = scoring.score_assessment(q, answers)
    for d in profile.dimensions.values():
        assert d.score is None or 0 <= d.score <= 1
        assert d.level is None or 1 <= d.level <= 5
        assert 0 <= d.coverage <= 1 and d.answered <= d.applicable
        if d.level is not None:
            assert d.coverage >= scoring.MIN_COVERAGE - 1e-9
            assert d.level == min(scoring.level_for(d.score), 2 if d.capped_by else 5)


@PROPS_SHIPPED
@given(data=st.data())
def test_bounds_on_the_shipped_questionnaire(data):
    profile = scoring.score_assessment(SHIPPED, data.draw(answers_for(SHIPPED)))
    dist = profile.distribution()
    assert sum(dist.values()) == len(SHIPPED.dimensions)
    for d in profile.dimensions.values():
        assert d.score is None or 0 <= d.score <= 1
        assert d.level is None or 1 <= d.level <= 5
