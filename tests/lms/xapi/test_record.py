"""lms.xapi.record_statement: platform statements built with tincan and stored in the caller's
transaction; canonical activity definitions; pseudonymisation of a deleted user's records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from lms import signals
from lms.db import db
from lms.xapi import activity_iri, actor_for, record_statement
from lms.xapi.agents import platform_authority
from lms.xapi.ids import agent_key
from lms.xapi.models import ActivityDefinition, Document, Statement, StatementAgent
from lms.xapi.verbs import ACTIVITY_TYPES, VERBS, activity_type_iri, verb_iri

REGISTRATION = "6f8a2f7e-0d6b-4c9b-9a64-0f4b0c3d1e2a"


def _count(model=Statement):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_platform_statement_is_complete_and_pseudonymous(app, make_user):
    user = make_user(country_code="SN")
    course = activity_iri("course", "minamata-basics")
    question = activity_iri("question", "minamata-basics", "q1")
    stored = record_statement(
        user=user,
        verb="answered",
        activity_id=question,
        activity_type="question",
        activity_name={"en": "Which article covers artisanal gold mining?", "fr": "Quel article ?"},
        activity_extra={
            "interactionType": "choice",
            "correctResponsesPattern": ["art7"],
            "choices": [{"id": "art7", "description": {"en": "Article 7"}}],
        },
        result={
            "score": {"scaled": 1.0, "raw": 1, "min": 0, "max": 1},
            "success": True,
            "response": "art7",
            "duration": 42.5,
        },
        registration=REGISTRATION,
        parents=[course],
        category=["https://w3id.org/xapi/cmi5/context/categories/cmi5"],
        language="fr",
        extensions={"https://example.org/ext/attempt": 2},
        timestamp=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
    )
    db.session.commit()
    row = db.session.scalar(select(Statement).where(Statement.statement_id == stored["id"]))
    data = row.data
    assert data == stored
    assert data["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "http://lms.test", "name": user.uuid},
    }
    assert user.email not in str(data) and user.name not in str(data)
    assert data["verb"] == VERBS["answered"]
    assert set(data["verb"]["display"]) == {"en", "fr", "es", "ar", "zh", "ru"}
    definition = data["object"]["definition"]
    assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert definition["interactionType"] == "choice" and definition["correctResponsesPattern"] == ["art7"]
    assert definition["name"]["fr"] == "Quel article ?"
    assert data["result"]["success"] is True and data["result"]["score"]["scaled"] == 1.0
    assert data["result"]["duration"].startswith("PT42.5")
    ctx = data["context"]
    assert (
        ctx["registration"] == REGISTRATION and ctx["language"] == "fr" and ctx["platform"] == "Minamata LMS"
    )
    assert [a["id"] for a in ctx["contextActivities"]["parent"]] == [course]
    assert ctx["extensions"]["http://lms.test/xapi/extensions/country"] == "SN"
    assert ctx["extensions"]["http://lms.test/xapi/extensions/region"] == "africa"
    assert ctx["extensions"]["https://example.org/ext/attempt"] == 2
    assert data["authority"] == platform_authority()
    assert data["timestamp"].startswith("2024-05-01T10:00:00")
    assert row.user_id == user.id and row.country_code == "SN" and row.registration == REGISTRATION
    assert row.result_duration_s == pytest.approx(42.5)


def test_record_statement_joins_the_callers_transaction(app, make_user):
    user = make_user()
    record_statement(user=user, verb="completed", activity_id=activity_iri("course", "c1"))
    db.session.rollback()
    assert _count() == 0
    record_statement(user=user, verb="completed", activity_id=activity_iri("course", "c1"))
    db.session.commit()
    assert _count() == 1


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"verb": "no-such-verb"}, KeyError),
        ({"verb": "completed", "activity_type": "no-such-type"}, KeyError),
        ({"verb": "completed", "timestamp": datetime(2024, 5, 1, 10, 0)}, ValueError),  # naive
    ],
)
def test_unusable_arguments_are_refused_before_anything_is_stored(app, make_user, kwargs, error):
    user = make_user()
    with pytest.raises(error):
        record_statement(user=user, activity_id=activity_iri("course", "c1"), **kwargs)
    db.session.rollback()
    assert _count() == 0


def test_vocabulary_uses_the_published_iris():
    assert verb_iri("satisfied") == "https://w3id.org/xapi/adl/verbs/satisfied"
    assert verb_iri("played") == "https://w3id.org/xapi/video/verbs/played"
    assert verb_iri("interacted") == "http://adlnet.gov/expapi/verbs/interacted"
    assert verb_iri("https://example.org/verb") == "https://example.org/verb"
    assert activity_type_iri("video") == "https://w3id.org/xapi/video/activity-type/video"
    assert ACTIVITY_TYPES["question"].endswith("cmi.interaction")
    for key, verb in VERBS.items():
        assert set(verb["display"]) == {"en", "fr", "es", "ar", "zh", "ru"}, key
        assert all(verb["display"].values()), key


def test_platform_statements_define_activities_and_merge_language_maps(app, make_user):
    user = make_user()
    lesson = activity_iri("lesson", "l1")
    record_statement(
        user=user,
        verb="experienced",
        activity_id=lesson,
        activity_type="lesson",
        activity_name={"en": "Article 3"},
    )
    record_statement(
        user=user,
        verb="experienced",
        activity_id=lesson,
        activity_name={"fr": "Article 3 (fr)"},
        activity_description={"en": "Supply and trade"},
    )
    db.session.commit()
    row = db.session.scalar(select(ActivityDefinition).where(ActivityDefinition.activity_id == lesson))
    assert row.definition == {
        "type": "http://adlnet.gov/expapi/activities/lesson",
        "name": {"en": "Article 3", "fr": "Article 3 (fr)"},
        "description": {"en": "Supply and trade"},
    }


def test_deleting_a_user_pseudonymises_their_records_and_keeps_counts(app, make_user):
    user, other = make_user(), make_user()
    for _ in range(3):
        record_statement(user=user, verb="completed", activity_id=activity_iri("course", "c1"))
    record_statement(user=other, verb="completed", activity_id=activity_iri("course", "c1"))
    old_key = agent_key(actor_for(user))
    db.session.add(
        Document(
            kind="state",
            doc_id="bookmark",
            activity_id=activity_iri("course", "c1"),
            agent_key=old_key,
            agent=actor_for(user),
            content_type="text/plain",
            content=b"lesson-3",
            etag="x",
            key_hash="k" * 64,
        )
    )
    db.session.commit()

    signals.user_deleted.send(user, pseudonym="0d4e8a57-5b0d-4c8e-9a4e-2d7c1b0f9e11")
    db.session.commit()

    assert _count() == 4
    rows = db.session.scalars(select(Statement).where(Statement.user_id.is_(None))).all()
    assert len(rows) == 3
    new_key = agent_key(
        {"account": {"homePage": "http://lms.test", "name": "0d4e8a57-5b0d-4c8e-9a4e-2d7c1b0f9e11"}}
    )
    for row in rows:
        assert row.data["actor"]["account"]["name"] == "0d4e8a57-5b0d-4c8e-9a4e-2d7c1b0f9e11"
        assert user.uuid not in str(row.data)
        assert row.actor_key == new_key
    assert (
        db.session.scalar(
            select(func.count()).select_from(StatementAgent).where(StatementAgent.agent_key == old_key)
        )
        == 0
    )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(StatementAgent)
            .where(StatementAgent.agent_key == new_key, StatementAgent.role == "actor")
        )
        == 3
    )
    assert _count(Document) == 0
    other_row = db.session.scalar(select(Statement).where(Statement.user_id == other.id))
    assert other_row.data["actor"]["account"]["name"] == other.uuid


def test_a_rolled_back_definition_is_written_again_later(app, make_user):
    """Definitions known to be stored are skipped; one from a rolled-back transaction is not 'known'."""
    user = make_user()
    lesson = activity_iri("lesson", "l2")
    record_statement(user=user, verb="experienced", activity_id=lesson, activity_name={"en": "Article 8"})
    db.session.rollback()
    record_statement(user=user, verb="experienced", activity_id=lesson, activity_name={"en": "Article 8"})
    db.session.commit()
    row = db.session.scalar(select(ActivityDefinition).where(ActivityDefinition.activity_id == lesson))
    assert row is not None and row.definition == {"name": {"en": "Article 8"}}
    # Known and unchanged: nothing to write; a new language is merged in.
    record_statement(
        user=user, verb="experienced", activity_id=lesson, activity_name={"fr": "Article 8 (fr)"}
    )
    db.session.commit()
    db.session.refresh(row)
    assert row.definition == {"name": {"en": "Article 8", "fr": "Article 8 (fr)"}}


def test_an_executed_deletion_request_pseudonymises_the_learning_records(app, make_user):
    from lms.account.privacy import execute_deletion, request_deletion

    user, admin = make_user(), make_user(role="admin")
    old_uuid = user.uuid
    record_statement(user=user, verb="completed", activity_id=activity_iri("course", "c1"))
    req = request_deletion(user, "please")
    db.session.commit()
    execute_deletion(req, admin)
    db.session.commit()
    row = db.session.scalar(select(Statement))
    assert row.user_id is None
    assert row.data["actor"]["account"]["name"] == req.pseudonym == user.uuid != old_uuid
    assert old_uuid not in str(row.data)
