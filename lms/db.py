"""Database: the Flask-SQLAlchemy extension, the declarative base with a constraint naming convention,
and column helpers shared by the core and every plugin.

Conventions: datetime columns end in ``_dt`` and hold timezone-aware UTC values (:class:`UTCDateTime`);
boolean columns start with ``is_``; public identifiers exposed in URLs and xAPI IRIs are UUIDs, never
integer keys.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, DateTime, MetaData, String, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator):
    """A datetime stored as UTC and always returned timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JSONType(TypeDecorator):
    """JSON on every database (JSONB would tie queries to PostgreSQL)."""

    impl = JSON
    cache_ok = True


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict: JSONType(), list: JSONType()},
    )


db = SQLAlchemy(model_class=Base, engine_options={"future": True})

UUIDStr = String(36)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # WAL lets readers go on while one writer commits; SQLite leaves foreign keys off unless asked.
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def savepoint():
    """A SAVEPOINT in the current transaction (``with savepoint(): ...``), for an insert that may lose a
    race to a concurrent request: catch ``IntegrityError`` around it and read the winner's row. pysqlite
    begins transactions lazily, so one is opened first (or releasing the savepoint would commit)."""
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN")
    return db.session.begin_nested()
