"""courses: scheduled jobs. Reminders to learners who stalled (daily; idempotent: an enrolment is
reminded once per period of inactivity)."""

from lms.scheduler import Job


def _send_reminders():
    from courses.services.reminders import send_reminders
    from lms.db import db

    count = send_reminders()
    db.session.commit()
    return count


JOBS = [Job("courses.reminders", _send_reminders, "interval", {"hours": 24})]
