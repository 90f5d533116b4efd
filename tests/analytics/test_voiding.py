"""A voided statement is taken out of every rollup it fed, on the next incremental run: for each rollup
family, the rollups after voiding equal the rollups of the same statements without the voided one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from analytics import synth
from analytics.models import ROLLUP_TABLES, ActiveActor, DirtyScope, MonthlyCount, Snapshot, VideoMinute
from lms.db import db
from tests.analytics.conftest import T0

SEG = "https://w3id.org/xapi/video/extensions/played-segments"
LEN = "https://w3id.org/xapi/video/extensions/length"
LEVELS = "http://lms.test/xapi/extensions/levels"
VOIDER = "admin"
SKIP_COLUMNS = {"id", "updated_dt"}


def rollups() -> dict:
    """Every rollup table's rows (but ids, timestamps of computation, zero counters left by a take-back
    and the voiding admin's own activity), comparable with ``==``."""
    from analytics.synth import agent_key

    voider = agent_key("http://lms.test", VOIDER)
    out = {}
    for model in ROLLUP_TABLES:
        if model in (DirtyScope, Snapshot):  # work queues and caches, not figures
            continue
        cols = [c for c in model.__table__.c if c.name not in SKIP_COLUMNS]
        rows = []
        for row in db.session.execute(select(*cols)):
            m = dict(row._mapping)
            if model is MonthlyCount and (m["n"] == 0 or m["verb"] == "voided"):
                continue
            if model is VideoMinute and m["viewers"] == 0:
                continue
            if model is ActiveActor and m["actor_key"] == voider:
                continue
            rows.append(tuple(sorted((k, repr(v)) for k, v in m.items())))
        out[model.__tablename__] = sorted(rows)
    return out


def _answer(actor, ok, lang="en"):
    return dict(
        verb="answered",
        activity="course/c1/quiz/final/question/q1",
        actor=actor,
        language=lang,
        result={"success": ok, "response": "a" if ok else "b"},
        definition={
            "name": {"en": "Question 1"},
            "interactionType": "choice",
            "correctResponsesPattern": ["a"],
            "choices": [{"id": c, "description": {"en": f"Choice {c}"}} for c in "ab"],
        },
    )


def _view(actor, segments, session):
    return dict(
        verb="paused",
        activity="webinar/w1/recording",
        actor=actor,
        context_extensions={LEN: 600},
        result={"extensions": {SEG: segments}},
        registration=session,
    )


def _submission(actor, cc, level, day):
    return dict(
        verb="submitted",
        activity="readiness/q1",
        actor=actor,
        country=cc,
        ts=T0 + timedelta(days=day),
        result={"extensions": {LEVELS: {"skills": level}}},
    )


COURSE = [
    dict(verb="registered", activity="course/c1", actor="a1"),
    dict(verb="experienced", activity="course/c1/lesson/l0", actor="a1"),
    dict(verb="registered", activity="course/c1", actor="a2", language="fr"),
]
SESSION = "6f1c2a1e-0000-4000-8000-000000000001"
# family -> (statements kept, the statement that is voided)
FAMILIES = {
    "monthly counts and completions": (
        COURSE,
        dict(verb="completed", activity="course/c1", actor="a1", result={"completion": True}),
    ),
    "active learners (their only statement)": (
        COURSE,
        dict(verb="experienced", activity="course/c1/lesson/l1", actor="a3", ts=T0 + timedelta(days=40)),
    ),
    "learner progress and where learners stop": (
        COURSE,
        dict(verb="experienced", activity="course/c1/lesson/l2", actor="a1", ts=T0 + timedelta(hours=2)),
    ),
    "quiz item responses and statistics": (
        [*COURSE, _answer("a1", True), _answer("a2", False, "fr")],
        _answer("a3", True),
    ),
    "a quiz answer that was the learner's first": (
        [*COURSE, _answer("a2", False, "fr")],
        {**_answer("a2", True, "fr"), "ts": T0 - timedelta(days=1)},
    ),
    "webinar viewers, minutes watched and sessions": (
        [_view("v1", "0[.]180", SESSION)],
        _view("v2", "0[.]400", "6f1c2a1e-0000-4000-8000-000000000002"),
    ),
    "minutes of a viewer who also watched other parts": (
        [_view("v1", "0[.]180", SESSION)],
        _view("v1", "300[.]420", SESSION),
    ),
    "workshop attendance and pre/post gains": (
        [
            dict(verb="attended", activity="kit/k1", actor="p1"),
            dict(verb="scored", activity="kit/k1/pre-test", actor="p1", result={"score": {"scaled": 0.4}}),
        ],
        dict(verb="scored", activity="kit/k1/post-test", actor="p1", result={"score": {"scaled": 0.9}}),
    ),
    "readiness: a country's latest assessment": (
        [_submission("fp-sn", "SN", 2, 0), _submission("fp-ke", "KE", 3, 0)],
        _submission("fp-sn", "SN", 4, 30),
    ),
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_voiding_takes_the_statement_out_of_every_rollup(add_statements, rollup, family):
    kept, voided = FAMILIES[family]
    add_statements(kept)
    rollup()
    without = rollups()

    target = add_statements([voided])[0]
    rollup()
    assert rollups() != without, "the statement to void must feed the rollups (else the test proves nothing)"

    synth.void([target["statement_id"]])  # what the LRS does when it stores the voiding statement
    add_statements([dict(verb="voided", object_statement_id=target["statement_id"], actor=VOIDER)])
    result = rollup()
    assert result.processed == 1
    assert rollups() == without


def test_voiding_and_the_voided_statement_in_one_batch_and_rebuild_agree(add_statements, rollup):
    from analytics.rollup import rebuild

    add_statements(COURSE)
    target = add_statements([dict(verb="completed", activity="course/c1", actor="a1")])[0]
    synth.void([target["statement_id"]])
    add_statements([dict(verb="voided", object_statement_id=target["statement_id"], actor=VOIDER)])
    rollup()
    incremental = rollups()
    rebuild(settle_seconds=0)
    db.session.expire_all()
    assert rollups() == incremental
    assert not any("completed" in str(r) for r in incremental["analytics_monthly"])
