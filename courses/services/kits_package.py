"""Kit packages: import a validated plan into the draft (a new kit, or replacing the draft of the kit
with the same id) and export a draft as package files. Export then import gives the same kit (same ids,
texts, settings and translation status). Archives are read with the course packages' safe reader
(zip slip, zip bombs, symbolic links refused)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from courses.models_kits import Kit, KitPart, KitText
from courses.permissions import can_edit
from courses.services import yamlines
from courses.services.archive import MAX_FILE_BYTES, read_folder, read_zip, strip_common_root, write_zip
from courses.services.errors import CourseError, PackageError
from courses.services.kits_files import bundle_paths, file_bytes, max_kit_file_bytes
from courses.services.kits_package_read import FILES_FOLDER, SECTIONS, read_kit_package
from courses.services.kits_texts import FIELDS, STALE, get_text, set_text, status_of, texts_of
from courses.services.media import store_blob
from courses.services.package_export import per_lang, question_entry
from courses.services.package_io import own_imported, target_of, texts_to_write
from lms.db import db
from lms.models import audit

KINDS_TO_SECTIONS = {kind: section for section, kind in SECTIONS.items()}


def _max_file() -> int:
    """Per-file limit of a kit package: a resource's file may be as large as an upload."""
    return max(MAX_FILE_BYTES, max_kit_file_bytes())


def files_from_zip(data: bytes) -> dict[str, bytes]:
    return strip_common_root(read_zip(data, max_file=_max_file()), "kit.yaml")


def files_from_folder(path) -> dict[str, bytes]:
    return read_folder(path, max_file=_max_file())


def import_files(actor, files: dict[str, bytes], *, owner=None) -> tuple[Kit, bool]:
    """Validate then import; returns ``(kit, created)``. Raises :class:`PackageError` (nothing written).
    A new kit is owned by ``owner`` (default: the actor); only the kit's team replaces an existing one."""
    return apply_plan(actor, read_kit_package(files), owner=owner)


def _check_targets(actor, plan: dict) -> Kit | None:
    existing = db.session.scalar(select(Kit).filter_by(uuid=plan["uuid"]))
    by_slug = db.session.scalar(select(Kit).filter_by(slug=plan["slug"]))
    errors = []
    if by_slug is not None and (existing is None or by_slug.id != existing.id):
        errors.append(("kit.yaml", "", _("the slug %(slug)s belongs to another kit", slug=plan["slug"])))
    if existing is not None and actor is not None and not can_edit(actor, existing):
        errors.append(
            ("kit.yaml", "", _("the kit %(slug)s belongs to a team you are not in", slug=existing.slug))
        )
    if existing is not None and existing.source_language != plan["source_language"]:
        errors.append(("kit.yaml", "", _("the source language of an existing kit cannot change")))
    ids = [p["uuid"] for p in plan["parts"]] + [q["uuid"] for q in plan["questions"]]
    for row in db.session.scalars(select(KitPart).where(KitPart.uuid.in_(ids))):
        if existing is None or row.kit_id != existing.id:
            errors.append(("kit.yaml", "", _("id %(id)s is already used by another kit", id=row.uuid)))
    if existing is None and db.session.scalar(select(KitText.id).filter_by(part_uuid=plan["uuid"]).limit(1)):
        errors.append(("kit.yaml", "", _("id %(id)s is already used by another kit", id=plan["uuid"])))
    if errors:
        raise PackageError(_("The package is refused."), errors=errors)
    return existing


def apply_plan(actor, plan: dict, *, owner=None) -> tuple[Kit, bool]:
    existing = _check_targets(actor, plan)
    for data in plan.get("blobs", {}).values():  # checked when read; stored once every check passed
        store_blob(data)
    src = plan["source_language"]
    created = existing is None
    kit = target_of(Kit, existing, plan, actor)
    if existing is not None:
        for part in list(kit.parts):
            kit.parts.remove(part)
        db.session.execute(delete(KitText).where(KitText.kit_id == kit.id))
    kit.articles, kit.region, kit.pass_mark = plan["articles"], plan["region"], plan["pass_mark"]
    db.session.flush()
    hashes = plan.get("hashes", {})

    def texts(uuid, ptype, by_lang):
        for lang, fields, source_hash in texts_to_write(uuid, by_lang, src, hashes):
            set_text(kit, uuid, ptype, lang, fields, actor=actor, source_hash=source_hash)

    texts(kit.uuid, "kit", plan["texts"])
    positions: dict[str, int] = {}
    for p in plan["parts"]:
        positions[p["kind"]] = positions.get(p["kind"], 0) + 1
        part = KitPart(
            uuid=p["uuid"], kit=kit, kind=p["kind"], position=positions[p["kind"]], settings=p["settings"]
        )
        db.session.add(part)
        db.session.flush()
        texts(part.uuid, p["kind"], p["texts"])
    for n, q in enumerate(plan["questions"], start=1):
        part = KitPart(
            uuid=q["uuid"],
            kit=kit,
            kind="question",
            position=n,
            settings={"qkind": q["kind"], "points": q["points"], "spec": q["spec"]},
        )
        db.session.add(part)
        db.session.flush()
        texts(part.uuid, "question", q["texts"])
    audit(actor, "courses.kit_package_imported", "kit", kit.uuid, created=created)
    own_imported(actor, kit, created, owner)
    return kit, created


# Export ------------------------------------------------------------------------------------------------


def export_files(kit: Kit) -> dict[str, bytes]:
    """The draft of ``kit`` as package files (every translation, complete or not). Refused whole
    (:class:`CourseError` naming each resource) when a resource's stored file is gone: a package without
    it would import as a kit that lost the file."""
    from courses.services.kits_snapshot import build_snapshot

    src = kit.source_language
    rows = texts_of(kit)

    def texts(uuid):
        return {lang: dict(r.fields) for lang, r in rows.get(uuid, {}).items() if r.fields}

    stale: dict[str, dict[str, str]] = {}
    kinds = {p.uuid: (p.kind, (p.settings or {}).get("qkind")) for p in kit.parts}
    for uuid, by_lang in rows.items():
        ptype, qkind = kinds.get(uuid, ("kit", None))
        for lang, row in by_lang.items():
            if lang != src and row.fields and status_of(ptype, row, by_lang.get(src), qkind) == STALE:
                stale.setdefault(lang, {})[uuid] = row.source_hash
    snapshot = build_snapshot(kit)
    root: dict = {
        "format": 1,
        "id": kit.uuid,
        "slug": kit.slug,
        "source_language": src,
        "languages": snapshot["languages"] or [src],
        "articles": list(kit.articles or []),
        "region": kit.region or "",
        "pass_mark": kit.pass_mark,
    }
    ktexts = texts(kit.uuid)
    for key in (*FIELDS["kit"][0], *FIELDS["kit"][1]):
        value = per_lang(ktexts, key)
        if value:
            root[key] = value
    files = {}
    missing: list[str] = []
    attached = bundle_paths(kit.parts_of("resource"), FILES_FOLDER)
    for section, kind in SECTIONS.items():
        entries = []
        for part in kit.parts_of(kind):
            entry = {"id": part.uuid, **(part.settings or {})}
            if part.uuid in attached:
                data = file_bytes(entry["file"])
                if data is None:
                    missing.append(_missing_file(kit, part))
                else:
                    files[attached[part.uuid]] = data
                entry["file"] = attached[part.uuid]
            ptexts = texts(part.uuid)
            for key in (*FIELDS[kind][0], *FIELDS[kind][1]):
                value = per_lang(ptexts, key)
                if value:
                    entry[key] = value
            entries.append(entry)
        if entries:
            root[section] = entries
    if missing:
        raise CourseError(
            _("The kit cannot be exported: a resource's file is no longer stored. Nothing was written."),
            errors=missing,
        )
    if stale:
        root["translation_hashes"] = stale
    questions = [_question_doc(part, texts(part.uuid)) for part in kit.parts_of("question")]
    return {
        "kit.yaml": yamlines.dump(root).encode(),
        "test.yaml": yamlines.dump({"questions": questions}).encode(),
        **files,
    }


def _missing_file(kit: Kit, part: KitPart) -> str:
    row = get_text(part.uuid, kit.source_language)
    title = (row.fields.get("title") if row is not None else None) or part.uuid
    return _(
        "The file %(name)s of the resource “%(title)s” is missing: upload it again or remove it "
        "from the resource, then export.",
        name=part.settings["file"]["name"],
        title=title,
    )


def _question_doc(part: KitPart, qt: dict) -> dict:
    settings = part.settings or {}
    return question_entry(
        part.uuid, settings.get("qkind"), settings.get("points", 1), settings.get("spec"), qt
    )


def export_zip(kit: Kit) -> bytes:
    return write_zip(export_files(kit))
