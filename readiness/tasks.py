"""Scheduled jobs of the readiness plugin: daily reminders about stalled drafts and reviews (see
:mod:`readiness.reminders`; idempotent: a person is reminded at most once per period). Mail goes through
the core outbox, which the core's job delivers."""

from lms.scheduler import Job


def _send_reminders():
    from lms.db import db
    from readiness.reminders import send_reminders

    count = send_reminders()
    db.session.commit()
    return count


JOBS = [Job("readiness.reminders", _send_reminders, "interval", {"hours": 24})]
