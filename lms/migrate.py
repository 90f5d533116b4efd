"""Schema migrations with Alembic (the history lives in ``lms/migrations/versions``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from lms.db import db

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave out the scheduler's job store (APScheduler creates and owns that table) and full-text index
    tables a plugin creates at run time (SQLite FTS5 tables and their shadow tables, named ``*_fts*``,
    e.g. :mod:`webinars.search`)."""
    if type_ == "table" and "_fts" in (name or ""):
        return False
    return not (type_ == "table" and name == "apscheduler_jobs")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def upgrade(revision: str = "head") -> None:
    """Bring the database to ``revision`` (needs an app context)."""
    command.upgrade(alembic_config(), revision)


def revision(message: str) -> None:
    """Autogenerate a new revision from the models (development)."""
    command.revision(alembic_config(), message=message, autogenerate=True)


def schema_differences() -> list:
    """What differs between the database and the models (empty when they match)."""
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        return compare_metadata(ctx, db.metadata)
