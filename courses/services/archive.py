"""Safe reading of uploaded archives and package folders: zip slip, symbolic links, zip bombs (total
uncompressed size and compression ratio), oversized files and too many files are refused, with every
problem listed as ``(file, line, reason)``. Shared by course packages and xAPI/cmi5 packages."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path, PurePosixPath

from flask_babel import gettext as _

from courses.services.errors import PackageError

MAX_FILES = 2000
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for entries larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024


def safe_name(name: str) -> str | None:
    """A relative POSIX path inside the archive, or None when it could escape (zip slip)."""
    if not name or "\\" in name or "\0" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = PurePosixPath(name).parts
    if any(p in ("..", "") for p in parts):
        return None
    return "/".join(parts)


def read_zip(
    data: bytes,
    *,
    max_total: int = MAX_TOTAL_BYTES,
    max_file: int = MAX_FILE_BYTES,
    max_files: int = MAX_FILES,
) -> dict[str, bytes]:
    """Every regular file of a zip as ``{path: bytes}``. Refuses the whole archive on any problem."""
    errors: list[tuple[str, str, str]] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise PackageError(
            _("The upload is not a valid zip file."), errors=[("", "", _("not a zip file"))]
        ) from None
    infos = archive.infolist()
    if len(infos) > max_files:
        raise PackageError(
            _("The package is refused."), errors=[("", "", _("more than %(n)s files", n=max_files))]
        )
    total = 0
    wanted = []
    for info in infos:
        name = info.filename
        clean = safe_name(name.rstrip("/") if info.is_dir() else name)
        if clean is None:
            errors.append((name, "", _("unsafe path (it could be written outside the package)")))
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            errors.append((name, "", _("symbolic links are not allowed")))
            continue
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            errors.append((name, "", _("encrypted files are not allowed")))
            continue
        total += info.file_size
        if info.file_size > max_file:
            errors.append((name, "", _("file larger than %(n)s MB", n=max_file // (1024 * 1024))))
        elif info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            errors.append((name, "", _("compression ratio too high (possible zip bomb)")))
        wanted.append((info, clean))
    if total > max_total:
        errors.append(
            ("", "", _("the files add up to more than %(n)s MB uncompressed", n=max_total // (1024 * 1024)))
        )
    if errors:
        raise PackageError(_("The package is refused."), errors=errors)
    files: dict[str, bytes] = {}
    for info, clean in wanted:
        try:
            with archive.open(info) as fh:
                content = fh.read(max_file + 1)  # never trust the declared size alone
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
            errors.append((info.filename, "", _("cannot be read: %(reason)s", reason=str(exc))))
            continue
        if len(content) > max_file:
            errors.append((info.filename, "", _("file larger than %(n)s MB", n=max_file // (1024 * 1024))))
            continue
        if clean in files:
            errors.append((info.filename, "", _("appears twice in the archive")))
            continue
        files[clean] = content
    if errors:
        raise PackageError(_("The package is refused."), errors=errors)
    return files


def read_folder(
    path: str | Path,
    *,
    max_total: int = MAX_TOTAL_BYTES,
    max_file: int = MAX_FILE_BYTES,
    max_files: int = MAX_FILES,
) -> dict[str, bytes]:
    """Every regular file under a folder (hidden files and folders such as ``.git`` are skipped);
    symbolic links are refused."""
    root = Path(path)
    if not root.is_dir():
        raise PackageError(_("%(path)s is not a folder.", path=str(path)))
    errors, files, total = [], {}, 0
    for entry in sorted(root.rglob("*")):
        rel = entry.relative_to(root).as_posix()
        if any(part.startswith(".") for part in entry.relative_to(root).parts):
            continue
        if entry.is_symlink():
            errors.append((rel, "", _("symbolic links are not allowed")))
            continue
        if not entry.is_file():
            continue
        size = entry.stat().st_size
        total += size
        if size > max_file:
            errors.append((rel, "", _("file larger than %(n)s MB", n=max_file // (1024 * 1024))))
            continue
        if len(files) >= max_files:
            errors.append(("", "", _("more than %(n)s files", n=max_files)))
            break
        files[rel] = entry.read_bytes()
    if total > max_total:
        errors.append(("", "", _("the files add up to more than %(n)s MB", n=max_total // (1024 * 1024))))
    if errors:
        raise PackageError(_("The package is refused."), errors=errors)
    return files


def strip_common_root(files: dict[str, bytes], marker: str) -> dict[str, bytes]:
    """Zips made by "compress folder" put everything under one top folder: drop it when ``marker``
    (e.g. ``course.yaml``) is not at the root but is in that single folder."""
    if marker in files:
        return files
    tops = {p.split("/", 1)[0] for p in files}
    if len(tops) == 1:
        top = next(iter(tops))
        if f"{top}/{marker}" in files:
            return {p.split("/", 1)[1]: v for p, v in files.items() if "/" in p}
    return files


def write_zip(files: dict[str, bytes]) -> bytes:
    """A deterministic zip (sorted names, fixed timestamps), so exports of the same course are identical."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buf.getvalue()
