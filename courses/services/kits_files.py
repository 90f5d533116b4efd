"""Files held by a kit's resources (slides, documents, spreadsheets, images): the type is checked by
content (not by the name), the size is limited (``COURSES_MAX_KIT_FILE_BYTES``), and the bytes are stored
once by SHA-256 with the lessons' images (:func:`courses.services.media.store_blob`), so a published
version keeps serving the file it was published with after the draft replaces it.

A resource part with a file keeps in its settings ``file``: ``{"sha256", "name", "size",
"content_type"}`` instead of ``url``."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from courses.services.errors import CourseError
from courses.services.media import blob_path, store_blob
from lms.i18n import file_size

MAX_KIT_FILE_BYTES = 25 * 1024 * 1024
MAX_KIT_FILES_TOTAL_BYTES = 90 * 1024 * 1024
# Resource types that may hold a file instead of an address.
FILE_RESOURCE_TYPES = ("slides", "document")
# extension -> (content type, format shown to readers: lazy, so each reader, and each offline bundle,
# reads it in their own language)
FORMATS = {
    "pdf": ("application/pdf", _l("PDF")),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _l("PowerPoint")),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _l("Word")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _l("Excel")),
    "odp": ("application/vnd.oasis.opendocument.presentation", _l("OpenDocument Presentation")),
    "odt": ("application/vnd.oasis.opendocument.text", _l("OpenDocument Text")),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", _l("OpenDocument Spreadsheet")),
    "png": ("image/png", _l("PNG")),
    "jpg": ("image/jpeg", _l("JPEG")),
}
FORMAT_NAMES = {content_type: label for content_type, label in FORMATS.values()}
# The main part an OOXML package declares in [Content_Types].xml.
_OOXML_MAIN = {
    "pptx": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_ALIASES = {"jpeg": "jpg"}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_MANIFEST_LIMIT = 1024 * 1024


def max_kit_file_bytes() -> int:
    return int(current_app.config.get("COURSES_MAX_KIT_FILE_BYTES", MAX_KIT_FILE_BYTES))


def max_kit_files_total() -> int:
    """The most a kit's files may add up to: below a kit package's import limit (so that an exported
    kit imports again) and a bound on what one offline bundle holds in memory."""
    return int(current_app.config.get("COURSES_MAX_KIT_FILES_TOTAL_BYTES", MAX_KIT_FILES_TOTAL_BYTES))


def check_kit_total(kit_parts, data: bytes, *, replacing: str | None = None) -> None:
    """Refuse (:class:`CourseError`) a new file ``data`` that would take the files of ``kit_parts``
    (each stored once, whichever parts share it) past :func:`max_kit_files_total`; the file of the part
    ``replacing`` (its UUID) does not count."""
    digest = hashlib.sha256(data).hexdigest()
    sizes = {digest: len(data)}
    for part in kit_parts:
        meta = (part.settings or {}).get("file")
        if meta and part.uuid != replacing:
            sizes.setdefault(meta["sha256"], int(meta.get("size") or 0))
    limit = max_kit_files_total()
    if sum(sizes.values()) > limit:
        raise CourseError(
            _(
                "With this file, the kit's files would add up to more than %(size)s: remove or replace "
                "another file first.",
                size=file_size(limit),
            ),
            field="file",
        )


def _zip_entry(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    return archive.read(info) if info.file_size <= _MANIFEST_LIMIT else None


def _office_format(data: bytes) -> str | None:
    """``pptx``/``docx``/``xlsx``/``odp``/``odt``/``ods`` for a zip that is one of these, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            mimetype = _zip_entry(archive, "mimetype")
            if mimetype is not None:
                wanted = mimetype.strip().decode("ascii", "replace")
                return next((ext for ext in ("odp", "odt", "ods") if FORMATS[ext][0] == wanted), None)
            manifest = _zip_entry(archive, "[Content_Types].xml")
            if manifest is not None:
                return next((ext for ext, main in _OOXML_MAIN.items() if main in manifest), None)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, NotImplementedError):
        return None
    return None


def sniff(data: bytes) -> str | None:
    """The extension of an accepted format, read from the bytes (the name plays no part)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        return _office_format(data)
    return None


def clean_name(filename: str, ext: str) -> str:
    """The name a file is offered under: its last path segment without control or reserved characters,
    ending with the extension of the format found in its bytes."""
    name = unicodedata.normalize("NFC", str(filename or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_UNSAFE.sub("-", name).split()).strip(" .-")
    stem, dot, given = name.rpartition(".")
    if dot and given.lower() in (*FORMATS, *_ALIASES):  # a known format's extension: the right one
        name = stem
    stem = name.strip(" .-")[:100].rstrip(" .-") or "file"
    return f"{stem}.{ext}"


def check_kit_file(filename: str, data: bytes) -> dict:
    """The settings entry of a file (``sha256`` left out) or :class:`CourseError` with the reason."""
    shown = str(filename or "").strip() or _("The file")
    limit = max_kit_file_bytes()
    if len(data) > limit:
        raise CourseError(
            _("%(name)s is larger than %(size)s.", name=shown, size=file_size(limit)),
            field="file",
        )
    ext = sniff(data)
    if ext is None:
        raise CourseError(
            _(
                "%(name)s is not a file a kit can hold: only PDF, PowerPoint, Word, Excel and "
                "OpenDocument files and PNG or JPEG images are accepted (checked by their content, not "
                "their name).",
                name=shown,
            ),
            field="file",
        )
    return {"name": clean_name(filename, ext), "size": len(data), "content_type": FORMATS[ext][0]}


def save_kit_file(filename: str, data: bytes) -> dict:
    """Check then store a file; its settings entry ``{"sha256", "name", "size", "content_type"}``."""
    meta = check_kit_file(filename, data)
    return {"sha256": store_blob(data), **meta}


def is_stored(meta: dict) -> bool:
    """Whether a file entry's bytes are still on disk."""
    try:
        return blob_path(meta.get("sha256", "")).exists()
    except ValueError:
        return False


def lost_files(parts) -> set[str]:
    """The UUIDs of the resource ``parts`` whose file is no longer stored (shown as unavailable)."""
    return {p["uuid"] for p in parts if p["settings"].get("file") and not is_stored(p["settings"]["file"])}


def file_bytes(meta: dict) -> bytes | None:
    """The stored bytes of a file entry (None when the blob is missing)."""
    try:
        path = blob_path(meta.get("sha256", ""))
    except ValueError:
        return None
    return path.read_bytes() if path.exists() else None


def bundle_paths(parts, folder: str = "files") -> dict[str, str]:
    """A path inside an archive for the file of each resource part that has one (``{part uuid:
    path}``), named after the file; a name already taken goes in a folder named after the part."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for part in parts:
        meta = (part["settings"] if isinstance(part, dict) else part.settings or {}).get("file")
        if not meta:
            continue
        uuid = part["uuid"] if isinstance(part, dict) else part.uuid
        path = f"{folder}/{meta['name']}"
        if path.lower() in taken:
            path = f"{folder}/{uuid[:8]}/{meta['name']}"
        taken.add(path.lower())
        out[uuid] = path
    return out
