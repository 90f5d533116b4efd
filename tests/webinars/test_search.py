"""Search across titles, descriptions, chapters, transcripts and Q&A in six languages, through one
service (FTS5 on SQLite, full text on PostgreSQL), with hits pointing at the exact second."""

from sqlalchemy import func, select

from lms.db import db
from webinars import qa, services
from webinars.models import SearchDoc
from webinars.search import index_terms, query_terms, search

from .conftest import VTT_ZH


def test_spanish_word_spoken_in_the_recording_is_found_at_its_second(full_session):
    hits = search("lámparas")
    assert [(h.kind, h.language, h.start_s) for h in hits] == [("transcript", "es", 5)]
    assert hits[0].session.id == full_session.id
    # accents and case do not matter, and a word start finds the word
    assert [h.start_s for h in search("LAMPARAS")] == [5]
    assert {h.start_s for h in search("almacenam")} == {65}


def test_all_words_must_match_and_language_filter(full_session):
    assert {(h.language, h.start_s) for h in search("mercurio pilas")} == {("es", 5)}
    assert search("mercurio inexistente") == []
    french = search("mercure", language="fr")
    assert french and all(h.language == "fr" for h in french)


def test_titles_chapters_and_qa_are_searchable(full_session):
    assert any(h.kind == "title" and h.language == "es" for h in search("añadido"))
    chapter_hits = [h for h in search("déchets") if h.kind == "chapter"]
    assert [(h.language, h.start_s) for h in chapter_hits] == [("fr", 65)]
    qa_hits = [h for h in search("amalgams") if h.kind == "qa"]
    assert [h.start_s for h in qa_hits] == [30]


def test_chinese_is_findable_without_spaces(full_session):
    services.save_captions(None, full_session, language="zh", data=VTT_ZH, filename="zh.vtt")
    db.session.commit()
    assert [(h.language, h.start_s) for h in search("电池")] == [("zh", 5)]  # a two-character word
    assert {h.start_s for h in search("汞") if h.language == "zh"} == {1, 5}  # one character
    assert [h.start_s for h in search("添汞产品")] == [1]  # a longer phrase inside a sentence
    assert search("汞电池灯") == []  # characters present but not in that order


def test_unpublished_sessions_are_not_found_and_index_follows_changes(full_session):
    services.unpublish_session(None, full_session)
    db.session.commit()
    assert search("lámparas") == []
    assert db.session.scalar(select(func.count(SearchDoc.id))) == 0
    services.publish_session(None, full_session)
    db.session.commit()
    assert search("lámparas")


def test_followups_are_indexed_once_published(full_session, make_user):
    user = make_user()
    item = qa.ask_question(user, full_session, "How are thermometers with mercury handled?", "en")
    db.session.commit()
    assert search("thermometers") == []
    qa.moderate(make_user(role="trainer"), item, action="answer", answer="They are listed in Annex A.")
    db.session.commit()
    assert [h.kind for h in search("thermometers")] == ["qa"]


def test_normalisation():
    assert index_terms("Él déchets, 汞电池!") == "el dechets 汞 电 池 汞电 电池"
    assert query_terms("Dechets 汞电池") == [("dechets", True), ("汞电", False), ("电池", False)]
    assert query_terms("   ") == []


def test_a_description_is_found_and_quoted_as_the_reader_sees_it(full_session):
    """Markdown marks and link targets are not searched nor shown; the text's own parentheses and
    punctuation are: not "Sesión sobre  planes  (artículo 7) ." turned into "planes  artículo 7  ."."""
    services.set_session_text(
        None,
        full_session,
        "es",
        "Productos con mercurio añadido (artículo 4)",
        "Sesión sobre **planes de acción** (artículo 7). Véase [la guía](https://example.org/guia).",
    )
    db.session.commit()
    hits = [h for h in search("planes") if h.kind == "description"]
    assert [h.text for h in hits] == ["Sesión sobre planes de acción (artículo 7). Véase la guía."]
    assert not [h for h in search("example") if h.kind == "description"]


def test_a_hit_names_its_part_and_language_in_one_badge(client, full_session):
    html = client.get("/webinars/search?q=lámparas").get_data(as_text=True)
    assert '<span class="badge">transcript, Spanish</span>' in html
    french = client.get("/webinars/search?q=lámparas", headers={"Accept-Language": "fr"})
    assert '<span class="badge">transcription, espagnol</span>' in french.get_data(as_text=True)
