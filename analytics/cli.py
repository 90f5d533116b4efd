"""``minamata-lms analytics ...``: rebuild the rollups (with a progress bar), run an incremental
update, show their state."""

from __future__ import annotations

import click
from flask.cli import AppGroup

cli = AppGroup("analytics", help="Analytics rollups: rebuild, update, status.")


@cli.command("rebuild", help="Empty the rollup tables and fold every statement again.")
@click.option("--batch-size", type=click.IntRange(100, 100_000), default=5000, show_default=True)
def rebuild_cmd(batch_size):
    from analytics.rollup import RollupBusy, rebuild

    bar = {}

    def start(total):
        bar["bar"] = click.progressbar(length=total, label="Folding statements", show_pos=True)
        bar["bar"].__enter__()

    def step(n):
        bar["bar"].update(n)

    try:
        result = rebuild(batch_size=batch_size, progress=step, before_start=start)
    except RollupBusy as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if "bar" in bar:
            bar["bar"].__exit__(None, None, None)
    click.echo(str(result))


@cli.command("update", help="Fold the statements stored since the last run (what the scheduled job does).")
def update_cmd():
    from analytics.rollup import run_rollup

    click.echo(str(run_rollup()))


@cli.command("status", help="Show the watermark, the lock and when the rollups last ran.")
def status_cmd():
    from analytics.rollup import get_state, pending_count

    state = get_state()
    if state is None:
        click.echo("never run")
        return
    click.echo(f"watermark: statement {state.last_statement_id}")
    click.echo(f"data as of: {state.last_stored_dt}")
    click.echo(
        f"last run: {state.last_run_dt} ({state.last_run_count} statements, {state.last_run_seconds}s)"
    )
    click.echo(f"locked: {'yes until ' + str(state.lock_expires_dt) if state.lock_token else 'no'}")
    click.echo(f"waiting: {pending_count()} statements")
