"""Quiz attempts: start (draw the questions, fix their order), submit (grade on the server exactly once),
results. Tampered, replayed or cross-attempt submissions raise :class:`BadSubmission` and record
nothing; answers the learner can correct raise :class:`UnclearAnswer`, and a sheet with no answer at all
:class:`NothingAnswered` (nothing recorded either, no attempt used), and one with some questions
without a full answer :class:`SomeUnanswered` until the learner says to submit it as it is; the same
submission posted twice is graded once."""

from __future__ import annotations

import random
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from courses.models import QuizAttempt
from courses.services import learning
from courses.services import questions as qs
from courses.services.errors import BadSubmission, CourseError, NothingAnswered
from courses.services.snapshot import CourseView
from courses.services.texts import content_hash
from lms import xapi
from lms.db import db, utcnow


def attempts_for(enrolment, quiz_uuid: str) -> list[QuizAttempt]:
    return list(
        db.session.scalars(
            select(QuizAttempt)
            .filter_by(enrolment_id=enrolment.id, quiz_uuid=quiz_uuid)
            .order_by(QuizAttempt.number)
        )
    )


def attempts_left(enrolment, item: dict) -> int | None:
    """Attempts the learner may still start (None = unlimited)."""
    limit = int(item["settings"].get("max_attempts") or 0)
    if not limit:
        return None
    used = sum(1 for a in attempts_for(enrolment, item["uuid"]) if a.submitted_dt is not None)
    return max(0, limit - used)


def open_attempt(enrolment, item: dict) -> QuizAttempt | None:
    return next((a for a in attempts_for(enrolment, item["uuid"]) if a.submitted_dt is None), None)


def start_attempt(user, enrolment, view: CourseView, item: dict) -> QuizAttempt:
    """Start (or continue the unfinished) attempt: draw the questions from the bank and shuffle."""
    if item["kind"] != "quiz":
        raise CourseError(_("This step is not a quiz."))
    current = open_attempt(enrolment, item)
    if current is not None:
        return current
    if attempts_left(enrolment, item) == 0:
        raise CourseError(_("You have used all your attempts at this quiz."))
    settings = item["settings"]
    rng = random.Random(secrets.randbits(64))
    questions = list(item.get("questions", []))
    draw = int(settings.get("draw") or 0)
    if draw and draw < len(questions):
        questions = rng.sample(questions, draw)
    if settings.get("shuffle"):
        rng.shuffle(questions)
    number = (
        db.session.scalar(
            select(func.max(QuizAttempt.number)).filter_by(enrolment_id=enrolment.id, quiz_uuid=item["uuid"])
        )
        or 0
    ) + 1
    attempt = QuizAttempt(
        enrolment_id=enrolment.id,
        quiz_uuid=item["uuid"],
        version_number=view.version or 0,
        number=number,
        language=view.language,
        drawn=[qs.draw_question(q, shuffle=bool(settings.get("shuffle")), rng=rng) for q in questions],
    )
    db.session.add(attempt)
    enrolment.last_item_uuid = item["uuid"]
    enrolment.last_activity_dt = utcnow()
    db.session.flush()
    return attempt


def _question_map(item: dict) -> dict[str, dict]:
    return {q["uuid"]: q for q in item.get("questions", [])}


def submit_attempt(
    user, enrolment, view: CourseView, attempt: QuizAttempt, form: dict[str, list[str]]
) -> QuizAttempt:
    """Grade ``attempt`` from the posted ``form`` (name -> list of values). ``view`` is the version the
    attempt was started on. See the module doc for refusals."""
    posted = form.get("attempt", [])
    if posted != [attempt.uuid]:
        raise BadSubmission(_("This answer sheet belongs to another attempt."))
    item = view.item_by_uuid(attempt.quiz_uuid)
    if item is None:
        raise BadSubmission(_("This quiz no longer exists."))
    questions = _question_map(item)
    drawn = {d["uuid"]: d for d in attempt.drawn}
    for name in form:
        if name.startswith("q_") and name[2:38] not in drawn:
            raise BadSubmission(_("The answers do not belong to this attempt."))
    if any(uuid not in questions for uuid in drawn):
        raise BadSubmission(_("This quiz changed; start a new attempt."))
    responses = qs.parse_sheet(questions, drawn, form)
    digest = content_hash(responses)
    if attempt.submitted_dt is not None:
        if attempt.submission_hash == digest:
            return attempt  # the same sheet posted twice: graded once
        raise BadSubmission(_("This attempt was already submitted."))
    if qs.nothing_answered(drawn, form):
        # A blank sheet is far more often a slip (Enter pressed, the wrong button) than a choice, and
        # grading it would spend one of a limited number of attempts on a 0%.
        raise NothingAnswered(_("Answer at least one question before submitting the quiz."))
    qs.confirm_unanswered(drawn, form, responses)
    now = utcnow()
    claimed = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_dt.is_(None))
        .values(submitted_dt=now, submission_hash=digest)
    ).rowcount
    db.session.refresh(attempt)
    if not claimed:
        if attempt.submission_hash == digest:
            return attempt
        raise BadSubmission(_("This attempt was already submitted."))
    _grade(user, enrolment, view, item, attempt, responses)
    return attempt


def _grade(user, enrolment, view: CourseView, item: dict, attempt: QuizAttempt, responses: dict) -> None:
    questions = _question_map(item)
    quiz_iri = learning.item_iri(view.uuid, item)
    course_iri = learning.course_iri(view.uuid)
    results, raw, maximum = {}, 0.0, 0.0
    lang = attempt.language
    graded = []
    for uuid, response in responses.items():
        question = questions[uuid]
        texts, shown, _fallback = view.texts(question["texts"])
        source = question["texts"].get(view.source_language, {})
        outcome = qs.grade(question, texts, response, source_texts=source)
        results[uuid] = outcome
        raw += outcome["score"]
        maximum += outcome["max"]
        graded.append((uuid, question, texts, shown, response, outcome))
    scaled = round(raw / maximum, 4) if maximum else 0.0
    passed = scaled * 100 + 1e-9 >= int(item["settings"].get("pass_mark", 0))
    # The answers go into the statements (which the learner reads in their data export) only when the
    # attempt's page shows them anyway (:func:`show_answers`): not before an attempt they may retake.
    key = passed or attempts_left(enrolment, item) == 0
    for uuid, question, texts, shown, response, outcome in graded:
        xapi.record_statement(
            user=user,
            verb="answered",
            activity_id=xapi.activity_iri("course", view.uuid, "quiz", item["uuid"], "question", uuid),
            activity_type=learning.INTERACTION_TYPE,
            activity_name={shown: texts.get("prompt", "")[:500]},
            activity_extra=qs.interaction(question, texts, shown, key=key),
            result={
                "success": outcome["correct"],
                "response": qs.response_string(question, response, key=key),
                "score": {"raw": outcome["score"], "min": 0, "max": outcome["max"]},
            },
            registration=enrolment.uuid,
            parents=[quiz_iri],
            grouping=[course_iri],
            language=lang,
        )
    attempt.responses = responses
    attempt.results = results
    attempt.score_raw, attempt.score_max, attempt.score_scaled, attempt.is_passed = (
        raw,
        maximum,
        scaled,
        passed,
    )
    xapi.record_statement(
        user=user,
        verb="passed" if passed else "failed",
        activity_id=quiz_iri,
        activity_type=learning.ASSESSMENT_TYPE,
        activity_name={lang: view.item_title(item)},
        result={
            "score": {"scaled": scaled, "raw": raw, "min": 0, "max": maximum},
            "success": passed,
            "completion": True,
        },
        registration=enrolment.uuid,
        parents=[course_iri],
        language=lang,
    )
    enrolment.last_activity_dt = utcnow()
    db.session.flush()
    if passed:
        learning.set_item_done(enrolment, item["uuid"])
        # Completion is judged on the version the learner sees now (their attempt may predate it).
        current = _current_view(enrolment, lang) or view
        learning.check_completion(user, enrolment, current)


def _current_view(enrolment, language: str) -> CourseView | None:
    from courses.services.publishing import published_view

    return published_view(enrolment.course, language)


def attempt_view(enrolment, attempt: QuizAttempt, language: str) -> CourseView | None:
    """The version an attempt was started on (questions are graded and shown as they were then)."""
    from courses.services.publishing import get_version, snapshot_of

    version = get_version(enrolment.course, attempt.version_number)
    if version is None:
        return None
    return CourseView(snapshot_of(version), language, version=version.number)


def show_answers(enrolment, item: dict, attempt: QuizAttempt) -> bool:
    """Correct answers are shown after a passed attempt or when no attempts are left."""
    return bool(attempt.is_passed) or attempts_left(enrolment, item) == 0
