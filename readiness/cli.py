"""``minamata-lms readiness ...``: validate a questionnaire or rules file, load the shipped files,
re-score submitted assessments."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.db import db
from readiness import questionnaire as qmod
from readiness import questionnaire_file as qfile
from readiness import rules as rmod
from readiness.yamlfile import YAMLFileError, load_marked

cli = AppGroup("readiness", help="Digital-readiness self-assessment: questionnaires, rules, scoring.")


def _newest_shipped_questionnaire() -> qmod.Questionnaire | None:
    found = [qfile.load_file(p) for p in qfile.shipped_files()]
    published = [q for q in found if q.status == "published"]
    return max(published, key=lambda q: tuple(int(x) for x in q.version.split("."))) if published else None


def validate_path(path: Path, questionnaire_path: Path | None = None) -> str:
    """Validate a questionnaire or recommendation-rules file; returns a summary, raises
    :class:`YAMLFileError` with every problem and its line."""
    text = path.read_text(encoding="utf-8")
    data, _marks = load_marked(text, path.name)
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "recommendation-rules":
        q = qfile.load_file(questionnaire_path) if questionnaire_path else _newest_shipped_questionnaire()
        rs = rmod.parse_text(text, q, path.name)
        counts = f"{len(rs.rules)} rules, {len(rs.services)} services"
        return f"{path.name}: valid recommendation rules {rs.version} ({counts})"
    q = qfile.parse_text(text, path.name)
    items = sum(len(d.items) for d in q.dimensions)
    return (
        f"{path.name}: valid questionnaire {q.qid} {q.version} ({q.status}; {len(q.dimensions)} dimensions, "
        f"{items} items; complete in {', '.join(q.languages())})"
    )


@cli.command("validate", help="Check a questionnaire or rules YAML file and list every error with its line.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--questionnaire",
    "questionnaire_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The questionnaire a rules file refers to (default: the newest shipped one).",
)
def validate(file: Path, questionnaire_path: Path | None):
    try:
        click.echo(validate_path(file, questionnaire_path))
    except YAMLFileError as exc:
        for problem in exc.problems:
            where = f"{problem.path}: " if problem.path else ""
            click.echo(
                f"{file.name}:{problem.line or 0}: {where}{problem.message}",
                err=True,
            )
        raise click.exceptions.Exit(1) from None
    except (OSError, UnicodeDecodeError) as exc:
        click.echo(f"{file}: cannot read: {exc}", err=True)
        raise click.exceptions.Exit(1) from None


@cli.command(
    "sync", help="Store the shipped questionnaire and rules versions and publish the advisory services."
)
def sync():
    from readiness.catalog import CatalogError, sync_shipped

    try:
        q_row, r_row = sync_shipped()
    except CatalogError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"questionnaire {q_row.qid} {q_row.version}; rules {r_row.version}")


@cli.command(
    "rescore", help="Score submitted assessments again with the current scoring and rules (adds results)."
)
def rescore():
    from readiness.models import Assessment
    from readiness.results import rescore as rescore_one

    count = 0
    for assessment in db.session.scalars(
        select(Assessment).where(Assessment.state.in_(("submitted", "acknowledged")))
    ):
        if rescore_one(assessment) is not None:
            count += 1
    db.session.commit()
    click.echo(f"{count} assessment(s) re-scored")
