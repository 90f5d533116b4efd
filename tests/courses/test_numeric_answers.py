"""A number typed as a quiz answer (a year, a count) is shown without a grouping separator, with the
reader's decimal mark: 2017, not "2,017", on the learner's result and in the author's preview."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import build_course


def _numeric_course(trainer, answer="2017", tolerance="1000.5", publish=True):
    from courses.models import Item
    from courses.services import authoring_quiz, publishing

    course = build_course(trainer, slug="basics", publish=False, questions=False, max_attempts=1)
    quiz = db.session.scalar(select(Item).filter_by(kind="quiz", course_id=course.id))
    authoring_quiz.add_question(
        trainer,
        quiz,
        kind="numeric",
        data={
            "prompt": "In which year did the Convention enter into force?",
            "answer": answer,
            "tolerance": tolerance,
        },
    )
    if publish:
        publishing.publish(trainer, course)
    db.session.commit()
    return course


@pytest.mark.parametrize(
    ("lang", "value", "shown"),
    [
        ("en", "2017", "2017"),
        ("en", 12345.5, "12345.5"),
        ("fr", 12345.5, "12345,5"),
        ("de", "2017", "2017"),
        ("fr", 3.14159, "3,14159"),
        ("en", 0.0005, "0.0005"),
    ],
)
def test_answer_numbers_have_no_grouping_separator(app, lang, value, shown):
    from flask_babel import force_locale

    from courses.views.rendering import answer_number, describe_result

    with app.test_request_context("/"), force_locale(lang):
        assert answer_number(value) == shown
        described = describe_result(
            {"kind": "numeric", "spec": {"answer": value, "tolerance": 0}}, {}, {"response": 1990}, True
        )
        assert described["right"] == [shown]


def test_the_learner_s_result_shows_the_answer_as_typed(client, trainer, learner, login):
    from courses.models import QuizAttempt

    _numeric_course(trainer)
    login(learner)
    client.post("/courses/basics/enrol")
    url = client.post("/courses/basics/learn/check/attempts").headers["Location"]
    client.get(url)
    attempt = db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
    (question,) = attempt.drawn
    assert (
        client.post(url, data={"attempt": attempt.uuid, f"q_{question['uuid']}": "1990"}).status_code == 303
    )
    html = client.get(f"{url}/result").get_data(as_text=True)
    assert "2017 ± 1000.5" in html and "2,017" not in html and "1,000" not in html


def test_the_author_s_preview_shows_the_answer_as_typed(client, trainer, login):
    _numeric_course(trainer, publish=False)
    login(trainer)
    html = client.get("/courses/manage/basics/preview/check").get_data(as_text=True)
    assert 'value="2017" readonly' in html and "2017 ± 1000.5" in html
    assert "2,017" not in html and "1,000" not in html


def test_a_spelling_without_accents_is_not_shown_as_another_answer(app):
    # "Japon" is accepted for keyboards without accents; the result page says "Japón", not "Japón or Japon".
    from flask_babel import force_locale

    from courses.views.rendering import describe_result

    with app.test_request_context("/"), force_locale("es"):
        texts = {"accepted": ["Japón", "Japon", "japón ", "Nippon"]}
        described = describe_result({"kind": "fillin", "spec": {}}, texts, {"response": "China"}, True)
        assert described["right"] == ["Japón o Nippon"]
