"""Result (Data 2.4.5), Context (Data 2.4.6) and Attachment objects (Data 2.4.11)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from statements_testing import assert_invalid, mutate, stmt  # noqa: E402

from lms.xapi.validation import validate_statement  # noqa: E402

UUID = "ec531277-b57b-4c15-8d91-d292c5b2b8f7"
SHA = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"
ATTACHMENT = {
    "usageType": "http://example.com/usage/test",
    "display": {"en-US": "A test"},
    "contentType": "text/plain; charset=ascii",
    "length": 27,
    "sha2": SHA,
}

BAD = [
    # result
    ("result a string", "result", "passed", "statement.result"),
    ("success a string", "result.success", "true", "statement.result.success"),
    ("completion a number", "result.completion", 1, "statement.result.completion"),
    ("response a number", "result.response", 42, "statement.result.response"),
    ("duration not ISO 8601", "result.duration", "90 seconds", "statement.result.duration"),
    ("duration alternative format", "result.duration", "P0000-00-00T01:30:00", "statement.result.duration"),
    ("duration weeks combined", "result.duration", "P4W1D", "statement.result.duration"),
    ("duration empty T", "result.duration", "P1DT", "statement.result.duration"),
    ("duration just P", "result.duration", "P", "statement.result.duration"),
    ("scaled above 1", "result.score", {"scaled": 1.5}, "statement.result.score.scaled"),
    ("scaled below -1", "result.score", {"scaled": -1.01}, "statement.result.score.scaled"),
    ("scaled a string", "result.score", {"scaled": "0.5"}, "statement.result.score.scaled"),
    ("raw a boolean", "result.score", {"raw": True}, "statement.result.score.raw"),
    ("min not below max", "result.score", {"min": 10, "max": 10}, "statement.result.score.min"),
    ("raw below min", "result.score", {"raw": 1, "min": 2, "max": 5}, "statement.result.score.raw"),
    ("raw above max", "result.score", {"raw": 6, "max": 5}, "statement.result.score.raw"),
    ("score unknown key", "result.score", {"percent": 50}, "statement.result.score.percent"),
    ("result unknown key", "result.grade", "A", "statement.result.grade"),
    ("result extensions bad key", "result.extensions", {"minutes": 3}, "statement.result.extensions"),
    ("null success", "result.success", None, "statement.result.success"),
    # context
    ("registration not a uuid", "context.registration", "reg-1", "statement.context.registration"),
    ("registration empty", "context.registration", "", "statement.context.registration"),
    ("instructor without identifier", "context.instructor", {"name": "T"}, "statement.context.instructor"),
    (
        "team is an agent",
        "context.team",
        {"mbox": "mailto:t@example.org"},
        "statement.context.team.objectType",
    ),
    (
        "contextActivities unknown key",
        "context.contextActivities",
        {"parents": [{"id": "http://e.org/a"}]},
        "statement.context.contextActivities.parents",
    ),
    (
        "contextActivities key wrong case",
        "context.contextActivities",
        {"Parent": [{"id": "http://e.org/a"}]},
        "wrong case",
    ),
    (
        "context activity relative id",
        "context.contextActivities",
        {"parent": [{"id": "a"}]},
        "statement.context.contextActivities.parent[0].id",
    ),
    (
        "context activity a string",
        "context.contextActivities",
        {"grouping": ["http://e.org/a"]},
        "statement.context.contextActivities.grouping[0]",
    ),
    ("language not a tag", "context.language", "english please", "statement.context.language"),
    ("language a number", "context.language", 5, "statement.context.language"),
    ("revision a number", "context.revision", 2, "statement.context.revision"),
    ("platform a list", "context.platform", ["web"], "statement.context.platform"),
    ("statement is not a ref", "context.statement", {"id": UUID}, "statement.context.statement.objectType"),
    (
        "statement ref bad id",
        "context.statement",
        {"objectType": "StatementRef", "id": "x"},
        "statement.context.statement.id",
    ),
    ("context unknown key", "context.location", "Geneva", "statement.context.location"),
    (
        "context extension relative key",
        "context.extensions",
        {"/country": "FR"},
        "statement.context.extensions",
    ),
    # attachments
    ("attachments not a list", "attachments", ATTACHMENT, "statement.attachments"),
    (
        "attachment without usageType",
        "attachments",
        [{k: v for k, v in ATTACHMENT.items() if k != "usageType"}],
        "statement.attachments[0].usageType",
    ),
    (
        "attachment without display",
        "attachments",
        [{k: v for k, v in ATTACHMENT.items() if k != "display"}],
        "statement.attachments[0].display",
    ),
    (
        "attachment without sha2",
        "attachments",
        [{k: v for k, v in ATTACHMENT.items() if k != "sha2"}],
        "statement.attachments[0].sha2",
    ),
    (
        "attachment length a string",
        "attachments",
        [{**ATTACHMENT, "length": "27"}],
        "statement.attachments[0].length",
    ),
    (
        "attachment negative length",
        "attachments",
        [{**ATTACHMENT, "length": -1}],
        "statement.attachments[0].length",
    ),
    ("attachment bad sha2", "attachments", [{**ATTACHMENT, "sha2": "abc"}], "statement.attachments[0].sha2"),
    (
        "attachment bad content type",
        "attachments",
        [{**ATTACHMENT, "contentType": "text"}],
        "statement.attachments[0].contentType",
    ),
    (
        "attachment relative fileUrl",
        "attachments",
        [{**ATTACHMENT, "fileUrl": "files/a.txt"}],
        "statement.attachments[0].fileUrl",
    ),
    ("attachment unknown key", "attachments", [{**ATTACHMENT, "data": "x"}], "statement.attachments[0].data"),
]


@pytest.mark.parametrize("path,value,fragment", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_result_context_attachment_is_refused(path, value, fragment):
    assert_invalid(mutate(stmt(), path, value), fragment)


@pytest.mark.parametrize("key", ["revision", "platform"])
def test_revision_and_platform_only_with_an_activity_object(key):
    agent_object = {"objectType": "Agent", "mbox": "mailto:x@example.org"}
    assert_invalid(stmt(object=agent_object, context={key: "1"}), f"statement.context.{key}")
    validate_statement(stmt(context={key: "1"}))


def test_valid_result_and_context_pass():
    validate_statement(
        stmt(
            result={
                "score": {"scaled": -1, "raw": 0, "min": 0, "max": 10},
                "success": False,
                "completion": True,
                "response": "golf[,]tetris",
                "duration": "PT4H35M59.14S",
                "extensions": {"http://example.org/x": {"any": [None, 1]}},
            },
            context={
                "registration": UUID.upper(),
                "instructor": {"objectType": "Group", "member": [{"mbox": "mailto:a@example.org"}]},
                "team": {"objectType": "Group", "mbox": "mailto:t@example.org"},
                "contextActivities": {
                    "parent": {"id": "http://example.org/p"},
                    "other": [{"id": "http://e.org/o"}],
                },
                "revision": "r2",
                "platform": "web",
                "language": "zh-Hant-TW",
                "statement": {"objectType": "StatementRef", "id": UUID},
            },
            attachments=[
                ATTACHMENT,
                {**ATTACHMENT, "fileUrl": "https://example.org/a.txt", "description": {"fr": "Un test"}},
            ],
        )
    )


@pytest.mark.parametrize(
    "duration", ["PT1H0M0S", "P3Y1M29DT4H35M59.14S", "P3Y", "P4W", "PT0.5S", "P16559.14S", "PT1234S", "P1D"]
)
def test_valid_durations_pass(duration):
    validate_statement(stmt(result={"duration": duration}))
