"""Reading an uploaded CSV list of people (an administrator's invitations; the same reading serves any
plugin's lists): the line of every row, the header's accepted spellings, and the e-mail address of a
row. A file is refused whole, with every problem and its line."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from flask_babel import ngettext

from lms.account.errors import AccountError
from lms.account.services import normalise_email
from lms.i18n import isolate

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000


class ImportRefused(AccountError):
    """A whole upload refused; ``errors`` lists ``(line, reason)`` for every bad row (line ``""`` when
    the reason is the file's)."""

    def __init__(self, message: str, errors: list | None = None):
        super().__init__(message)
        self.errors = list(errors or [])


def rows_refused(errors: list) -> ImportRefused:
    """The whole file refused for its rows' ``(line, reason)`` problems, in line order (the file's own
    first), the message counting the rows."""
    errors = sorted(errors, key=lambda error: error[0] if isinstance(error[0], int) else 0)
    return ImportRefused(
        ngettext(
            "The file is refused: %(num)s row has problems.",
            "The file is refused: %(num)s rows have problems.",
            len({line for line, _reason in errors}),
        ),
        errors=errors,
    )


def _refused(line, reason) -> ImportRefused:
    return ImportRefused(_("The file is refused."), errors=[(line, reason)])


def read_rows(data: bytes, columns: dict[str, tuple[str, ...]], required: set[str]) -> list[tuple[int, dict]]:
    """Rows of an uploaded CSV as ``(line, {column: value})``. ``columns`` maps a column name to the
    header spellings accepted for it. Refuses the whole file (bad encoding, unknown or missing columns,
    too many rows) with the reason."""
    if len(data) > MAX_BYTES:
        raise _refused("", _("the file is larger than 1 MB"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refused("", _("the file is not UTF-8 text (save it as CSV UTF-8)")) from None
    if not text.strip():
        raise _refused("", _("the file is empty"))
    first = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise _refused(1, str(exc)) from None
    names, errors = _header_names(header, columns)
    for name in sorted(required - set(names)):
        errors.append((1, _("missing column %(name)s", name=name)))
    if errors:
        raise ImportRefused(_("The file is refused."), errors=errors)
    rows = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise _refused(line, _("more than %(n)s rows", n=MAX_ROWS))
            if len(values) > len(names):
                errors.append((line, _("more cells than columns")))
                continue
            rows.append((line, {n: v.strip() for n, v in zip(names, values, strict=False) if n}))
    except csv.Error as exc:
        raise _refused(reader.line_num, str(exc)) from None
    if errors:
        raise ImportRefused(_("The file is refused."), errors=errors)
    if not rows:
        raise _refused("", _("the file has no rows"))
    return rows


def _header_names(header: list[str], columns: dict[str, tuple[str, ...]]) -> tuple[list, list]:
    """The column name of each header cell (``None`` when unknown) and the problems of the header."""
    aliases = {spelling: name for name, spellings in columns.items() for spelling in spellings}
    names, errors = [], []
    for cell in header:
        key = " ".join(cell.strip().lower().replace("_", " ").split())
        if key not in aliases:
            errors.append(
                (
                    1,
                    _(
                        "unknown column %(name)s (expected: %(names)s)",
                        name=isolate(cell.strip()),
                        names=isolate(", ".join(columns)),
                    ),
                )
            )
        names.append(aliases.get(key))
    if len([n for n in names if n]) != len({n for n in names if n}):
        errors.append((1, _("a column appears twice")))
    return names, errors


def row_email(line: int, row: dict, seen: set[str], errors: list) -> str | None:
    """The normalised e-mail address of an imported row, or None after adding the reason to ``errors``
    (not an address, or one already seen in the file; ``seen`` is updated)."""
    try:
        email = normalise_email(row.get("email"))
    except AccountError:
        errors.append((line, _("%(value)s is not a valid e-mail address", value=row.get("email") or "—")))
        return None
    if email in seen:
        errors.append((line, _("%(email)s appears twice in the file", email=email)))
        return None
    seen.add(email)
    return email
