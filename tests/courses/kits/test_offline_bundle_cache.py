"""The offline bundle of a published version is built once and then sent from the disk cache under the
instance folder; a bundle is built again whenever anything it shows may differ (another version,
language or answer key, a resource's file lost, the site's code or catalogues)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from lms.db import db
from tests.courses.kits.conftest import PDF, add_file_resource, build_kit

URL = "/courses/kits/trade/offline/en.zip"


@pytest.fixture
def builds(monkeypatch):
    """The bundles built, as ``(language, answers)``."""
    from courses.services import kits_offline

    made: list[tuple[str, bool]] = []
    real = kits_offline.offline_zip

    def counting(view, *, answers=False):
        made.append((view.language, answers))
        return real(view, answers=answers)

    monkeypatch.setattr(kits_offline, "offline_zip", counting)
    return made


def _cached(app) -> list[str]:
    root = Path(app.instance_path) / "cache" / "kit-bundles"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _index(resp) -> str:
    with zipfile.ZipFile(io.BytesIO(resp.data)) as archive:
        return archive.read("index.html").decode()


def test_the_second_request_is_sent_from_the_cache(app, client, trainer, builds):
    build_kit(trainer)
    first = client.get(URL)
    second = client.get(URL)
    assert builds == [("en", False)]
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert second.mimetype == "application/zip"
    assert second.headers["Content-Disposition"] == 'attachment; filename="trade-en.zip"'
    assert "private" in second.headers["Cache-Control"] and "public" not in second.headers["Cache-Control"]
    [name] = _cached(app)  # written aside and renamed: no temporary file is left
    assert name.startswith("en-plain-") and name.endswith(".zip")
    # A browser holding the bundle is told it has not changed.
    again = client.get(URL, headers={"If-None-Match": second.headers["ETag"].strip('"')})
    assert again.status_code == 304 and builds == [("en", False)]


def test_each_language_and_the_answer_key_have_their_own_bundle(app, client, trainer, login, builds):
    build_kit(trainer)
    client.get(URL)
    client.get("/courses/kits/trade/offline/fr.zip")
    login(trainer)
    key = client.get(URL + "?answers=1")
    assert "answer-key.html" in zipfile.ZipFile(io.BytesIO(key.data)).namelist()
    assert key.headers["Content-Disposition"] == 'attachment; filename="trade-en-facilitator.zip"'
    client.get(URL + "?answers=1")
    plain = client.get(URL)  # the same trainer without ?answers=1: the bundle without the key
    assert "answer-key.html" not in zipfile.ZipFile(io.BytesIO(plain.data)).namelist()
    assert builds == [("en", False), ("fr", False), ("en", True)]


def test_a_new_version_is_built_and_the_old_bundle_removed(app, client, trainer, builds):
    from courses.services import kits as authoring
    from courses.services.kits_snapshot import publish

    kit = build_kit(trainer)
    assert "Version 1" in _index(client.get(URL))
    old = _cached(app)
    fields = {**authoring.kit_fields(kit), "title": "Mercury trade, revised"}
    authoring.update_kit(trainer, kit, slug="trade", articles="3, 7", pass_mark=60, **fields)
    db.session.commit()
    # The draft changed, the published version did not: the cached bundle is still right.
    assert "Version 1" in _index(client.get(URL)) and len(builds) == 1
    publish(trainer, kit)
    db.session.commit()
    index = _index(client.get(URL))
    assert "Version 2" in index and "Mercury trade, revised" in index and len(builds) == 2
    assert len(_cached(app)) == 1 and _cached(app) != old


def test_a_lost_file_builds_the_bundle_again(app, client, trainer, builds):
    from courses.services.kits_snapshot import publish
    from courses.services.media import blob_path

    kit = build_kit(trainer, publish=False)
    part = add_file_resource(trainer, kit, PDF, "Day 1.pdf")
    publish(trainer, kit)
    db.session.commit()
    assert "files/Day 1.pdf" in zipfile.ZipFile(io.BytesIO(client.get(URL).data)).namelist()
    blob_path(part.settings["file"]["sha256"]).unlink()
    resp = client.get(URL)
    assert "files/Day 1.pdf" not in zipfile.ZipFile(io.BytesIO(resp.data)).namelist()
    assert len(builds) == 2


def test_new_code_or_catalogues_build_the_bundle_again(app, client, trainer, builds, monkeypatch):
    from courses.services import kits_offline

    build_kit(trainer)
    client.get(URL)
    client.get(URL)
    monkeypatch.setattr(kits_offline, "code_fingerprint", lambda: "another deployment")
    client.get(URL)
    assert len(builds) == 2


def test_the_code_fingerprint_follows_the_files(app, tmp_path):
    from courses.services.kits_offline import _fingerprint_of

    (tmp_path / "page.html").write_text("<p>one</p>")
    (tmp_path / "notes.txt").write_text("not read")
    before = _fingerprint_of((str(tmp_path),))
    (tmp_path / "notes.txt").write_text("still not read")
    assert _fingerprint_of((str(tmp_path),)) == before
    (tmp_path / "page.html").write_text("<p>two</p>")
    assert _fingerprint_of((str(tmp_path),)) != before


def test_a_bundle_removed_just_before_it_is_sent_is_built_again(app, client, trainer, builds, monkeypatch):
    """Another worker may replace a bundle (a newer version, a deployment) between finding and sending."""
    from courses.services import kits_offline
    from courses.views import kits as kit_views

    build_kit(trainer)
    client.get(URL)
    real = kits_offline.cached_bundle
    calls = []

    def removed_once(version, view, *, answers=False):
        path = real(version, view, answers=answers)
        if not calls:
            path.unlink()
        calls.append(path)
        return path

    monkeypatch.setattr(kit_views, "cached_bundle", removed_once)
    resp = client.get(URL)
    assert resp.status_code == 200 and "index.html" in zipfile.ZipFile(io.BytesIO(resp.data)).namelist()
    assert len(calls) == 2 and len(builds) == 2


def test_unpublishing_a_kit_removes_its_cached_bundles(app, client, trainer, login, builds):
    trade = build_kit(trainer)
    other = build_kit(trainer, slug="other")
    assert client.get(URL).status_code == 200
    assert client.get("/courses/kits/other/offline/en.zip").status_code == 200
    root = Path(app.instance_path) / "cache" / "kit-bundles"
    assert sorted(p.parent.name for p in root.rglob("*.zip")) == sorted([str(trade.id), str(other.id)])
    login(trainer)
    assert client.post("/courses/kits/manage/trade/unpublish").status_code == 302
    assert not (root / str(trade.id)).exists()
    assert [p.parent.name for p in root.rglob("*.zip")] == [str(other.id)]  # the other kit's stays
