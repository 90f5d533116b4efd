"""Visitor pages: archive, season, session (player, tracks, chapters, downloads, Q&A), transcript,
caption and chapter tracks, media with HTTP Range, calendar, search; all without JavaScript."""

import gzip
import re

import pytest

from lms.db import db
from webinars import services
from webinars.models import Recording


def _html(resp):
    assert resp.status_code == 200, resp.data[:400]
    return resp.get_data(as_text=True)


def _assert_small(resp, limit=60 * 1024):
    assert len(gzip.compress(resp.data)) < limit


def test_archive_browse_by_season_article_language(client, full_session, make_session, season):
    make_session(title="Preparing the second national reports", articles=[21], languages=["en"])
    make_session(title="Unpublished draft", publish=False)
    page = _html(client.get("/webinars/"))
    assert "Mercury-added products (Article 4)" in page and "Preparing the second national reports" in page
    assert "Unpublished draft" not in page
    page = _html(client.get("/webinars/?article=21"))
    assert "Preparing the second" in page and "Mercury-added products (Article 4)" not in page
    page = _html(client.get("/webinars/?article=11"))  # a chapter of the Article 4 session covers Art. 11
    assert "Mercury-added products (Article 4)" in page and "Preparing the second" not in page
    page = _html(client.get("/webinars/?language=es"))
    assert "Mercury-added products (Article 4)" in page and "Preparing the second" not in page
    page = _html(client.get(f"/webinars/?season={season.slug}"))
    assert "2 sessions" in page
    assert "1 session" in _html(client.get("/webinars/?season=season-5&article=21&language=en"))


def test_archive_in_spanish_shows_spanish_titles(client, full_session):
    client.get("/language/es")
    page = _html(client.get("/webinars/"))
    assert "Productos con mercurio añadido (artículo 4)" in page


def test_session_page_has_player_tracks_chapters_downloads_and_qa(client, full_session):
    resp = client.get(f"/webinars/s/{full_session.slug}")
    page = _html(resp)
    _assert_small(resp)
    video = Recording.query.filter_by(kind="video").one()
    assert (
        '<video id="wb-media" class="wb-media" controls preload="metadata" '
        f'src="/webinars/media/{video.stored_name}"' in page
    )
    for lang in ("en", "fr", "es"):
        assert f'<track kind="captions" srclang="{lang}"' in page
    assert 'kind="chapters"' in page
    assert f'href="/webinars/s/{full_session.slug}?lang=en&amp;mode=video&amp;t=65#t=65"' in page
    assert "Switch to audio only (for slow connections)" in page
    assert re.search(r"Audio only, English</a><span class=\"wb-size\"> \(WAV, [\d.,]+ kB\)", page)
    assert "Are dental amalgams covered?" in page and "a participant" in page and "Kofi Mensah" in page
    assert "Ana Pérez" not in page
    assert f'href="/webinars/s/{full_session.slug}/transcript/fr"' in page
    assert "Sign in to ask a question" in page
    assert "<script" not in page.split("</main>")[0]  # the player works without the script
    assert re.search(r'src="/webinars/static/player\.js(\?v=\w+)?" defer', page)
    assert "data-lrs-auth" not in page  # visitors get no LRS credentials


def test_audio_only_switch_and_deep_link(client, full_session):
    page = _html(client.get(f"/webinars/s/{full_session.slug}?mode=audio&t=65"))
    audio = Recording.query.filter_by(kind="audio").one()
    assert (
        '<audio id="wb-media" class="wb-media" controls preload="metadata" '
        f'src="/webinars/media/{audio.stored_name}#t=65">' in page
    )
    assert "Switch to video" in page


def test_missing_language_falls_back_with_notice(client, full_session):
    page = _html(client.get(f"/webinars/s/{full_session.slug}?lang=ar"))
    assert "There is no recording in Arabic; playing the English recording." in page
    client.get("/language/ru")
    page = _html(client.get(f"/webinars/s/{full_session.slug}"))
    assert "English" in page and 'lang="en"' in page  # title shown in the source language, marked


def test_transcript_page_per_language(client, full_session):
    resp = client.get(f"/webinars/s/{full_session.slug}/transcript/fr")
    page = _html(resp)
    assert len(resp.data) < 100 * 1024
    assert "L’article 4 élimine les piles" in page
    assert f'href="/webinars/s/{full_session.slug}?lang=fr&amp;t=65#t=65">1:05</a>' in page
    assert "<h2>Déchets de mercure</h2>" in page
    page = _html(client.get(f"/webinars/s/{full_session.slug}/transcript/ru"))
    assert "There is no transcript in Russian; showing the English transcript." in page
    assert client.get(f"/webinars/s/{full_session.slug}/transcript/xx").status_code == 404


def test_long_transcripts_are_split_into_pages(client, make_session):
    s = make_session()
    cues = "\n".join(
        f"{i // 60:02d}:{i % 60:02d}.000 --> {i // 60:02d}:{i % 60:02d}.900\n{'word ' * 60}{i}\n"
        for i in range(0, 3600, 2)
    )
    services.save_captions(None, s, language="en", data=("WEBVTT\n\n" + cues).encode(), filename="long.vtt")
    db.session.commit()
    resp = client.get(f"/webinars/s/{s.slug}/transcript/en")
    assert len(resp.data) < 100 * 1024 and "Part 2" in resp.get_data(as_text=True)
    assert client.get(f"/webinars/s/{s.slug}/transcript/en?part=2").status_code == 200


def test_caption_and_chapter_tracks(client, full_session):
    resp = client.get(f"/webinars/s/{full_session.slug}/captions/es.vtt")
    assert resp.status_code == 200 and resp.mimetype == "text/vtt"
    assert "lámparas" in resp.get_data(as_text=True)
    assert (
        client.get(
            f"/webinars/s/{full_session.slug}/captions/es.vtt",
            headers={"If-None-Match": resp.headers["ETag"]},
        ).status_code
        == 304
    )
    resp = client.get(f"/webinars/s/{full_session.slug}/chapters/es.vtt")
    assert resp.get_data(as_text=True).startswith("WEBVTT") and "Desechos de mercurio" in resp.get_data(
        as_text=True
    )
    assert client.get(f"/webinars/s/{full_session.slug}/captions/ar.vtt").status_code == 404


def test_media_is_served_with_ranges_and_caching(client, full_session):
    rec = Recording.query.filter_by(kind="audio").one()
    url = f"/webinars/media/{rec.stored_name}"
    with client.get(url) as full:
        assert full.status_code == 200 and full.headers["Accept-Ranges"] == "bytes"
        assert (
            full.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            and full.mimetype == "audio/wav"
        )
        body, etag = full.data, full.headers["ETag"]
    with client.get(url, headers={"Range": "bytes=0-43"}) as part:
        assert part.status_code == 206 and part.data == body[:44]
        assert part.headers["Content-Range"] == f"bytes 0-43/{rec.size_bytes}"
    with client.get(url, headers={"If-None-Match": etag}) as cached:
        assert cached.status_code == 304
    with client.get(url + "?download=1") as dl:
        assert (
            "attachment" in dl.headers["Content-Disposition"]
            and "en.wav" in dl.headers["Content-Disposition"]
        )
    assert client.get("/webinars/media/nothing.mp4").status_code == 404


def test_unpublished_media_and_pages_are_hidden_from_visitors(client, make_session):
    s = make_session(publish=False)
    assert client.get(f"/webinars/s/{s.slug}").status_code == 404
    assert client.get(f"/webinars/s/{s.slug}/transcript/en").status_code == 404


def test_calendar_file(client, make_session, future_start):
    from datetime import timedelta

    s = make_session(
        title="Vulnerable populations", start=future_start, second_start_dt=future_start + timedelta(hours=10)
    )
    resp = client.get(f"/webinars/s/{s.slug}/calendar.ics")
    assert resp.mimetype == "text/calendar" and resp.data.count(b"BEGIN:VEVENT") == 2
    page = _html(client.get(f"/webinars/s/{s.slug}"))
    assert "Add to my calendar (.ics)" in page and "Sign in to register" in page


def test_calendar_file_of_a_registered_attendee_holds_their_run(
    client, make_session, future_start, make_user, login
):
    """Registered for the second run, "Add to my calendar" must not also put the first run in it."""
    from datetime import timedelta

    from webinars import registrations

    s = make_session(
        title="Vulnerable populations", start=future_start, second_start_dt=future_start + timedelta(hours=10)
    )
    user = make_user()
    registrations.register(user, s, 2)
    db.session.commit()
    login(user)
    resp = client.get(f"/webinars/s/{s.slug}/calendar.ics")
    assert resp.data.count(b"BEGIN:VEVENT") == 1
    assert (future_start + timedelta(hours=10)).strftime("DTSTART:%Y%m%dT%H%M%SZ").encode() in resp.data
    assert "private" in resp.headers["Cache-Control"]


def test_search_page_links_to_the_second(client, full_session):
    resp = client.get("/webinars/search?q=l%C3%A1mparas")
    page = _html(resp)
    assert f'href="/webinars/s/{full_session.slug}?lang=es&amp;t=5#t=5"' in page
    assert "transcript" in page and "El artículo 4 elimina las pilas" in page
    assert "Nothing found" in _html(client.get("/webinars/search?q=zzzzqqq"))
    assert _html(client.get("/webinars/search"))


def test_site_wide_search_finds_sessions_and_chapters(client, full_session):
    page = _html(client.get("/search?q=Desechos"))
    assert f"/webinars/s/{full_session.slug}?t=65#t=65" in page


@pytest.mark.parametrize("path", ["/webinars/", "/webinars/search?q=mercury"])
def test_public_pages_are_small(client, full_session, path):
    _assert_small(client.get(path))


def test_lists_on_a_session_page_are_written_in_the_readers_language(client, full_session):
    """Languages and what each offers: "English, French and Spanish" is "…، … و…" in Arabic."""
    client.get("/language/ar")
    page = _html(client.get(f"/webinars/s/{full_session.slug}"))
    available = page.split('<dd><ul class="wb-inline">', 1)[1].split("</ul>", 1)[0]
    assert " و" in available and ", " not in available, available


def test_session_details_use_the_readers_punctuation(client, full_session, future_start):
    from datetime import timedelta

    full_session.start_dt, full_session.second_start_dt = future_start, future_start + timedelta(hours=10)
    db.session.commit()
    client.get("/language/zh")
    page = _html(client.get(f"/webinars/s/{full_session.slug}"))
    # The second run, a download and its details in Chinese punctuation, no English "; " or ", ".
    when = page.split("<dd>")[1].split("</dd>")[0]
    assert "</time>；第二场 <time" in when and "; " not in when
    assert re.search(r"仅音频，英语</a><span class=\"wb-size\">（WAV，[\d.,]+ kB）", page)
    client.get("/language/ar")
    page = _html(client.get(f"/webinars/s/{full_session.slug}"))
    assert "</time>؛ الموعد الثاني <time" in page and "صوت فقط، " in page
