"""webinars: reading the CSV reports webinar tools export (Q&A, attendance): encoding, delimiter and
header aliases. Every problem is reported with its row number; the caller refuses the whole file."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from flask_babel import gettext as _

from webinars.errors import WebinarError

MAX_ROWS = 5000


def _norm_header(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (value or "").strip().lower()).strip()


def decode(data: bytes, max_bytes: int) -> str:
    if not data:
        raise WebinarError(_("The file is empty."))
    if len(data) > max_bytes:
        raise WebinarError(_("The file is too large (limit %(kb)s KB).", kb=max_bytes // 1024))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise WebinarError(_("The file is not valid UTF-16 text.")) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WebinarError(
            _(
                "The file is not UTF-8 text (invalid byte at position %(pos)s). Export it as CSV UTF-8.",
                pos=exc.start,
            )
        ) from exc
    if "\x00" in text:
        raise WebinarError(_("The file contains binary data; it is not a CSV file."))
    return text


def read_rows(
    data: bytes, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...], max_bytes: int
) -> list[tuple[int, dict[str, str]]]:
    """``[(row number, {field: value})]`` for the non-blank rows; columns are matched by ``aliases``
    (field -> accepted header names, compared lower-case without punctuation)."""
    text = decode(data, max_bytes)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise WebinarError(_("The file is empty.")) from None
    except csv.Error as exc:
        raise WebinarError(_("The file is not valid CSV: %(error)s", error=str(exc))) from None
    columns: dict[str, int] = {}
    normalised = [_norm_header(h) for h in header]
    for field, names in aliases.items():
        for i, h in enumerate(normalised):
            if h in names and field not in columns:
                columns[field] = i
    missing = [f for f in required if f not in columns]
    if missing:
        raise WebinarError(
            _(
                "Required column(s) missing: %(missing)s. Columns found: %(found)s.",
                missing=", ".join(missing),
                found=", ".join(h for h in header if h) or "-",
            )
        )
    rows = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= MAX_ROWS:
                raise WebinarError(_("The file has more than %(n)s rows.", n=MAX_ROWS))
            values = {f: (row[i].strip() if i < len(row) else "") for f, i in columns.items()}
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        raise WebinarError(
            _("The file is not valid CSV (line %(n)s): %(error)s", n=reader.line_num, error=str(exc))
        ) from None
    if not rows:
        raise WebinarError(_("The file has a header but no rows."))
    return rows


YES = {"yes", "y", "true", "1", "oui", "si", "sí", "да", "是", "نعم", "x"}
NO = {"no", "n", "false", "0", "non", "нет", "否", "لا", ""}


def parse_bool(value: str) -> bool | None:
    v = (value or "").strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    return None


def parse_offset(value: str, run_starts: list[datetime], max_seconds: int) -> int | None | str:
    """A moment in the recording: ``h:mm:ss``, ``mm:ss``, seconds, or a date-time during one of the
    runs (naive means UTC). Returns seconds, ``None`` when empty, or an error message."""
    v = (value or "").strip()
    if not v:
        return None
    seconds: int | None = None
    if re.fullmatch(r"\d+", v):
        seconds = int(v)
    elif m := re.fullmatch(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?", v):
        h, mnt, s = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        if mnt > 59 or s > 59:
            return _("“%(value)s” is not a valid time", value=v)
        seconds = h * 3600 + mnt * 60 + s
    else:
        try:
            moment = datetime.fromisoformat(v.replace("/", "-"))
        except ValueError:
            return _("“%(value)s” is not a time (use h:mm:ss into the recording or a date and time)", value=v)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        for start in run_starts:
            delta = (moment - start).total_seconds()
            if 0 <= delta <= max_seconds:
                return int(delta)
        return _("%(value)s is not during the session", value=v)
    if seconds > max_seconds:
        return _("%(value)s is after the end of the session", value=v)
    return seconds
