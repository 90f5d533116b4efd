"""Quiz item analysis: difficulty, point-biserial discrimination, distractors, per-language DIF flags."""

from __future__ import annotations

import math
import random

import pytest
from sqlalchemy import select

from analytics.items import Thresholds, analyse_course, mantel_haenszel, point_biserial
from analytics.models import ItemStat
from lms.db import db


def test_point_biserial_matches_the_pearson_formula():
    pairs = [(1, 0.9), (1, 0.8), (0, 0.3), (0, 0.5), (1, 0.6), (0, 0.2)]
    # hand computation: mean x = .5, mean y = .55
    xs, ys = zip(*pairs, strict=True)
    mx, my = sum(xs) / 6, sum(ys) / 6
    cov = sum((x - mx) * (y - my) for x, y in pairs)
    expected = cov / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    assert point_biserial(pairs) == pytest.approx(expected)
    assert point_biserial(pairs) > 0.8
    assert point_biserial([(1, 0.5), (1, 0.7)]) is None  # x does not vary
    assert point_biserial([(1, 0.5), (0, 0.5)]) is None  # y does not vary


def test_mantel_haenszel_is_zero_without_dif_and_negative_when_harder_for_the_focal_group():
    same = {0: [30, 10, 30, 10], 1: [20, 20, 20, 20]}
    d, chi2 = mantel_haenszel(same)
    assert d == pytest.approx(0.0, abs=1e-9) and chi2 < 3.84
    harder = {0: [30, 10, 10, 30], 1: [35, 5, 15, 25]}
    d, chi2 = mantel_haenszel(harder)
    # common odds ratio > 1 in favour of the reference group -> D-DIF = -2.35 ln(alpha) < -1.5
    assert d < -1.5 and chi2 > 3.84
    assert mantel_haenszel({}) == (None, None)


def _answer(item, actor, lang, ok, response=None):
    return dict(
        verb="answered",
        activity=f"course/c1/quiz/final/question/{item}",
        actor=actor,
        language=lang,
        result={"success": ok, "response": response or ("a" if ok else "b")},
        definition={
            "name": {lang: f"Question {item}"},
            "interactionType": "choice",
            "correctResponsesPattern": ["a"],
            "choices": [{"id": c, "description": {lang: f"Choice {c}"}} for c in "abcd"],
        },
    )


def _cohort(seed=3, n_per_lang=60, languages=("en", "fr", "es"), hard=("q4", "es")):
    """Learners of varying ability answering 8 items; item q4 is much harder in Spanish only."""
    rng = random.Random(seed)
    specs = []
    for lang in languages:
        for i in range(n_per_lang):
            ability = rng.gauss(0, 1)
            actor = f"{lang}-{i}"
            for q in range(8):
                item = f"q{q}"
                shift = 2.5 if (item, lang) == hard else 0.0
                p = 1 / (1 + math.exp(-(1.4 * ability - (q - 4) * 0.25 + 0.6 - shift)))
                ok = rng.random() < p
                specs.append(_answer(item, actor, lang, ok, None if ok else rng.choice("bcd")))
    return specs


def test_an_item_written_harder_in_spanish_is_flagged_for_spanish_only(add_statements, rollup):
    add_statements(_cohort())
    result = rollup()
    assert result.items_recomputed == 1
    stats = {s.item: s for s in db.session.scalars(select(ItemStat))}
    assert set(stats) == {f"quiz/final/question/q{i}" for i in range(8)}
    hard = stats["quiz/final/question/q4"]
    assert hard.is_flagged
    assert hard.by_language["es"]["flag"] is True
    assert hard.by_language["es"]["mh_d_dif"] <= -1.5
    assert hard.by_language["es"]["p"] < hard.by_language["es"]["p_ref"] - 0.2
    assert not hard.by_language["en"]["flag"] and not hard.by_language["fr"]["flag"]
    assert [s.item for s in stats.values() if s.is_flagged] == ["quiz/final/question/q4"]
    # classical statistics and the item's definition in the language it was seen in
    q0 = stats["quiz/final/question/q0"]
    assert q0.n == 180 and q0.difficulty == pytest.approx(q0.n_correct / 180)
    assert q0.discrimination is not None and q0.discrimination > 0.2
    assert sum(q0.distractors.values()) == 180 and q0.distractors["a"] == q0.n_correct
    assert q0.names["es"] == "Question q0" and q0.correct == ["a"]
    assert {c["id"] for c in q0.choices} == {"a", "b", "c", "d"}


def test_languages_below_the_minimum_sample_are_never_flagged(add_statements, rollup, app):
    app.config["ANALYTICS_MIN_LANGUAGE_N"] = 80
    add_statements(_cohort(n_per_lang=60))
    rollup()
    hard = db.session.scalar(select(ItemStat).filter_by(item="quiz/final/question/q4"))
    assert not hard.is_flagged
    assert hard.by_language["es"]["mh_d_dif"] is None and hard.by_language["es"]["n"] == 60


def test_only_the_first_attempt_counts(add_statements, rollup):
    add_statements([_answer("q1", "a1", "en", False), _answer("q1", "a1", "en", True)])
    rollup()
    stat = db.session.scalar(select(ItemStat))
    assert (stat.n, stat.n_correct) == (1, 0)


def test_a_late_arriving_earlier_attempt_replaces_the_first_one(add_statements, rollup):
    from datetime import UTC, datetime

    add_statements([{**_answer("q1", "a1", "en", True), "ts": datetime(2024, 6, 3, 10, tzinfo=UTC)}])
    rollup()
    assert db.session.scalar(select(ItemStat)).n_correct == 1
    add_statements([{**_answer("q1", "a1", "en", False), "ts": datetime(2024, 6, 3, 9, tzinfo=UTC)}])
    rollup()
    stat = db.session.scalar(select(ItemStat))
    assert (stat.n, stat.n_correct) == (1, 0)


def test_thresholds_come_from_the_configuration(app):
    app.config.update(ANALYTICS_MIN_ITEM_N=3, ANALYTICS_MIN_LANGUAGE_N=7, ANALYTICS_DIF_THRESHOLD=1.0)
    assert Thresholds.from_config() == Thresholds(3, 7, 1.0)
    assert analyse_course("course", "nothing-here") == 0


def test_items_name_single_choice_and_show_markdown_prompts_as_plain_text(
    client, add_statements, rollup, publish, as_owner
):
    publish("course", "c1", "Article 3")

    def answer(item, actor, pattern, name):
        spec = _answer(item, actor, "en", True)
        spec["definition"] = {
            **spec["definition"],
            "correctResponsesPattern": [pattern],
            "name": {"en": name},
        }
        return spec

    add_statements(
        [
            answer("q1", "a1", "a", "Which **lampes fluorescentes** contain mercury?"),
            answer("q2", "a1", "a[,]c", "Pick *all* that apply"),
        ]
    )
    rollup()
    as_owner()
    api = client.get("/analytics/api/v1/dashboards/items?kind=course&key=c1").get_json()
    types = {row[1]: row[2] for row in api["tables"]["items"]["rows"]}
    assert types == {"quiz/final/question/q1": "single-choice", "quiz/final/question/q2": "choice"}
    html = client.get("/analytics/courses/course/c1/items").get_data(as_text=True)
    assert "Single choice" in html and "Multiple choice" in html
    assert "**" not in html and "*all*" not in html
    assert "Which lampes fluorescentes contain mercury?" in html and "Pick all that apply" in html
