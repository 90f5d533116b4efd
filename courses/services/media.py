"""Images for lessons: type checked by content (not by the name), size-limited, stored once by SHA-256
under ``MEDIA_DIR/courses/blobs/`` so published versions keep the exact bytes they were published with."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from courses.models import Course, Media
from courses.services.errors import CourseError
from lms.db import db
from lms.models import audit

MAX_MEDIA_BYTES = 5 * 1024 * 1024
# extension -> (content type, magic-byte check)
TYPES = {
    "png": ("image/png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    "gif": ("image/gif", lambda b: b[:6] in (b"GIF87a", b"GIF89a")),
    "webp": ("image/webp", lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
}
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,100}$")


def max_media_bytes() -> int:
    return int(current_app.config.get("COURSES_MAX_MEDIA_BYTES", MAX_MEDIA_BYTES))


def check_media(filename: str, data: bytes) -> tuple[str, str]:
    """Return ``(clean filename, content type)`` or raise :class:`CourseError` with the reason."""
    name = (filename or "").strip().lower().replace(" ", "-")
    if "/" in name or "\\" in name or not _NAME_RE.match(name) or ".." in name:
        raise CourseError(
            _("The file name %(name)s is not allowed (letters, digits, - _ . only).", name=filename)
        )
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext not in TYPES:
        raise CourseError(_("%(name)s: only PNG, JPEG, GIF and WebP images are accepted.", name=filename))
    limit = max_media_bytes()
    if len(data) > limit:
        raise CourseError(_("%(name)s is larger than %(n)s KB.", name=filename, n=limit // 1024))
    content_type, looks_right = TYPES[ext]
    if not looks_right(data):
        raise CourseError(_("%(name)s is not really a %(ext)s image.", name=filename, ext=ext.upper()))
    return name, content_type


def blob_dir() -> Path:
    return Path(current_app.config["MEDIA_DIR"]) / "courses" / "blobs"


def blob_path(sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        raise ValueError("bad digest")
    return blob_dir() / sha256[:2] / sha256


def store_blob(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = blob_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return digest


def save_media(actor, course: Course, filename: str, data: bytes, *, check: bool = True) -> Media:
    """Add (or replace) an image of the course's draft. Flushes."""
    name, content_type = (
        check_media(filename, data) if check else (filename, TYPES[filename.rsplit(".", 1)[-1]][0])
    )
    digest = store_blob(data)
    row = db.session.scalar(select(Media).filter_by(course_id=course.id, filename=name))
    if row is None:
        row = Media(
            course_id=course.id, filename=name, content_type=content_type, size=len(data), sha256=digest
        )
        db.session.add(row)
    else:
        row.content_type, row.size, row.sha256 = content_type, len(data), digest
    db.session.flush()
    audit(actor, "courses.media_saved", "course", course.uuid, filename=name, sha256=digest)
    return row


def delete_media(actor, course: Course, media: Media) -> None:
    db.session.delete(media)
    audit(actor, "courses.media_deleted", "course", course.uuid, filename=media.filename)
    db.session.flush()


def draft_media(course: Course) -> list[Media]:
    return list(db.session.scalars(select(Media).filter_by(course_id=course.id).order_by(Media.filename)))
