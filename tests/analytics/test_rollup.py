"""The incremental rollup job: counts, incrementality, idempotence, the lock, crashes, voiding, rebuild."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from analytics import rollup as rollup_mod
from analytics.models import (
    ActiveActor,
    ChildReach,
    LearnerProgress,
    MonthlyCount,
    RollupState,
    VideoMinute,
    VideoSession,
    VideoStat,
)
from lms.db import db, utcnow


def monthly(verb=None, **where):
    stmt = select(func.coalesce(func.sum(MonthlyCount.n), 0))
    if verb:
        stmt = stmt.where(MonthlyCount.verb == verb)
    for k, v in where.items():
        stmt = stmt.where(getattr(MonthlyCount, k) == v)
    return db.session.scalar(stmt)


def course_path(actor, n_lessons=3, complete=True, lang="en", country="FR"):
    specs = [dict(verb="registered", activity="course/c1", actor=actor, language=lang, country=country)]
    for i in range(n_lessons):
        specs.append(
            dict(
                verb="experienced",
                activity=f"course/c1/lesson/l{i}",
                actor=actor,
                language=lang,
                country=country,
            )
        )
    if complete:
        specs.append(
            dict(
                verb="completed",
                activity="course/c1",
                actor=actor,
                language=lang,
                country=country,
                result={"completion": True},
            )
        )
    return specs


def snapshot_of_rollups():
    def rows(model, *cols):
        return sorted(tuple(r) for r in db.session.execute(select(*[getattr(model, c) for c in cols])))

    return {
        "monthly": rows(
            MonthlyCount,
            "month",
            "kind",
            "key",
            "verb",
            "language",
            "country_code",
            "n",
            "n_success",
            "n_completion",
        ),
        "active": rows(ActiveActor, "actor_key", "month", "kind", "key", "language"),
        "learners": rows(
            LearnerProgress,
            "actor_key",
            "kind",
            "key",
            "language",
            "registered_dt",
            "completed_dt",
            "last_child",
            "n_passed",
            "n_failed",
        ),
        "children": rows(ChildReach, "kind", "key", "child", "actor_key"),
    }


def test_statements_are_folded_into_counts_and_learner_progress(add_statements, rollup):
    add_statements(
        course_path("a1") + course_path("a2", n_lessons=2, complete=False, lang="es", country="MX")
    )
    result = rollup()
    assert result.processed == 8 and not result.skipped
    assert monthly("registered", kind="course", key="c1") == 2
    assert monthly("completed", kind="course", key="c1") == 1
    assert monthly("experienced@lesson") == 5
    assert monthly("registered", language="es", country_code="MX", region="grulac") == 1
    a1, a2 = db.session.scalars(select(LearnerProgress).order_by(LearnerProgress.language)).all()
    assert a1.language == "en" and a1.completed_dt is not None and a1.registered_dt is not None
    assert a2.language == "es" and a2.completed_dt is None and a2.last_child == "lesson/l1"
    assert a2.region == "grulac"
    assert db.session.scalar(select(func.count(ChildReach.id))) == 5
    assert db.session.scalar(select(func.count(func.distinct(ActiveActor.actor_key)))) == 2


def test_only_new_statements_are_read_and_a_second_run_changes_nothing(add_statements, rollup):
    add_statements(course_path("a1"))
    first = rollup()
    assert first.processed == 5
    before = snapshot_of_rollups()
    again = rollup()
    assert again.processed == 0 and snapshot_of_rollups() == before
    add_statements(course_path("a2"))
    third = rollup()
    assert third.processed == 5
    assert monthly("registered") == 2 and monthly("completed") == 2
    state = db.session.get(RollupState, "rollup")
    assert state.last_statement_id == 10 and state.last_run_dt is not None and state.lock_token is None


def test_a_run_finding_the_lock_taken_does_nothing(add_statements, rollup):
    add_statements(course_path("a1"))
    assert rollup_mod.acquire_lock("someone-else")
    result = rollup()
    assert result.skipped and "skipped" in str(result)
    assert monthly() == 0
    rollup_mod.release_lock("someone-else")
    assert rollup().processed == 5


def test_an_expired_lock_is_taken_over(add_statements, rollup):
    add_statements(course_path("a1"))
    assert rollup_mod.acquire_lock("crashed-run")
    state = db.session.get(RollupState, "rollup")
    state.lock_expires_dt = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert rollup().processed == 5


def test_a_run_whose_lock_was_taken_over_rolls_its_batch_back(add_statements, rollup, monkeypatch):
    add_statements(course_path("a1"))
    real_claim = rollup_mod._claim

    def stolen(token, expected_last, **values):
        # another run took the lock over while this one was reading its batch
        db.session.execute(rollup_mod.update(RollupState).values(lock_token="thief"))
        return real_claim(token, expected_last, **values)

    monkeypatch.setattr(rollup_mod, "_claim", stolen)
    with pytest.raises(rollup_mod.LockLost):
        rollup()
    db.session.rollback()
    assert monthly() == 0
    assert db.session.get(RollupState, "rollup").last_statement_id == 0


def test_a_crash_between_batches_keeps_finished_batches_and_loses_nothing(
    add_statements, rollup, monkeypatch
):
    add_statements(course_path("a1") + course_path("a2") + course_path("a3"))
    calls = {"n": 0}
    real = rollup_mod.apply_batch

    def crashing(batch):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(batch)

    monkeypatch.setattr(rollup_mod, "apply_batch", crashing)
    with pytest.raises(RuntimeError):
        rollup(batch_size=5)
    assert db.session.get(RollupState, "rollup").last_statement_id == 5
    assert db.session.get(RollupState, "rollup").lock_token is None
    monkeypatch.setattr(rollup_mod, "apply_batch", real)
    assert rollup(batch_size=5).processed == 10
    assert monthly("registered") == 3 and monthly("completed") == 3


def test_two_runs_at_once_count_every_statement_once(app, add_statements):
    add_statements([s for i in range(12) for s in course_path(f"a{i}")])
    results, errors = [], []

    def worker():
        with app.app_context():
            try:
                results.append(rollup_mod.run_rollup(settle_seconds=0, batch_size=7))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r.processed for r in results) == 60
    db.session.expire_all()
    assert monthly("registered") == 12 and monthly("completed") == 12 and monthly() == 60


def test_recent_statements_wait_for_the_settling_delay(add_statements, rollup):
    add_statements([dict(verb="registered", activity="course/c1", stored=utcnow())])
    assert rollup(settle_seconds=60).processed == 0
    assert rollup(settle_seconds=0).processed == 1


def test_voiding_takes_a_statement_back_and_rebuild_agrees(add_statements, rollup):
    rows = add_statements(course_path("a1") + course_path("a2"))
    rollup()
    assert monthly("completed") == 2
    completed = next(r for r in rows if r["verb_id"].endswith("completed"))
    from analytics import synth

    synth.void([completed["statement_id"]])
    add_statements(
        [
            dict(
                verb="voided",
                activity="course/c1",
                object_statement_id=completed["statement_id"],
                actor="admin",
            )
        ]
    )
    rollup()
    assert monthly("completed") == 1
    incremental = snapshot_of_rollups()["monthly"]
    rollup_mod.rebuild(settle_seconds=0)
    db.session.expire_all()
    assert snapshot_of_rollups()["monthly"] == incremental


def test_rebuild_gives_the_same_rollups_as_incremental_runs(add_statements, rollup):
    add_statements(course_path("a1", lang="fr", country="SN"))
    rollup()
    add_statements(
        course_path("a2", complete=False)
        + [
            dict(
                verb="passed",
                activity="course/c1/quiz/q1",
                actor="a2",
                result={"success": True, "score": {"scaled": 0.8}},
            )
        ]
    )
    rollup(batch_size=2)
    add_statements(course_path("a3", lang="ar", country="EG"))
    rollup()
    incremental = snapshot_of_rollups()
    totals = []
    result = rollup_mod.rebuild(settle_seconds=0, batch_size=3, before_start=totals.append)
    db.session.expire_all()
    assert totals == [15] and result.processed == 15
    assert snapshot_of_rollups() == incremental
    passer = db.session.scalar(select(LearnerProgress).where(LearnerProgress.n_passed == 1))
    assert passer.best_score == 0.8 and passer.passed_dt is not None


def test_rebuild_refuses_while_a_run_holds_the_lock(app):
    assert rollup_mod.acquire_lock("busy")
    with pytest.raises(rollup_mod.RollupBusy):
        rollup_mod.rebuild(settle_seconds=0)


def test_statements_of_imported_packages_count_for_the_course_in_their_context(add_statements, rollup):
    add_statements([dict(verb="completed", activity="https://example.org/cmi5/au/1", parents=["course/c9"])])
    rollup()
    assert monthly("completed@x", kind="course", key="c9") == 1


def test_country_comes_from_the_user_when_the_statement_has_none(add_statements, rollup, make_user):
    user = make_user(country_code="SN")
    add_statements([dict(verb="registered", activity="course/c1", country=None, user_id=user.id)])
    rollup()
    assert monthly("registered", country_code="SN", region="africa") == 1


SEG = "https://w3id.org/xapi/video/extensions/played-segments"
LEN = "https://w3id.org/xapi/video/extensions/length"
SID = "https://w3id.org/xapi/video/extensions/session-id"


def test_played_segments_give_watch_through_per_minute_and_distinct_viewers(add_statements, rollup):
    ctx = {LEN: 600}
    add_statements(
        [
            dict(verb="played", activity="webinar/w1", actor="v1", context_extensions={**ctx, SID: "s1"}),
            dict(
                verb="paused",
                activity="webinar/w1",
                actor="v1",
                context_extensions={**ctx, SID: "s1"},
                result={"extensions": {SEG: "0[.]130"}},
            ),
            # the same viewer again later: minutes already counted are not counted twice
            dict(
                verb="paused",
                activity="webinar/w1",
                actor="v1",
                context_extensions={**ctx, SID: "s2"},
                result={"extensions": {SEG: "60[.]200"}},
            ),
            dict(
                verb="terminated",
                activity="webinar/w1",
                actor="v2",
                language="fr",
                context_extensions={**ctx},
                result={"extensions": {SEG: "0[.]59[,]bad[,]540[.]600"}},
            ),
        ]
    )
    rollup()
    minutes = dict(
        db.session.execute(
            select(VideoMinute.minute, VideoMinute.viewers).where(VideoMinute.language == "en")
        ).all()
    )
    assert minutes == {0: 1, 1: 1, 2: 1, 3: 1}
    fr = dict(
        db.session.execute(
            select(VideoMinute.minute, VideoMinute.viewers).where(VideoMinute.language == "fr")
        ).all()
    )
    assert fr == {0: 1, 9: 1}
    assert db.session.scalar(select(func.count(VideoSession.id))) == 3  # s1, s2, and v2's day
    assert db.session.scalar(select(VideoStat.length_s).where(VideoStat.language == "en")) == 600
