"""Files held by a kit's resources: uploads checked by content and size, stored once by SHA-256, replaced
or swapped for an address; served only as the published version or the team's draft holds them; carried
by the offline bundle, the kit package and copies."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from courses.services.archive import write_zip
from lms.db import db
from tests.courses.kits.conftest import (
    JPEG,
    PDF,
    PNG,
    add_file_resource,
    build_kit,
    office_file,
    stored_blobs,
)
from tests.courses.kits.test_authorization import ROLES, _check

M = "/courses/kits/manage/trade"


def _resource(kit, title):
    from courses.services.kits_texts import source_fields

    return next(p for p in kit.parts_of("resource") if source_fields(kit, p.uuid).get("title") == title)


def _file_url(part, meta=None):
    meta = meta or part.settings["file"]
    return f"/courses/kits/{part.kit.slug}/files/{part.uuid}/{meta['sha256']}"


def _get(client, url):
    """A download, read whole then closed (the file it streams from is closed too)."""
    resp = client.get(url)
    resp.get_data()
    resp.close()
    return resp


def _post_resource(client, url, *, data=None, filename=None, title="Day 1", rtype="slides", address=""):
    form = {"title": title, "description": "", "type": rtype, "url": address}
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    return client.post(url, data=form, content_type="multipart/form-data")


@pytest.mark.parametrize(
    "filename, data, content_type, name",
    [
        ("Day 1 slides.pdf", PDF, "application/pdf", "Day 1 slides.pdf"),
        (
            "deck.pptx",
            office_file("pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "deck.pptx",
        ),
        (
            "notes.docx",
            office_file("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "notes.docx",
        ),
        (
            "figures.xlsx",
            office_file("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "figures.xlsx",
        ),
        ("deck.odp", office_file("odp"), "application/vnd.oasis.opendocument.presentation", "deck.odp"),
        ("notes.odt", office_file("odt"), "application/vnd.oasis.opendocument.text", "notes.odt"),
        ("figures.ods", office_file("ods"), "application/vnd.oasis.opendocument.spreadsheet", "figures.ods"),
        ("map.png", PNG, "image/png", "map.png"),
        ("C:\\photos\\site visit.JPEG", JPEG, "image/jpeg", "site visit.jpg"),
        ("données/Présentation.png", PDF, "application/pdf", "Présentation.pdf"),
    ],
)
def test_each_accepted_format_is_stored_by_content(app, trainer, filename, data, content_type, name):
    import hashlib

    from courses.services.media import blob_path

    kit = build_kit(trainer, publish=False)
    part = add_file_resource(trainer, kit, data, filename, rtype="document")
    meta = part.settings["file"]
    assert part.settings == {"type": "document", "file": meta}
    assert meta == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "name": name,
        "size": len(data),
        "content_type": content_type,
    }
    assert blob_path(meta["sha256"]).read_bytes() == data


@pytest.mark.parametrize(
    "filename, data",
    [
        ("slides.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a program renamed
        ("notes.docx", b"<!doctype html><script>alert(1)</script>"),  # a web page renamed
        ("deck.pptx", write_zip({"readme.txt": b"not a presentation"})),  # a zip that is no document
        ("deck.pptm", write_zip({"[Content_Types].xml": b"presentationml.presentation.macroEnabled"})),
        ("deck.odp", write_zip({"mimetype": b"application/epub+zip"})),  # another ODF-like zip
        ("empty.pdf", b""),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(app, client, trainer, login, filename, data):
    from courses.models_kits import KitPart, KitText

    build_kit(trainer, publish=False)
    before = (
        db.session.scalar(select(func.count(KitPart.id))),
        db.session.scalar(select(func.count(KitText.id))),
    )
    blobs = stored_blobs(app)
    login(trainer)
    resp = _post_resource(client, M + "/parts/new/resource", data=data, filename=filename)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "is not a file a kit can hold" in html
    assert stored_blobs(app) == blobs
    db.session.expire_all()
    assert before == (
        db.session.scalar(select(func.count(KitPart.id))),
        db.session.scalar(select(func.count(KitText.id))),
    )


def test_a_file_over_the_limit_is_refused(app, client, trainer, login):
    from courses.models_kits import KitPart

    app.config["COURSES_MAX_KIT_FILE_BYTES"] = 64
    kit = build_kit(trainer, publish=False)
    parts = len(kit.parts)
    blobs = stored_blobs(app)
    login(trainer)
    resp = _post_resource(client, M + "/parts/new/resource", data=PDF + b"x" * 64, filename="big.pdf")
    assert resp.status_code == 400
    assert "big.pdf is larger than" in resp.get_data(as_text=True)
    assert stored_blobs(app) == blobs
    assert db.session.scalar(select(func.count(KitPart.id))) == parts


def test_a_kit_s_files_stay_within_their_total(app, client, trainer, login):
    """Each file stored once counts once; a file that would pass the total is refused, nothing stored;
    replacing a part's file does not count the file it replaces."""
    from courses.models_kits import KitPart

    kit = build_kit(trainer, publish=False)
    first = add_file_resource(trainer, kit, PDF + b"a" * 20, "a.pdf")
    add_file_resource(trainer, kit, PDF, "b.pdf", title="B")
    add_file_resource(trainer, kit, PDF, "same.pdf", title="Same bytes")  # shared with B: counted once
    app.config["COURSES_MAX_KIT_FILES_TOTAL_BYTES"] = 2 * len(PDF) + 30
    parts, blobs = len(kit.parts), stored_blobs(app)
    login(trainer)
    resp = _post_resource(client, M + "/parts/new/resource", data=PDF + b"x" * 11, filename="more.pdf")
    assert resp.status_code == 400
    assert "files would add up to more than" in resp.get_data(as_text=True)
    assert stored_blobs(app) == blobs
    assert db.session.scalar(select(func.count(KitPart.id))) == parts
    within = PDF + b"y" * 25  # fits only because the file it replaces no longer counts
    resp = _post_resource(client, f"{M}/parts/{first.uuid}", data=within, filename="c.pdf", title="Day 1")
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(KitPart, first.id).settings["file"]["size"] == len(within)


@pytest.mark.parametrize(
    "rtype, address, data, message",
    [
        ("slides", "https://example.org/deck", PDF, "not both"),
        ("link", "", PDF, "Only slides and documents"),
        ("video", "", PDF, "Only slides and documents"),
        ("slides", "", None, "Give the address of the resource or upload a file"),
    ],
)
def test_exactly_one_of_address_or_file(app, client, trainer, login, rtype, address, data, message):
    build_kit(trainer, publish=False)
    blobs = stored_blobs(app)
    login(trainer)
    resp = _post_resource(
        client, M + "/parts/new/resource", data=data, filename="d.pdf", rtype=rtype, address=address
    )
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)
    assert stored_blobs(app) == blobs


def test_upload_replace_and_switch_back_to_an_address(app, client, trainer, login):
    kit = build_kit(trainer, publish=False)
    login(trainer)
    resp = _post_resource(client, M + "/parts/new/resource", data=PDF, filename="Day 1.pdf")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    part = _resource(kit, "Day 1")
    first = part.settings["file"]
    assert first["name"] == "Day 1.pdf"
    page = client.get(M + "/preview").get_data(as_text=True)
    assert "Day 1.pdf" in page and _file_url(part) in page and "PDF" in page
    edit = client.get(f"{M}/parts/{part.uuid}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in edit and "Current file: Day 1.pdf" in edit
    # Saving without a new file or an address keeps the file.
    assert _post_resource(client, f"{M}/parts/{part.uuid}", title="Day one").status_code == 302
    db.session.expire_all()
    assert part.settings["file"] == first
    # Another file replaces it; the old one stays stored (published versions may hold it).
    pptx = office_file("pptx")
    resp = _post_resource(client, f"{M}/parts/{part.uuid}", data=pptx, filename="deck.pptx", title="Day one")
    assert resp.status_code == 302
    db.session.expire_all()
    assert part.settings["file"]["name"] == "deck.pptx"
    assert _get(client, _file_url(part)).data == pptx
    # A refused replacement leaves the part as it was.
    resp = _post_resource(client, f"{M}/parts/{part.uuid}", data=b"MZ", filename="x.pdf", title="Day one")
    assert resp.status_code == 400
    db.session.expire_all()
    assert part.settings["file"]["name"] == "deck.pptx"
    # An address instead of the file.
    resp = _post_resource(
        client, f"{M}/parts/{part.uuid}", title="Day one", rtype="link", address="https://example.org/d"
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert part.settings == {"url": "https://example.org/d", "type": "link"}


def test_download_headers(app, client, trainer):
    from courses.services.kits_snapshot import publish

    kit = build_kit(trainer, publish=False)
    part = add_file_resource(trainer, kit, PDF, "Résumé atelier.pdf", rtype="document")
    publish(trainer, kit)
    db.session.commit()
    resp = _get(client, _file_url(part))
    assert resp.status_code == 200 and resp.data == PDF
    assert resp.mimetype == "application/pdf"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.cache_control.private and not resp.cache_control.public  # no shared cache keeps it
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''R%C3%A9sum%C3%A9%20atelier.pdf" in disposition
    page = client.get("/courses/kits/trade").get_data(as_text=True)
    assert _file_url(part) in page and "Résumé atelier.pdf" in page
    assert _get(client, _file_url(part)[:-1] + "0").status_code == 404  # the part holds another file
    assert (
        _get(client, f"/courses/kits/trade/files/{kit.parts_of('handout')[0].uuid}/{'0' * 64}").status_code
        == 404
    )


@pytest.fixture
def users(make_user, trainer):
    made = {role: make_user(role=role) for role in ROLES if role not in ("anonymous", "team")}
    return made | {"team": trainer}


def test_only_the_team_downloads_a_draft_file(app, client, trainer, users, login):
    from courses.services.kits_snapshot import unpublish

    kit = build_kit(trainer)  # published without the file
    part = add_file_resource(trainer, kit)
    draft_only = {"anonymous": 404, "learner": 404, "coordinator": 404, "trainer": 404, "team": 200}
    for role, want in (draft_only | {"admin": 200}).items():
        _check(client, login, users, role, "GET", _file_url(part), None, want)
    # Even once published, an unpublished kit serves its files to its team only.
    from courses.services.kits_snapshot import publish

    publish(trainer, kit)
    db.session.commit()
    for role in ROLES:
        _check(client, login, users, role, "GET", _file_url(part), None, 200)
    unpublish(trainer, kit)
    db.session.commit()
    for role, want in (draft_only | {"admin": 200}).items():
        _check(client, login, users, role, "GET", _file_url(part), None, want)


def test_the_published_version_keeps_its_bytes_after_the_draft_changes(app, client, trainer, login):
    from courses.services import kits as authoring
    from courses.services.kits_snapshot import has_unpublished_changes, publish

    kit = build_kit(trainer, publish=False)
    part = add_file_resource(trainer, kit, PDF, "deck.pdf")
    publish(trainer, kit)
    db.session.commit()
    old = dict(part.settings["file"])
    pptx = office_file("pptx")
    authoring.update_part(
        trainer, part, fields={"title": "Day 1"}, settings={"type": "slides", "upload": ("deck.pptx", pptx)}
    )
    db.session.commit()
    assert has_unpublished_changes(kit)
    new = part.settings["file"]
    assert _get(client, _file_url(part, old)).data == PDF  # visitors: the published file
    assert _get(client, _file_url(part, new)).status_code == 404  # the draft's file is the team's
    page = client.get("/courses/kits/trade").get_data(as_text=True)
    assert _file_url(part, old) in page and _file_url(part, new) not in page
    login(trainer)
    assert _get(client, _file_url(part, new)).data == pptx
    preview = client.get(M + "/preview").get_data(as_text=True)
    assert _file_url(part, new) in preview
    publish(trainer, kit)
    db.session.commit()
    client.post("/account/logout")
    assert _get(client, _file_url(part, old)).status_code == 404
    assert _get(client, _file_url(part, new)).data == pptx


def test_the_offline_bundle_holds_the_file(app, client, trainer):
    from courses.services.kits_snapshot import publish

    kit = build_kit(trainer, publish=False)
    add_file_resource(trainer, kit, PDF, "Day 1.pdf")
    add_file_resource(trainer, kit, office_file("docx"), "Day 1.pdf.docx", rtype="document", title="Notes")
    add_file_resource(
        trainer, kit, office_file("xlsx"), "Costs #2 100%.xlsx", rtype="document", title="Costs"
    )
    other = PDF.replace(b"1.4", b"1.5")
    add_file_resource(trainer, kit, other, "day 1.PDF", rtype="document", title="Map")  # a name taken
    publish(trainer, kit)
    db.session.commit()
    resp = client.get("/courses/kits/trade/offline/en.zip")
    archive = zipfile.ZipFile(io.BytesIO(resp.data))
    names = archive.namelist()
    assert archive.read("files/Day 1.pdf") == PDF
    assert "files/Day 1.pdf.docx" in names
    map_part = _resource(kit, "Map")
    assert archive.read(f"files/{map_part.uuid[:8]}/day 1.pdf") == other
    resources = archive.read("resources.html").decode()
    assert 'href="files/Day%201.pdf"' in resources
    # a name holding "#" or "%" is linked by its encoded form (else the link would point elsewhere)
    assert archive.read("files/Costs #2 100%.xlsx") == office_file("xlsx")
    assert 'href="files/Costs%20%232%20100%25.xlsx"' in resources
    assert "https://minamataconvention.org/" in resources  # the address of the other resource


def test_package_round_trip_carries_and_rechecks_the_file(app, client, trainer, login):
    from courses.models_kits import Kit
    from courses.services import kits_package
    from courses.services.archive import write_zip
    from courses.services.errors import PackageError
    from courses.services.kits_snapshot import build_snapshot
    from courses.services.media import blob_path

    kit = build_kit(trainer, publish=False)
    part = add_file_resource(trainer, kit, PDF, "Day 1.pdf")
    other = add_file_resource(trainer, kit, office_file("odt"), "Day 1.odt", rtype="document", title="N")
    same_name = add_file_resource(trainer, kit, PDF.replace(b"1.4", b"1.7"), "Day 1.pdf", title="Day 2")
    assert other.settings["file"]["name"] == "Day 1.odt"
    before = build_snapshot(kit)
    files = kits_package.export_files(kit)
    assert files["files/Day 1.pdf"] == PDF
    assert files["files/Day 1.odt"] == office_file("odt")
    assert files[f"files/{same_name.uuid[:8]}/Day 1.pdf"].startswith(b"%PDF-1.7")  # a name taken
    assert "file: files/Day 1.pdf" in files["kit.yaml"].decode()
    blob_path(part.settings["file"]["sha256"]).unlink()  # the import stores the bytes again
    login(trainer)
    resp = client.post(
        "/courses/kits/manage/import",
        data={"file": (io.BytesIO(write_zip(files)), "kit.zip")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    db.session.expire_all()
    assert build_snapshot(db.session.scalar(select(Kit).filter_by(slug="trade"))) == before
    assert blob_path(part.settings["file"]["sha256"]).read_bytes() == PDF
    # A package whose file is not what a kit may hold is refused whole.
    bad = dict(files, **{"files/Day 1.pdf": b"MZ\x90\x00"})
    with pytest.raises(PackageError) as info:
        kits_package.import_files(trainer, bad)
    assert any("is not a file a kit can hold" in reason for _f, _l, reason in info.value.errors)
    missing = {k: v for k, v in files.items() if not k.startswith("files/")}
    with pytest.raises(PackageError) as info:
        kits_package.import_files(trainer, missing)
    assert any("file must name a file of the package" in reason for _f, _l, reason in info.value.errors)
    stray = dict(files, **{"files/other.pdf": PDF})
    with pytest.raises(PackageError) as info:
        kits_package.import_files(trainer, stray)
    assert ("files/other.pdf", "", "unexpected file (not part of the package layout)") in info.value.errors
    db.session.rollback()
    assert build_snapshot(db.session.scalar(select(Kit).filter_by(slug="trade"))) == before


def test_a_copy_keeps_the_file(app, client, trainer, make_user, login):
    from courses.services import kits_copy
    from courses.services.kits_snapshot import publish

    kit = build_kit(trainer, publish=False)
    part = add_file_resource(trainer, kit, PDF, "Day 1.pdf")
    publish(trainer, kit)
    db.session.commit()
    other = make_user(role="trainer", email="other@example.org")
    copy = kits_copy.copy_kit(other, kit, slug="trade-asia", region="Asia", title="Trade", published=True)
    db.session.commit()
    copied = copy.parts_of("resource")[-1]
    assert copied.uuid != part.uuid and copied.settings == part.settings
    login(other)
    assert (
        _get(client, f"/courses/kits/trade-asia/files/{copied.uuid}/{part.settings['file']['sha256']}").data
        == PDF
    )
