"""CSV in and out for workshops: reading an uploaded list (participants, attendance sheet) with the line
of every row (the core's reader), and writing CSV that a spreadsheet cannot read as a formula."""

from __future__ import annotations

import csv
import io

from courses.services.errors import CourseError
from lms.account import csv_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportRefused(CourseError):
    """A whole upload refused; ``errors`` lists ``(line, reason)`` for every bad row."""


def read_rows(data: bytes, columns: dict[str, tuple[str, ...]], required: set[str]) -> list[tuple[int, dict]]:
    """The core's reading of an uploaded list (:func:`lms.account.csv_rows.read_rows`), refusing with this
    plugin's :class:`ImportRefused` so that the workshop views handle it as any refusal of theirs."""
    try:
        return csv_rows.read_rows(data, columns, required)
    except csv_rows.ImportRefused as exc:
        raise ImportRefused(str(exc), errors=exc.errors) from None


row_email = csv_rows.row_email


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
