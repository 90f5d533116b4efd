"""Quizzes: server-side grading of every question type, answers never sent before submission,
tampered / replayed / cross-attempt submissions refused, double submits recorded once, limits, banks."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import build_course, statements
from tests.courses.test_learning import right_answers


@pytest.fixture
def enrolled(client, course, learner, login):
    login(learner)
    assert client.post("/courses/basics/enrol").status_code == 302
    return course


def _start(client, quiz="check"):
    from courses.models import QuizAttempt

    resp = client.post(f"/courses/basics/learn/{quiz}/attempts")
    assert resp.status_code == 302, resp.data[:300]
    url = resp.headers["Location"]
    html = client.get(url).get_data(as_text=True)
    return db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc())), url, html


def _one_wrong_answer(attempt) -> dict:
    """A sheet that answers only the choice question, wrongly (2013), sent as it is: graded, and
    failed."""
    choice = next(d for d in attempt.drawn if d["tokens"])
    by_id = {v: k for k, v in choice["tokens"].items()}
    return {"attempt": attempt.uuid, f"q_{choice['uuid']}": by_id["a"], "unanswered": "submit"}


def test_answers_are_not_in_the_page_and_grading_is_on_the_server(client, enrolled):
    attempt, url, html = _start(client)
    # Option ids and the correct flags never reach the browser: only per-attempt tokens do.
    assert 'value="b"' not in html and "correct" not in html.lower().replace("every correct answer", "")
    assert "mercury" not in html.lower().replace("minamata convention on mercury", "")
    data = right_answers(attempt, html)
    resp = client.post(url, data=data)
    assert resp.status_code == 303
    db.session.refresh(attempt)
    assert attempt.is_passed and attempt.score_scaled == 1.0
    answered = statements("answered")
    assert len(answered) == 3
    assert {s.registration for s in answered} == {attempt.enrolment.uuid}
    kinds = {s.data["object"]["definition"]["interactionType"] for s in answered}
    assert kinds == {"choice", "true-false", "fill-in"}
    choice = next(s for s in answered if s.data["object"]["definition"]["interactionType"] == "choice")
    assert choice.data["object"]["definition"]["correctResponsesPattern"] == ["b"]
    assert choice.data["result"]["response"] == "b" and choice.result_success is True
    passed = statements("passed")
    assert len(passed) == 1 and passed[0].result_score_scaled == 1.0
    html = client.get(f"{url}/result").get_data(as_text=True)
    assert "You passed this quiz." in html and "100%" in html


def test_wrong_answers_fail_with_feedback(client, enrolled):
    attempt, url, html = _start(client)
    data = {"attempt": attempt.uuid}
    for drawn in attempt.drawn:
        by_id = {v: k for k, v in drawn["tokens"].items()}
        name = f"q_{drawn['uuid']}"
        if "a" in by_id:
            data[name] = by_id["a"]  # 2013: wrong, with per-option feedback
        elif name + '-t"' in html:
            data[name] = "false"
        else:
            data[name] = "lead"
    assert client.post(url, data=data).status_code == 303
    db.session.refresh(attempt)
    assert attempt.is_passed is False and attempt.score_scaled == 0.0
    failed = statements("failed")
    assert len(failed) == 1 and failed[0].result_success is False and failed[0].result_score_scaled == 0.0
    html = client.get(f"{url}/result").get_data(as_text=True)
    assert "That is the year of <strong>adoption</strong>." in html
    assert "Correct answer<" not in html  # attempts are unlimited: answers are not given away
    assert "Try again" in html


def test_double_submit_records_once_and_replay_is_refused(client, enrolled):
    attempt, url, html = _start(client)
    data = right_answers(attempt, html)
    assert client.post(url, data=data).status_code == 303
    assert client.post(url, data=data).status_code == 303  # the same sheet again: no new records
    assert len(statements("answered")) == 3 and len(statements("passed")) == 1
    changed = dict(data)
    key = next(k for k in changed if k.startswith("q_") and changed[k] in ("true",))
    changed[key] = "false"
    resp = client.post(url, data=changed)
    assert resp.status_code == 400 and "already submitted" in resp.get_data(as_text=True)
    assert len(statements("answered")) == 3


def test_tampered_submissions_get_400_and_record_nothing(client, enrolled):
    from courses.models import QuizAttempt

    attempt, url, html = _start(client)
    good = right_answers(attempt, html)
    choice = next(d for d in attempt.drawn if d["tokens"])
    name = f"q_{choice['uuid']}"
    cases = [
        dict(good, **{name: "b"}),  # a raw option id instead of a token
        dict(good, **{name: "deadbeef"}),  # an unknown token
        dict(good, **{"q_00000000-0000-0000-0000-000000000000": "x"}),  # a question not drawn
        dict(good, attempt="someone-elses-attempt"),  # cross-attempt sheet
        {k: v for k, v in good.items() if k != "attempt"},
    ]
    tf = next(d for d in attempt.drawn if f'q_{d["uuid"]}-t"' in html)
    cases.append(dict(good, **{f"q_{tf['uuid']}": "maybe"}))
    for data in cases:
        resp = client.post(url, data=data)
        assert resp.status_code == 400, data
    assert statements("answered") == [] and statements("passed") == []
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).submitted_dt is None


def test_a_sheet_from_another_attempt_is_refused(client, trainer, enrolled):
    from courses.services import authoring_quiz, publishing

    quiz = next(i for u in enrolled.units for i in u.items if i.slug == "check")
    authoring_quiz.update_quiz(
        trainer,
        quiz,
        slug="check",
        title="Check",
        intro="",
        pass_mark=60,
        max_attempts=0,
        shuffle=True,
        draw=0,
        required=True,
        minutes=5,
    )
    publishing.publish(trainer, enrolled)
    db.session.commit()
    first, url1, html1 = _start(client)
    sheet1 = right_answers(first, html1)
    client.post(url1, data=_one_wrong_answer(first))  # attempt 1 fails
    second, url2, _html2 = _start(client)
    assert second.uuid != first.uuid
    resp = client.post(url2, data=sheet1)  # attempt 1's sheet posted to attempt 2
    assert resp.status_code == 400
    db.session.refresh(second)
    assert second.submitted_dt is None


def _fail_the_only_attempt(client, trainer, learner, login) -> str:
    """A course whose quiz allows one attempt, failed by ``learner``: the attempt's address."""
    build_course(trainer, slug="basics", max_attempts=1)
    login(learner)
    client.post("/courses/basics/enrol")
    attempt, url, _html = _start(client)
    assert client.post(url, data=_one_wrong_answer(attempt)).status_code == 303
    return url


def test_attempt_limit(client, trainer, learner, login):
    url = _fail_the_only_attempt(client, trainer, learner, login)
    resp = client.post("/courses/basics/learn/check/attempts", follow_redirects=True)
    assert "You have used all your attempts at this quiz." in resp.get_data(as_text=True)
    from courses.models import QuizAttempt

    assert len(db.session.scalars(select(QuizAttempt)).all()) == 1
    html = client.get(f"{url}/result").get_data(as_text=True)
    assert "<strong>Correct answer</strong>: " in html  # no attempts left: the answers are shown


def test_a_blank_sheet_is_refused_and_uses_no_attempt(client, trainer, learner, login):
    from courses.models import Enrolment, QuizAttempt
    from courses.models_learning import ItemProgress

    build_course(trainer, slug="basics", max_attempts=1)
    login(learner)
    client.post("/courses/basics/enrol")
    attempt, url, html = _start(client)
    enrolment = db.session.scalar(select(Enrolment))

    def progress():
        return [
            (p.item_uuid, p.done_dt)
            for p in db.session.scalars(select(ItemProgress).order_by(ItemProgress.id))
        ]

    progress_before, recorded_before = progress(), len(statements())
    fillin = next(d for d in attempt.drawn if not d["tokens"] and f'q_{d["uuid"]}-t"' not in html)
    # Posted with no field at all, or with the text answer left as spaces: either way nothing is answered.
    for data in ({"attempt": attempt.uuid}, {"attempt": attempt.uuid, f"q_{fillin['uuid']}": "   "}):
        resp = client.post(url, data=data)
        page = resp.get_data(as_text=True)
        assert resp.status_code == 400
        summary = page.index('class="error-summary"')
        assert summary < page.index('class="quiz"')  # the reason comes before the sheet
        assert "Answer at least one question before submitting the quiz." in page[summary:]
        assert "Question 1 of 3" in page  # the sheet is there to answer
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).submitted_dt is None
    assert len(statements()) == recorded_before
    assert progress() == progress_before
    assert db.session.get(Enrolment, enrolment.id).completed_dt is None
    assert "Attempts left: 1" in client.get("/courses/basics/learn/check").get_data(as_text=True)
    # One answer is enough: the same attempt is then graded as before.
    assert client.post(url, data=_one_wrong_answer(attempt)).status_code == 303
    db.session.expire_all()
    graded = db.session.get(QuizAttempt, attempt.id)
    assert graded.submitted_dt is not None and graded.is_passed is False
    assert len(statements("failed")) == 1


def test_questions_left_unanswered_are_named_before_an_attempt_is_spent(client, trainer, learner, login):
    """Submitting spends one of the attempts: a sheet with some questions unanswered comes back with
    them named (nothing recorded, answers kept) until the learner submits it as it is."""
    from courses.models import QuizAttempt

    build_course(trainer, slug="basics", max_attempts=1)
    login(learner)
    client.post("/courses/basics/enrol")
    attempt, url, _html = _start(client)
    recorded_before = len(statements())
    sheet = _one_wrong_answer(attempt)
    del sheet["unanswered"]
    resp = client.post(url, data=sheet)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    summary = page[page.index('class="error-summary"') : page.index('class="quiz"')]
    assert "2 questions have no full answer. Answer them, or submit your answers as they are." in summary
    answered = next(n for n, d in enumerate(attempt.drawn, start=1) if d["tokens"])
    named = sorted(int(n) for n in re.findall(r'href="#question-(\d+)"', summary))
    assert named == [n for n in (1, 2, 3) if n != answered] and summary.count("Not answered.") == 2
    choice = next(d for d in attempt.drawn if d["tokens"])
    picked = sheet["q_" + choice["uuid"]]
    assert f'value="{picked}" checked' in page  # the answer given is kept
    assert '<button type="submit" name="unanswered" value="submit"' in page
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).submitted_dt is None
    assert len(statements()) == recorded_before
    assert "Attempts left: 1" in client.get("/courses/basics/learn/check").get_data(as_text=True)
    # As it is: graded.
    assert client.post(url, data={**sheet, "unanswered": "submit"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).submitted_dt is not None
    assert len(statements("failed")) == 1


def test_a_partly_placed_ordering_or_matching_is_no_full_answer():
    from courses.services.questions import unanswered

    drawn = {"m": {"sources": ["s1", "s2"]}, "o": {}, "c": {}, "f": {}}
    form = {"q_o_t1": ["1"], "q_o_t2": [""], "q_c": [], "q_f": ["2017"]}
    responses = {"m": {"s1": "p1"}, "o": None, "c": [], "f": "2017"}
    assert unanswered(drawn, form, responses) == {
        "m": "Not every item is matched.",
        "o": "Not every step has a place.",
        "c": "Not answered.",
    }


def test_false_is_an_answer_and_blanks_are_not():
    from courses.services.questions import nothing_answered

    drawn = {"a": {}, "b": {}}
    assert nothing_answered(drawn, {"csrf_token": ["t"], "attempt": ["x"], "q_a": [""], "q_b": ["  "]})
    assert not nothing_answered(drawn, {"q_a": ["false"]})  # "False" picked on a true/false question
    assert not nothing_answered(drawn, {"q_a_src1": ["tok"]})  # one pair matched
    # One step of an ordering question placed: not a full answer, but an answer (the sheet is graded).
    assert not nothing_answered(drawn, {"q_b_t1": ["2"], "q_b_t2": [""]})
    assert not nothing_answered({}, {})  # a sheet without questions has nothing to refuse


def test_question_bank_draws_per_attempt(client, trainer, learner, login):
    build_course(trainer, slug="basics", draw=2)
    login(learner)
    client.post("/courses/basics/enrol")
    attempt, url, html = _start(client)
    assert len(attempt.drawn) == 2
    assert html.count("<fieldset") == 2


def test_grading_of_every_kind():
    from courses.services import questions as qs

    def q(kind, data):
        spec, fields = qs.normalise_question(kind, dict(prompt="P", **data))
        fields.pop("points")
        return {"uuid": "u", "kind": kind, "points": 2, "spec": spec}, fields

    single, t = q(
        "single", {"options": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]}
    )
    assert qs.grade(single, t, ["a"])["correct"] and not qs.grade(single, t, ["b"])["correct"]
    multi, t = q(
        "multiple",
        {
            "options": [
                {"id": "a", "text": "A", "correct": True},
                {"id": "b", "text": "B"},
                {"id": "c", "text": "C", "correct": True},
            ]
        },
    )
    assert qs.grade(multi, t, ["a", "c"])["score"] == 2 and not qs.grade(multi, t, ["a"])["correct"]
    tf, t = q("truefalse", {"answer": "false"})
    assert qs.grade(tf, t, False)["correct"] and not qs.grade(tf, t, None)["correct"]
    num, t = q("numeric", {"answer": "128", "tolerance": "0,5"})
    assert qs.grade(num, t, "128,4")["correct"] and qs.grade(num, t, "127.5")["correct"]
    assert not qs.grade(num, t, "129")["correct"] and not qs.grade(num, t, "abc")["correct"]
    assert qs.interaction(num, t, "en")["correctResponsesPattern"] == ["127.5[:]128.5"]
    fill, t = q("fillin", {"accepted": "Mercury\nHg"})
    assert qs.grade(fill, t, "  mercury. ")["correct"] and qs.grade(fill, t, "HG")["correct"]
    assert not qs.grade(fill, t, "lead")["correct"]
    fr = {"accepted": ["mercure"]}
    assert (
        qs.grade(fill, fr, "Mercure", source_texts=t)["correct"]
        and qs.grade(fill, fr, "mercury", source_texts=t)["correct"]
    )
    match, t = q(
        "matching",
        {
            "pairs": [
                {"id": "p1", "source": "Art. 3", "target": "Supply"},
                {"id": "p2", "source": "Art. 8", "target": "Emissions"},
            ]
        },
    )
    assert qs.grade(match, t, {"p1": "p1", "p2": "p2"})["correct"]
    assert not qs.grade(match, t, {"p1": "p2", "p2": "p1"})["correct"]
    assert qs.interaction(match, t, "en")["correctResponsesPattern"] == ["p1[.]p1_t[,]p2[.]p2_t"]
    order, t = q(
        "ordering",
        {"items": [{"id": "s1", "text": "One"}, {"id": "s2", "text": "Two"}, {"id": "s3", "text": "Three"}]},
    )
    assert (
        qs.grade(order, t, ["s1", "s2", "s3"])["correct"]
        and not qs.grade(order, t, ["s2", "s1", "s3"])["correct"]
    )
    assert qs.interaction(order, t, "en")["interactionType"] == "sequencing"


def test_ordering_and_matching_forms_round_trip():
    from courses.services import questions as qs
    from courses.services.errors import BadSubmission, UnclearAnswer

    spec, fields = qs.normalise_question(
        "ordering",
        {
            "prompt": "P",
            "items": [
                {"id": "s1", "text": "One"},
                {"id": "s2", "text": "Two"},
                {"id": "s3", "text": "Three"},
            ],
        },
    )
    question = {"uuid": "u" * 36, "kind": "ordering", "points": 1, "spec": spec}
    drawn = qs.draw_question(question, shuffle=False)
    assert [drawn["tokens"][t] for t in drawn["order"]] != ["s1", "s2", "s3"]  # never shown solved
    by_id = {v: k for k, v in drawn["tokens"].items()}
    form = {f"q_{'u' * 36}_{by_id[s]}": [str(n)] for n, s in enumerate(["s1", "s2", "s3"], start=1)}
    assert qs.parse_response(question, drawn, form) == ["s1", "s2", "s3"]
    form[f"q_{'u' * 36}_{by_id['s3']}"] = ["1"]  # two steps in place 1: refused with the reason
    with pytest.raises(UnclearAnswer, match="same place"):
        qs.parse_response(question, drawn, form)
    del form[f"q_{'u' * 36}_{by_id['s3']}"]  # a step left without a place: not a full answer
    assert qs.parse_response(question, drawn, form) is None
    form[f"q_{'u' * 36}_{by_id['s3']}"] = ["9"]
    with pytest.raises(BadSubmission):
        qs.parse_response(question, drawn, form)


@pytest.mark.parametrize(
    "kind,data,reason",
    [
        (
            "single",
            {"options": [{"text": "A", "correct": True}, {"text": "B", "correct": True}]},
            "exactly one",
        ),
        ("multiple", {"options": [{"text": "A"}, {"text": "B"}]}, "at least one correct"),
        ("numeric", {"answer": "many"}, "must be a number"),
        ("fillin", {"accepted": ""}, "accepted answer"),
        ("matching", {"pairs": [{"source": "x", "target": "y"}]}, "two complete pairs"),
        ("truefalse", {}, "true or false"),
        ("essay", {}, "Unknown question type"),
    ],
)
def test_invalid_questions_are_refused_with_a_reason(kind, data, reason):
    from courses.services import questions as qs
    from courses.services.errors import CourseError

    with pytest.raises(CourseError, match=reason):
        qs.normalise_question(kind, dict(prompt="P", **data))


@pytest.mark.parametrize(
    ("lang", "label", "alternatives"),
    [
        ("en", "<strong>Correct answer</strong>: ", "mercury or Hg"),
        ("zh", "<strong>正确答案</strong>：m", "mercury或Hg"),
    ],
)
def test_result_lists_answers_the_readers_way(client, trainer, learner, login, lang, label, alternatives):
    # The accepted spellings of a fill-in answer are alternatives ("mercury or Hg"), written with the
    # reader's own list words and punctuation, not glued with an English "; ".
    build_course(trainer, slug="basics", max_attempts=1)
    login(learner)
    client.post("/courses/basics/enrol")
    attempt, url, _html = _start(client)
    assert client.post(url, data=_one_wrong_answer(attempt)).status_code == 303
    client.get(f"/language/{lang}")
    html = client.get(f"{url}/result").get_data(as_text=True)
    assert label in html
    assert alternatives in html and "mercury; Hg" not in html
    if lang == "zh":  # a full-width colon takes no space after it
        assert '<h1>结果：<span lang="en" dir="ltr">Check your knowledge</span></h1>' in html
        assert "： " not in html


@pytest.mark.parametrize(("draw", "warned"), [(2, False), (9, True)])
def test_the_quiz_page_says_when_it_draws_more_questions_than_it_has(client, trainer, login, draw, warned):
    from courses.models import Item

    course = build_course(trainer, slug="basics", publish=False, draw=draw)
    quiz = db.session.scalar(select(Item).filter_by(kind="quiz", course_id=course.id))
    login(trainer)
    html = client.get(f"/courses/manage/basics/quizzes/{quiz.uuid}").get_data(as_text=True)
    notice = f"Questions drawn per attempt: 9, but the quiz has only {len(quiz.questions)} questions."
    assert (notice in html) is warned
    assert ("the module cannot be published until then" in html) is warned


def test_an_attempt_left_unsubmitted_is_continued_not_tried_again(client, enrolled):
    """Leaving a quiz half-answered, the quiz page offers to continue it, not to "try again"."""
    attempt, url, _html = _start(client)
    html = client.get("/courses/basics/learn/check").get_data(as_text=True)
    assert "not submitted" in html
    assert ">Continue</button>" in html and "Try again" not in html
    resp = client.post("/courses/basics/learn/check/attempts")
    assert resp.headers["Location"].endswith(attempt.uuid)
    assert client.post(url, data=_one_wrong_answer(attempt)).status_code == 303
    html = client.get("/courses/basics/learn/check").get_data(as_text=True)
    assert "Try again" in html and ">Continue</button>" not in html


def _definitions() -> list[dict]:
    return [s.data["object"]["definition"] for s in statements("answered")]


def test_the_answers_reach_the_statements_only_when_the_result_page_shows_them(client, enrolled):
    """A failed attempt with another to come keeps the answers out of its statements (the learner reads
    them in their data export); a passed attempt, or the last one, carries them."""
    attempt, url, _html = _start(client)
    assert client.post(url, data=_one_wrong_answer(attempt)).status_code == 303
    assert _definitions() and all("correctResponsesPattern" not in d for d in _definitions())
    attempt, url, html = _start(client)
    assert client.post(url, data=right_answers(attempt, html)).status_code == 303
    keyed = [d for d in _definitions() if "correctResponsesPattern" in d]
    assert len(keyed) == 3 and {"b"} == {d["correctResponsesPattern"][0] for d in keyed if "choices" in d}


def test_the_last_attempt_carries_the_answers(client, trainer, learner, login):
    _fail_the_only_attempt(client, trainer, learner, login)
    assert _definitions() and all("correctResponsesPattern" in d for d in _definitions())
