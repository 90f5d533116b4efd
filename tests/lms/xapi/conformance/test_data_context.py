"""xAPI Data 2.4.6 Context (registration, instructor, team, contextActivities, revision, platform,
language, statement, extensions)."""

from __future__ import annotations

import pytest
from xapi_helpers import (
    activity_id,
    agent_mbox,
    assert_same_statement,
    context,
    group_identified,
    mutate,
    statement,
    statement_ref,
    uid,
)


def base():
    return statement(id=uid(), context=context())


def test_full_context_returned_unchanged(lrs):
    # Data 2.4.6 table (all properties); Data 2.2.s4.b5: no different serialisation on return.
    stmt = base()
    lrs.store(stmt)
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


@pytest.mark.parametrize("key", ["parent", "grouping", "category", "other"])
def test_single_context_activity_returned_as_array(lrs, key):
    # Data 2.4.6.2.s4.b2: a value MAY be a single Activity Object; 2.4.6.2.s4.b3/b4: the LRS MUST
    # return every value as an array, a single Activity as an array of length one with the same Activity.
    single = {"objectType": "Activity", "id": activity_id(), "definition": {"name": {"en": "Art. 14"}}}
    stmt = statement(id=uid(), context={"contextActivities": {key: single}})
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["context"]["contextActivities"] == {key: [single]}


def test_instructor_may_be_a_group(lrs):
    # Data 2.4.6 table: instructor is an Agent (MAY be a Group).
    stmt = statement(id=uid(), context={"instructor": group_identified(agent_mbox("Trainer"))})
    lrs.store(stmt)
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


def test_context_without_revision_and_platform_on_agent_object(lrs):
    # Data 2.4.6.s4.b1/b2 only restrict revision/platform; the rest of context is fine with any Object.
    stmt = statement(
        id=uid(),
        object=agent_mbox("Mentee"),
        context={"registration": uid(), "language": "fr", "instructor": agent_mbox("Mentor")},
    )
    lrs.store(stmt)
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


NOT_ACTIVITY = [
    ("agent object", agent_mbox("Object")),
    ("statement ref object", statement_ref(uid())),
    (
        "substatement object",
        {
            "objectType": "SubStatement",
            "actor": agent_mbox(),
            "verb": {"id": "http://example.org/verbs/planned"},
            "object": {"id": "http://example.org/website"},
        },
    ),
]


@pytest.mark.parametrize("prop", ["revision", "platform"])
@pytest.mark.parametrize("obj", [o for _d, o in NOT_ACTIVITY], ids=[d for d, _o in NOT_ACTIVITY])
def test_revision_and_platform_only_with_activity_object(lrs, prop, obj):
    # Data 2.4.6.s4.b1 / b2: "revision" / "platform" MUST only be used if the Object is an Activity.
    lrs.rejects(statement(id=uid(), object=obj, context={prop: "x"}))
    lrs.store(statement(id=uid(), object=obj, context={"language": "en"}))  # control: other context is fine


MALFORMED = [
    ("context a string", "context", "training"),
    ("context null", "context", None),  # 2.2.s4.b1.b1
    ("context with extra property", "context.course", "art3"),  # 2.2.s4.b1.b7
    ("context key wrong case", "context.Registration", uid()),  # 2.2.s4.b1.b5
    # registration: UUID (Data 4.4; 2.2.s4.b1.b4).
    ("registration not a UUID", "context.registration", "enrolment-1"),
    ("registration empty", "context.registration", ""),
    ("registration a number", "context.registration", 1),
    ("registration null", "context.registration", None),
    # instructor: an Agent (or Group); team: a Group.
    ("instructor without IFI", "context.instructor", {"name": "Nobody"}),
    ("instructor with bad mbox", "context.instructor", {"mbox": "trainer@example.org"}),
    ("team is an agent", "context.team", {"objectType": "Agent", "mbox": "mailto:team@example.org"}),
    ("team without members or IFI", "context.team", {"objectType": "Group", "name": "Nobody"}),
    # Data 2.4.6.2.s4.b1: every key MUST be parent, grouping, category or other.
    ("contextActivities unknown key", "context.contextActivities.parents", [{"id": activity_id()}]),
    ("contextActivities key wrong case", "context.contextActivities.Parent", [{"id": activity_id()}]),
    # Data 2.4.6.2.s4.b2: every value MUST be an Activity Object or an array of Activity Objects.
    ("contextActivities value a string", "context.contextActivities.parent", "http://lms.example.org/a"),
    (
        "contextActivities value an agent",
        "context.contextActivities.other",
        [{"objectType": "Agent", "mbox": "mailto:a@example.org"}],
    ),
    ("context activity without id", "context.contextActivities.grouping", [{"objectType": "Activity"}]),
    ("context activity id without scheme", "context.contextActivities.category", [{"id": "profile"}]),
    ("contextActivities a list", "context.contextActivities", [{"id": activity_id()}]),
    ("contextActivities null", "context.contextActivities", None),
    # Data 2.4.6.2.s3: contextActivities names the context types in use; an empty object names none.
    ("contextActivities empty", "context.contextActivities", {}),
    # revision / platform are Strings.
    ("revision a number", "context.revision", 2),
    ("platform an object", "context.platform", {"name": "LMS"}),
    # language: RFC 5646 tag (Data 2.2.s4.b2).
    ("language not a tag", "context.language", "English (US)"),
    ("language a number", "context.language", 1),
    # statement: a Statement Reference.
    ("statement is an activity", "context.statement", {"objectType": "Activity", "id": activity_id()}),
    ("statement ref without objectType", "context.statement", {"id": uid()}),
    ("statement ref with bad id", "context.statement", {"objectType": "StatementRef", "id": "nope"}),
    # Data 4.1.s3.b1: extension keys MUST be IRIs.
    ("extension key not an IRI", "context.extensions", {"country": "FR"}),
    ("extensions a string", "context.extensions", "FR"),
]


@pytest.mark.parametrize("path,value", [(p, v) for _d, p, v in MALFORMED], ids=[d for d, _p, _v in MALFORMED])
def test_malformed_context_rejected(lrs, path, value):
    lrs.rejects(mutate(base(), path, value))
