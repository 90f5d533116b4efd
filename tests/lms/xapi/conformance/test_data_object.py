"""xAPI Data 2.4.4 Object: Activities (incl. interaction activities), Agents/Groups, StatementRefs,
SubStatements."""

from __future__ import annotations

import pytest
from xapi_helpers import (
    DELETE,
    activity,
    activity_id,
    agent_mbox,
    assert_same_statement,
    choice_activity,
    group_anonymous,
    group_identified,
    mutate,
    result,
    statement,
    statement_ref,
    substatement,
    uid,
)


def comp(*ids):
    return [{"id": i, "description": {"en-US": f"Item {i}"}} for i in ids]


def interaction(kind: str, **extra) -> dict:
    definition = {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "interactionType": kind,
        "name": {"en-US": f"{kind} question"},
    }
    definition.update(extra)
    return {"objectType": "Activity", "id": activity_id(), "definition": definition}


VALID_OBJECTS = {
    "activity without objectType": lambda: {"id": activity_id()},
    "activity without definition": lambda: activity(definition=False),
    "activity with full definition": lambda: mutate(
        mutate(activity(), "definition.moreInfo", "https://lms.example.org/courses/art3"),
        "definition.extensions",
        {"http://lms.example.org/xapi/ext/article": 3},
    ),
    "true-false": lambda: interaction("true-false", correctResponsesPattern=["true"]),
    "choice": lambda: choice_activity(),
    "fill-in": lambda: interaction("fill-in", correctResponsesPattern=["{case_matters=false}mercury"]),
    "long-fill-in": lambda: interaction("long-fill-in", correctResponsesPattern=["{lang=en}A long answer"]),
    "matching": lambda: interaction(
        "matching", source=comp("a", "b"), target=comp("1", "2"), correctResponsesPattern=["a[.]1[,]b[.]2"]
    ),
    "performance": lambda: interaction(
        "performance", steps=comp("s1", "s2"), correctResponsesPattern=["s1[.]1[:]3[,]s2[.]x"]
    ),
    "sequencing": lambda: interaction(
        "sequencing", choices=comp("x", "y", "z"), correctResponsesPattern=["x[,]y[,]z"]
    ),
    "likert": lambda: interaction(
        "likert", scale=comp("likert_0", "likert_1"), correctResponsesPattern=["likert_1"]
    ),
    "numeric": lambda: interaction("numeric", correctResponsesPattern=["4[:]"]),
    "other": lambda: interaction("other", correctResponsesPattern=["(35.937432,-86.868896)"]),
    "empty correctResponsesPattern": lambda: interaction(
        "choice", choices=comp("a"), correctResponsesPattern=[]
    ),
    "agent": lambda: agent_mbox("Object Agent"),
    "anonymous group": lambda: group_anonymous(),
    "identified group": lambda: group_identified(),
    "statement ref": lambda: statement_ref(uid()),
    "substatement": lambda: substatement(result=result(), timestamp="2999-01-01T00:00:00Z"),
    "substatement about a statement ref": lambda: substatement(object=statement_ref(uid())),
}


@pytest.mark.parametrize("kind", list(VALID_OBJECTS))
def test_valid_object_accepted_and_returned_unchanged(lrs, kind):
    # Data 2.4.4: Activity, Agent/Group, StatementRef, SubStatement are all valid Objects; interaction
    # activities of every interactionType (2.4.4.1.s9); a SubStatement MAY have a future timestamp
    # (2.4.7.s3.b5). Data 2.2.s4.b5: returned without a different serialisation.
    stmt = statement(id=uid(), object=VALID_OBJECTS[kind]())
    lrs.store(stmt)
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


def test_statement_ref_to_unknown_statement_accepted(lrs):
    # Data 2.4.4.3.s4.b2: no requirement for the LRS to validate that the UUID matches an existing Statement.
    assert lrs.store(statement(object=statement_ref(uid())))


def act_base():
    return statement(id=uid(), object=choice_activity())


ACTIVITY_MALFORMED = [
    # Data 2.4.4.1 table: id Required, an IRI (2.2.s4.b1.b4 / b8).
    ("activity without id", "object.id", DELETE),
    ("activity id without scheme", "object.id", "lms.example.org/activity"),
    ("activity id empty", "object.id", ""),
    ("activity id a number", "object.id", 3),
    # objectType MUST be "Activity" when present; enumerations are case-exact (2.2.s4.b1.b6).
    ("objectType lowercase", "object.objectType", "activity"),
    ("objectType unknown", "object.objectType", "Course"),
    ("object null", "object", None),
    ("object missing", "object", DELETE),  # 2.2.s2.b3
    ("object a string", "object", "http://lms.example.org/activity"),
    ("activity with extra property", "object.name", {"en-US": "x"}),  # 2.2.s4.b1.b7
    ("definition a string", "object.definition", "A definition"),
    ("definition with extra property", "object.definition.title", {"en-US": "x"}),
    ("definition name a string", "object.definition.name", "Quiz"),
    ("definition name bad language tag", "object.definition.name", {"a12345": "Quiz"}),
    ("definition description value a number", "object.definition.description", {"en-US": 1}),
    ("definition type without scheme", "object.definition.type", "cmi.interaction"),
    ("definition moreInfo without scheme", "object.definition.moreInfo", "lms.example.org/info"),
    ("definition extensions key not an IRI", "object.definition.extensions", {"article": 3}),
    ("definition extensions not an object", "object.definition.extensions", ["x"]),
    ("definition null", "object.definition", None),
    # Data 2.2.s4.b1.b1: an empty object is a property without a value (like an empty contextActivities).
    ("definition empty object", "object.definition", {}),
    # Data 2.4.4.1.s13.b1: interaction activities MUST have a valid interactionType.
    ("interactionType unknown", "object.definition.interactionType", "multiple-choice"),
    ("interactionType wrong case", "object.definition.interactionType", "Choice"),
    ("interactionType a number", "object.definition.interactionType", 1),
    ("interactionType an object", "object.definition.interactionType", {"type": "choice"}),
    ("interactionType an array", "object.definition.interactionType", ["choice"]),
    (
        "interactionType an IRI",
        "object.definition.interactionType",
        "http://adlnet.gov/expapi/activities/cmi.interaction",
    ),
    # correctResponsesPattern: Array of Strings.
    ("correctResponsesPattern a string", "object.definition.correctResponsesPattern", "art3"),
    ("correctResponsesPattern with a number", "object.definition.correctResponsesPattern", [3]),
    # Interaction components: id Required (String), description a Language Map.
    ("choices not an array", "object.definition.choices", {"id": "art3"}),
    ("choice without id", "object.definition.choices.0.id", DELETE),
    ("choice id a number", "object.definition.choices.0.id", 3),
    ("choice description a string", "object.definition.choices.0.description", "Article 3"),
    ("choice with extra property", "object.definition.choices.0.correct", True),
    # Data 2.4.4.1.s16.b1: within an array of interaction components all ids MUST be distinct.
    ("duplicate choice ids", "object.definition.choices.1.id", "art3"),
]


@pytest.mark.parametrize(
    "path,value", [(p, v) for _d, p, v in ACTIVITY_MALFORMED], ids=[d for d, _p, _v in ACTIVITY_MALFORMED]
)
def test_malformed_activity_rejected(lrs, path, value):
    lrs.rejects(mutate(act_base(), path, value))


OTHER_MALFORMED = [
    # Data 2.4.4.2.s1.b1: an Agent or Group as Object MUST specify "objectType".
    ("agent object without objectType", {"mbox": "mailto:object@example.org"}),
    ("group object without objectType", {"member": [{"mbox": "mailto:m@example.org"}]}),
    ("agent object with bad mbox", {"objectType": "Agent", "mbox": "object@example.org"}),
    # Data 2.4.4.3.s4: StatementRef MUST have objectType StatementRef and id the UUID of a Statement.
    ("statement ref without id", {"objectType": "StatementRef"}),
    ("statement ref id not a UUID", {"objectType": "StatementRef", "id": "not-a-uuid"}),
    (
        "statement ref with extra property",
        {"objectType": "StatementRef", "id": uid(), "definition": {"name": {"en": "x"}}},
    ),
    ("statement ref objectType lowercase", {"objectType": "statementref", "id": uid()}),
    # Data 2.4.4.3.s8.b3: a SubStatement MUST NOT have "id", "stored", "version" or "authority".
    ("substatement with id", substatement(id=uid())),
    ("substatement with stored", substatement(stored="2024-01-01T00:00:00Z")),
    ("substatement with version", substatement(version="1.0.0")),
    ("substatement with authority", substatement(authority=agent_mbox("Authority"))),
    # Data 2.4.4.3.s8.b4: a SubStatement MUST NOT contain a SubStatement.
    ("nested substatement", substatement(object=substatement())),
    # Data 2.4.4.3.s8.b2: a SubStatement MUST be validated as a Statement.
    ("substatement without actor", mutate(substatement(), "actor", DELETE)),
    ("substatement without verb", mutate(substatement(), "verb", DELETE)),
    ("substatement without object", mutate(substatement(), "object", DELETE)),
    ("substatement with bad actor", substatement(actor={"mbox": "no-mailto@example.org"})),
    ("substatement with bad verb", substatement(verb={"id": "not an iri"})),
    ("substatement with bad activity", substatement(object={"id": "no-scheme"})),
    ("substatement with bad result", substatement(result={"success": "yes"})),
    ("substatement with extra property", substatement(foo="bar")),
    ("substatement objectType lowercase", mutate(substatement(), "objectType", "substatement")),
]


@pytest.mark.parametrize("obj", [o for _d, o in OTHER_MALFORMED], ids=[d for d, _o in OTHER_MALFORMED])
def test_malformed_object_rejected(lrs, obj):
    lrs.rejects(statement(id=uid(), object=obj))
