"""webinars: media files (recordings, audio renditions, slides) under ``MEDIA_DIR/webinars``.

Uploads are checked by extension *and* by their first bytes, streamed to a temporary file with a size
limit, then moved into place. File changes follow the database transaction: a file written during a
transaction that rolls back is removed, and a file replaced or deleted is only removed once the
transaction commits (see :func:`_after_commit` / :func:`_after_rollback`).
"""

from __future__ import annotations

import os
import shutil
import subprocess  # noqa: S404 - ffmpeg for the optional audio rendition
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.db import new_uuid
from webinars.errors import WebinarError

CHUNK = 64 * 1024

VIDEO_TYPES = {"mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "ogv": "video/ogg"}
AUDIO_TYPES = {
    "opus": "audio/ogg", "ogg": "audio/ogg", "oga": "audio/ogg", "mp3": "audio/mpeg", "m4a": "audio/mp4",
    "wav": "audio/wav", "weba": "audio/webm", "webm": "audio/webm",
}  # fmt: skip
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

KINDS = {"video": VIDEO_TYPES, "audio": AUDIO_TYPES, "document": DOCUMENT_TYPES}


def _magic_ok(ext: str, head: bytes) -> bool:
    if ext in ("mp4", "m4v", "m4a"):
        return head[4:8] == b"ftyp"
    if ext in ("webm", "weba"):
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if ext in ("ogv", "ogg", "oga", "opus"):
        return head.startswith(b"OggS")
    if ext == "mp3":
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    if ext == "wav":
        return head.startswith(b"RIFF") and head[8:12] == b"WAVE"
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext in ("pptx", "odp", "docx"):
        return head.startswith(b"PK\x03\x04")
    return False


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size_bytes: int


def media_root() -> Path:
    root = Path(current_app.config["MEDIA_DIR"]) / "webinars"
    root.mkdir(parents=True, exist_ok=True)
    return root


def media_path(stored_name: str) -> Path:
    """The absolute path of a stored file (names are generated, never taken from uploads)."""
    path = (media_root() / stored_name).resolve()
    if path.parent != media_root().resolve():
        raise WebinarError(_("Invalid media file name."))
    return path


def _extension(filename: str) -> str:
    name = os.path.basename(filename or "")
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def store_upload(stream, filename: str, kind: str, max_bytes: int, db_session: Session) -> StoredFile:
    """Check and store an upload (``stream``: a binary file object). ``kind``: video, audio or document.
    Raises :class:`WebinarError` with the reason; nothing is left on disk when refused."""
    allowed = KINDS[kind]
    original = os.path.basename(filename or "").strip()
    if not original:
        raise WebinarError(_("No file was uploaded."))
    ext = _extension(original)
    if ext not in allowed:
        raise WebinarError(
            _(
                "Files of type “.%(ext)s” are not accepted here; use one of: %(allowed)s.",
                ext=ext or "?",
                allowed=", ".join(f".{e}" for e in sorted(allowed)),
            )
        )
    stored_name = f"{new_uuid()}.{ext}"
    target = media_root() / stored_name
    tmp = media_root() / f".upload-{stored_name}"
    size = 0
    head = b""
    try:
        with open(tmp, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                if len(head) < 16:
                    head = (head + chunk)[:16]
                size += len(chunk)
                if size > max_bytes:
                    raise WebinarError(
                        _("The file is too large (limit %(mb)s MB).", mb=max(1, max_bytes // (1024 * 1024)))
                    )
                out.write(chunk)
        if size == 0:
            raise WebinarError(_("The uploaded file is empty."))
        if not _magic_ok(ext, head):
            raise WebinarError(
                _(
                    "The file's content does not match its “.%(ext)s” extension; it may be damaged or of "
                    "another type.",
                    ext=ext,
                )
            )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    track_new_file(db_session, stored_name)
    return StoredFile(stored_name, original[:255], allowed[ext], size)


def track_new_file(db_session: Session, stored_name: str) -> None:
    """Remove ``stored_name`` if the current transaction rolls back."""
    db_session.info.setdefault("webinars_new_files", set()).add(stored_name)


def delete_on_commit(db_session: Session, stored_name: str | None) -> None:
    """Remove ``stored_name`` once the current transaction commits."""
    if stored_name:
        db_session.info.setdefault("webinars_old_files", set()).add(stored_name)


def _remove(names) -> None:
    root = Path(current_app.config["MEDIA_DIR"]) / "webinars"
    for name in names:
        path = root / os.path.basename(name)
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_commit")
def _after_commit(db_session: Session) -> None:
    old = db_session.info.pop("webinars_old_files", set())
    db_session.info.pop("webinars_new_files", None)
    if old:
        _remove(old)


@event.listens_for(Session, "after_rollback")
def _after_rollback(db_session: Session) -> None:
    new = db_session.info.pop("webinars_new_files", set())
    db_session.info.pop("webinars_old_files", None)
    if new:
        try:
            _remove(new)
        except RuntimeError:  # no app context (interpreter shutdown): leave the orphan for clean-media
            pass


def write_generated(data: bytes, ext: str, db_session: Session) -> str:
    """Store bytes produced by the platform (demo media, transcoded audio); returns the stored name."""
    stored_name = f"{new_uuid()}.{ext}"
    (media_root() / stored_name).write_bytes(data)
    track_new_file(db_session, stored_name)
    return stored_name


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None


def transcode_to_opus(source: Path, db_session: Session, bitrate: str = "32k") -> str:
    """Produce an Opus (Ogg) audio rendition with ffmpeg; returns the stored name."""
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise WebinarError(_("ffmpeg is not installed on this server."))
    stored_name = f"{new_uuid()}.opus"
    target = media_root() / stored_name
    result = subprocess.run(  # noqa: S603 - fixed arguments, generated paths
        [
            exe,
            "-nostdin",
            "-loglevel",
            "error",
            "-i",
            str(source),
            "-vn",
            "-ac",
            "1",
            "-c:a",
            "libopus",
            "-b:a",
            bitrate,
            "-f",
            "ogg",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise WebinarError(_("ffmpeg failed: %(error)s", error=result.stderr.strip()[:500]))
    track_new_file(db_session, stored_name)
    return stored_name


def orphan_files(referenced: set[str], min_age_s: int = 3600) -> list[Path]:
    """Files under the media folder that no row refers to (left by crashes), older than ``min_age_s``
    (an upload may be in progress)."""
    import time

    now = time.time()
    return [
        p
        for p in media_root().iterdir()
        if p.is_file() and p.name not in referenced and now - p.stat().st_mtime >= min_age_s
    ]
