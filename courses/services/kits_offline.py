"""The offline bundle of a kit: one zip per kit and language with printable HTML of every document (the
overview, case studies, best practices, facilitator guide, each handout, the resources, whose files are
under ``files/``), for venues without a connection. Parts missing in the language are shown in the
source language with a notice. Facilitators may add the printable test sheet, the test's answer key and
the exercises' expected outcomes.

A published version's bundle is built once and then served from a disk cache under the instance folder
(:func:`cached_bundle`)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from courses.services.archive import write_zip
from courses.services.kits_files import FORMAT_NAMES, bundle_paths, file_bytes, is_stored
from courses.services.kits_snapshot import KitView


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-") or "handout"


def documents(view: KitView, *, answers: bool = False) -> list[dict]:
    """The bundle's documents in reading order: ``{"file", "template", "title_key"}``. The test sheet
    and the answer key are in the facilitators' bundle (``answers``) only, as the exercises' expected
    outcomes in its guide are."""
    docs = [{"file": "index.html", "template": "index"}]
    if view.parts("case_study"):
        docs.append({"file": "case-studies.html", "template": "case_studies"})
    if view.parts("practice"):
        docs.append({"file": "best-practices.html", "template": "practices"})
    docs.append({"file": "facilitator-guide.html", "template": "guide"})
    for n, handout in enumerate(view.parts("handout"), start=1):
        docs.append(
            {
                "file": f"handout-{n:02d}-{_slug(handout['t'].get('title', ''))}.html",
                "template": "handout",
                "handout": handout,
            }
        )
    if view.parts("resource"):
        docs.append({"file": "resources.html", "template": "resources"})
    if view.s["questions"] and answers:
        docs.append({"file": "test-sheet.html", "template": "test_sheet"})
        docs.append({"file": "answer-key.html", "template": "answer_key"})
    return docs


def offline_zip(view: KitView, *, answers: bool = False) -> bytes:
    docs = documents(view, answers=answers)
    files: dict[str, bytes] = {}
    attached: dict[str, str] = {}  # resource part uuid -> its file's path in the bundle
    resources = {p["uuid"]: p for p in view.parts("resource")}
    for uuid, path in bundle_paths(resources.values()).items():
        data = file_bytes(resources[uuid]["settings"]["file"])
        if data is not None:
            files[path], attached[uuid] = data, path
    with force_locale(view.language):  # headings and notices in the bundle's language, not the visitor's
        for doc in docs:
            html = render_template(
                f"courses/kits/offline/{doc['template']}.html",
                view=view,
                docs=docs,
                doc=doc,
                handout=doc.get("handout"),
                files=attached,
                file_formats=FORMAT_NAMES,
                current_lang=view.language,
                show_outcomes=answers,
            )
            files[doc["file"]] = html.encode("utf-8")
    files["style.css"] = render_template("courses/kits/offline/style.css").encode("utf-8")
    return write_zip(files)


def bundle_name(view: KitView) -> str:
    return f"{view.slug}-{view.language}.zip"


# The cache ---------------------------------------------------------------------------------------------

# What a bundle is made with besides the version: the code and templates of the site, the compiled
# catalogues, and the libraries that write numbers, dates, language names and Markdown.
_CODE_SUFFIXES = (".py", ".html", ".css", ".mo")
_LIBRARIES = ("Babel", "Flask-Babel", "Jinja2", "Markdown", "nh3")


def _fingerprint_of(folders: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=-\n".encode())
    for folder in folders:
        root = Path(folder)
        for path in sorted(p for p in root.rglob("*") if p.suffix in _CODE_SUFFIXES and p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


_process_fingerprint = lru_cache(maxsize=4)(_fingerprint_of)


def code_fingerprint() -> str:
    """A digest of everything besides the version a bundle is built with: the ``lms`` and ``courses``
    packages (code, templates, styles), the translation catalogues and the versions of the libraries
    that format the pages. Read once per process, as Flask-Babel reads the catalogues once (a deployment
    restarts the workers); again on each call when templates are reloaded (development)."""
    import courses
    import lms

    catalogues = str(current_app.config.get("BABEL_TRANSLATION_DIRECTORIES") or "")
    folders = (
        str(Path(lms.__file__).parent),
        str(Path(courses.__file__).parent),
        *sorted(d for d in catalogues.split(";") if d),
    )
    if current_app.debug or current_app.config.get("TEMPLATES_AUTO_RELOAD"):
        return _fingerprint_of(folders)
    return _process_fingerprint(folders)


def cache_dir() -> Path:
    return Path(current_app.instance_path) / "cache" / "kit-bundles"


def drop_cached_bundles(kit_id: int) -> None:
    """Remove the kit's cached bundles (a kit taken out of the catalogue): a bundle still asked for,
    by a workshop that delivers it, is built again; a kit left unpublished no longer holds disk."""
    shutil.rmtree(cache_dir() / str(kit_id), ignore_errors=True)


def bundle_key(version, view: KitView, *, answers: bool) -> dict:
    """Everything a published version's bundle depends on. A :class:`KitVersion` is never changed once
    written (publishing an unchanged draft re-uses it; any change makes a new one), so its UUID and
    content hash stand for every text, part and question; each resource's stored file is named by its
    digest, so only whether it is still on disk can change (a lost file is listed as unavailable)."""
    files = []
    for part in view.parts("resource"):
        meta = part["settings"].get("file")
        if meta:
            files.append([part["uuid"], meta.get("sha256"), is_stored(meta)])
    return {
        "version": version.uuid,
        "content": version.content_hash,
        "language": view.language,
        "answers": bool(answers),
        "files": files,
        "code": code_fingerprint(),
    }


def cached_bundle(version, view: KitView, *, answers: bool = False) -> Path:
    """The bundle of the published ``version`` (read as ``view``) as a file in the cache, built by
    :func:`offline_zip` only when no file has its key. Written aside then renamed (``os.replace``): a
    concurrent request reads the whole file or builds its own. Older bundles of the same kit, language
    and answers (another version, code or set of files) are removed when a new one is written. Drafts
    are never cached (the offline bundle is of published versions only)."""
    key = json.dumps(bundle_key(version, view, answers=answers), sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()
    folder = cache_dir() / str(version.kit_id)
    stem = f"{view.language}-{'key' if answers else 'plain'}"
    path = folder / f"{stem}-{digest}.zip"
    if path.is_file():
        return path
    data = offline_zip(view, answers=answers)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".", suffix=".tmp", delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)
    for old in folder.glob(f"{stem}-*.zip"):
        if old != path:
            old.unlink(missing_ok=True)
    return path
