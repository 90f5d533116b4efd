"""Verb (Data 2.4.3) and Object: activities and their definitions, interaction activities, agents,
StatementRefs and SubStatements (Data 2.4.4)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import DELETE, assert_invalid, mutate, stmt  # noqa: E402

from lms.xapi.validation import validate_statement  # noqa: E402

ACT = "http://example.org/activities/q1"
UUID = "8f87ccde-bb56-4c2e-ab83-44982ef22df0"


def activity(**definition) -> dict:
    return {"objectType": "Activity", "id": ACT, "definition": definition}


BAD = [
    # verb
    ("verb missing", "verb", DELETE, "statement.verb: is required"),
    ("verb id missing", "verb.id", DELETE, "statement.verb.id"),
    ("verb id without scheme", "verb.id", "completed", "statement.verb.id"),
    ("verb id empty", "verb.id", "", "statement.verb.id"),
    ("verb id with spaces", "verb.id", "http://example.org/my verb", "statement.verb.id"),
    ("verb id a number", "verb.id", 3, "statement.verb.id"),
    ("verb display a string", "verb.display", "completed", "statement.verb.display"),
    ("verb display bad language", "verb.display", {"en_US": "completed"}, "statement.verb.display.en_US"),
    ("verb display empty", "verb.display", {}, "statement.verb.display"),
    ("verb display null value", "verb.display", {"en": None}, "statement.verb.display.en"),
    ("verb display number value", "verb.display", {"en": 1}, "statement.verb.display.en"),
    ("verb unknown key", "verb.name", {"en": "x"}, "statement.verb.name"),
    ("verb is a string", "verb", "http://adlnet.gov/expapi/verbs/completed", "statement.verb"),
    # activity
    ("object missing", "object", DELETE, "statement.object: is required"),
    ("activity id missing", "object.id", DELETE, "statement.object.id"),
    ("activity id relative", "object.id", "/courses/1", "statement.object.id"),
    ("activity objectType wrong case", "object.objectType", "activity", "statement.object.objectType"),
    ("activity unknown objectType", "object.objectType", "Course", "statement.object.objectType"),
    ("activity unknown key", "object.name", "x", "statement.object.name"),
    ("definition not an object", "object.definition", "x", "statement.object.definition"),
    ("definition type relative", "object.definition.type", "course", "statement.object.definition.type"),
    (
        "definition moreInfo relative",
        "object.definition.moreInfo",
        "/info",
        "statement.object.definition.moreInfo",
    ),
    ("definition name a string", "object.definition.name", "Course", "statement.object.definition.name"),
    (
        "definition description bad tag",
        "object.definition.description",
        {"e n": "x"},
        "statement.object.definition.description",
    ),
    (
        "definition extension key relative",
        "object.definition.extensions",
        {"level": 1},
        "statement.object.definition.extensions",
    ),
    (
        "definition extensions a list",
        "object.definition.extensions",
        [1],
        "statement.object.definition.extensions",
    ),
    ("definition unknown key", "object.definition.title", {"en": "x"}, "statement.object.definition.title"),
    ("definition key wrong case", "object.definition.Name", {"en": "x"}, "wrong case"),
    # StatementRef / SubStatement / agents as objects
    ("statement ref without id", "object", {"objectType": "StatementRef"}, "statement.object.id"),
    ("statement ref bad id", "object", {"objectType": "StatementRef", "id": "123"}, "statement.object.id"),
    (
        "statement ref extra key",
        "object",
        {"objectType": "StatementRef", "id": UUID, "verb": {}},
        "statement.object.verb",
    ),
    (
        "statement ref wrong case",
        "object",
        {"objectType": "statementref", "id": UUID},
        "statement.object.objectType",
    ),
]


@pytest.mark.parametrize("path,value,fragment", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_verb_or_object_is_refused(path, value, fragment):
    assert_invalid(mutate(stmt(), path, value), fragment)


BAD_INTERACTIONS = [
    ("unknown interactionType", activity(interactionType="essay"), "interactionType"),
    ("interactionType wrong case", activity(interactionType="Choice"), "interactionType"),
    ("pattern without interactionType", activity(correctResponsesPattern=["a"]), "interactionType"),
    ("choices without interactionType", activity(choices=[{"id": "a"}]), "interactionType"),
    (
        "pattern not an array",
        activity(interactionType="choice", correctResponsesPattern="a"),
        "correctResponsesPattern",
    ),
    (
        "pattern with a number",
        activity(interactionType="numeric", correctResponsesPattern=[4]),
        "correctResponsesPattern[0]",
    ),
    (
        "choices on true-false",
        activity(interactionType="true-false", choices=[{"id": "a"}]),
        "definition.choices",
    ),
    ("scale on choice", activity(interactionType="choice", scale=[{"id": "a"}]), "definition.scale"),
    ("steps on matching", activity(interactionType="matching", steps=[{"id": "a"}]), "definition.steps"),
    (
        "duplicate component ids",
        activity(interactionType="choice", choices=[{"id": "a"}, {"id": "a"}]),
        "choices[1].id",
    ),
    (
        "component without id",
        activity(interactionType="likert", scale=[{"description": {"en": "x"}}]),
        "scale[0].id",
    ),
    ("component id a number", activity(interactionType="sequencing", choices=[{"id": 1}]), "choices[0].id"),
    (
        "component unknown key",
        activity(interactionType="performance", steps=[{"id": "s", "name": "x"}]),
        "steps[0].name",
    ),
    (
        "component description not a map",
        activity(interactionType="matching", source=[{"id": "s", "description": "x"}]),
        "source[0].description",
    ),
]


@pytest.mark.parametrize(
    "obj,fragment", [b[1:] for b in BAD_INTERACTIONS], ids=[b[0] for b in BAD_INTERACTIONS]
)
def test_bad_interaction_definitions_are_refused(obj, fragment):
    assert_invalid(stmt(object=obj), fragment)


GOOD_OBJECTS = [
    activity(interactionType="true-false", correctResponsesPattern=["true"]),
    activity(
        interactionType="choice",
        correctResponsesPattern=["golf[,]tetris"],
        choices=[{"id": "golf", "description": {"en-US": "Golf"}}, {"id": "tetris"}],
    ),
    activity(
        interactionType="matching",
        correctResponsesPattern=["ben[.]3"],
        source=[{"id": "ben"}],
        target=[{"id": "3"}],
    ),
    activity(interactionType="likert", scale=[{"id": "likert_0"}], correctResponsesPattern=[]),
    activity(interactionType="performance", steps=[{"id": "pong"}]),
    activity(
        interactionType="long-fill-in", correctResponsesPattern=["{case_matters=false}{lang=en}To store"]
    ),
    activity(
        name={"en": "Q1", "zh-Hans-CN": "问题"},
        type="http://adlnet.gov/expapi/activities/cmi.interaction",
        moreInfo="https://example.org/q1",
        extensions={"http://example.org/ext": None},
    ),
    {"id": "urn:uuid:" + UUID},
    {"objectType": "StatementRef", "id": UUID},
    {"objectType": "Agent", "mbox": "mailto:a@example.org"},
]


@pytest.mark.parametrize("obj", GOOD_OBJECTS)
def test_valid_objects_pass(obj):
    validate_statement(stmt(object=obj))


SUB = {
    "objectType": "SubStatement",
    "actor": {"mbox": "mailto:s@example.org"},
    "verb": {"id": "http://example.org/planned"},
    "object": {"id": ACT},
}


@pytest.mark.parametrize(
    "key,value",
    [
        ("id", UUID),
        ("stored", "2024-01-01T00:00:00Z"),
        ("version", "1.0.0"),
        ("authority", {"mbox": "mailto:x@example.org"}),
    ],
)
def test_substatement_must_not_have_lrs_properties(key, value):
    assert_invalid(stmt(object={**SUB, key: value}), f"statement.object.{key}")


def test_substatement_is_validated_as_a_statement_and_cannot_nest():
    validate_statement(stmt(object=SUB))
    validate_statement(stmt(object={**SUB, "timestamp": "2999-01-01T00:00:00Z"}))  # future allowed
    assert_invalid(stmt(object={**SUB, "verb": {"id": "planned"}}), "statement.object.verb.id")
    assert_invalid(stmt(object={**SUB, "actor": {"name": "x"}}), "statement.object.actor")
    assert_invalid(stmt(object={**SUB, "object": dict(SUB)}), "statement.object.object.objectType")
    assert_invalid(stmt(object={k: v for k, v in SUB.items() if k != "verb"}), "statement.object.verb")
    assert_invalid(stmt(object={**SUB, "result": {"success": "true"}}), "statement.object.result.success")


def test_voiding_statement_object_must_be_a_statement_ref():
    voided = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    assert_invalid(stmt(verb=voided), "StatementRef")
    validate_statement(stmt(verb=voided, object={"objectType": "StatementRef", "id": UUID}))
