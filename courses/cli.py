"""courses: command line (``minamata-lms courses ...``). Each command commits once at its end."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

cli = AppGroup("courses", help="Self-paced modules: import and export course packages, reminders.")


def _print_errors(exc) -> None:
    for file, line, reason in exc.errors:
        where = f"{file}:{line}" if line else (file or "(package)")
        click.echo(f"  {where}: {reason}", err=True)


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--publish", is_flag=True, help="Publish a new version right after the import.")
@click.option(
    "--owner",
    "owner_email",
    metavar="EMAIL",
    help="The trainer who owns the course (default: nobody, so only admins manage it).",
)
def import_command(path: Path, publish: bool, owner_email: str | None):
    """Import a course package from a folder or a .zip (the draft is replaced if the course exists)."""
    from sqlalchemy import func, select

    from courses.services import package_io, publishing
    from courses.services.errors import CourseError, NothingToPublish, PackageError
    from courses.services.package_read import read_package
    from lms.db import db
    from lms.models import User

    owner = None
    if owner_email:
        owner = db.session.scalar(select(User).where(func.lower(User.email) == owner_email.strip().lower()))
        if owner is None or not owner.is_trainer:
            click.echo(f"refused: --owner {owner_email} is not the address of a trainer", err=True)
            raise SystemExit(1)
    try:
        files = (
            package_io.files_from_folder(path)
            if path.is_dir()
            else package_io.files_from_zip(path.read_bytes())
        )
        plan = read_package(files)
        steps = 1 + sum(len(u["items"]) for u in plan["units"]) + len(plan["media"])
        with click.progressbar(length=steps, label=f"importing {plan['slug']}") as bar:
            course, created = package_io.apply_plan(
                None, plan, progress=lambda _msg: bar.update(1), owner=owner
            )
        if publish:
            try:
                version = publishing.publish(None, course)
            except NothingToPublish:  # re-importing an unchanged package
                click.echo(f"unchanged: version {course.published_version} stays published")
            else:
                click.echo(f"published version {version.number}")
    except PackageError as exc:
        db.session.rollback()
        click.echo(f"refused: {exc.message}", err=True)
        _print_errors(exc)
        raise SystemExit(1) from None
    except CourseError as exc:
        db.session.rollback()
        click.echo(f"refused: {exc.message}", err=True)
        for problem in exc.errors:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"{'imported' if created else 'updated'} course {course.slug} ({course.uuid})")


@cli.command("export")
@click.argument("slug")
@click.argument("dest", type=click.Path(path_type=Path))
def export_command(slug: str, dest: Path):
    """Export the draft of a course as a package folder (or a .zip when DEST ends in .zip)."""
    from sqlalchemy import select

    from courses.models import Course
    from courses.services import package_export
    from courses.services.archive import write_zip
    from lms.db import db

    course = db.session.scalar(select(Course).filter_by(slug=slug))
    if course is None:
        raise click.ClickException(f"no course with the short name {slug!r}")
    files = package_export.export_files(course)
    if dest.suffix == ".zip":
        dest.write_bytes(write_zip(files))
    else:
        with click.progressbar(sorted(files.items()), label=f"exporting {slug}") as items:
            for name, data in items:
                target = dest / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    click.echo(f"exported {len(files)} files to {dest}")


@cli.command("list")
def list_command():
    """List the courses with their status and published version."""
    from sqlalchemy import select

    from courses.models import Course
    from lms.db import db

    for course in db.session.scalars(select(Course).order_by(Course.slug)):
        click.echo(f"{course.slug}\t{course.status}\tv{course.published_version or '-'}\t{course.uuid}")


@cli.command("send-reminders")
def send_reminders_command():
    """Queue reminder mails for learners who stalled (the scheduler does this daily)."""
    from courses.services.reminders import send_reminders
    from lms.db import db

    count = send_reminders()
    db.session.commit()
    click.echo(f"{count} reminders queued")
