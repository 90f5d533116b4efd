"""webinars: scheduled jobs: reminder mails (with .ics) for registered attendees, and the removal of
expired player credentials (the core does not clean expired launch credentials)."""

from __future__ import annotations

from lms.db import db
from lms.scheduler import Job


def send_reminders() -> int:
    from webinars.registrations import send_due_reminders

    count = send_due_reminders()
    db.session.commit()
    return count


def delete_expired_player_credentials() -> int:
    from webinars.tracking import delete_expired_player_clients

    count = delete_expired_player_clients()
    db.session.commit()
    return count


JOBS = [
    Job("webinars.reminders", send_reminders, "interval", {"minutes": 5}),
    Job("webinars.expired_player_credentials", delete_expired_player_credentials, "interval", {"hours": 1}),
]
