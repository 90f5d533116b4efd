"""The ``analytics`` CLI group, the scheduled job and the demo content."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.db import db
from lms.xapi.models import Statement


def test_rebuild_shows_progress_and_folds_everything(app, add_statements):
    add_statements([dict(verb="registered", activity=f"course/c{i % 3}", actor=f"a{i}") for i in range(12)])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["analytics", "rebuild", "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    assert "Folding statements" in result.output and "12 statements" in result.output
    status = runner.invoke(args=["analytics", "status"])
    assert "watermark: statement 12" in status.output and "waiting: 0 statements" in status.output
    add_statements([dict(verb="completed", activity="course/c1", actor="a1")])
    update = runner.invoke(args=["analytics", "update"])
    assert "1 statements" in update.output
    bad = runner.invoke(args=["analytics", "rebuild", "--batch-size", "5"])
    assert bad.exit_code != 0 and "5 is not in the range" in bad.output


def test_rebuild_refuses_cleanly_while_a_run_holds_the_lock(app):
    from analytics.rollup import acquire_lock

    assert acquire_lock("other")
    result = app.test_cli_runner().invoke(args=["analytics", "rebuild"])
    assert result.exit_code != 0 and "running" in result.output


def test_the_scheduled_job_is_registered_and_runs(app, add_statements):
    from analytics.tasks import JOBS
    from lms.scheduler import all_jobs, run_job

    job = next(j for j in all_jobs(app) if j.id == "analytics.rollup")
    assert job in JOBS and job.trigger == "interval"
    add_statements([dict(verb="registered", activity="course/c1")])
    assert "1 statements" in run_job(app, job)


def test_demo_content_is_idempotent_and_flags_the_spanish_item(app, countries):
    from analytics.demo import DEMO_STATEMENTS, seed_demo
    from analytics.models import ItemStat

    assert seed_demo(app) == DEMO_STATEMENTS
    assert seed_demo(app) == 0
    assert db.session.scalar(select(func.count(Statement.id))) == DEMO_STATEMENTS
    flagged = db.session.scalars(select(ItemStat).where(ItemStat.is_flagged.is_(True))).all()
    assert flagged and all(s.item.endswith("-03") for s in flagged)
    assert any(s.by_language["es"]["flag"] for s in flagged)
