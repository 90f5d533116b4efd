"""webinars: scheduled jobs: reminder mails (with .ics) for registered attendees. (Expired player
credentials are deleted by the core's ``lms.xapi.expired_launch_credentials`` job, with every other
expired launch credential.)"""

from __future__ import annotations

from lms.db import db
from lms.scheduler import Job


def send_reminders() -> int:
    from webinars.registrations import send_due_reminders

    count = send_due_reminders()
    db.session.commit()
    return count


JOBS = [
    Job("webinars.reminders", send_reminders, "interval", {"minutes": 5}),
]
