"""Mail through the outbox: :func:`queue_mail` writes a row in the caller's transaction; the scheduled
job :func:`deliver_outbox` sends due rows. Development writes ``.eml`` files to ``instance/mail/``.

Delivery is idempotent: the file transport names files by the message's UUID, and SMTP sets the same
Message-ID on every attempt, so a retry after a crash never produces two different messages.
"""

from __future__ import annotations

import base64
import re
import smtplib
from datetime import UTC, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import OutboxMessage

MAX_ATTEMPTS = 8


def queue_mail(
    recipient: str, subject: str, body: str, attachments: list[tuple[str, str, bytes]] | None = None
) -> OutboxMessage:
    """Queue an e-mail. ``attachments``: ``(filename, content_type, data)`` tuples. Flushes."""
    msg = OutboxMessage(
        kind="mail",
        recipient=recipient,
        subject=subject,
        body=body,
        attachments=[
            {"filename": f, "content_type": ct, "data_b64": base64.b64encode(data).decode()}
            for f, ct, data in (attachments or [])
        ],
    )
    db.session.add(msg)
    db.session.flush()
    return msg


def _build(row: OutboxMessage) -> EmailMessage:
    em = EmailMessage()
    em["From"] = current_app.config["MAIL_FROM"]
    em["To"] = row.recipient
    em["Subject"] = row.subject
    em["Message-ID"] = make_msgid(idstring=row.uuid, domain="minamata-lms")
    # Date is one of the two headers every message must carry (RFC 5322); without it a relay may refuse
    # the message or stamp the hour it passed through, and mail programs sort it wrongly. The hour the
    # message was queued is the same on every attempt, like the Message-ID.
    created = row.created_dt if row.created_dt.tzinfo else row.created_dt.replace(tzinfo=UTC)
    em["Date"] = format_datetime(created.astimezone(UTC))
    em.set_content(row.body)
    for att in row.attachments or []:
        maintype, _, subtype = att["content_type"].partition("/")
        # Text attachments (calendar files) are UTF-8: without the charset, MIME's default is US-ASCII
        # and a mail program may show "SantÃ©" for "Santé".
        params = {"charset": "utf-8"} if maintype == "text" else None
        data = base64.b64decode(att["data_b64"])
        if (maintype, subtype) == ("text", "calendar"):
            # A calendar part names its iTIP method, the same as the file's METHOD (RFC 6047 2.4):
            # mail programs act on it (a CANCEL removes the event from the reader's calendar).
            method = re.search(rb"^METHOD:([A-Za-z-]+)\r?$", data, re.M)
            if method:
                params["method"] = method.group(1).decode().upper()
        em.add_attachment(
            data,
            maintype=maintype,
            subtype=subtype,
            filename=att["filename"],
            params=params,
        )
    return em


def _send(em: EmailMessage, row: OutboxMessage) -> None:
    cfg = current_app.config
    if cfg["MAIL_TRANSPORT"] == "smtp":
        with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg["SMTP_PORT"]), timeout=30) as smtp:
            if cfg.get("SMTP_STARTTLS"):
                smtp.starttls()
            if cfg.get("SMTP_USERNAME"):
                smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"] or "")
            smtp.send_message(em)
        return
    folder = Path(current_app.instance_path) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{row.created_dt:%Y%m%dT%H%M%S}-{row.uuid}.eml").write_bytes(bytes(em))


def deliver_outbox(limit: int = 100) -> int:
    """Send due messages; returns how many were sent. Commits after each message so one bad message
    does not hold back the others. Failures back off exponentially; after ``MAX_ATTEMPTS`` a message
    is marked ``dead`` for an admin to inspect."""
    now = utcnow()
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_dt <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = 0
    for row in rows:
        try:
            _send(_build(row), row)
        except Exception as exc:  # noqa: BLE001 - any transport error is retried later
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            row.next_attempt_dt = utcnow() + timedelta(seconds=min(3600, 30 * 2**row.attempts))
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "dead"
        else:
            row.status = "sent"
            row.sent_dt = utcnow()
            sent += 1
        db.session.commit()
    return sent
