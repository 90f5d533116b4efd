"""Scheduled jobs of the analytics plugin: the incremental rollup."""

from lms.scheduler import Job


def rollup_job():
    from analytics.rollup import run_rollup

    return str(run_rollup())


JOBS = [Job("analytics.rollup", rollup_job, "interval", {"minutes": 5})]
