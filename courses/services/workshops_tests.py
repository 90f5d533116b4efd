"""Pre-test and post-test: taken online during the workshop (the modules' quiz engine draws, parses and
grades the questions) or entered by a trainer from the paper sheets; xAPI ``answered`` per question and
``passed``/``failed`` per test, with the event as grouping activity; the results page's figures (gain per
question and overall)."""

from __future__ import annotations

import random
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from courses.models_kits import TEST_PHASES, Participant, Workshop, WorkshopTestResult
from courses.services import questions as qs
from courses.services.errors import BadSubmission, CourseError, NothingAnswered
from courses.services.kits_snapshot import KitView, published_view
from courses.services.texts import content_hash
from courses.services.workshops import grouping, results_for
from lms import xapi
from lms.db import db, utcnow
from lms.models import audit

ASSESSMENT_TYPE = "assessment"
QUESTION_TYPE = "question"


def test_iri(workshop: Workshop, phase: str) -> str:
    return xapi.activity_iri("workshop", workshop.uuid, f"{phase}-test")


def question_iri(workshop: Workshop, phase: str, question_uuid: str) -> str:
    return xapi.activity_iri("workshop", workshop.uuid, f"{phase}-test", "question", question_uuid)


def kit_view(workshop: Workshop, language: str) -> KitView:
    """The kit version the workshop delivers (its test is what participants answer)."""
    view = published_view(workshop.kit, language, workshop.kit_version)
    if view is None:
        raise CourseError(_("The kit version of this workshop is missing."))
    return view


def phase_label(phase: str) -> str:
    return _("pre-test") if phase == "pre" else _("post-test")


def _check_phase(phase: str) -> None:
    if phase not in TEST_PHASES:
        raise CourseError(_("Unknown test."))


def result_of(participant: Participant, phase: str) -> WorkshopTestResult | None:
    return db.session.scalar(select(WorkshopTestResult).filter_by(participant_id=participant.id, phase=phase))


def results_by_participant(workshop: Workshop) -> dict[tuple[int, str], WorkshopTestResult]:
    return {(r.participant_id, r.phase): r for r in results_for(workshop)}


# Online -------------------------------------------------------------------------------------------------


def start_test(participant: Participant, phase: str, language: str) -> WorkshopTestResult:
    """Start (or continue) the participant's online test: every question, options shuffled."""
    _check_phase(phase)
    workshop = participant.workshop
    existing = result_of(participant, phase)
    if existing is not None:
        if existing.submitted_dt is not None:
            raise CourseError(_("You have already taken the %(test)s.", test=phase_label(phase)))
        return existing
    if workshop.is_cancelled or not workshop.is_test_open(phase):
        raise CourseError(
            _(
                "The %(test)s is not open; the facilitator opens it during the workshop.",
                test=phase_label(phase),
            )
        )
    view = kit_view(workshop, language)
    rng = random.Random(secrets.randbits(64))
    result = WorkshopTestResult(
        participant=participant,
        phase=phase,
        mode="online",
        language=view.language,
        drawn=[qs.draw_question(q, shuffle=True, rng=rng) for q in view.s["questions"]],
    )
    db.session.add(result)
    db.session.flush()
    return result


def submit_test(
    participant: Participant, result: WorkshopTestResult, form: dict[str, list[str]]
) -> WorkshopTestResult:
    """Grade an online test from the posted form exactly once (the same sheet posted twice is graded
    once; a tampered or foreign sheet is refused and records nothing; answers the participant can
    correct raise :class:`UnclearAnswer` naming every one, and questions left unanswered
    :class:`SomeUnanswered` until the participant submits as it is; both record nothing)."""
    if result.participant_id != participant.id or result.mode != "online":
        raise BadSubmission(_("This answer sheet belongs to someone else."))
    if form.get("result", []) != [result.uuid]:
        raise BadSubmission(_("This answer sheet belongs to another test."))
    view = kit_view(participant.workshop, result.language)
    questions = {q["uuid"]: q for q in view.s["questions"]}
    drawn = {d["uuid"]: d for d in result.drawn}
    for name in form:
        if name.startswith("q_") and name[2:38] not in drawn:
            raise BadSubmission(_("The answers do not belong to this test."))
    if any(uuid not in questions for uuid in drawn):
        raise BadSubmission(_("This test changed; ask the facilitator."))
    responses = qs.parse_sheet(questions, drawn, form)
    digest = content_hash(responses)
    if result.submitted_dt is not None:
        if result.submission_hash == digest:
            return result
        raise BadSubmission(_("This test was already submitted."))
    if not participant.workshop.is_test_open(result.phase):
        raise CourseError(_("The %(test)s is closed.", test=phase_label(result.phase)))
    if qs.nothing_answered(drawn, form):
        # Each participant takes a test once: a blank sheet sent by mistake would lose their only try.
        raise NothingAnswered(_("Answer at least one question before submitting the test."))
    qs.confirm_unanswered(drawn, form, responses)
    claimed = db.session.execute(
        update(WorkshopTestResult)
        .where(WorkshopTestResult.id == result.id, WorkshopTestResult.submitted_dt.is_(None))
        .values(submitted_dt=utcnow(), submission_hash=digest)
    ).rowcount
    db.session.refresh(result)
    if not claimed:
        if result.submission_hash == digest:
            return result
        raise BadSubmission(_("This test was already submitted."))
    outcomes = {}
    for uuid, response in responses.items():
        q = questions[uuid]
        texts, _shown, _fallback = view.texts(q["texts"])
        outcomes[uuid] = qs.grade(q, texts, response, source_texts=q["texts"].get(view.source_language, {}))
    result.responses = responses
    _finish(participant, result, view, outcomes)
    return result


# Paper --------------------------------------------------------------------------------------------------


def enter_paper(
    actor,
    participant: Participant,
    phase: str,
    marks: dict[str, bool | None],
    language: str,
    *,
    blank_sheet: bool = False,
) -> WorkshopTestResult:
    """Record a paper test as marked by the trainer: ``marks`` maps each question UUID to True (correct),
    False (wrong) or None (not answered). Replaces an earlier paper entry (a correction); refuses when the
    participant took that test online. A sheet with no answer marked is refused unless ``blank_sheet``
    says the participant handed it in blank (it records 0): saving an unmarked form by mistake would
    otherwise replace a result with 0."""
    _check_phase(phase)
    if not blank_sheet and all(mark is None for mark in marks.values()):
        raise CourseError(
            _(
                "No answer is marked. If the participant handed in a blank sheet, tick "
                "“The sheet was handed in blank”."
            )
        )
    workshop = participant.workshop
    if workshop.is_cancelled:
        raise CourseError(_("This workshop is cancelled."))
    view = kit_view(workshop, language)
    questions = {q["uuid"]: q for q in view.s["questions"]}
    unknown = set(marks) - set(questions)
    if unknown:
        raise CourseError(_("The marks name questions that are not in this test."))
    result = result_of(participant, phase)
    if result is not None and result.mode == "online":
        raise CourseError(
            _(
                "%(name)s took the %(test)s online; it cannot be replaced by a paper result.",
                name=participant.user.name,
                test=phase_label(phase),
            )
        )
    if result is None:
        result = WorkshopTestResult(
            participant=participant, phase=phase, mode="paper", language=view.language
        )
        db.session.add(result)
    result.language = view.language
    result.entered_by_id = actor.id if actor is not None else None
    result.submitted_dt = utcnow()
    result.responses = {}
    outcomes = {}
    for uuid, q in questions.items():
        points = float(q.get("points", 1))
        correct = marks.get(uuid) is True
        outcomes[uuid] = {
            "correct": correct,
            "score": points if correct else 0.0,
            "max": points,
            "response": None,
            "answered": marks.get(uuid) is not None,
        }
    db.session.flush()
    _finish(participant, result, view, outcomes)
    audit(
        actor,
        "courses.workshop_paper_test",
        "workshop",
        workshop.uuid,
        participant=participant.uuid,
        phase=phase,
    )
    return result


def _finish(participant: Participant, result: WorkshopTestResult, view: KitView, outcomes: dict) -> None:
    """Score the test and record its statements (answered per question, then passed or failed)."""
    workshop, phase, user = participant.workshop, result.phase, participant.user
    parent = test_iri(workshop, phase)
    groups = grouping(workshop)
    questions = {q["uuid"]: q for q in view.s["questions"]}
    raw = maximum = 0.0
    for uuid, outcome in outcomes.items():
        raw += outcome["score"]
        maximum += outcome["max"]
        if outcome.get("answered") is False:
            continue
        q = questions[uuid]
        texts, shown, _fallback = view.texts(q["texts"])
        stmt_result = {
            "success": outcome["correct"],
            "score": {"raw": outcome["score"], "min": 0, "max": outcome["max"]},
        }
        if result.mode == "online":
            stmt_result["response"] = qs.response_string(q, outcome.get("response"), key=False)
        xapi.record_statement(
            user=user,
            verb="answered",
            activity_id=question_iri(workshop, phase, uuid),
            activity_type=QUESTION_TYPE,
            activity_name={shown: (texts.get("prompt") or "")[:500]},
            # Without the answers: the participant takes the same questions again in the post-test (and
            # reads these statements in their data export before it).
            activity_extra=qs.interaction(q, texts, shown, key=False),
            result=stmt_result,
            registration=participant.uuid,
            parents=[parent],
            grouping=groups,
            language=result.language,
        )
    scaled = round(raw / maximum, 4) if maximum else 0.0
    passed = scaled * 100 + 1e-9 >= int(view.s.get("pass_mark", 0))
    # "answered" (paper entries) lets a correction show an unanswered question as such, not as wrong.
    kept = ("correct", "score", "max", "answered")
    result.results = {u: {k: o[k] for k in kept if k in o} for u, o in outcomes.items()}
    result.score_raw, result.score_max, result.score_scaled, result.is_passed = raw, maximum, scaled, passed
    xapi.record_statement(
        user=user,
        verb="passed" if passed else "failed",
        activity_id=parent,
        activity_type=ASSESSMENT_TYPE,
        activity_name={view.shown: f"{view.title} — {phase_label(phase)}"},
        result={
            "score": {"scaled": scaled, "raw": raw, "min": 0, "max": maximum},
            "success": passed,
            "completion": True,
        },
        registration=participant.uuid,
        grouping=groups,
        language=result.language,
        extensions={xapi_mode_extension(): result.mode},
    )
    db.session.flush()


def xapi_mode_extension() -> str:
    from lms.xapi.platform import extension_iri

    return extension_iri("workshop-test-mode")


# Results ------------------------------------------------------------------------------------------------


def tested_counts(workshop: Workshop) -> dict[str, int]:
    """How many participants submitted each test (phase -> number): the ``pre_n`` and ``post_n`` of
    :func:`summary`, counted in SQL."""
    rows = db.session.execute(
        select(WorkshopTestResult.phase, func.count(WorkshopTestResult.id))
        .join(Participant)
        .where(Participant.workshop_id == workshop.id, WorkshopTestResult.submitted_dt.is_not(None))
        .group_by(WorkshopTestResult.phase)
    )
    return dict.fromkeys(TEST_PHASES, 0) | {phase: n for phase, n in rows if phase in TEST_PHASES}


def summary(workshop: Workshop, language: str, view: KitView | None = None) -> dict:
    """Gain per question and overall. Per question: the share of participants answering correctly in
    the pre-test and in the post-test and the difference (percentage points). Overall: the mean scores,
    their difference, and the mean individual gain of those who took both tests. ``view``: the
    workshop's :func:`kit_view` in ``language``, when the caller has it. Reads only the submitted
    results' marks and scores (not the questions drawn nor the answers given)."""
    view = view or kit_view(workshop, language)
    results = db.session.execute(
        select(
            WorkshopTestResult.participant_id,
            WorkshopTestResult.phase,
            WorkshopTestResult.results,
            WorkshopTestResult.score_scaled,
            WorkshopTestResult.is_passed,
        )
        .join(Participant)
        .where(Participant.workshop_id == workshop.id, WorkshopTestResult.submitted_dt.is_not(None))
    ).all()
    by_phase = {phase: [r for r in results if r.phase == phase] for phase in TEST_PHASES}
    rows = []
    for n, q in enumerate(view.parts("question"), start=1):
        cells = {}
        for phase, items in by_phase.items():
            marks = [r.results[q["uuid"]]["correct"] for r in items if q["uuid"] in (r.results or {})]
            cells[phase] = (round(100 * sum(marks) / len(marks)) if marks else None, len(marks))
        pre, post = cells["pre"][0], cells["post"][0]
        rows.append(
            {
                "n": n,
                "uuid": q["uuid"],
                "prompt": q["t"].get("prompt", ""),
                "shown": q["shown"],
                "pre": pre,
                "pre_n": cells["pre"][1],
                "post": post,
                "post_n": cells["post"][1],
                "gain": post - pre if pre is not None and post is not None else None,
            }
        )

    def mean(values):
        return round(100 * sum(values) / len(values)) if values else None

    pre_scores = {r.participant_id: r.score_scaled for r in by_phase["pre"]}
    post_scores = {r.participant_id: r.score_scaled for r in by_phase["post"]}
    paired = [post_scores[p] - pre_scores[p] for p in pre_scores if p in post_scores]
    pre_mean, post_mean = mean(list(pre_scores.values())), mean(list(post_scores.values()))
    return {
        "questions": rows,
        "pre_mean": pre_mean,
        "post_mean": post_mean,
        "pre_n": len(pre_scores),
        "post_n": len(post_scores),
        "gain": post_mean - pre_mean if pre_mean is not None and post_mean is not None else None,
        "paired_n": len(paired),
        "paired_gain": mean(paired),
        "passed": {phase: sum(1 for r in items if r.is_passed) for phase, items in by_phase.items()},
    }
