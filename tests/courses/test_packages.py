"""Course packages: export -> import round-trips; invalid packages are refused whole with every error
(file, line, reason); zip slip, zip bombs, oversized files and wrong media types are caught."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select

from lms.db import db
from tests.courses.conftest import build_course

COURSE_YAML = """\
slug: emissions
source_language: en
languages: [en, fr]
level: intermediate
estimated_minutes: 30
articles: [8]
title: {en: Emissions, fr: Émissions}
summary: {en: Article 8 in practice., fr: L'article 8 en pratique.}
units:
  - title: {en: Sources, fr: Sources}
    items:
      - lesson: sources
        minutes: 10
      - quiz: check
"""
LESSON_EN = "---\ntitle: Point sources\n---\n\nCoal-fired power plants are listed in **Annex D**.\n"
LESSON_FR = "---\ntitle: Sources ponctuelles\n---\n\nLes centrales au charbon figurent à l'**annexe D**.\n"
QUIZ = """\
title: {en: Check, fr: Vérification}
pass_mark: 50
questions:
  - kind: truefalse
    prompt: {en: Coal-fired power plants are in Annex D., fr: Les centrales au charbon sont à l'annexe D.}
    answer: true
  - kind: numeric
    prompt:
      en: How many source categories does Annex D list?
      fr: Combien de catégories l'annexe D liste-t-elle ?
    answer: 5
"""


def package(**overrides) -> dict[str, bytes]:
    files = {
        "course.yaml": COURSE_YAML,
        "lessons/en/sources.md": LESSON_EN,
        "lessons/fr/sources.md": LESSON_FR,
        "quizzes/check.yaml": QUIZ,
    }
    files.update(overrides)
    return {k: v.encode() if isinstance(v, str) else v for k, v in files.items() if v is not None}


def zipped(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _errors(files):
    from courses.services.errors import PackageError
    from courses.services.package_io import import_files

    with pytest.raises(PackageError) as info:
        import_files(None, files)
    db.session.rollback()
    return info.value.errors


def test_a_valid_package_imports_as_a_draft(app):
    from courses.services.package_io import import_files
    from courses.services.publishing import draft_view

    course, created = import_files(None, package())
    db.session.commit()
    assert created and course.slug == "emissions" and course.status == "draft" and course.articles == [8]
    view = draft_view(course, "fr")
    assert view.title == "Émissions" and view.s["languages"] == ["en", "fr"]
    lesson = view.item("sources")
    assert view.texts(lesson["texts"])[0]["title"] == "Sources ponctuelles"
    quiz = view.item("check")
    assert [q["kind"] for q in quiz["questions"]] == ["truefalse", "numeric"]


def test_export_then_import_gives_the_same_course(app, trainer):
    from courses.models import Course
    from courses.services import authoring, authoring_quiz, translation
    from courses.services.package_export import export_files
    from courses.services.package_io import import_files
    from courses.services.snapshot import build_snapshot
    from courses.services.texts import content_hash

    course = build_course(trainer, slug="basics", publish=False)
    quiz = next(i for i in course.units[0].items if i.kind == "quiz")
    authoring_quiz.add_question(
        trainer,
        quiz,
        kind="matching",
        data={
            "prompt": "Match",
            "pairs": [
                {"id": "p1", "source": "Art. 3", "target": "Supply"},
                {"id": "p2", "source": "Art. 8", "target": "Emissions"},
            ],
        },
    )
    authoring_quiz.add_question(
        trainer,
        quiz,
        kind="ordering",
        data={"prompt": "Order", "items": [{"id": "s1", "text": "One"}, {"id": "s2", "text": "Two"}]},
    )
    authoring_quiz.add_question(
        trainer,
        quiz,
        kind="multiple",
        data={
            "prompt": "Pick",
            "feedback_correct": "Yes!",
            "options": [{"text": "A", "correct": True}, {"text": "B", "feedback": "No"}],
        },
    )
    history = next(i for i in course.units[0].items if i.slug == "history")
    translation.save_translation(
        trainer, course, history.uuid, "es", {"title": "Historia", "body": "Adoptado en 2013."}
    )
    translation.save_translation(
        trainer, course, course.uuid, "es", {"title": "La Convención", "summary": "Resumen."}
    )
    # A stale translation stays stale through the round trip.
    authoring.update_lesson(
        trainer, history, slug="history", title="History", body="Changed source.", required=True, minutes=10
    )
    png = b"\x89PNG\r\n\x1a\n" + b"\1" * 40
    from courses.demo.xapi_package import build
    from courses.services.media import save_media
    from courses.services.xapi_packages import add_package

    add_package(
        trainer, course.units[0], slug="self-check", title="Self-check", required=True, data=build("cmi5")
    )

    save_media(trainer, course, "map.png", png)
    db.session.commit()
    before = build_snapshot(course)
    files = export_files(course)
    assert "lessons/es/history.md" in files and "media/map.png" in files and "quizzes/check.yaml" in files
    assert "packages/self-check/cmi5.xml" in files and "packages/self-check/index.html" in files
    assert b"translation_hashes" in files["course.yaml"]
    # Remove the course, import the export: the same course comes back.
    db.session.delete(db.session.get(Course, course.id))
    db.session.commit()
    again, created = import_files(trainer, files)
    db.session.commit()
    after = build_snapshot(again)
    assert created and content_hash(after) == content_hash(before)
    from courses.services.translation import overview

    assert {r["uuid"]: r["status"] for r in overview(again, "es")}[history.uuid] == "stale"
    # Importing the same package again replaces the draft in place (same ids): nothing changes.
    import_files(trainer, export_files(again))
    db.session.commit()
    assert content_hash(build_snapshot(again)) == content_hash(before)


def test_every_error_is_listed_with_file_and_line(app):
    bad_course = COURSE_YAML.replace("level: intermediate", "level: expert\ncolour: blue")
    bad_quiz = QUIZ.replace("answer: 5", "answer: five")
    files = package(
        **{
            "course.yaml": bad_course,
            "quizzes/check.yaml": bad_quiz,
            "lessons/fr/sources.md": None,
            "notes.txt": "hello",
        }
    )
    errors = _errors(files)
    found = {(f, reason.split(" ")[0]) for f, _line, reason in errors}
    assert ("course.yaml", "level") in found
    assert any(f == "course.yaml" and line == 5 and "unknown key colour" in r for f, line, r in errors)
    assert any(f == "lessons/fr/sources.md" and "missing" in r for f, _l, r in errors)
    assert any(f == "quizzes/check.yaml" and "must be a number" in r for f, _l, r in errors)
    assert any(f == "notes.txt" and "unexpected file" in r for f, _l, r in errors)
    from courses.models import Course

    assert db.session.scalar(select(Course)) is None


def test_bad_yaml_reports_the_line(app):
    errors = _errors(package(**{"quizzes/check.yaml": "title: {en: Check\nquestions: [\n"}))
    assert (
        errors[0][0] == "quizzes/check.yaml" and isinstance(errors[0][1], int) and "bad YAML" in errors[0][2]
    )
    errors = _errors(package(**{"lessons/en/sources.md": "---\ntitle: [unclosed\n---\nBody\n"}))
    assert errors[0][0] == "lessons/en/sources.md" and errors[0][1] >= 2
    errors = _errors(package(**{"course.yaml": "a: &x [1]\nb: *x\n"}))
    assert "aliases" in errors[0][2]


def test_missing_translations_of_required_fields(app):
    course = COURSE_YAML.replace("title: {en: Emissions, fr: Émissions}", "title: {en: Emissions}")
    quiz = QUIZ.replace(", fr: Les centrales au charbon sont à l'annexe D.}", "}")
    errors = _errors(package(**{"course.yaml": course, "quizzes/check.yaml": quiz}))
    reasons = " | ".join(r for _f, _l, r in errors)
    assert "title: missing the fr translation" in reasons
    assert "missing fr translations" in reasons


@pytest.mark.parametrize(
    "name", ["../evil.md", "/etc/passwd", "lessons/../../x.md", "C:/windows.md", "lessons\\en\\x.md"]
)
def test_zip_slip_is_refused(app, name):
    from courses.services.errors import PackageError
    from courses.services.package_io import files_from_zip

    with pytest.raises(PackageError) as info:
        files_from_zip(zipped({**package(), name: b"x"}))
    assert any("unsafe path" in r for _f, _l, r in info.value.errors)


def test_zip_bomb_and_oversized_files_are_refused(app):
    from courses.services import archive
    from courses.services.errors import PackageError

    bomb = zipped({**package(), "media/zeros.png": b"\0" * (3 * 1024 * 1024)})
    with pytest.raises(PackageError) as info:
        archive.read_zip(bomb)
    assert any("compression ratio" in r for _f, _l, r in info.value.errors)
    with pytest.raises(PackageError) as info:
        archive.read_zip(zipped({"a.bin": b"x" * 2048}), max_file=1024)
    assert any("larger than" in r for _f, _l, r in info.value.errors)
    with pytest.raises(PackageError) as info:
        archive.read_zip(zipped({"a.bin": b"x" * 600, "b.bin": b"y" * 600}), max_total=1000)
    assert any("add up to more than" in r for _f, _l, r in info.value.errors)
    with pytest.raises(PackageError):
        archive.read_zip(b"not a zip at all")


def test_symlinks_in_zips_are_refused(app):
    from courses.services import archive
    from courses.services.errors import PackageError

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("media/link.png")
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(PackageError) as exc:
        archive.read_zip(buf.getvalue())
    assert any("symbolic links" in r for _f, _l, r in exc.value.errors)


def test_wrong_media_types_are_refused(app):
    errors = _errors(package(**{"media/photo.png": b"GIF89a...", "media/run.exe": b"MZ"}))
    reasons = {f: r for f, _l, r in errors}
    assert "not really a PNG" in reasons["media/photo.png"]
    assert "only PNG, JPEG, GIF and WebP" in reasons["media/run.exe"]


def test_upload_in_the_browser(client, trainer, login):
    from courses.models import Course

    login(trainer)
    assert client.get("/courses/manage/import").status_code == 200
    bad = zipped(package(**{"course.yaml": COURSE_YAML + "extra: 1\n"}))
    resp = client.post(
        "/courses/manage/import",
        data={"file": (io.BytesIO(bad), "pkg.zip")},
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and "unknown key extra" in html and "nothing was imported" in html
    assert db.session.scalar(select(Course)) is None
    resp = client.post(
        "/courses/manage/import",
        data={"file": (io.BytesIO(b"PK\x03\x04junk"), "pkg.zip")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400
    # A zip of the folder (one top folder) is accepted too.
    good = zipped({f"emissions/{k}": v for k, v in package().items()})
    resp = client.post(
        "/courses/manage/import",
        data={"file": (io.BytesIO(good), "pkg.zip")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/courses/manage/emissions")
    resp = client.get("/courses/manage/emissions/export")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(resp.data)).namelist()
    assert {"course.yaml", "lessons/en/sources.md", "lessons/fr/sources.md", "quizzes/check.yaml"} <= set(
        names
    )


def test_cli_import_and_export(app, tmp_path):
    from courses.models import Course

    folder = tmp_path / "emissions"
    for name, data in package().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["courses", "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert "imported" in result.output
    assert db.session.scalar(select(Course).filter_by(slug="emissions")) is not None
    out = tmp_path / "out"
    result = runner.invoke(args=["courses", "export", "emissions", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "course.yaml").exists() and (out / "lessons" / "fr" / "sources.md").exists()
    (folder / "course.yaml").write_text(COURSE_YAML + "oops: [\n")
    result = runner.invoke(args=["courses", "import", str(folder)])
    assert result.exit_code != 0 and "course.yaml" in result.output and "bad YAML" in result.output


def test_a_broken_xapi_package_inside_a_course_package_is_listed(app):
    errors = _errors(
        package(
            **{
                "course.yaml": COURSE_YAML + "      - package: activity\n",
                "packages/activity/tincan.xml": "<tincan><activities><activity id='https://x.org/a'>"
                "<launch>gone.html</launch></activity></activities></tincan>",
            }
        )
    )
    assert any(f == "packages/activity/tincan.xml" and "not in the package" in r for f, _l, r in errors)
    errors = _errors(package(**{"course.yaml": COURSE_YAML + "      - package: nothing-here\n"}))
    assert any(f == "packages/nothing-here/" and "missing" in r for f, _l, r in errors)


def test_reimporting_the_published_course_says_there_is_nothing_to_publish(client, trainer, login):
    build_course(trainer, slug="basics")
    login(trainer)
    data = client.get("/courses/manage/basics/export").data

    def reimport():
        resp = client.post(
            "/courses/manage/import",
            data={"file": (io.BytesIO(data), "pkg.zip")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        return resp.get_data(as_text=True)

    assert "The package is the version learners already see: there is nothing to publish." in reimport()
    client.post("/courses/manage/basics/unpublish", data={})
    assert "Publish to show it to learners." in reimport()
