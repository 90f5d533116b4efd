"""The offline bundle of a kit: one zip per kit and language with printable HTML of every document (the
overview, case studies, best practices, facilitator guide, each handout, the resources, whose files are
under ``files/``) and a printable test sheet, for venues without a connection. Parts missing in the
language are shown in the source language with a notice. Facilitators may add the test's answer key."""

from __future__ import annotations

import re
import unicodedata

from flask import render_template
from flask_babel import force_locale

from courses.services.archive import write_zip
from courses.services.kits_files import FORMAT_NAMES, bundle_paths, file_bytes
from courses.services.kits_snapshot import KitView


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-") or "handout"


def documents(view: KitView, *, answers: bool = False) -> list[dict]:
    """The bundle's documents in reading order: ``{"file", "template", "title_key"}``."""
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
    if view.s["questions"]:
        docs.append({"file": "test-sheet.html", "template": "test_sheet"})
        if answers:
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
            )
            files[doc["file"]] = html.encode("utf-8")
    files["style.css"] = render_template("courses/kits/offline/style.css").encode("utf-8")
    return write_zip(files)


def bundle_name(view: KitView) -> str:
    return f"{view.slug}-{view.language}.zip"
