"""A season's title and description in each of the six UN languages, as a session's: the author writes
them in a source language (its title required) and adds the others on the season's edit page; readers
see their own language, else the source language's text marked with its language and direction, on the
season page, the archive, session pages and search."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from lms.db import db
from webinars import services
from webinars.models import Season

from .conftest import field_error

SIX = {
    "en": ("Mercury waste season", "Sessions on **mercury waste**."),
    "fr": ("Saison des déchets de mercure", "Des sessions sur les **déchets de mercure**."),
    "es": ("Temporada de desechos de mercurio", "Sesiones sobre los **desechos de mercurio**."),
    "ar": ("موسم نفايات الزئبق", "جلسات عن **نفايات الزئبق**."),
    "zh": ("汞废物季", "关于**汞废物**的讲座。"),
    "ru": ("Сезон ртутных отходов", "Сессии о **ртутных отходах**."),
}


@pytest.fixture
def french_season(trainer):
    """Season 8, written in French only, owned by the signed-in trainer, with one published session."""
    season = services.save_season(
        trainer, number=8, source_language="fr", title=SIX["fr"][0], description=SIX["fr"][1]
    )
    session = services.save_session(
        trainer,
        season=season,
        title="Mercury waste",
        start_dt=datetime(2024, 11, 20, 13, tzinfo=UTC),
        duration_min=60,
    )
    services.publish_session(trainer, session)
    db.session.commit()
    return season


def _edit(client, season, lang=None):
    url = f"/webinars/manage/seasons/{season.slug}/edit" + (f"?lang={lang}" if lang else "")
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_a_season_is_written_in_the_source_language_the_author_chooses(client, trainer):
    data = {"number": "8", "source_language": "fr", "title": SIX["fr"][0], "description": SIX["fr"][1]}
    assert client.post("/webinars/manage/seasons/new", data=data).status_code == 303
    season = db.session.scalar(select(Season))
    assert season.source_language == "fr"
    assert season.titles == {"fr": SIX["fr"][0]} and season.descriptions == {"fr": SIX["fr"][1]}
    page = _edit(client, season)
    assert '<option selected value="fr">' in page
    assert f'value="{SIX["fr"][0]}"' in page and f"{SIX['fr'][1]}</textarea>" in page


def test_the_edit_page_shows_and_saves_every_language(client, french_season):
    page = _edit(client, french_season)
    assert 'id="translations"' in page
    for code in SIX:  # the language switcher links each language's form
        assert f"/webinars/manage/seasons/{french_season.slug}/edit?lang={code}#translations" in page
    for code, (title, description) in SIX.items():
        resp = client.post(
            f"/webinars/manage/seasons/{french_season.slug}/text",
            data={"text-language": code, "text-title": title, "text-description": description},
        )
        assert resp.status_code == 303
        assert resp.headers["Location"].endswith(f"/edit?lang={code}#translations")
    db.session.expire_all()
    assert french_season.titles == {code: title for code, (title, _d) in SIX.items()}
    assert french_season.descriptions == {code: d for code, (_t, d) in SIX.items()}
    for code, (title, description) in SIX.items():
        page = _edit(client, french_season, code)
        section = page.split('id="translations"')[1]
        # the language is the page's, not a choice in the form (a choice kept the text shown and saved
        # it as another language's)
        assert f'name="text-language" type="hidden" value="{code}"' in section, code
        assert "<select" not in section.split("<form")[1].split("</form>")[0], code
        assert f'value="{title}"' in page and f"{description}</textarea>" in page, code
    # An empty title removes that language's translation, and the page says it has none.
    resp = client.post(
        f"/webinars/manage/seasons/{french_season.slug}/text",
        data={"text-language": "ru", "text-title": "", "text-description": ""},
    )
    assert resp.status_code == 303
    db.session.expire_all()
    assert "ru" not in french_season.titles and "ru" not in french_season.descriptions


def test_a_translation_for_a_language_not_offered_is_refused(client, french_season):
    resp = client.post(
        f"/webinars/manage/seasons/{french_season.slug}/text",
        data={"text-language": "de", "text-title": "Saison", "text-description": ""},
    )
    assert resp.status_code == 400
    db.session.expire_all()
    assert "de" not in french_season.titles


def test_the_source_title_is_required_and_every_mistake_is_named_at_once(client, french_season, season):
    resp = client.post(
        "/webinars/manage/seasons/new",
        data={"number": "0", "source_language": "es", "title": "", "description": "Sesiones *nuevas*."},
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert field_error(html, "title") and field_error(html, "number")
    assert "Sesiones *nuevas*.</textarea>" in html and '<option selected value="es">' in html  # kept
    # The form's own check (no title) and the service's (number taken) are reported together.
    resp = client.post(
        "/webinars/manage/seasons/new", data={"number": "8", "source_language": "en", "title": " "}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Season 8 already exists." in field_error(html, "number") and field_error(html, "title")
    assert db.session.scalar(select(func.count(Season.id))) == 2  # fixtures' seasons 5 and 8 only
    # The source language's title cannot be removed from the translations form; what was typed stays.
    resp = client.post(
        f"/webinars/manage/seasons/{french_season.slug}/text",
        data={"text-language": "fr", "text-title": "", "text-description": "Texte gardé"},
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "The source language&#39;s title cannot be removed." in html
    assert "Texte gardé</textarea>" in html
    db.session.expire_all()
    assert french_season.titles == {"fr": SIX["fr"][0]}


def test_readers_see_their_language_else_the_source_language_marked(client, french_season):
    services.set_season_text(None, french_season, "en", *SIX["en"])
    services.set_season_text(None, french_season, "es", *SIX["es"])
    db.session.commit()
    season_url = f"/webinars/seasons/{french_season.slug}"
    client.get("/language/es")
    page = client.get(season_url).get_data(as_text=True)
    assert f"<h1>{SIX['es'][0]}</h1>" in page and "<strong>desechos de mercurio</strong>" in page
    # Chinese has no translation: the source language (French), not the English translation, marked.
    client.get("/language/zh")
    page = client.get(season_url).get_data(as_text=True)
    assert f'<h1><span lang="fr" dir="ltr">{SIX["fr"][0]}</span></h1>' in page
    assert re.search(r'<div lang="fr" dir="ltr">\s*<p>Des sessions sur les <strong>déchets', page)
    assert SIX["en"][0] not in page
    archive = client.get("/webinars/").get_data(as_text=True)
    assert f'<span lang="fr" dir="ltr">{SIX["fr"][0]}</span></a></h2>' in archive
    session_slug = french_season.sessions[0].slug
    session_page = client.get(f"/webinars/s/{session_slug}").get_data(as_text=True)
    assert f'<span lang="fr" dir="ltr">{SIX["fr"][0]}</span></a></nav>' in session_page
    # In an Arabic page, the French title carries its own direction.
    client.get("/language/ar")
    page = client.get(season_url).get_data(as_text=True)
    assert f'<h1><span lang="fr" dir="ltr">{SIX["fr"][0]}</span></h1>' in page


def test_the_description_is_markdown_made_safe(client, french_season):
    services.set_season_text(
        None, french_season, "en", "Waste", "**Bold** <script>alert(1)</script> [x](javascript:alert(2))"
    )
    db.session.commit()
    client.get("/language/en")
    page = client.get(f"/webinars/seasons/{french_season.slug}").get_data(as_text=True)
    assert "<strong>Bold</strong>" in page
    assert "<script>alert(1)" not in page and "javascript:alert(2)" not in page


def test_search_finds_a_season_by_its_french_title(client, french_season):
    services.set_season_text(None, french_season, "en", *SIX["en"])
    db.session.commit()
    client.get("/language/en")
    html = client.get("/webinars/search?q=dechets+mercure").get_data(as_text=True)
    link = f'<a href="/webinars/seasons/{french_season.slug}">{SIX["en"][0]}</a>'
    assert link in html  # the reader's language, linked to the season's page
    assert f'<span lang="fr" dir="ltr">{SIX["fr"][0]}</span>' in html  # the French title that matched
    # The language filter keeps the French texts only when French is asked for.
    assert link in client.get("/webinars/search?q=déchets&language=fr").get_data(as_text=True)
    assert link not in client.get("/webinars/search?q=déchets&language=es").get_data(as_text=True)
    # A reader whose language has no title sees the source language's, marked.
    client.get("/language/zh")
    html = client.get("/webinars/search?q=Saison").get_data(as_text=True)
    assert f'<span lang="fr" dir="ltr">{SIX["fr"][0]}</span></a>' in html


def test_search_reads_a_season_s_description_as_shown(client, french_season):
    client.get("/language/fr")
    html = client.get("/webinars/search?q=sessions+sur+les").get_data(as_text=True)
    assert f"/webinars/seasons/{french_season.slug}" in html
    assert "Des sessions sur les déchets de mercure." in html  # the rendered text, no asterisks
    assert f'aria-labelledby="rs-{french_season.slug}"' in html


def test_a_translation_sent_without_its_language_is_refused_with_the_page(client, french_season):
    resp = client.post(
        f"/webinars/manage/seasons/{french_season.slug}/text",
        data={"text-title": "Saison", "text-description": ""},
    )
    assert resp.status_code == 400 and 'id="translations"' in resp.get_data(as_text=True)
