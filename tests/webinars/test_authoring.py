"""Authoring through the browser: seasons, sessions, translations, uploads (refused ones say why and
keep nothing), chapters, Q&A and attendance imports, publishing, moderation."""

import functools
import io
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.registry import get_resource
from webinars.models import Attachment, CaptionTrack, Chapter, QAItem, Recording, Season, WebinarSession

from .conftest import VTT_EN, mp4_bytes, session_form, wav_bytes


@pytest.fixture
def make_session(make_session, trainer):
    """The signed-in trainer owns the sessions these tests manage."""
    return functools.partial(make_session, owner=trainer)


def test_create_season_and_session_then_publish(client, trainer):
    resp = client.post(
        "/webinars/manage/seasons/new",
        data={"number": "5", "source_language": "en", "title": "Season 5", "description": ""},
    )
    assert resp.status_code == 303
    season = db.session.scalar(select(Season))
    assert season.titles == {"en": "Season 5"} and season.source_language == "en"
    resp = client.post(
        "/webinars/manage/sessions/new",
        data={
            "season": str(season.id),
            "source_language": "en",
            "title": "Mercury waste (Article 11)",
            "description": "Environmentally sound management of **mercury waste**.",
            "start": "2024-11-20T13:00",
            "second_start": "2024-11-21T02:00",
            "duration_min": "90",
            "speakers": "Jane Doe — Secretariat\nJohn Roe",
            "articles": "11, 12",
            "languages": "en, fr, es, ar, zh, ru",
        },
    )
    assert resp.status_code == 303
    s = db.session.scalar(select(WebinarSession))
    assert resp.headers["Location"].endswith(f"/webinars/manage/s/{s.slug}")
    assert s.slug == "mercury-waste-article-11" and s.articles == [11, 12] and len(s.languages) == 6
    # Entered in the trainer's zone (France: UTC+1 in November), stored in UTC.
    assert s.start_dt == datetime(2024, 11, 20, 12, tzinfo=UTC) and s.second_start_dt.hour == 1
    assert s.speakers == [
        {"name": "Jane Doe", "affiliation": "Secretariat"},
        {"name": "John Roe", "affiliation": ""},
    ]
    assert not s.is_published and get_resource("webinar", s.uuid) is None
    resp = client.get(f"/webinars/manage/s/{s.slug}")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200, page[page.find("<main") :][:1500]
    assert "Upload captions" in page, page[page.find("<main") :]
    assert "Import Q&A" in page
    assert client.post(f"/webinars/manage/s/{s.slug}/publish", data={"publish": "1"}).status_code == 303
    assert get_resource("webinar", s.uuid).is_published
    assert client.post(f"/webinars/manage/s/{s.slug}/publish", data={"publish": "0"}).status_code == 303
    assert not get_resource("webinar", s.uuid).is_published


def test_bad_session_form_is_refused(client, trainer, season):
    resp = client.post(
        "/webinars/manage/sessions/new",
        data={
            "season": str(season.id),
            "source_language": "en",
            "title": "X",
            "start": "not a date",
            "duration_min": "90",
            "languages": "en, xx",
        },
    )
    assert resp.status_code == 400
    resp = client.post(
        "/webinars/manage/sessions/new",
        data={
            "season": str(season.id),
            "source_language": "en",
            "title": "X",
            "start": "2024-01-01T10:00",
            "duration_min": "90",
            "languages": "en, xx",
        },
    )
    assert resp.status_code == 400 and "Unknown language code(s): xx" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(WebinarSession.id))) == 0


def test_translation_of_title_and_description(client, trainer, make_session):
    s = make_session()
    resp = client.post(
        f"/webinars/manage/s/{s.slug}/text",
        data={
            "text-language": "ar",
            "text-title": "المنتجات المضاف إليها الزئبق",
            "text-description": "جلسة",
        },
    )
    assert resp.status_code == 303
    db.session.refresh(s)
    assert s.titles["ar"] == "المنتجات المضاف إليها الزئبق"
    assert "ar" in get_resource("webinar", s.uuid).titles


def test_uploads_recording_audio_captions_slides(client, trainer, make_session):
    s = make_session()
    r = client.post(
        f"/webinars/manage/s/{s.slug}/recordings",
        data={"rec-language": "en", "rec-kind": "video", "rec-file": (io.BytesIO(mp4_bytes()), "talk.mp4")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    r = client.post(
        f"/webinars/manage/s/{s.slug}/recordings",
        data={"rec-language": "fr", "rec-kind": "audio", "rec-file": (io.BytesIO(wav_bytes()), "fr.wav")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    r = client.post(
        f"/webinars/manage/s/{s.slug}/recordings",
        data={
            "rec-language": "es",
            "rec-kind": "video",
            "rec-url": "https://www.youtube.com/watch?v=AbCdEf12345",
        },
    )
    assert r.status_code == 303
    r = client.post(
        f"/webinars/manage/s/{s.slug}/captions",
        data={"cap-language": "en", "cap-file": (io.BytesIO(VTT_EN), "en.vtt")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    r = client.post(
        f"/webinars/manage/s/{s.slug}/attachments",
        data={
            "att-title": "Slides",
            "att-language": "en",
            "att-file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "slides.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    assert db.session.scalar(select(func.count(Recording.id))) == 3
    assert db.session.scalar(select(CaptionTrack.cue_count)) == 3
    att = db.session.scalar(select(Attachment))
    assert att.size_bytes == 15 and att.content_type == "application/pdf"
    page = client.get(f"/webinars/s/{s.slug}?lang=es").get_data(as_text=True)
    assert 'src="https://www.youtube-nocookie.com/embed/AbCdEf12345?rel=0"' in page
    assert 'href="https://www.youtube.com/watch?v=AbCdEf12345"' in page
    assert 'Slides</a><span class="wb-size"> (PDF, 15 byte, English)' in page  # CLDR short unit


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "captions",
            {
                "cap-language": "en",
                "cap-file": (io.BytesIO(b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nx\n"), "x.vtt"),
            },
            "line 3: the cue ends before it starts",
        ),
        (
            "recordings",
            {"rec-language": "en", "rec-kind": "video", "rec-file": (io.BytesIO(b"MZ\x90\x00"), "virus.mp4")},
            "does not match its “.mp4” extension",
        ),
        (
            "recordings",
            {"rec-language": "en", "rec-kind": "video", "rec-file": (io.BytesIO(b"x"), "a.avi")},
            "are not accepted here",
        ),
        ("recordings", {"rec-language": "en", "rec-kind": "video"}, "Upload a file or give an address"),
        (
            "attachments",
            {"att-title": "Slides", "att-file": (io.BytesIO(b"<html>"), "slides.pdf")},
            "does not match",
        ),
        (
            "qa-import",
            {"qa-file": (io.BytesIO(b"Question,Time\nOK?,nope\n"), "qa.csv")},
            "row 2: “nope” is not a time",
        ),
        (
            "attendance-import",
            {"att-csv-file": (io.BytesIO(b"Name\nx\n"), "a.csv")},
            "Required column(s) missing: email",
        ),
        ("chapters", {"chap-start": "9:99", "chap-title_en": "Bad"}, "Write the time as h:mm:ss"),
        ("chapters", {"chap-start": "0:10", "chap-title_fr": "Sans titre anglais"}, "source language"),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(client, trainer, make_session, path, data, message):
    s = make_session()
    resp = client.post(f"/webinars/manage/s/{s.slug}/{path}", data=data, content_type="multipart/form-data")
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)
    for model in (Recording, CaptionTrack, Attachment, QAItem, Chapter):
        assert db.session.scalar(select(func.count(model.id))) == 0


def test_chapters_add_edit_delete(client, trainer, make_session):
    s = make_session()
    r = client.post(
        f"/webinars/manage/s/{s.slug}/chapters",
        data={
            "chap-start": "1:05",
            "chap-title_en": "Mercury waste",
            "chap-title_fr": "Déchets",
            "chap-articles": "11",
        },
    )
    assert r.status_code == 303
    chapter = db.session.scalar(select(Chapter))
    assert (chapter.start_s, chapter.articles) == (65, [11])
    assert get_resource("webinar_chapter", chapter.uuid).url.endswith("?t=65#t=65")
    assert "Mercury waste" in client.get(f"/webinars/manage/chapters/{chapter.uuid}").get_data(as_text=True)
    r = client.post(
        f"/webinars/manage/chapters/{chapter.uuid}",
        data={"start": "0:02:00", "title_en": "Waste", "title_zh": "汞废物", "articles": "11, 12"},
    )
    assert r.status_code == 303
    db.session.refresh(chapter)
    assert chapter.start_s == 120 and chapter.titles["zh"] == "汞废物"
    assert client.post(f"/webinars/manage/chapters/{chapter.uuid}/delete").status_code == 303
    assert db.session.scalar(select(func.count(Chapter.id))) == 0
    assert not get_resource("webinar_chapter", chapter.uuid).is_published


def test_imports_and_deletes(client, trainer, full_session, make_user):
    learner = make_user()
    r = client.post(
        f"/webinars/manage/s/{full_session.slug}/attendance-import",
        data={"att-csv-file": (io.BytesIO(f"Email\n{learner.email}\n".encode()), "att.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    assert "Attendance recorded for 1 people" in client.get(r.headers["Location"]).get_data(as_text=True)
    r = client.post(
        f"/webinars/manage/s/{full_session.slug}/qa-import",
        data={"qa-file": (io.BytesIO(b"Question,Answer\nOnly one now?,Yes\n"), "qa.csv")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 303
    assert db.session.scalar(select(func.count(QAItem.id))) == 1
    assert "1 question and its answer were imported." in client.get(r.headers["Location"]).get_data(
        as_text=True
    )
    rec = db.session.scalar(select(Recording).filter_by(kind="audio"))
    assert client.post(f"/webinars/manage/recordings/{rec.uuid}/delete").status_code == 303
    assert client.post(f"/webinars/manage/s/{full_session.slug}/captions/fr/delete").status_code == 303
    assert db.session.scalar(select(func.count(CaptionTrack.id))) == 2
    assert client.post(f"/webinars/manage/s/{full_session.slug}/captions/ar/delete").status_code == 404


def test_moderation_through_the_pages(client, trainer, full_session, make_user, login):
    from webinars import qa

    item = qa.ask_question(make_user(), full_session, "Does Article 4 cover thermometers?", "en", 30)
    db.session.commit()
    page = client.get("/webinars/manage/questions").get_data(as_text=True)
    assert "Does Article 4 cover thermometers?" in page
    prefix = item.uuid[:8]
    r = client.post(
        f"/webinars/manage/questions/{item.uuid}", data={f"{prefix}-action": "answer", f"{prefix}-answer": ""}
    )
    assert r.status_code == 400 and "Write the answer" in r.get_data(as_text=True)
    r = client.post(
        f"/webinars/manage/questions/{item.uuid}",
        data={
            f"{prefix}-action": "answer",
            f"{prefix}-answer": "Yes, listed in Annex A.",
            f"{prefix}-answered_by": "Expert",
        },
    )
    assert r.status_code == 303
    page = client.get(f"/webinars/s/{full_session.slug}").get_data(as_text=True)
    assert "Does Article 4 cover thermometers?" in page and "Yes, listed in Annex A." in page


class _Sections(HTMLParser):
    """The inner HTML of each ``<section aria-labelledby="q-…">`` of the moderation queue, by uuid."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {}
        self._current: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._current is None and tag == "section" and (a.get("aria-labelledby") or "").startswith("q-"):
            self._current, self._depth = a["aria-labelledby"][2:], 0
            self.sections[self._current] = []
        elif self._current is not None:
            self._depth += tag == "section"
            self.sections[self._current].append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if tag == "section" and self._depth == 0:
            self._current = None
        else:
            self._depth -= tag == "section"
            self.sections[self._current].append(f"</{tag}>")

    def handle_data(self, data):
        if self._current is not None:
            self.sections[self._current].append(data)


def _sections(page: str) -> dict[str, str]:
    p = _Sections()
    p.feed(page)
    return {uuid: "".join(parts) for uuid, parts in p.sections.items()}


def test_refused_moderation_is_shown_at_that_questions_form(client, trainer, full_session, make_user):
    from webinars import qa

    first = qa.ask_question(make_user(), full_session, "Does Article 4 cover thermometers?", "en", 30)
    second = qa.ask_question(make_user(), full_session, "Are dental amalgams phased down?", "en", 60)
    db.session.commit()
    prefix = second.uuid[:8]
    r = client.post(
        f"/webinars/manage/questions/{second.uuid}",
        data={f"{prefix}-action": "answer", f"{prefix}-answer": "   ", f"{prefix}-answered_by": "Dr Kimura"},
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    sections = _sections(page)
    assert set(sections) == {first.uuid, second.uuid}
    mine, other = sections[second.uuid], sections[first.uuid]
    # the reason is at the answer field of the second question, tied to it, and the typed input is kept
    assert f'id="{prefix}-answer-error"' in mine and "Write the answer before publishing it." in mine
    assert f'aria-describedby="{prefix}-answer-error"' in mine and 'aria-invalid="true"' in mine
    assert 'value="Dr Kimura"' in mine and '<option selected value="answer">' in mine
    assert f'id="moderate-{second.uuid}"' in mine
    # the first question's form is untouched
    assert "Write the answer" not in other and "aria-invalid" not in other and "Dr Kimura" not in other
    assert 'class="error"' not in other and "has-error" not in other
    # the summary above the queue links to the field in the second question's form
    top = page.split(f'aria-labelledby="q-{first.uuid}"')[0]
    assert 'class="error-summary"' in top and f'href="#{prefix}-answer"' in top
    assert "Write the answer before publishing it." in top
    # nothing was written
    db.session.expire_all()
    for item in (first, second):
        assert item.status == "pending" and item.answer is None and item.moderated_by_id is None
    assert qa.moderation_queue() == [first, second]


def test_moderation_refused_by_the_form_checks_also_stays_at_that_question(
    client, trainer, full_session, make_user
):
    from webinars import qa

    first = qa.ask_question(make_user(), full_session, "Does Article 4 cover thermometers?", "en", 30)
    second = qa.ask_question(make_user(), full_session, "Are dental amalgams phased down?", "en", 60)
    db.session.commit()
    prefix = first.uuid[:8]
    r = client.post(
        f"/webinars/manage/questions/{first.uuid}",
        data={f"{prefix}-action": "answer", f"{prefix}-answered_by": "x" * 201},
    )
    assert r.status_code == 400
    sections = _sections(r.get_data(as_text=True))
    assert f'id="{prefix}-answered_by-error"' in sections[first.uuid]
    assert 'class="error"' not in sections[second.uuid]
    db.session.expire_all()
    assert first.status == "pending" and first.moderated_by_id is None


# --- the session forms as an author meets them: a chapter in any source language, the status read as a
# status in every language, a refused form shown at the field with what was typed kept -------------------
@pytest.mark.parametrize("language", ["ar", "zh", "ru"])
def test_a_chapter_is_added_to_a_session_given_in_any_language(client, make_session, language):
    session = make_session(title="ندوة", source_language=language, languages=[language])
    page = client.get(f"/webinars/manage/s/{session.slug}").get_data(as_text=True)
    assert f'name="chap-title_{language}"' in page
    resp = client.post(
        f"/webinars/manage/s/{session.slug}/chapters",
        data={"chap-start": "0:01:00", f"chap-title_{language}": "مقدمة"},
    )
    assert resp.status_code in (302, 303)
    assert db.session.scalar(select(Chapter.titles)) == {language: "مقدمة"}


@pytest.mark.parametrize("language", ["ar", "zh", "ru"])
def test_a_session_s_status_reads_as_a_status(client, make_session, language):
    from flask_babel import force_locale, gettext

    session = make_session()
    client.get(f"/language/{language}")
    with force_locale(language):
        published, date_heading = gettext("published"), gettext("Published")
    for url in ("/webinars/manage/", f"/webinars/manage/s/{session.slug}"):
        page = client.get(url).get_data(as_text=True)
        # "Published" is the heading of a date column in some languages ("Publication date"), not a state
        assert published in page and date_heading not in page


def test_a_short_name_already_taken_is_refused_at_its_field(client, season, make_session):
    taken = make_session(title="Mercury waste", slug="mercury-waste")
    resp = client.post(
        "/webinars/manage/sessions/new", data=session_form(season, slug=taken.slug, title="Other talk")
    )
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "Another session already uses the short name mercury-waste." in page
    assert 'value="Other talk"' in page and 'value="mercury-waste"' in page
    assert db.session.scalar(select(func.count()).select_from(WebinarSession)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"articles": "3, x"}, "articles", "is not an article number"),
        ({"languages": "ar, xx"}, "languages", "Unknown language code(s): xx."),
    ],
)
def test_a_refused_list_is_shown_at_its_field(client, season, trainer, changes, field, message):
    resp = client.post("/webinars/manage/sessions/new", data=session_form(season, **changes))
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    # in the summary, linked to the field, and under the field itself
    assert f'href="#{field}"' in page and page.count(message) == 2
    assert db.session.scalar(select(func.count()).select_from(WebinarSession)) == 0


def test_the_manage_list_names_the_captions_languages(client, make_session):
    from flask_babel import force_locale

    from lms.i18n import language_name, list_text
    from webinars import services

    session = make_session()
    for code in ("en", "es", "fr"):
        services.save_captions(None, session, language=code, data=VTT_EN, filename=f"{code}.vtt")
    db.session.commit()
    client.get("/language/fr")
    page = client.get("/webinars/manage/").get_data(as_text=True)
    with force_locale("fr"):
        names = list_text(language_name(code) for code in ("en", "es", "fr"))
    assert f"<td>{names}</td>" in page  # "anglais, espagnol et français", not "en, es, fr"


def test_saving_a_season_keeps_what_its_form_does_not_show(client, trainer):
    from datetime import date

    from webinars import services

    season = services.save_season(
        trainer,
        number=7,
        title="Season 7",
        description="Seven.",
        starts_on_dt=datetime(2026, 3, 1, tzinfo=UTC),
    )
    for lang, title in {"ar": "الموسم 7", "zh": "第七季", "fr": "Saison 7"}.items():
        services.set_season_text(trainer, season, lang, title, "Sept." if lang == "fr" else "")
    db.session.commit()
    page = client.get(f"/webinars/manage/seasons/{season.slug}/edit").get_data(as_text=True)
    assert 'value="Season 7"' in page and "Seven.</textarea>" in page  # the source language's
    data = {"number": "7", "source_language": "en", "title": "Season 7", "description": "Seven sessions."}
    assert client.post(f"/webinars/manage/seasons/{season.slug}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert season.titles == {"en": "Season 7", "ar": "الموسم 7", "zh": "第七季", "fr": "Saison 7"}
    assert season.descriptions == {"en": "Seven sessions.", "fr": "Sept."}
    assert season.starts_on_dt.date() == date(2026, 3, 1)


def test_the_season_list_of_the_session_form_is_in_the_reader_s_language(client, trainer, season):
    client.get("/language/fr")
    page = client.get("/webinars/manage/sessions/new").get_data(as_text=True)
    assert f'<option value="{season.id}">Saison 5</option>' in page
    client.get("/language/es")
    resp = client.post(
        "/webinars/manage/sessions/new", data={"season": str(season.id), "source_language": "en"}
    )
    assert resp.status_code == 400
    assert f'<option selected value="{season.id}">Temporada 5</option>' in resp.get_data(as_text=True)


def test_saved_captions_are_counted_with_the_plural_form(client, trainer, make_session):
    s = make_session()
    one_cue = b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nWelcome.\n"
    r = client.post(
        f"/webinars/manage/s/{s.slug}/captions",
        data={"cap-language": "en", "cap-file": (io.BytesIO(one_cue), "en.vtt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Captions saved: 1 cue." in r.get_data(as_text=True)
    r = client.post(
        f"/webinars/manage/s/{s.slug}/captions",
        data={"cap-language": "fr", "cap-file": (io.BytesIO(VTT_EN), "fr.vtt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Captions saved: 3 cues." in r.get_data(as_text=True)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Ртуть в кустарной золотодобыче: практикум", "rtut-v-kustarnoy-zolotodobyche-praktikum"),
        ("汞添加产品（第4条）", "gong-tian-jia-chan-pin-di-4-tiao"),
        ("الزئبق في تعدين الذهب", "alzybq-fy-tdyn-aldhhb"),
        ("Productos con mercurio añadido (artículo 4)", "productos-con-mercurio-anadido-articulo-4"),
    ],
)
def test_a_short_name_made_from_a_title_in_any_script_keeps_its_words(make_session, title, slug):
    """Not "session", "session-2" ... for every Russian, Chinese or Arabic title."""
    assert make_session(title=title).slug == slug
