"""A resource whose stored file is gone from disk: the offline bundle lists it with a visible "file
unavailable" note and no link; the kit package is refused whole, naming the resource."""

from __future__ import annotations

import io
import zipfile

from lms.db import db
from tests.courses.kits.conftest import PDF, add_file_resource, build_kit

UNAVAILABLE = "File unavailable: it is not in this bundle; ask the kit's team for it."


def _kit_with_a_lost_file(trainer):
    """The kit "trade" published with two files, "Day 1" (lost from disk) and "Map" (still there)."""
    from courses.services.kits_snapshot import publish
    from courses.services.media import blob_path

    kit = build_kit(trainer, publish=False)
    lost = add_file_resource(trainer, kit, PDF, "Day 1 slides.pdf")
    add_file_resource(trainer, kit, PDF.replace(b"1.4", b"1.5"), "Map.pdf", rtype="document", title="Map")
    publish(trainer, kit)
    db.session.commit()
    blob_path(lost.settings["file"]["sha256"]).unlink()
    return kit


def _zip(resp) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(resp.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_bundle_lists_a_lost_file_as_unavailable_without_a_link(app, client, trainer):
    _kit_with_a_lost_file(trainer)
    resp = client.get("/courses/kits/trade/offline/en.zip")
    assert resp.status_code == 200
    files = _zip(resp)
    assert "files/Day 1 slides.pdf" not in files and files["files/Map.pdf"].startswith(b"%PDF-1.5")
    page = files["resources.html"].decode()
    item = next(li for li in page.split("<li") if "Day 1" in li)
    assert "Day 1 slides.pdf" in item and UNAVAILABLE in item
    assert "<a " not in item and 'href=""' not in page
    assert 'href="files/Map.pdf"' in page  # the file still stored is linked as before
    assert page.count(UNAVAILABLE) == 1
    # The lost file is not an online resource either.
    assert "These resources are online" in page  # (the Convention's website is)


def test_the_bundle_note_is_in_the_bundle_s_language(app, client, trainer, lookups):
    """The note goes through gettext in the bundle's language (force_locale), like its other words."""
    _kit_with_a_lost_file(trainer)
    client.get("/courses/kits/trade/offline/fr.zip")
    assert ("File unavailable: it is not in this bundle; ask the kit's team for it.", "fr") in lookups


def test_the_export_is_refused_naming_the_resource(app, client, trainer, login):
    from courses.services import kits_package
    from courses.services.errors import CourseError

    kit = _kit_with_a_lost_file(trainer)
    login(trainer)
    resp = client.get("/courses/kits/manage/trade/export")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/courses/kits/manage/trade")
    assert resp.mimetype != "application/zip"
    page = client.get("/courses/kits/manage/trade").get_data(as_text=True)
    refusal = "The kit cannot be exported: a resource&#39;s file is no longer stored. Nothing was written."
    assert refusal in page
    assert (
        "The file Day 1 slides.pdf of the resource “Day 1” is missing: upload it again or remove it "
        "from the resource, then export."
    ) in page
    assert "Map" not in page.split("The kit cannot be exported")[1].split("</div>")[0]
    try:
        kits_package.export_files(kit)
    except CourseError as exc:
        assert len(exc.errors) == 1
    else:
        raise AssertionError("a package without the file was written")


def test_the_kit_page_shows_a_lost_file_as_unavailable_instead_of_a_broken_link(app, client, trainer):
    _kit_with_a_lost_file(trainer)
    page = client.get("/courses/kits/trade").get_data(as_text=True)
    item = next(li for li in page.split("<li") if "Day 1" in li)
    assert "File unavailable: ask the kit's team for it." in item
    assert "<a " not in item.split("</li>")[0]
    assert "/files/" in next(li for li in page.split("<li") if "Map" in li)  # the stored one is linked
