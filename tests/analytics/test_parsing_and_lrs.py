"""Reading statements: verb keys, activity IRIs, played segments, readiness levels; and statements
recorded through the platform's real ``lms.xapi.record_statement`` reach the rollups."""

from __future__ import annotations

from sqlalchemy import select

from analytics import parsing as p
from lms.db import db


def test_verb_keys_follow_the_platform_vocabulary():
    assert p.verb_key("http://adlnet.gov/expapi/verbs/completed") == "completed"
    assert p.verb_key("https://w3id.org/xapi/video/verbs/played") == "played"
    assert p.verb_key("http://activitystrea.ms/submit") == "submitted"
    assert p.verb_key("https://example.org/verbs/Reviewed") == "reviewed"
    assert p.verb_key(None) == ""


def test_platform_activity_iris_name_the_resource_and_its_part():
    assert p.parse_activity("http://x/xapi/activities/course/abc") == ("course", "abc", "")
    assert p.parse_activity("https://old.host/xapi/activities/course/abc/lesson/l1/") == (
        "course",
        "abc",
        "lesson/l1",
    )
    assert p.parse_activity("https://example.org/cmi5/au/1") is None
    assert p.child_part("lesson/l1/page/2", p.LESSON_PARTS) == "lesson/l1"
    assert p.child_part("quiz/final", p.LESSON_PARTS) == "quiz/final"  # quizzes are steps too
    assert p.child_part("recording", p.LESSON_PARTS) is None
    assert p.workshop_phase("pre-test") == "pre" and p.workshop_phase("post") == "post"
    # quiz items as the courses plugin names them, and workshop test items
    assert p.item_of("quiz/q1/question/abc") == "quiz/q1/question/abc"
    assert p.item_of("pre-test/question/abc") == "pre-test/question/abc"
    assert p.item_of("question/abc/extra") == "question/abc" and p.item_of("lesson/l1") is None
    assert p.child_part("quiz/q1/question/abc", p.LESSON_PARTS) == "quiz/q1"
    assert p.language_of("es-419") == "es" and p.language_of(None) == "und" and p.language_of("x1") == "und"


def test_played_segments_are_parsed_defensively():
    assert p.parse_segments("0[.]12.5[,]30[.]45") == [(0.0, 12.5), (30.0, 45.0)]
    assert p.parse_segments("45[.]30") == [(30.0, 45.0)]
    assert p.parse_segments("a[.]b[,]1[.]2[.]3[,]-1[.]5[,]nan[.]3[,]0[.]999999") == []
    assert p.parse_segments(None) == [] and p.parse_segments(12) == []
    assert p.minutes_of([(0, 60)]) == {0} and p.minutes_of([(59, 121)]) == {0, 1, 2}
    assert p.minutes_of([(10, 10)]) == set()


def test_readiness_levels_are_read_from_numeric_extension_objects():
    ext = {
        "http://x/levels": {"skills": 3, "data": None, "infra": 2.5},
        "http://x/note": "text",
        "http://x/flags": {"a": True},
    }
    assert p.levels_of(ext) == {"skills": 3.0, "data": None, "infra": 2.5}
    assert p.levels_of("nope") == {}


def test_statements_recorded_by_the_platform_are_rolled_up(app, make_user, rollup, publish):
    from analytics.models import ItemStat, LearnerProgress, MonthlyCount
    from lms.xapi import activity_iri, record_statement

    publish("course", "c1", "Article 3")
    user = make_user(role="learner", country_code="SN", locale="fr")
    course = activity_iri("course", "c1")
    record_statement(
        user=user,
        verb="registered",
        activity_id=course,
        language="fr",
        registration="22222222-2222-4222-8222-222222222222",
    )
    record_statement(
        user=user,
        verb="experienced",
        activity_id=activity_iri("course", "c1", "lesson", "l1"),
        parents=[course],
        language="fr",
    )
    record_statement(
        user=user,
        verb="answered",
        activity_id=activity_iri("course", "c1", "quiz", "qz", "question", "q1"),  # as courses names them
        activity_type="question",
        activity_name={"fr": "Quel article ?"},
        activity_extra={
            "interactionType": "choice",
            "correctResponsesPattern": ["a"],
            "choices": [
                {"id": "a", "description": {"fr": "Article 3"}},
                {"id": "b", "description": {"fr": "Article 8"}},
            ],
        },
        result={"response": "b", "success": False},
        parents=[activity_iri("course", "c1", "quiz", "qz")],
        grouping=[course],
        language="fr",
    )
    record_statement(
        user=user, verb="completed", activity_id=course, result={"completion": True}, language="fr"
    )
    db.session.commit()
    rollup()
    lp = db.session.scalar(select(LearnerProgress))
    assert lp.user_id == user.id and lp.language == "fr" and lp.country_code == "SN" and lp.region == "africa"
    assert lp.registered_dt and lp.completed_dt and lp.last_child == "quiz/qz"  # the last step reached
    item = db.session.scalar(select(ItemStat))
    assert item.item == "quiz/qz/question/q1" and item.n == 1 and item.n_correct == 0
    assert item.distractors == {"b": 1}
    assert item.names == {"fr": "Quel article ?"} and item.interaction_type == "choice"
    verbs = set(db.session.scalars(select(MonthlyCount.verb)))
    assert verbs == {"registered", "experienced@lesson", "answered@quiz", "completed"}
