"""The production scheduler (``minamata-lms scheduler run``) keeps its jobs in the database."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text

from lms.db import db
from lms.mail import queue_mail
from lms.scheduler import RunLock, all_jobs, build_scheduler, wait_for_run_lock
from tests.conftest import make_test_app


def _own_database_app(tmp_path):
    # The job store writes its own table: keep it out of the suite's shared database.
    app = make_test_app("sqlite:///" + str(tmp_path / "sched.sqlite3"), tmp_path, MAIL_TRANSPORT="file")
    with app.app_context():
        db.create_all()
    return app


def _stored_once(tmp_path):
    """An app whose jobs a first scheduler start wrote to the database store, and an engine on that
    database (to change the stored jobs as a restart would find them); the caller disposes of it."""
    app = _own_database_app(tmp_path)
    first = build_scheduler(app, blocking=False, persistent=True)
    first.start(paused=True)
    first.shutdown(wait=False)
    return app, create_engine(app.config["SQLALCHEMY_DATABASE_URI"])


def test_the_database_job_store_stores_every_job_and_runs_it_after_a_restart(tmp_path):
    app = _own_database_app(tmp_path)
    sched = build_scheduler(app, blocking=False, persistent=True)
    sched.start(paused=True)  # writes every job to the store
    sched.shutdown(wait=False)
    with app.app_context():
        queue_mail("someone@example.org", "Subject", "Body")
        db.session.commit()

    restarted = build_scheduler(app, blocking=False, persistent=True)
    restarted.start(paused=True)
    try:
        stored = {job.id: job for job in restarted.get_jobs()}
        assert set(stored) == {job.id for job in all_jobs(app)}
        mail_job = stored["lms.deliver_mail"]
        assert mail_job.func(*mail_job.args) == 1
    finally:
        restarted.shutdown(wait=False)
    assert len(list((tmp_path / "instance" / "mail").glob("*.eml"))) == 1


def test_jobs_no_longer_declared_are_removed_from_the_store(tmp_path):
    app, engine = _stored_once(tmp_path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE apscheduler_jobs SET id = 'plugin.gone' WHERE id = 'lms.deliver_mail'"))
    sched = build_scheduler(app, blocking=False, persistent=True)
    with engine.connect() as conn:
        ids = set(conn.scalars(text("SELECT id FROM apscheduler_jobs")))
    engine.dispose()
    assert "plugin.gone" not in ids
    del sched


def test_a_restart_keeps_each_jobs_next_run_instead_of_counting_its_interval_again(tmp_path):
    app, engine = _stored_once(tmp_path)
    now = datetime.now(UTC)
    soon, missed = now + timedelta(hours=1), now - timedelta(hours=3)
    with engine.begin() as conn:
        for job_id, when in (("courses.reminders", soon), ("readiness.reminders", missed)):
            conn.execute(
                text("UPDATE apscheduler_jobs SET next_run_time = :t WHERE id = :id"),
                {"t": when.timestamp(), "id": job_id},
            )
        conn.execute(text("DELETE FROM apscheduler_jobs WHERE id = 'analytics.rollup'"))
    engine.dispose()

    restarted = build_scheduler(app, blocking=False, persistent=True)
    restarted.start(paused=True)
    try:
        next_run = {job.id: job.next_run_time for job in restarted.get_jobs()}
    finally:
        restarted.shutdown(wait=False)
    # The daily reminders keep their hour rather than moving to a day after the restart ...
    assert abs((next_run["courses.reminders"] - soon).total_seconds()) < 1
    # ... and one missed while the scheduler was down runs at once.
    assert next_run["readiness.reminders"] <= datetime.now(UTC) + timedelta(seconds=1)
    # A job that was never stored starts with its interval.
    assert next_run["analytics.rollup"] > now + timedelta(minutes=4)


def test_a_run_missed_while_down_still_runs_when_the_start_takes_more_than_a_second(tmp_path):
    app, engine = _stored_once(tmp_path)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE apscheduler_jobs SET next_run_time = :t WHERE id = 'lms.deliver_mail'"),
            {"t": (datetime.now(UTC) - timedelta(hours=3)).timestamp()},
        )
    engine.dispose()
    with app.app_context():
        queue_mail("someone@example.org", "Subject", "Body")
        db.session.commit()

    restarted = build_scheduler(app, blocking=False, persistent=True)
    time.sleep(1.5)  # connecting to the database, a busy machine: the start comes a while after the build
    restarted.start()
    try:
        deadline = time.monotonic() + 5
        while not list((tmp_path / "instance" / "mail").glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        restarted.shutdown(wait=True)
    # The run is late, not missed: without it, the next one would come a whole interval later.
    assert len(list((tmp_path / "instance" / "mail").glob("*.eml"))) == 1


def _lock_app(tmp_path):
    """An app on the suite's database (SQLite: file lock in the instance folder; PostgreSQL: advisory
    lock), whose scheduler lock the test takes."""
    return make_test_app(
        os.environ.get("LMS_TEST_DATABASE_URL", "sqlite:///" + str(tmp_path / "l.db")), tmp_path
    )


def test_only_one_scheduler_process_holds_the_run_lock_until_it_releases_it(tmp_path):
    app = _lock_app(tmp_path)
    first, second = RunLock(app), RunLock(app)
    try:
        assert first.acquire()
        assert not second.acquire()
        assert not second.acquire()  # asking again does not take it either
        first.release()
        assert second.acquire()
        assert not first.acquire()
    finally:
        first.release()
        second.release()


def test_a_second_scheduler_stands_by_and_takes_over_when_the_first_stops(tmp_path):
    app = _lock_app(tmp_path)
    running, standby, third = RunLock(app), RunLock(app), RunLock(app)
    said = []
    assert running.acquire()
    stopper = threading.Timer(0.3, running.release)
    stopper.start()
    try:
        wait_for_run_lock(standby, poll_seconds=0.02, echo=said.append)
        assert said == [
            "scheduler: another scheduler process runs the jobs of this database; standing by",
            "scheduler: the other process stopped; taking over",
        ]
        assert not third.acquire()
    finally:
        stopper.join()
        standby.release()
        third.release()
