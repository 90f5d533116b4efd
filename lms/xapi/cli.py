"""``minamata-lms xapi ...``: LRS clients and forwarding from the command line. Each command commits once."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.db import db, utcnow


@click.group("xapi", help="The built-in LRS: clients and forwarding to external LRSs.")
def cli():
    pass


@cli.command("create-client", help="Create LRS credentials and print the key and secret (shown once).")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    help="An xAPI scope (repeat): statements/write, statements/read, statements/read/mine, state, "
    "define, profile, all/read, all.",
)
@click.option(
    "--expires-days", type=click.IntRange(1, 3650), default=None, help="Expire after this many days."
)
@with_appcontext
def create_client_command(name, scopes, expires_days):
    from lms.xapi.auth import create_client

    expires = utcnow() + timedelta(days=expires_days) if expires_days else None
    try:
        client, key, secret = create_client(name, list(scopes), expires_dt=expires)
    except ValueError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    base = current_app.config["BASE_URL"].rstrip("/")
    click.echo(f"name:     {client.name}")
    click.echo(f"endpoint: {base}/xapi/")
    click.echo(f"key:      {key}")
    click.echo(f"secret:   {secret}")
    click.echo(f"scopes:   {' '.join(client.scopes)}")
    click.echo("The secret is stored hashed and cannot be shown again.")


@cli.command("forward-now", help="Deliver every due queued statement to the external LRSs now.")
@with_appcontext
def forward_now():
    from lms.xapi.tasks import forward_all

    counts = forward_all()
    db.session.commit()
    click.echo(f"sent {counts['sent']}, failed {counts['failed']} (will be retried), dead {counts['dead']}")


@cli.command("sync-endpoints", help="Apply the LMS_XAPI_FORWARD setting to the forwarding endpoints.")
@with_appcontext
def sync_endpoints():
    from lms.xapi.forwarding import ForwardError, sync_endpoints_from_config

    try:
        lines = sync_endpoints_from_config(current_app.config.get("XAPI_FORWARD"))
    except ForwardError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    for line in lines or ["nothing to do: LMS_XAPI_FORWARD declares no endpoint"]:
        click.echo(line)
