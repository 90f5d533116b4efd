"""The shipped questionnaire, the loader's line-level validation, immutability of published versions
and the ``readiness validate`` command."""

from __future__ import annotations

import pytest
import yaml

from readiness import questionnaire as qmod
from readiness import questionnaire_file as qfile
from readiness.yamlfile import YAMLFileError

DIMENSIONS = [
    "governance",
    "reporting",
    "exchange",
    "data",
    "opendata",
    "infrastructure",
    "skills",
    "inclusion",
]


def shipped_text() -> str:
    return qfile.shipped_files()[0].read_text(encoding="utf-8")


def test_shipped_questionnaire_has_the_eight_dimensions(questionnaire):
    q = questionnaire
    assert q.status == "published" and q.version == "2025.1"
    assert [d.id for d in q.dimensions] == DIMENSIONS
    assert all(4 <= len(d.items) <= 6 for d in q.dimensions)
    assert {it.type for it in q.items.values()} == {"rubric", "yesno", "checklist", "number"}
    assert any(it.is_gate for it in q.items.values()) and any(it.show_if for it in q.items.values())
    for item in q.items.values():
        if item.type == "rubric":
            assert len(item.levels) == 5 and all(lvl.get("fr") and lvl.get("es") for lvl in item.levels)


def test_english_french_spanish_are_complete_and_every_language_names_the_dimensions(questionnaire):
    assert {"en", "fr", "es"} <= set(questionnaire.languages())
    for dim in questionnaire.dimensions:
        assert all(dim.title.get(lang) for lang in ("en", "fr", "es", "ar", "zh", "ru")), dim.id
    for item in questionnaire.items.values():
        for opt in item.options:
            assert opt.label.get("fr") and opt.label.get("es"), (item.id, opt.id)


def test_language_fallback_reports_the_source_language():
    assert qmod.pick({"en": "Hello", "fr": "Bonjour"}, "fr") == ("Bonjour", None)
    assert qmod.pick({"en": "Hello"}, "ar") == ("Hello", "en")


def _broken(replace: str, by: str) -> str:
    text = shipped_text()
    assert replace in text
    return text.replace(replace, by, 1)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            "type: rubric\n        weight: 2\n        gate: true",
            "type: slider\n        weight: 2\n        gate: true",
            "type must be one of",
        ),
        ('version: "2025.1"', "version: 2025", "version must be a quoted string"),
        ('      - id: "1.2"', '      - id: "1.1"', "is used twice"),
        ("show_if: \"answer('1.1') >= 1\"", "show_if: \"answer('9.9') >= 1\"", "not an earlier item"),
        ("show_if: \"answer('1.1') >= 1\"", "show_if: \"answer('1.1') >=\"", "invalid expression"),
        ("            score: 0.33", "            score: 1.5", "must be between 0 and 1"),
    ],
)
def test_invalid_files_are_refused_with_the_line(replace, by, message):
    text = _broken(replace, by)
    with pytest.raises(YAMLFileError) as info:
        qfile.parse_text(text, "broken.yaml")
    problems = info.value.problems
    assert any(message in p.message for p in problems), problems
    expected_line = (
        shipped_text()[: shipped_text().index(replace)].count("\n")
        + 1
        + (len(replace) - len(replace.lstrip("\n")))
    )
    assert any(p.line is not None and abs(p.line - expected_line) <= 1 for p in problems), (
        problems,
        expected_line,
    )


def test_missing_french_text_is_reported_at_its_line():
    text = _broken(
        "          fr: Le correspondant national a-t-il été officiellement désigné et communiqué au "
        "secrétariat\u00a0?\n",
        "",
    )
    with pytest.raises(YAMLFileError) as info:
        qfile.parse_text(text, "broken.yaml")
    (problem,) = info.value.problems
    assert "'fr' is missing" in problem.message and problem.path == "dimensions[0].items[1].text"
    assert problem.line == _line_of(text, "        text:\n          en: Has the national focal point") + 0


def test_syntax_error_and_duplicate_key_have_lines():
    with pytest.raises(YAMLFileError) as info:
        qfile.parse_text("kind: questionnaire\nid: [unclosed\nversion: x\n")
    assert info.value.problems[0].line in (2, 3, 4) and "syntax" in info.value.problems[0].message
    with pytest.raises(YAMLFileError) as info:
        qfile.parse_text("kind: questionnaire\nid: a\nid: b\n")
    assert info.value.problems[0].line == 3 and "duplicate" in info.value.problems[0].message


def test_skip_logic_that_hides_a_question_when_an_answer_improves_is_refused():
    text = _broken("show_if: \"answer('1.1') >= 1\"", "show_if: \"answer('1.1') <= 2\"")
    with pytest.raises(YAMLFileError) as info:
        qfile.parse_text(text)
    assert any("only reveal questions" in p.message for p in info.value.problems)


def test_every_shipped_skip_condition_is_monotone(questionnaire):
    from readiness.scoring import skip_logic_problems

    assert skip_logic_problems(questionnaire) == []


def test_a_published_version_is_immutable(app):
    from lms.db import db
    from readiness import catalog

    q = qfile.parse_text(shipped_text())
    row = catalog.store_questionnaire(q)
    db.session.commit()
    assert catalog.store_questionnaire(q).id == row.id  # the same content again: fine
    changed = qfile.parse_text(
        _broken(
            "Has the national focal point been formally designated", "Has the focal point been designated"
        )
    )
    with pytest.raises(catalog.CatalogError, match="cannot change"):
        catalog.store_questionnaire(changed)
    draft = qfile.parse_text(_broken("status: published", "status: draft"))
    with pytest.raises(catalog.CatalogError):
        catalog.store_questionnaire(draft)


def test_a_new_version_maps_its_items_to_the_previous_one():
    text = _broken(
        'version: "2025.1"',
        'version: "2027.1"\nprevious:\n  version: "2025.1"\n'
        '  dimensions: {governance: governance}\n  items: {"1.1": "1.1", "1.5": null}',
    )
    q = qfile.parse_text(text)
    assert q.previous["items"] == {"1.1": "1.1", "1.5": None}
    bad = _broken(
        'version: "2025.1"', 'version: "2027.1"\nprevious:\n  version: "2025.1"\n  items: {"9.9": "1.1"}'
    )
    with pytest.raises(YAMLFileError, match="not an item of this version"):
        qfile.parse_text(bad)


def test_stored_copy_round_trips(questionnaire):
    again = qmod.from_dict(questionnaire.to_dict())
    assert again.to_dict() == questionnaire.to_dict()
    assert yaml.safe_dump(questionnaire.to_dict())  # plain data


def test_cli_validate_accepts_the_shipped_files(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["readiness", "validate", str(qfile.shipped_files()[0])])
    assert result.exit_code == 0, result.output
    assert "valid questionnaire digital-readiness 2025.1" in result.output and "8 dimensions" in result.output
    from readiness.rules import shipped_files

    result = runner.invoke(args=["readiness", "validate", str(shipped_files()[0])])
    assert result.exit_code == 0 and "valid recommendation rules" in result.output


def test_cli_validate_lists_every_error_with_its_line(app, tmp_path):
    text = _broken("type: yesno", "type: maybe")
    text = text.replace("weight: 1.5", "weight: -1", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["readiness", "validate", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert (
        f"broken.yaml:{_line_of(text, 'type: maybe')}: dimensions[0].items[1].type: type must be one of"
        in out
    )
    assert f"broken.yaml:{_line_of(text, 'weight: -1')}: dimensions[1].weight: must be greater than 0" in out
