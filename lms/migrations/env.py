"""Alembic environment: one linear history for the core and every plugin (all plugins' models are
imported by create_app, so autogenerate sees every table)."""

from alembic import context
from flask import current_app

from lms.db import db
from lms.migrate import include_object

config = context.config
target_metadata = db.metadata


def run_migrations() -> None:
    connectable = db.engine
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


with current_app.app_context():
    run_migrations()
