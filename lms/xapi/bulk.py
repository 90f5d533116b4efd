"""Multi-row inserts for the statement store, without the ORM's per-row bookkeeping.

- :func:`insert_family` writes the statements and their side tables. On PostgreSQL that is ONE
  statement (data-modifying CTEs fed by ``json_to_recordset``): one round trip for the three tables,
  and a text that does not depend on the data, so psycopg prepares it and the server no longer parses
  and plans it; a multi-row ``INSERT ... VALUES`` of 100 statements makes the server parse some 2,000
  parameters per batch, and COPY needs two round trips per table (both measured slower).
- :func:`insert_rows` writes one table. On SQLite the rows are converted by the columns' own bind
  processors and go to the driver's ``executemany`` (or a multi-row ``INSERT ... RETURNING`` when the
  new keys are needed); a Core ``insert()`` of dicts spends more time building parameters than SQLite
  spends inserting. Other databases: a Core ``insert()``.
- :func:`in_values`: ``IN`` for a batch's worth of values, as one array parameter on PostgreSQL.

Values get the conversions SQLAlchemy would apply (JSON serialised with the engine's serializer,
datetimes timezone-aware UTC as :class:`lms.db.UTCDateTime` requires), and a constraint violation is
raised as :class:`sqlalchemy.exc.IntegrityError`, as from any other statement.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ARRAY, JSON, DateTime, Table, any_, bindparam, insert

from lms.db import db

_MAX_VARIABLES = 32766
"""SQLite's limit on the parameters of one statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32)."""


def insert_rows(table: Table, rows: list[dict], *, key: str | None = None) -> dict | None:
    """Insert ``rows`` (dicts with the same keys in the same order) into ``table``, in the current
    transaction. With ``key`` (a unique column the rows carry), returns ``{row[key]: new primary key}``.

    Writes through the session's connection without the ORM: nothing pending in the session for
    ``table`` is flushed first, and nothing written here is in the session's identity map."""
    if not rows:
        return {} if key else None
    conn = db.session.connection()
    if conn.dialect.name == "sqlite" and conn.dialect.paramstyle == "qmark":
        return _sqlite(conn, table, rows, key)
    if key is None:
        conn.execute(insert(table), rows)
        return None
    result = conn.execute(insert(table).returning(table.c.id, table.c[key]), rows)
    return {value: pk for pk, value in result.all()}


def _sqlite(conn, table: Table, rows: list[dict], key: str | None) -> dict | None:
    """SQLite: the rows converted once by the columns' own bind processors, then one ``executemany``
    (or, for ``key``, multi-row ``INSERT ... RETURNING``) through the driver."""
    dialect = conn.dialect
    columns = list(rows[0])
    procs = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    converters = [(i, proc) for i, proc in enumerate(procs) if proc is not None]
    params = []
    for row in rows:
        values = list(row.values())
        for i, proc in converters:
            values[i] = proc(values[i])
        params.append(tuple(values))
    prep = dialect.identifier_preparer
    names = ", ".join(prep.quote(name) for name in columns)
    head = f"INSERT INTO {prep.format_table(table)} ({names}) VALUES "
    one = "(" + ", ".join("?" * len(columns)) + ")"
    if key is None:
        conn.exec_driver_sql(head + one, params)
        return None
    out = {}
    step = max(1, _MAX_VARIABLES // len(columns))
    for start in range(0, len(params), step):
        chunk = params[start : start + step]
        sql = f"{head}{', '.join([one] * len(chunk))} RETURNING id, {prep.quote(key)}"
        flat = tuple(value for values in chunk for value in values)
        out.update((value, pk) for pk, value in conn.exec_driver_sql(sql, flat))
    return out


def insert_family(parent: Table, rows: list[dict], key: str, children: list[tuple]) -> None:
    """Insert ``rows`` into ``parent`` and, for each ``(child, fk, child_rows)`` of ``children``,
    ``child_rows`` into ``child`` with ``fk`` set to the new primary key of the parent row whose unique
    column ``key`` has the value the child row carries under ``key`` (in place of ``fk``).

    PostgreSQL: ONE statement, data-modifying CTEs fed by ``json_to_recordset`` (its text does not
    depend on the data, so psycopg prepares it and the server stops parsing and planning it): a single
    round trip for all the tables. Elsewhere: :func:`insert_rows` per table."""
    if not rows:
        return
    conn = db.session.connection()
    children = [(child, fk, child_rows) for child, fk, child_rows in children if child_rows]
    if conn.dialect.name != "postgresql":
        pks = insert_rows(parent, rows, key=key) or {}
        for child, fk, child_rows in children:
            insert_rows(child, [_with_fk(row, key, fk, pks) for row in child_rows])
        return
    dialect = conn.dialect
    prep = dialect.identifier_preparer
    dumps = dialect._json_serializer or json.dumps
    params: dict[str, str] = {}

    def source(table: Table, columns: list, rows: list[dict], param: str) -> str:
        """``ROWS FROM (...) AS r(<columns>)`` for ``rows``: each JSON column from its own array
        (``json_array_elements`` keeps an element's text as sent, where ``json_to_recordset`` decodes
        its strings and refuses a ``\\u0000`` escape that a ``json`` column accepts), the other
        columns from ``json_to_recordset``."""
        plain = [c for c in columns if not _is_json(c)]
        nested = [c for c in columns if _is_json(c)]
        spec = ", ".join(f"{prep.quote(c.name)} {c.type.compile(dialect=dialect)}" for c in plain)
        params[param] = _dump(dumps, plain, rows)
        funcs = [f"json_to_recordset(%({param})s::json) AS ({spec})"]
        for i, c in enumerate(nested):
            params[f"{param}_{i}"] = dumps([row[c.name] for row in rows])
            funcs.append(f"json_array_elements(%({param}_{i})s::json)")
        names = ", ".join(prep.quote(c.name) for c in (*plain, *nested))
        return f"ROWS FROM ({', '.join(funcs)}) AS r({names})"

    names = list(rows[0])
    quoted = ", ".join(prep.quote(n) for n in names)
    parent_source = source(parent, [parent.c[n] for n in names], rows, "p0")
    ctes = [
        f"p AS (INSERT INTO {prep.format_table(parent)} ({quoted}) SELECT {quoted} "
        f"FROM {parent_source} RETURNING id, {prep.quote(key)})"
    ]
    for n, (child, fk, child_rows) in enumerate(children, 1):
        own = [c for c in child_rows[0] if c != key]
        child_source = source(child, [parent.c[key], *(child.c[c] for c in own)], child_rows, f"p{n}")
        ctes.append(
            f"c{n} AS (INSERT INTO {prep.format_table(child)} ({prep.quote(fk)}, "
            f"{', '.join(prep.quote(c) for c in own)}) "
            f"SELECT p.id, {', '.join('r.' + prep.quote(c) for c in own)} FROM {child_source} "
            f"JOIN p ON p.{prep.quote(key)} = r.{prep.quote(key)})"
        )
    conn.exec_driver_sql("WITH " + ", ".join(ctes) + " SELECT count(*) FROM p", params)


def _is_json(column) -> bool:
    return isinstance(getattr(column.type, "impl", column.type), JSON)


def _is_datetime(column) -> bool:
    return isinstance(getattr(column.type, "impl", column.type), DateTime)


def _with_fk(row: dict, key: str, fk: str, pks: dict) -> dict:
    out = {fk: pks[row[key]]}
    out.update((name, value) for name, value in row.items() if name != key)
    return out


def _dump(dumps, columns: list, rows: list[dict]) -> str:
    """The rows' values of ``columns`` as a JSON array of objects, datetimes in ISO 8601 with their UTC
    offset (for ``timestamptz``)."""
    dated = {c.name for c in columns if _is_datetime(c)}
    names = [c.name for c in columns]
    return dumps([{n: (_iso(row[n]) if n in dated else row[n]) for n in names} for row in rows])


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # as lms.db.UTCDateTime: a naive value would be read in the session's zone
        raise ValueError("naive datetime given to a UTC column")
    return value.isoformat()


def in_values(column, values):
    """``column IN (values)`` for a batch's worth of values. On PostgreSQL ``column = ANY(:array)``: one
    parameter whatever the number of values, so the SQL text is the same for every batch (SQLAlchemy's
    and psycopg's caches hit, the server can reuse a prepared plan) instead of a few hundred expanded
    parameters to render, convert and parse each time."""
    values = list(values)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)
