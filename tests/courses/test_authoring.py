"""Authoring in the browser (no JavaScript): a trainer creates, edits, reorders, previews, translates
and publishes a course; every change is in the audit trail; bad input is refused with a reason."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.db import db
from lms.models import AuditEntry


@pytest.fixture
def signed_trainer(client, trainer, login):
    login(trainer)
    return trainer


def _course():
    from courses.models import Course

    return db.session.scalar(select(Course).filter_by(slug="art-3"))


def _create(client):
    resp = client.post(
        "/courses/manage/new",
        data={
            "slug": "art-3",
            "source_language": "en",
            "title": "Mercury supply and trade",
            "summary": "Article 3 of the Convention.",
            "audience": "Focal points",
            "level": "intermediate",
            "estimated_minutes": "45",
            "articles": "3",
            "is_certificate": "y",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[-2000:]
    return _course()


def test_trainer_authors_and_publishes_a_course(client, signed_trainer):
    from courses.models import CourseVersion, Item, Question

    assert client.get("/courses/manage/").status_code == 200
    assert client.get("/courses/manage/new").status_code == 200
    course = _create(client)
    assert course.status == "draft" and course.articles == [3]
    assert client.get("/courses/manage/art-3").status_code == 200
    assert client.post("/courses/manage/art-3/units/new", data={"title": "Sources"}).status_code == 302
    unit = course.units[0]
    url = f"/courses/manage/art-3/units/{unit.uuid}/lessons/new"
    assert client.get(url).status_code == 200
    # Preview renders the Markdown on the server without saving anything.
    resp = client.post(
        url,
        data={
            "slug": "primary-mining",
            "title": "Primary mining",
            "body": "Primary mercury mining **must end** within 15 years.",
            "estimated_minutes": "10",
            "is_required": "y",
            "preview": "Preview",
        },
    )
    assert resp.status_code == 200 and "<strong>must end</strong>" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Item)) is None
    # Previewing needs only the text: the title and short name may come later.
    page = client.post(url, data={"body": "Only **the text** so far.", "preview": "Preview"})
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and "<strong>the text</strong>" in html
        and "This field is required" not in html
    )
    assert "formnovalidate" in html  # the browser does not ask for the required fields either
    # The text itself is still checked: too long, it is refused with the reason, not rendered.
    long = client.post(url, data={"body": "**x** " * 20_000, "preview": "Preview"})
    assert long.status_code == 200 and "<strong>x</strong>" not in long.get_data(as_text=True)
    assert "100000" in long.get_data(as_text=True).replace(",", "").replace("\u202f", "")
    assert db.session.scalar(select(Item)) is None
    resp = client.post(
        url,
        data={
            "slug": "primary-mining",
            "title": "Primary mining",
            "body": "Primary mercury mining **must end** within 15 years.",
            "estimated_minutes": "10",
            "is_required": "y",
        },
    )
    assert resp.status_code == 302
    client.post(
        url,
        data={
            "slug": "trade",
            "title": "Trade",
            "body": "Export needs written consent.",
            "estimated_minutes": "10",
            "is_required": "y",
        },
    )
    resp = client.post(
        f"/courses/manage/art-3/units/{unit.uuid}/quizzes/new",
        data={
            "slug": "quiz",
            "title": "Supply quiz",
            "pass_mark": "50",
            "max_attempts": "0",
            "draw": "0",
            "shuffle": "y",
            "estimated_minutes": "5",
            "is_required": "y",
        },
    )
    assert resp.status_code == 302
    quiz = db.session.scalar(select(Item).filter_by(slug="quiz"))
    assert client.get(f"/courses/manage/art-3/quizzes/{quiz.uuid}").status_code == 200
    base = f"/courses/manage/art-3/quizzes/{quiz.uuid}/questions/new"
    for kind in ("single", "multiple", "truefalse", "numeric", "fillin", "matching", "ordering"):
        assert client.get(f"{base}?kind={kind}").status_code == 200
    forms = {
        "single": {"options-0-text": "15 years", "options-0-correct": "y", "options-1-text": "5 years"},
        "multiple": {
            "options-0-text": "Export",
            "options-0-correct": "y",
            "options-1-text": "Import",
            "options-1-correct": "y",
            "options-2-text": "Smuggling",
        },
        "truefalse": {"truefalse": "true"},
        "numeric": {"answer": "15", "tolerance": "0"},
        "fillin": {"accepted": "consent\nwritten consent"},
        "matching": {
            "pairs-0-source": "Art. 3",
            "pairs-0-target": "Supply and trade",
            "pairs-1-source": "Art. 8",
            "pairs-1-target": "Emissions",
        },
        "ordering": {"steps-0-text": "Notify", "steps-1-text": "Consent", "steps-2-text": "Export"},
    }
    for kind, data in forms.items():
        resp = client.post(
            f"{base}?kind={kind}", data={"kind": kind, "prompt": f"A {kind} question", "points": "1", **data}
        )
        assert resp.status_code == 302, (
            kind,
            re.findall(r"<li>(.*?)</li>", resp.get_data(as_text=True).split("error-summary")[-1], re.S)[:5],
        )
    assert len(db.session.scalars(select(Question)).all()) == 7
    # A question edit page loads its rows back.
    single = db.session.scalar(select(Question).filter_by(kind="single"))
    html = client.get(f"/courses/manage/art-3/questions/{single.uuid}").get_data(as_text=True)
    assert 'value="15 years"' in html
    # Reorder: move "trade" up, before "primary-mining".
    trade = db.session.scalar(select(Item).filter_by(slug="trade"))
    assert (
        client.post(f"/courses/manage/art-3/items/{trade.uuid}/move", data={"direction": "up"}).status_code
        == 302
    )
    db.session.expire_all()
    assert [i.slug for i in _course().units[0].items] == ["trade", "primary-mining", "quiz"]
    # Preview as a learner (draft), then publish.
    resp = client.get("/courses/manage/art-3/preview/primary-mining")
    assert resp.status_code == 200 and "Preview of the draft" in resp.get_data(as_text=True)
    quiz_preview = client.get("/courses/manage/art-3/preview/quiz")
    assert quiz_preview.status_code == 200
    # Each question's weight is a labelled number (no "1 points"; 1.5 reads "1,5" in French).
    assert "· Points: 1</legend>" in quiz_preview.get_data(as_text=True)
    resp = client.post("/courses/manage/art-3/publish", data={"note": "First version"}, follow_redirects=True)
    assert "Version 1 is published." in resp.get_data(as_text=True)
    version = db.session.scalar(select(CourseVersion))
    assert version.number == 1 and version.note == "First version"
    assert client.get("/courses/art-3").status_code == 200
    from lms.registry import get_resource

    resource = get_resource("course", _course().uuid)
    assert resource.url == "/courses/art-3" and resource.articles == [3] and resource.is_published
    # The audit trail names who did what.
    actions = {e.action for e in db.session.scalars(select(AuditEntry))}
    assert {
        "courses.course_created",
        "courses.lesson_added",
        "courses.question_added",
        "courses.item_moved",
        "courses.course_published",
    } <= actions
    html = client.get("/courses/manage/art-3/audit").get_data(as_text=True)
    assert "Tomás Trainer" in html
    # Every action of this walk has a label and readable details, not its stored code.
    assert '<th scope="row">Version published</th>' in html and "<td>Version 1</td>" in html
    assert "<td>Moved up</td>" in html and '<th scope="row">Lesson added</th>' in html
    assert "courses." not in html.split("<tbody>", 1)[1] and "course published" not in html
    from courses.audit_labels import ACTION_LABELS

    assert actions <= ACTION_LABELS.keys()


def test_published_version_is_immutable_and_unpublish_archive(client, signed_trainer, course):
    from courses.models import CourseVersion

    lesson = next(i for i in course.units[0].items if i.slug == "history")
    client.post(
        f"/courses/manage/basics/lessons/{lesson.uuid}",
        data={
            "slug": "history",
            "title": "History (edited)",
            "body": "New text.",
            "estimated_minutes": "5",
            "is_required": "y",
        },
    )
    v1 = db.session.scalar(select(CourseVersion).filter_by(number=1))
    assert "History (edited)" not in str(v1.snapshot)
    assert "History (edited)" not in client.get("/courses/basics").get_data(as_text=True)
    assert "not published yet" in client.get("/courses/manage/basics").get_data(as_text=True)
    client.post("/courses/manage/basics/publish", data={})
    assert "History (edited)" in client.get("/courses/basics").get_data(as_text=True)
    assert client.post("/courses/manage/basics/unpublish").status_code == 302
    db.session.expire_all()
    assert course.status == "unpublished"
    from lms.registry import get_resource

    assert not get_resource("course", course.uuid).is_published
    client.post("/courses/manage/basics/archive")
    db.session.expire_all()
    assert course.status == "archived"
    resp = client.post("/courses/manage/basics/publish", data={}, follow_redirects=True)
    assert "An archived module cannot be published" in resp.get_data(as_text=True)


def test_bad_authoring_input_is_refused_and_nothing_is_written(client, signed_trainer):
    from courses.models import Course, Item, Question

    resp = client.post(
        "/courses/manage/new",
        data={
            "slug": "Bad Slug!",
            "source_language": "en",
            "title": "T",
            "summary": "S",
            "level": "introductory",
            "estimated_minutes": "5",
        },
    )
    assert resp.status_code == 200 and "lower-case letters" in resp.get_data(as_text=True)
    resp = client.post(
        "/courses/manage/new",
        data={
            "slug": "ok",
            "source_language": "en",
            "title": "T",
            "summary": "S",
            "level": "introductory",
            "estimated_minutes": "5",
            "articles": "3, 99",
        },
    )
    assert "between 1 and 35" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Course)) is None
    course = _create(client)
    client.post("/courses/manage/art-3/units/new", data={"title": "U"})
    unit = course.units[0]
    resp = client.post(
        f"/courses/manage/art-3/units/{unit.uuid}/quizzes/new",
        data={
            "slug": "q",
            "title": "Q",
            "pass_mark": "50",
            "max_attempts": "0",
            "draw": "0",
            "estimated_minutes": "5",
        },
    )
    quiz = db.session.scalar(select(Item).filter_by(slug="q"))
    resp = client.post(
        f"/courses/manage/art-3/quizzes/{quiz.uuid}/questions/new?kind=single",
        data={"kind": "single", "prompt": "P", "points": "1", "options-0-text": "A", "options-1-text": "B"},
    )
    assert resp.status_code == 200 and "exactly one correct option" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Question)) is None
    # Publishing a quiz without questions is refused with the reason.
    resp = client.post("/courses/manage/art-3/publish", data={}, follow_redirects=True)
    assert "Quiz q has no questions." in resp.get_data(as_text=True)
    assert _course().published_version is None
    # Deleting needs the confirmation box.
    resp = client.post(f"/courses/manage/art-3/items/{quiz.uuid}/delete", data={}, follow_redirects=True)
    assert "Tick the box" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Item).filter_by(slug="q")) is not None
    client.post(f"/courses/manage/art-3/items/{quiz.uuid}/delete", data={"confirm": "y"})
    db.session.expire_all()
    assert db.session.scalar(select(Item).filter_by(slug="q")) is None


def test_translation_side_by_side_with_status(client, signed_trainer, course):
    from courses.services.translation import overview

    lesson = next(i for i in course.units[0].items if i.slug == "history")
    html = client.get("/courses/manage/basics/translations/fr").get_data(as_text=True)
    assert "missing" in html
    url = f"/courses/manage/basics/translations/fr/{lesson.uuid}"
    html = client.get(url).get_data(as_text=True)
    assert "entered into force on 16 August 2017" in html  # the source, beside the form
    resp = client.post(url, data={"f_title": "Historique"})  # the body is required too
    assert resp.status_code == 200 and "Translate every required field" in resp.get_data(as_text=True)
    assert client.post(url, data={"f_title": "Historique", "f_body": "Adoptée en 2013."}).status_code == 302
    status = {r["uuid"]: r["status"] for r in overview(course, "fr")}
    assert status[lesson.uuid] == "up_to_date"
    # The source changes: the translation becomes stale.
    client.post(
        f"/courses/manage/basics/lessons/{lesson.uuid}",
        data={
            "slug": "history",
            "title": "History",
            "body": "Adopted in 2013, in force since 2017.",
            "estimated_minutes": "5",
            "is_required": "y",
        },
    )
    status = {r["uuid"]: r["status"] for r in overview(course, "fr")}
    assert status[lesson.uuid] == "stale"
    assert "stale" in client.get("/courses/manage/basics/translations/fr").get_data(as_text=True)
    client.post(url, data={"f_title": "Historique", "f_body": "Adoptée en 2013, en vigueur depuis 2017."})
    status = {r["uuid"]: r["status"] for r in overview(course, "fr")}
    assert status[lesson.uuid] == "up_to_date"
    # Question translations follow the source's options.
    question = next(q for i in course.units[0].items for q in i.questions if q.kind == "single")
    qurl = f"/courses/manage/basics/translations/fr/{question.uuid}"
    html = client.get(qurl).get_data(as_text=True)
    assert 'name="opt_a_text"' in html
    resp = client.post(
        qurl,
        data={
            "f_prompt": "Quand ?",
            "opt_a_text": "2013",
            "opt_b_text": "2017",
            "opt_c_text": "2020",
            "opt_a_feedback": "Adoption.",
        },
    )
    assert resp.status_code == 302
    assert client.get("/courses/manage/basics/translations/xx").status_code == 404
    assert client.get("/courses/manage/basics/translations/en").status_code == 404  # the source itself


@pytest.mark.parametrize("app_config", [{"COURSES_MAX_MEDIA_BYTES": 4096}])
def test_lesson_images_are_checked(client, signed_trainer, course):
    import io

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    resp = client.post(
        "/courses/manage/basics/media",
        data={"file": (io.BytesIO(png), "Map.png")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    resp = client.post(
        "/courses/manage/basics/media",
        data={"file": (io.BytesIO(b"<script>"), "x.png")},
        content_type="multipart/form-data",
    )
    assert "is not really a PNG image" in resp.get_data(as_text=True)
    resp = client.post(
        "/courses/manage/basics/media",
        data={"file": (io.BytesIO(b"<svg/>"), "x.svg")},
        content_type="multipart/form-data",
    )
    assert "only PNG, JPEG, GIF and WebP" in resp.get_data(as_text=True)
    big = b"\x89PNG\r\n\x1a\n" + b"\0" * 5000
    resp = client.post(
        "/courses/manage/basics/media",
        data={"file": (io.BytesIO(big), "big.png")},
        content_type="multipart/form-data",
    )
    assert "larger than 4 KB" in resp.get_data(as_text=True)
    from courses.models import Media

    assert [m.filename for m in db.session.scalars(select(Media))] == ["map.png"]
    with client.get("/courses/basics/media/map.png") as resp:  # authors see draft images
        assert resp.status_code == 200 and resp.mimetype == "image/png"


def test_message_learners_goes_through_the_outbox(client, signed_trainer, course, make_user):
    from courses.services import learning
    from courses.services.publishing import published_view
    from lms.models import OutboxMessage

    learner = make_user()
    learning.enrol(learner, course, published_view(course, "en"))
    db.session.commit()
    resp = client.post(
        "/courses/manage/basics/message", data={"subject": "Webinar next week", "body": "Join us."}
    )
    assert resp.status_code == 302
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [m.recipient for m in mails] == [learner.email] and mails[0].subject == "Webinar next week"
    html = client.get("/courses/manage/basics/learners").get_data(as_text=True)
    assert learner.name in html and 'value="0"' in html


def test_the_add_a_question_links_sit_in_a_row_without_bullets(client, signed_trainer):
    """The question kinds are a flex row: list markers would be drawn over the end of the previous link."""
    with client.get("/courses/static/courses.css") as static:
        css = static.get_data(as_text=True)
    assert "ul.actions{list-style:none" in css


def test_creating_a_module_says_module_in_its_flash(client, signed_trainer):
    _create(client)
    page = client.get("/courses/manage/art-3").get_data(as_text=True)
    assert "The module is created as a draft. Add units and lessons." in page
    assert "The course is created" not in page


def test_a_step_showing_a_media_file_never_uploaded_is_named_before_publishing(
    client, signed_trainer, course, trainer
):
    """A broken image would reach every reader of the step: the "before publishing" check names it, in
    any language's text, and publishing is refused until it is uploaded or the name corrected."""
    import io

    from courses.services import authoring, publishing

    lesson = next(i for u in course.units for i in u.items if i.slug == "reporting")
    authoring.update_lesson(
        trainer,
        lesson,
        slug="reporting",
        title="National reporting",
        body="A map: ![The parties](media/parties.png) and [the form](./media/form.png).",
        required=True,
        minutes=10,
    )
    db.session.commit()
    before = course.published_version
    problems = publishing.check_publishable(publishing.build_snapshot(course))
    assert [p for p in problems if "media/" in p] == [
        "Step reporting shows media/form.png, which is not among the module's media files: upload it or "
        "correct the name.",
        "Step reporting shows media/parties.png, which is not among the module's media files: upload it or "
        "correct the name.",
    ]
    page = client.get("/courses/manage/basics").get_data(as_text=True)
    assert "shows media/parties.png" in page
    resp = client.post("/courses/manage/basics/publish", data={}, follow_redirects=True)
    assert "shows media/parties.png" in resp.get_data(as_text=True)
    db.session.refresh(course)
    assert course.published_version == before
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    for name in ("parties.png", "form.png"):
        client.post(
            "/courses/manage/basics/media",
            data={"file": (io.BytesIO(png), name)},
            content_type="multipart/form-data",
        )
    assert not [p for p in publishing.check_publishable(publishing.build_snapshot(course)) if "media/" in p]


def test_a_new_module_or_kit_starts_in_the_language_the_trainer_works_in(client, signed_trainer):
    import re

    client.get("/language/fr")
    for url in ("/courses/manage/new", "/courses/kits/manage/new"):
        page = client.get(url).get_data(as_text=True)
        select_html = re.search(r'<select[^>]*name="source_language".*?</select>', page, re.S).group(0)
        assert re.search(
            r'<option[^>]*selected[^>]*value="fr"|<option[^>]*value="fr"[^>]*selected', select_html
        ), url
