"""The production scheduler (``minamata-lms scheduler run``) keeps its jobs in the database."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from lms.db import db
from lms.mail import queue_mail
from lms.scheduler import all_jobs, build_scheduler
from tests.conftest import make_test_app


def _own_database_app(tmp_path):
    # The job store writes its own table: keep it out of the suite's shared database.
    app = make_test_app("sqlite:///" + str(tmp_path / "sched.sqlite3"), tmp_path, MAIL_TRANSPORT="file")
    with app.app_context():
        db.create_all()
    return app


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
    app = _own_database_app(tmp_path)
    build_scheduler(app, blocking=False, persistent=True).start(paused=True)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        conn.execute(text("UPDATE apscheduler_jobs SET id = 'plugin.gone' WHERE id = 'lms.deliver_mail'"))
    sched = build_scheduler(app, blocking=False, persistent=True)
    with engine.connect() as conn:
        ids = set(conn.scalars(text("SELECT id FROM apscheduler_jobs")))
    engine.dispose()
    assert "plugin.gone" not in ids
    del sched
