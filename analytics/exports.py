"""CSV and JSON exports of dashboard tables, and the streamed xAPI statement export.

CSV cells that a spreadsheet would read as a formula (starting with ``= + - @``, a tab or a carriage
return) are prefixed with an apostrophe, so a title or comment such as ``=HYPERLINK(...)`` cannot run
when an export is opened. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from sqlalchemy import exists, select

from lms.db import db
from lms.xapi.models import Statement, StatementActivity

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def csv_text(columns: list[str], rows: Iterable[Iterable]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


def table_json(columns: list[str], rows: Iterable[Iterable]) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


class ExportError(ValueError):
    """A statement filter that cannot be used; ``str(exc)`` says why."""


def parse_time(text: str | None) -> datetime | None:
    """``YYYY-MM-DD`` or ISO 8601 with or without zone (UTC assumed); raises :class:`ExportError`."""
    if not text:
        return None
    from flask_babel import gettext as _

    raw = text.strip().replace("Z", "+00:00")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ExportError(
            _("“%(value)s” is not a date or time (use YYYY-MM-DD or ISO 8601).", value=text[:40])
        ) from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def agent_key_for_account(home_page: str, name: str) -> str:
    try:  # the LRS's own implementation when present
        from lms.xapi.ids import agent_key

        return agent_key({"account": {"homePage": home_page, "name": name}})
    except (ImportError, TypeError):
        from analytics.synth import agent_key as fallback

        return fallback(home_page, name)


def statement_query(
    *,
    verb=None,
    activity=None,
    related_activities=False,
    registration=None,
    agent_key=None,
    since=None,
    until=None,
):
    stmt = select(Statement.id, Statement.data).where(Statement.is_voided.is_(False))
    if verb:
        stmt = stmt.where(Statement.verb_id == verb)
    if activity:
        if related_activities:
            stmt = stmt.where(
                exists().where(
                    StatementActivity.statement_pk == Statement.id, StatementActivity.activity_id == activity
                )
            )
        else:
            stmt = stmt.where(Statement.object_activity_id == activity)
    if registration:
        stmt = stmt.where(Statement.registration == registration)
    if agent_key:
        stmt = stmt.where(Statement.actor_key == agent_key)
    if since:
        stmt = stmt.where(Statement.stored_dt > since)
    if until:
        stmt = stmt.where(Statement.stored_dt <= until)
    return stmt


def stream_statements(stmt, limit: int | None = None, chunk: int = 1000) -> Iterator[str]:
    """JSON lines, read in keyset-paginated chunks so memory stays flat however many rows match."""
    last, sent = 0, 0
    while True:
        size = chunk if limit is None else min(chunk, limit - sent)
        if size <= 0:
            return
        rows = db.session.execute(stmt.where(Statement.id > last).order_by(Statement.id).limit(size)).all()
        if not rows:
            return
        for _id, data in rows:
            yield json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"
        sent += len(rows)
        last = rows[-1][0]
