"""Mail through the outbox: what a delivered message carries."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from lms.db import db
from lms.mail import deliver_outbox, queue_mail


def test_a_text_attachment_says_it_is_utf_8(app):
    """A calendar file with "Santé" in it reads "Santé" in a mail program, not "SantÃ©"."""
    ics = "BEGIN:VCALENDAR\r\nSUMMARY:Atelier santé-mercure\r\nEND:VCALENDAR\r\n".encode()
    queue_mail("someone@example.org", "Atelier", "Corps", attachments=[("atelier.ics", "text/calendar", ics)])
    db.session.commit()
    assert deliver_outbox() == 1
    (path,) = (Path(app.instance_path) / "mail").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_content_charset() == "utf-8"
    assert "SUMMARY:Atelier santé-mercure" in attachment.get_content()


def test_a_calendar_part_names_the_files_itip_method(app):
    """A cancellation's part says ``method=CANCEL`` (RFC 6047 2.4), so mail programs remove the event;
    a file without a METHOD gets no parameter."""
    cancel = b"BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nBEGIN:VEVENT\r\nSTATUS:CANCELLED\r\n"
    cancel += b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    bare = b"BEGIN:VCALENDAR\r\nSUMMARY:x\r\nEND:VCALENDAR\r\n"
    queue_mail(
        "a@example.org",
        "S",
        "B",
        attachments=[("c.ics", "text/calendar", cancel), ("b.ics", "text/calendar", bare)],
    )
    db.session.commit()
    assert deliver_outbox() == 1
    (path,) = (Path(app.instance_path) / "mail").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    first, second = message.iter_attachments()
    assert first.get_param("method") == "CANCEL"
    assert first.get_content_charset() == "utf-8"
    assert second.get_param("method") is None


def test_a_message_carries_the_date_it_was_queued(app):
    """Every message has a Date header (RFC 5322 requires one), the hour it was queued, in UTC."""
    row = queue_mail("someone@example.org", "Sujet", "Corps")
    db.session.commit()
    assert deliver_outbox() == 1
    (path,) = (Path(app.instance_path) / "mail").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    sent = message["Date"].datetime
    assert sent.utcoffset().total_seconds() == 0
    queued = row.created_dt if row.created_dt.tzinfo else row.created_dt.replace(tzinfo=sent.tzinfo)
    assert abs((sent - queued).total_seconds()) < 1
