"""webinars: command line (``minamata-lms webinars ...``). Each command commits once at its end."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.db import db
from webinars.errors import WebinarError

cli = AppGroup("webinars", help="Minamata Online archive: search index, media, imports, reminders.")


def _session(slug: str):
    from webinars.models import WebinarSession

    session = db.session.scalar(select(WebinarSession).where(WebinarSession.slug == slug))
    if session is None:
        raise click.ClickException(f"no session with the short name {slug!r}")
    return session


def _fail(exc: WebinarError):
    db.session.rollback()
    raise click.ClickException("\n".join([str(exc), *exc.details]))


@cli.command("reindex", help="Rebuild the search index of every published session.")
def reindex():
    from webinars import search, services
    from webinars.models import WebinarSession

    if db.session.get_bind().dialect.name == "sqlite":
        search.ensure_sqlite_fts(db.session.connection(), rebuild=True)
    total = 0
    for session in db.session.scalars(select(WebinarSession)):
        total += services.reindex(session)
    db.session.commit()
    click.echo(f"{total} search documents")


@cli.command(
    "transcode-audio",
    help="Make the Opus audio-only rendition (~32 kbit/s) of a session's video recording with ffmpeg.",
)
@click.argument("slug")
@click.option("--lang", "language", default="en", show_default=True)
@click.option("--bitrate", default="32k", show_default=True)
def transcode_audio(slug, language, bitrate):
    from webinars import media
    from webinars.models import Recording

    if not media.ffmpeg_available():
        raise click.ClickException("ffmpeg is not installed; upload an audio rendition instead")
    session = _session(slug)
    video = db.session.scalar(
        select(Recording).filter_by(session_id=session.id, language=language, kind="video")
    )
    if video is None or video.is_external:
        raise click.ClickException(f"no uploaded {language} video recording to transcode")
    try:
        name = media.transcode_to_opus(media.media_path(video.stored_name), db.session(), bitrate)
    except WebinarError as exc:
        _fail(exc)
    audio = db.session.scalar(
        select(Recording).filter_by(session_id=session.id, language=language, kind="audio")
    )
    if audio is None:
        audio = Recording(session=session, language=language, kind="audio")
        db.session.add(audio)
    else:
        media.delete_on_commit(db.session(), audio.stored_name)
    audio.stored_name, audio.external_url = name, None
    audio.original_name = f"{session.slug}-{language}.opus"
    audio.content_type = "audio/ogg"
    audio.size_bytes = (media.media_root() / name).stat().st_size
    db.session.commit()
    click.echo(f"{audio.original_name}: {audio.size_bytes} bytes")


def _import(slug: str, csv_file: Path, service):
    """Run an import ``service(actor, session, data)`` on a CSV file; a refused file exits non-zero
    with the reasons and stores nothing."""
    try:
        result = service(None, _session(slug), csv_file.read_bytes())
    except WebinarError as exc:
        _fail(exc)
    db.session.commit()
    return result


@cli.command("import-qa", help="Import the archived Q&A of a session from a CSV report.")
@click.argument("slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_qa(slug, csv_file):
    from webinars import qa

    count = _import(slug, csv_file, qa.import_qa_csv)
    click.echo(f"{count} questions imported")


@cli.command("import-attendance", help="Record live attendance of a session from a CSV report.")
@click.argument("slug")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_attendance(slug, csv_file):
    from webinars import tracking

    result = _import(slug, csv_file, tracking.import_attendance_csv)
    click.echo(", ".join(f"{k}: {v}" for k, v in result.items()))


@cli.command("send-reminders", help="Queue the reminder mails that are due now.")
def send_reminders():
    from webinars import tasks

    click.echo(f"{tasks.send_reminders()} reminders queued")


@cli.command("clean-media", help="Delete media files no recording or attachment refers to.")
@click.option("--dry-run", is_flag=True)
@click.option("--min-age", default=3600, show_default=True, help="Only files older than this (seconds).")
def clean_media(dry_run, min_age):
    from webinars import media
    from webinars.models import Attachment, Recording

    referenced = set(
        db.session.scalars(select(Recording.stored_name).where(Recording.stored_name.is_not(None)))
    )
    referenced |= set(db.session.scalars(select(Attachment.stored_name)))
    orphans = media.orphan_files(referenced, min_age)
    for path in orphans:
        click.echo(("would delete " if dry_run else "deleting ") + path.name)
        if not dry_run:
            path.unlink(missing_ok=True)
    click.echo(f"{len(orphans)} orphan file(s)")
