"""courses: scheduled jobs. Reminders to learners who stalled (daily; idempotent: an enrolment is
reminded once per period of inactivity); cmi5 sessions left open past their launch credentials'
lifetime are abandoned (hourly; idempotent: a session is abandoned once)."""

from lms.scheduler import Job


def _send_reminders():
    from courses.services.reminders import send_reminders
    from lms.db import db

    count = send_reminders()
    db.session.commit()
    return count


def _abandon_timed_out_sessions():
    from datetime import timedelta

    from flask import current_app

    from courses.services.cmi5_launch import abandon_timed_out_sessions
    from lms.db import db, utcnow

    minutes = int(current_app.config.get("XAPI_LAUNCH_TOKEN_MINUTES", 240))
    count = abandon_timed_out_sessions(now=utcnow(), timeout=timedelta(minutes=minutes))
    db.session.commit()
    return count


JOBS = [
    Job("courses.reminders", _send_reminders, "interval", {"hours": 24}),
    Job("courses.abandon_timed_out_sessions", _abandon_timed_out_sessions, "interval", {"hours": 1}),
]
