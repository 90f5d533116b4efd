"""The ``minamata-lms`` command (a Flask CLI group). Core commands: ``init-db``, ``seed-demo``,
``create-admin``, ``scheduler ...``; each plugin adds a group under its own name. Every command commits
once at its end."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from lms.db import db


def _create_app():
    from lms import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, help="Minamata LMS administration.")
def main():
    pass


@click.command(
    "init-db", help="Create or upgrade the database schema to the latest migration and load the countries."
)
@with_appcontext
def init_db():
    from lms.countries import ensure_countries
    from lms.migrate import upgrade

    upgrade()
    # The country list is reference data every installation needs (registration, workshops and
    # readiness assessments refuse an unknown country), not demo content.
    added = ensure_countries()
    db.session.commit()
    click.echo(f"database is at the latest migration; countries: {added} added")


@click.command("seed-demo", help="Create countries, demo users and each plugin's demo content (idempotent).")
@with_appcontext
def seed_demo():
    from lms.demo import seed

    lines = seed(current_app._get_current_object())
    db.session.commit()
    for line in lines:
        click.echo(line)


@click.command("create-admin", help="Create the first administrator (or make an existing user admin).")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
@with_appcontext
def create_admin(email, name, password):
    from lms.account.creation import create_admin_user
    from lms.account.errors import AccountError

    try:
        user = create_admin_user(email=email, name=name, password=password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"admin {user.email} is ready")


@click.command("db-revision", help="Autogenerate a migration from the models (development).")
@click.argument("message")
@with_appcontext
def db_revision(message):
    from lms.migrate import revision

    revision(message)


def init_app(app: Flask) -> None:
    from lms.xapi.cli import cli as xapi_cli

    for cmd in (init_db, seed_demo, create_admin, db_revision, xapi_cli):
        app.cli.add_command(cmd)
