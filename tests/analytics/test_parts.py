"""Parts of a resource (lessons, quizzes, questions) are called by their names, never by their keys."""

from __future__ import annotations

import pytest

from analytics.models_feedback import Feedback, ProblemReport
from analytics.parts import part_labels
from lms.db import db
from lms.xapi.models import ActivityDefinition
from tests.analytics.test_dashboards import data  # noqa: F401 - fixture

BASE = "http://lms.test/xapi/activities"


def answers(languages: list[str], interaction_type: str) -> list[dict]:
    """Answers to question q1 of course c1, one learner per language given, every other one right."""
    return [
        dict(
            verb="answered",
            activity="course/c1/question/q1",
            actor=f"a{i}",
            language=lang,
            result={"success": i % 2 == 0, "response": "a"},
            definition={"name": {lang: "Which article?"}, "interactionType": interaction_type},
        )
        for i, lang in enumerate(languages)
    ]


@pytest.fixture
def named_lesson(app, publish):
    publish("course", "c1", "Supply and trade")
    db.session.add(
        ActivityDefinition(
            activity_id=f"{BASE}/course/c1/lesson/k-l0",
            definition={"name": {"en-GB": "Trade rules", "fr": "Règles du commerce"}},
        )
    )
    db.session.commit()


def test_a_part_has_its_recorded_name_in_the_readers_language_else_english(named_lesson):
    pairs = [("course:c1", "lesson/k-l0"), ("course:c1", "k-l0")]
    assert part_labels(pairs, "fr") == {
        "course:c1|lesson/k-l0": "Règles du commerce",
        "course:c1|k-l0": "Règles du commerce",  # a bare key is a lesson's, a question's or a quiz's
    }
    assert part_labels(pairs, "ar")["course:c1|lesson/k-l0"] == "Trade rules"


def test_a_part_without_a_name_is_called_by_its_type(app):
    labels = part_labels(
        [("course:c1", "quiz/final"), ("course:c1", "lesson/7547627e-308-l0"), ("webinar:w1", "qa/x")], "en"
    )
    assert labels == {
        "course:c1|quiz/final": "Final quiz",
        "course:c1|lesson/7547627e-308-l0": "Lesson",
        "webinar:w1|qa/x": "Question from the audience",
    }


@pytest.mark.usefixtures("data")
def test_where_learners_stop_names_the_lessons_and_the_final_quiz(client, as_owner, add_statements, rollup):
    add_statements([dict(verb="failed", activity="course/c1/quiz/final", actor="fr5", parents=["course/c1"])])
    rollup()
    db.session.add(
        ActivityDefinition(
            activity_id=f"{BASE}/course/c1/lesson/l0", definition={"name": {"en": "Article 3"}}
        )
    )
    db.session.commit()
    as_owner()
    html = client.get("/analytics/courses/course/c1").get_data(as_text=True)
    stop = html.split("Where learners stop</h2>", 1)[1]
    assert "Article 3" in stop and "Final quiz" in stop
    assert "quiz/final" not in stop and "lesson/l" not in stop


def test_comments_and_the_triage_queue_name_the_part(client, as_owner, named_lesson):
    db.session.add(
        Feedback(
            kind="course", key="c1", part="lesson/k-l0", language="fr", is_useful=False, comment="Trop long"
        )
    )
    report = ProblemReport(kind="course", key="c1", part="lesson/k-l0", category="other", description="x")
    db.session.add(report)
    db.session.commit()
    as_owner()
    for path in ("/analytics/feedback-summary", "/analytics/triage", f"/analytics/triage/{report.uuid}"):
        html = client.get(path).get_data(as_text=True)
        assert "Trade rules" in html and "lesson/k-l0" not in html, path


def test_question_types_and_readiness_dimensions_have_labels(
    client, as_owner, add_statements, rollup, publish
):
    publish("course", "c1", "Supply and trade")
    add_statements(
        answers(["en", "en", "en"], "true-false")
        + [
            dict(
                verb="submitted",
                activity="readiness/q1",
                actor=f"c{i}",
                country=cc,
                result={"extensions": {"http://lms.test/xapi/extensions/levels": {"governance": 3}}},
            )
            for i, cc in enumerate(["SN", "NG", "KE", "GH", "EG"])
        ]
    )
    rollup()
    as_owner()
    items = client.get("/analytics/courses/course/c1/items").get_data(as_text=True)
    assert "True or false" in items and "<td>true-false</td>" not in items
    client.get("/language/fr")
    readiness = client.get("/analytics/readiness").get_data(as_text=True)
    assert "Gouvernance et coordination" in readiness and ">governance<" not in readiness


def test_quiz_item_tables_name_the_items(client, as_owner, add_statements, rollup, publish):
    publish("course", "c1", "Supply and trade")
    add_statements(answers(["en", "fr", "en", "fr"], "choice"))
    rollup()
    as_owner()
    html = client.get("/analytics/courses/course/c1/items").get_data(as_text=True)
    for caption in ("Difficulty by language", "Choices picked"):
        table = html.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
        assert "Which article?" in table and ">question/q1<" not in table, caption


def test_a_part_that_is_a_registry_resource_has_its_title(app, publish):
    publish("webinar_chapter", "ch-1", titles={"en": "Opening", "fr": "Ouverture"})
    assert part_labels([("webinar:w1", "chapter/ch-1")], "fr") == {"webinar:w1|chapter/ch-1": "Ouverture"}


def test_a_parts_names_under_all_its_addresses_follow_the_readers_language(app, publish):
    # a lesson opened in Spanish under one address and in English under the other: the English
    # dashboard names it in English, not by the first address's Spanish name
    publish("course", "c1", "Supply and trade")
    db.session.add_all(
        [
            ActivityDefinition(
                activity_id=f"{BASE}/course/c1/k-l1", definition={"name": {"es": "ES f_title"}}
            ),
            ActivityDefinition(
                activity_id=f"{BASE}/course/c1/lesson/k-l1", definition={"name": {"en": "Trade rules"}}
            ),
        ]
    )
    db.session.commit()
    assert part_labels([("course:c1", "k-l1")], "en") == {"course:c1|k-l1": "Trade rules"}
    assert part_labels([("course:c1", "k-l1")], "es") == {"course:c1|k-l1": "ES f_title"}
    assert part_labels([("course:c1", "k-l1")], "zh") == {"course:c1|k-l1": "Trade rules"}
