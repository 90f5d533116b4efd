"""Scheduled jobs with APScheduler.

A job is declared as :class:`Job` in the core (``CORE_JOBS``) or in a plugin's ``tasks.JOBS``. Every job
runs inside an application context, must be idempotent (running it twice, or two at once, does no
harm) and commits its own work. In development the scheduler can run inside the web process
(``LMS_SCHEDULER_ENABLED=true``); in production run ``minamata-lms scheduler run`` as its own process,
which keeps its job store in the database; a second such process stands by (:class:`RunLock`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    id: str
    func: Callable[[], object]
    """Called with no arguments inside an app context."""
    trigger: str = "interval"
    trigger_args: dict = field(default_factory=lambda: {"minutes": 1})


def _deliver_mail():
    from lms.mail import deliver_outbox

    return deliver_outbox()


def _prune_sign_ins():
    from lms.account import sign_ins
    from lms.auth import idle_limit
    from lms.db import db

    pruned = sign_ins.prune_idle(idle_limit())
    db.session.commit()
    return pruned


CORE_JOBS = [
    Job("lms.deliver_mail", _deliver_mail, "interval", {"seconds": 30}),
    Job("lms.prune_sign_ins", _prune_sign_ins, "interval", {"hours": 24}),
]


def all_jobs(app: Flask) -> list[Job]:
    from lms.plugins import enabled_plugins

    jobs = list(CORE_JOBS) + list(app.extensions.get("lms_extra_jobs", []))
    for plugin in enabled_plugins(app).values():
        jobs.extend(plugin.jobs)
    return jobs


def run_job(app: Flask, job: Job):
    """Run one job in an app context, rolling back whatever it left uncommitted on error."""
    from lms.db import db

    with app.app_context():
        try:
            return job.func()
        except Exception:
            db.session.rollback()
            log.exception("scheduled job %s failed", job.id)
            raise
        finally:
            db.session.remove()


# The application whose jobs the database job store runs. A stored job is pickled, and neither the
# Flask app nor a Job (which holds a function) can be: it is stored as a call of run_stored_job with the
# job's id, which finds both here. One scheduler process serves one application.
_stored_jobs_app: Flask | None = None


def run_stored_job(job_id: str):
    """Run the job ``job_id`` of the application the database job store was built for."""
    app = _stored_jobs_app
    if app is None:
        raise RuntimeError("no application is bound to the database job store")
    job = next((j for j in all_jobs(app) if j.id == job_id), None)
    if job is None:  # a plugin disabled since the job was stored; build_scheduler prunes it on start
        log.warning("scheduled job %s is no longer declared; skipped", job_id)
        return None
    return run_job(app, job)


def build_scheduler(app: Flask, *, blocking: bool, persistent: bool):
    global _stored_jobs_app
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    jobs = all_jobs(app)
    jobstores = {}
    if persistent:
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

        store = SQLAlchemyJobStore(url=app.config["SQLALCHEMY_DATABASE_URI"], tablename="apscheduler_jobs")
        # Jobs of plugins disabled since the last start would otherwise keep running from the store.
        store.jobs_t.create(store.engine, checkfirst=True)
        with store.engine.begin() as conn:
            conn.execute(store.jobs_t.delete().where(store.jobs_t.c.id.notin_([j.id for j in jobs])))
            stored_next = dict(conn.execute(select(store.jobs_t.c.id, store.jobs_t.c.next_run_time)).all())
        jobstores["default"] = store
        _stored_jobs_app = app
    cls = BlockingScheduler if blocking else BackgroundScheduler
    # A late run is run once (coalesce), however late: APScheduler's default grace of one second would
    # skip a daily job for a whole day when its run starts a second late (a busy machine, a slow start
    # after a restart). Every job is idempotent.
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    sched = cls(jobstores=jobstores, job_defaults=defaults, timezone="UTC")
    for job in jobs:
        extra = {}
        if persistent:
            func, args = "lms.scheduler:run_stored_job", [job.id]
            extra = _resumed_run_time(job, stored_next.get(job.id))
        else:
            func, args = run_job, [app, job]
        sched.add_job(
            func, job.trigger, args=args, id=job.id, replace_existing=True, **extra, **job.trigger_args
        )
    return sched


def _resumed_run_time(job: Job, stored: float | None) -> dict:
    """Keep a stored job's next run across restarts: a new interval counts from the start, so a daily
    job of a scheduler restarted every day (each deployment) would otherwise never run. A run missed
    while the scheduler was down runs now; a shortened interval applies from now."""
    if stored is None:
        return {}
    now = datetime.now(UTC)
    when = max(datetime.fromtimestamp(stored, UTC), now)
    if job.trigger == "interval":
        units = ("weeks", "days", "hours", "minutes", "seconds")
        period = {k: v for k, v in job.trigger_args.items() if k in units}
        when = min(when, now + timedelta(**period))
    return {"next_run_time": when}


def init_app(app: Flask) -> None:
    app.cli.add_command(scheduler_cli)
    if app.config.get("SCHEDULER_ENABLED") and not app.testing:
        sched = build_scheduler(app, blocking=False, persistent=False)
        sched.start()
        app.extensions["lms_scheduler"] = sched


@click.group("scheduler", help="Scheduled jobs: mail delivery, xAPI forwarding, rollups, reminders.")
def scheduler_cli():
    pass


class RunLock:
    """Held by the one ``scheduler run`` process that runs the jobs of a database.

    A second process started by mistake (two deployments, a unit started twice) would otherwise run
    every job as well: jobs are idempotent, but each mail delivery or forwarding pass would race the
    other's. On PostgreSQL the lock is a session advisory lock on a connection held open for the
    process's life, so the server releases it when the process dies, wherever it ran. Elsewhere
    (SQLite, whose processes share one machine) it is an exclusive ``flock`` on ``scheduler.lock`` in
    the instance folder, released by the system when the process ends.
    """

    def __init__(self, app: Flask):
        self.url = app.config["SQLALCHEMY_DATABASE_URI"]
        self.path = os.path.join(app.instance_path, "scheduler.lock")
        self._conn = None
        self._file = None

    def acquire(self) -> bool:
        """Take the lock if no other process holds it; True when this process now holds it."""
        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import NullPool

        if self.url.startswith("postgresql"):
            if self._conn is None:
                # NullPool: closing the connection ends the database session (and its lock).
                self._conn = create_engine(self.url, poolclass=NullPool).connect()
            key = int.from_bytes(hashlib.sha256(b"minamata-lms scheduler").digest()[:8], "big", signed=True)
            held = self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
            self._conn.commit()
            return bool(held)
        import fcntl

        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        if self._file is None:
            self._file = open(self.path, "a")  # noqa: SIM115  (held open while the lock is held)
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._file is not None:
            self._file.close()  # closing the only descriptor releases the flock
            self._file = None


def wait_for_run_lock(lock: RunLock, *, poll_seconds: float, echo=click.echo) -> None:
    """Return once ``lock`` is held, telling once that another scheduler process holds it meanwhile
    (this one then stands by, and takes over when the other stops)."""
    if lock.acquire():
        return
    echo("scheduler: another scheduler process runs the jobs of this database; standing by")
    while not lock.acquire():
        time.sleep(poll_seconds)
    echo("scheduler: the other process stopped; taking over")


@scheduler_cli.command(
    "run",
    help="Run the scheduler in the foreground (production: its own process). A "
    "second one started for the same database stands by until the first stops.",
)
@with_appcontext
def run_scheduler():
    app = current_app._get_current_object()
    lock = RunLock(app)
    wait_for_run_lock(lock, poll_seconds=15)
    sched = build_scheduler(app, blocking=True, persistent=True)
    click.echo(f"scheduler: {len(sched.get_jobs())} jobs; Ctrl+C stops")
    try:
        sched.start()
    finally:
        lock.release()


@scheduler_cli.command("list", help="List the scheduled jobs.")
@with_appcontext
def list_jobs():
    for job in all_jobs(current_app):
        click.echo(f"{job.id}\t{job.trigger}\t{job.trigger_args}")


@scheduler_cli.command("run-once", help="Run every job (or the one named) once, now.")
@click.argument("job_id", required=False)
@with_appcontext
def run_once(job_id):
    app = current_app._get_current_object()
    jobs = [j for j in all_jobs(app) if job_id in (None, j.id)]
    if not jobs:
        raise click.ClickException(f"no job named {job_id!r}")
    for job in jobs:
        result = run_job(app, job)
        click.echo(f"{job.id}: {result}")
