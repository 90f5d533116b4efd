"""The questionnaire and the recommendation rules in all six UN languages, and the immutability rule of a
published version: translations may be added or corrected, nothing else may change."""

from __future__ import annotations

import copy
import re

import pytest
import yaml
from sqlalchemy import select

from lms.db import db
from lms.models import AuditEntry
from readiness import catalog
from readiness import questionnaire as qmod
from readiness import rules as rmod
from readiness.immutability import translation_only_problem
from readiness.models import QuestionnaireVersion, RuleSetVersion

SIX = ("en", "fr", "es", "ar", "zh", "ru")
SCRIPTS = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "ru": re.compile(r"[а-яё]", re.I),
}


def _texts(q: qmod.Questionnaire):
    """Every text mapping of the questionnaire, named."""
    yield "title", q.title
    yield "description", q.description
    for dim in q.dimensions:
        yield dim.id, dim.title
        yield f"{dim.id} description", dim.description
        for item in dim.items:
            yield item.id, item.text
            if item.help:
                yield f"{item.id} help", item.help
            for n, level in enumerate(item.levels):
                yield f"{item.id} level {n}", level
            for opt in item.options:
                yield f"{item.id} {opt.id}", opt.label


def test_every_text_of_the_questionnaire_is_in_all_six_languages(questionnaire):
    assert questionnaire.languages() == list(SIX)
    count = 0
    for name, texts in _texts(questionnaire):
        for lang in SIX:
            assert (texts.get(lang) or "").strip(), (name, lang)
        for lang, script in SCRIPTS.items():
            assert script.search(texts[lang]), (name, lang, texts[lang])  # really translated
        count += 1
    assert count > 150


def test_every_item_has_text_in_all_six_languages(questionnaire):
    for item in questionnaire.items.values():
        assert all(item.text.get(lang, "").strip() for lang in SIX), item.id


def test_convention_terms_follow_the_un_terminology(questionnaire):
    all_text = {lang: " ".join(t.get(lang, "") for _n, t in _texts(questionnaire)) for lang in SIX}
    assert "اتفاقية ميناماتا بشأن الزئبق" in all_text["ar"] and "جهة الاتصال" in all_text["ar"]
    assert "关于汞的水俣公约" in all_text["zh"] and "联络点" in all_text["zh"]
    assert "Минаматской конвенции о ртути" in all_text["ru"] and "координационный центр" in all_text["ru"]


def test_advisory_services_are_in_all_six_languages(questionnaire):
    rs = rmod.load_file(rmod.shipped_files()[0], questionnaire)
    assert len(rs.services) == 7
    for service in rs.services.values():
        for lang in SIX:
            assert service.title.get(lang, "").strip() and service.description.get(lang, "").strip()
    for rule in rs.rules:
        for lang in rule.reason:
            assert lang in SIX and rule.reason[lang].strip()


# --- immutability -----------------------------------------------------------------------------------


def _without(data, lang: str):
    """``data`` with every ``lang`` translation removed (the file as it was before it was translated)."""
    if isinstance(data, dict):
        if "en" in data and isinstance(data["en"], str):
            return {k: v for k, v in data.items() if k != lang}
        return {k: _without(v, lang) for k, v in data.items()}
    if isinstance(data, list):
        return [_without(v, lang) for v in data]
    return data


def test_adding_translations_to_a_published_questionnaire_updates_the_stored_copy(app, questionnaire):
    before = qmod.from_dict(_without(copy.deepcopy(questionnaire.to_dict()), "ru"))
    row = catalog.store_questionnaire(before)
    db.session.commit()
    assert "ru" not in row.content["dimensions"][0]["items"][0]["text"]
    again = catalog.store_questionnaire(questionnaire)
    db.session.commit()
    assert again.id == row.id and row.sha256 == catalog.content_hash(questionnaire)
    assert row.content["dimensions"][0]["items"][0]["text"]["ru"].startswith("Насколько")
    assert catalog.questionnaire_of(row).languages() == list(SIX)
    assert db.session.scalar(select(AuditEntry).filter_by(action="readiness.questionnaire_translated"))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda d: d["dimensions"][0]["items"][0]["text"].update(en="Another question?"),
            "'en' text changed",
        ),
        (lambda d: d["dimensions"][0]["items"][1]["text"].pop("zh"), "translation removed"),
        (lambda d: d["dimensions"][0]["items"][0].update(weight=3.0), "weight"),
        (lambda d: d["dimensions"][1]["items"].pop(), "entries became"),
        (lambda d: d["dimensions"][0]["items"][4].update(show_if="answer('1.1') >= 2"), "show_if"),
        (lambda d: d["dimensions"][0]["items"][3]["options"][0].update(id="env"), "id"),
    ],
)
def test_a_published_questionnaire_refuses_every_change_but_translations(app, questionnaire, change, reason):
    catalog.store_questionnaire(questionnaire)
    db.session.commit()
    data = copy.deepcopy(questionnaire.to_dict())
    change(data)
    changed = qmod.from_dict(data)
    with pytest.raises(catalog.CatalogError, match="cannot change") as info:
        catalog.store_questionnaire(changed)
    assert reason in str(info.value)
    row = db.session.scalar(select(QuestionnaireVersion))
    assert row.sha256 == catalog.content_hash(questionnaire)  # the stored copy is untouched


def test_translation_only_problem_names_the_place():
    old = {"items": [{"id": "1", "text": {"en": "A", "fr": "B"}, "weight": 1.0}]}
    assert (
        translation_only_problem(old, {"items": [{"id": "1", "text": {"en": "A", "fr": "C"}, "weight": 1.0}]})
        is None
    )
    assert (
        translation_only_problem(
            old, {"items": [{"id": "1", "text": {"en": "A", "fr": "B", "ar": "ج"}, "weight": 1.0}]}
        )
        is None
    )
    assert translation_only_problem(
        old, {"items": [{"id": "1", "text": {"en": "A", "fr": "B"}, "weight": 2.0}]}
    ) == ("items.0.weight: 1.0 became 2.0")
    assert "items.0.text" in translation_only_problem(
        old, {"items": [{"id": "1", "text": "A", "weight": 1.0}]}
    )


def test_rules_accept_translations_and_refuse_other_changes(app, questionnaire):
    path = rmod.shipped_files()[0]
    text = path.read_text(encoding="utf-8")
    untranslated = yaml.safe_dump(_without(yaml.safe_load(text), "ar"), allow_unicode=True, sort_keys=False)
    row = catalog.store_ruleset(untranslated, rmod.parse_text(untranslated, questionnaire))
    db.session.commit()
    catalog.store_ruleset(text, rmod.parse_text(text, questionnaire))
    db.session.commit()
    assert row.source == text
    assert (
        catalog.ruleset_for(row, catalog.store_questionnaire(questionnaire))
        .services["data-clinic"]
        .title["ar"]
    )
    bad = text.replace("when: \"answer('5.1') in ['no', 'partly']\"", "when: \"answer('5.1') == 'no'\"")
    assert bad != text
    with pytest.raises(catalog.CatalogError, match="when"):
        catalog.store_ruleset(bad, rmod.parse_text(bad, questionnaire))


def test_a_release_that_adds_translations_reaches_running_assessments(app, coordinator, questionnaire):
    from readiness import services

    before = qmod.from_dict(_without(copy.deepcopy(questionnaire.to_dict()), "zh"))
    catalog.store_questionnaire(before)
    db.session.commit()
    a = services.start_assessment(coordinator, cycle="2026", language="fr")  # syncs the shipped files
    db.session.commit()
    assert services.questionnaire_for(a).item("1.1").text["zh"].startswith("国家机构")
    assert db.session.scalar(select(RuleSetVersion)) is not None
