"""What a reader sees of languages, sizes and times: text in another language than the page carries
``lang`` and ``dir`` (English inside an Arabic page), fallback notices sit outside it, language names
are in the reader's language except in switchers (each in its own), sizes and times follow the
reader's locale, and a session lists only the languages it really has something in."""

import io
import re
from datetime import timedelta

from sqlalchemy import select

from lms.db import db
from lms.registry import get_resource
from tests.webinars.conftest import wav_bytes
from webinars import services
from webinars.models import Recording


def _html(resp):
    assert resp.status_code == 200, resp.data[:400]
    return resp.get_data(as_text=True)


def _main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def _bare_lang(page: str) -> list[str]:
    """``lang="…"`` attributes in the main content not followed by a ``dir`` (``hreflang`` excluded)."""
    return re.findall(r'\slang="[a-z]+"(?! dir=")', _main(page))


def test_english_fallback_inside_an_arabic_page_has_its_direction(client, full_session):
    season = services.save_season(None, number=6, title="Season 6", description="About season six.")
    db.session.commit()
    client.get("/language/ar")
    slug = full_session.slug
    pages = {
        "session": _html(client.get(f"/webinars/s/{slug}")),
        "transcript": _html(client.get(f"/webinars/s/{slug}/transcript/ar")),
        "season": _html(client.get(f"/webinars/seasons/{season.slug}")),
        "archive": _html(client.get("/webinars/")),
        "search": _html(client.get("/webinars/search?q=mercury")),
    }
    for name, page in pages.items():
        assert '<html lang="ar" dir="rtl">' in page, name
        assert _bare_lang(page) == [], name
    session = pages["session"]
    # The English title is marked; the notice saying so is a sibling, not inside the English element.
    assert '<h1 lang="en" dir="ltr">Mercury-added products (Article 4)</h1>' in session
    notice = session.index('<p class="notice">', session.index("</h1>"))
    assert "lang=" not in session[notice : session.index("</p>", notice)]
    assert '<span lang="en" dir="ltr">Mercury waste</span>' in session  # chapter title without Arabic
    transcript = pages["transcript"]
    assert 'id="wb-transcript" lang="en" dir="ltr">' in transcript
    assert transcript.index('<p class="notice">') < transcript.index('id="wb-transcript"')
    # The season's description exists only in English: a notice in Arabic, then the marked text.
    assert re.search(
        r'<p class="notice">[^<]*</p>\s*<div lang="en" dir="ltr"><p>About season six\.</p>', pages["season"]
    )
    assert '<a href="/webinars/s/' + slug + '" lang="en" dir="ltr">' in pages["archive"]
    # The season's title exists only in English: marked wherever it is shown, with a notice on its page.
    marked = '<span lang="en" dir="ltr">Season 6</span>'
    assert f"<h1>{marked}</h1>" in pages["season"]
    # The session's season (no Arabic title either) in the archive's heading and the session's breadcrumb.
    assert '<span lang="en" dir="ltr">Season 5</span></a></h2>' in pages["archive"]
    assert '<span lang="en" dir="ltr">Season 5</span></a></nav>' in session
    title_notice = pages["season"].index('<p class="notice">', pages["season"].index("</h1>"))
    assert "Season 6" not in pages["season"][title_notice : pages["season"].index("</p>", title_notice)]


def test_moderation_queue_marks_the_question_language(client, full_session, make_user, login):
    from webinars import qa

    asker = make_user()
    qa.ask_question(asker, full_session, text="Les lampes sont-elles concernées ?", language="fr")
    db.session.commit()
    login(make_user(role="admin"))
    page = _html(client.get("/webinars/manage/questions"))
    assert '<blockquote lang="fr" dir="ltr">Les lampes sont-elles concernées ?</blockquote>' in page
    assert _bare_lang(page) == []


def test_switchers_use_native_names_running_text_the_readers(client, full_session):
    services.save_recording(
        None, full_session, language="fr", kind="audio", stream=io.BytesIO(wav_bytes()), filename="fr.wav"
    )
    db.session.commit()
    slug = full_session.slug
    page = _html(client.get(f"/webinars/s/{slug}"))
    # Recording-language switcher: each language in its own name, marked as that language.
    switch = page.split('class="wb-switch"', 1)[1].split("</nav>", 1)[0]
    assert 'lang="fr" dir="ltr" hreflang="fr">Français</a>' in switch
    assert 'lang="en" dir="ltr" hreflang="en" aria-current="true">English</a>' in switch
    # Running text names languages in the reader's language, without a lang attribute.
    assert "Audio only, French</a>" in page
    assert '<span lang="fr">' not in page
    client.get("/language/fr")
    page = _html(client.get(f"/webinars/s/{slug}"))
    assert "français (audio uniquement" in page
    assert "Français</a>" in page.split('class="wb-switch"', 1)[1].split("</nav>", 1)[0]
    transcript = _html(client.get(f"/webinars/s/{slug}/transcript/fr"))
    nav = transcript.split('class="wb-switch"', 1)[1].split("</nav>", 1)[0]
    assert ">English</a>" in nav and ">Español</a>" in nav and ">anglais<" not in nav


def test_sizes_and_times_follow_the_readers_locale(client, full_session):
    slug = full_session.slug
    size = Recording.query.filter_by(kind="audio").one().size_bytes
    assert 1024 < size < 1024 * 1024  # shown in kilobytes
    page = _html(client.get(f"/webinars/s/{slug}"))
    assert "Jun 12, 2024, 1:00\u202fPM UTC" in page
    assert re.search(r"\(WAV, \d+\.\d kB\)", page)
    client.get("/language/fr")
    page = _html(client.get(f"/webinars/s/{slug}"))
    assert ">12 juin 2024, 13:00 UTC</time>" in page
    assert "13:00:00 UTC" not in page  # seconds only in the machine-readable datetime attribute
    assert re.search(r"\(WAV, \d+,\d\sko\)", page)
    assert " KB" not in page and " kB" not in page
    archive = _html(client.get("/webinars/"))
    assert ">12 juin 2024, 13:00 UTC</time>" in archive and "13:00:00 UTC" not in archive


def _offered(page: str) -> str:
    return page.split('<dl class="meta">', 1)[1].split("</dl>", 1)[0]


def test_only_languages_with_a_recording_or_captions_are_listed(client, make_session):
    from tests.webinars.conftest import VTT_FR

    s = make_session(title="Dental amalgam phase-down", languages=["en", "fr", "es", "ar", "ru", "zh"])
    rec = services.save_recording(
        None, s, language="en", kind="audio", stream=io.BytesIO(wav_bytes()), filename="en.wav"
    )
    services.save_captions(None, s, language="fr", data=VTT_FR, filename="fr.vtt")
    db.session.commit()
    meta = _offered(_html(client.get(f"/webinars/s/{s.slug}")))
    assert "Available in" in meta
    assert "English (audio only)" in meta and "French (captions with transcript)" in meta
    for name in ("Arabic", "Russian", "Chinese", "Spanish", "العربية", "Русский"):
        assert name not in meta
    assert get_resource("webinar", s.uuid).languages == ["en", "fr"]
    archive = _html(client.get("/webinars/"))
    assert "Languages: English and French</p>" in archive
    assert "Dental amalgam phase-down" not in _html(client.get("/webinars/?language=ar"))
    assert "Dental amalgam phase-down" in _html(client.get("/webinars/?language=fr"))
    # Removing the only English recording takes English off the page and out of the registry.
    services.delete_recording(None, rec)
    db.session.commit()
    assert get_resource("webinar", s.uuid).languages == ["fr"]
    assert "English" not in _offered(_html(client.get(f"/webinars/s/{s.slug}")))


def test_an_upcoming_session_shows_its_planned_languages(client, make_session, future_start):
    s = make_session(title="Article 8 emissions", start=future_start, languages=["en", "es"])
    meta = _offered(_html(client.get(f"/webinars/s/{s.slug}")))
    assert "Planned languages" in meta and "English and Spanish" in meta and "Available in" not in meta
    assert get_resource("webinar", s.uuid).languages == ["en", "es"]
    assert "Planned languages: English and Spanish</p>" in _html(client.get("/webinars/"))


def test_no_space_follows_the_full_width_colon_of_the_archive_in_chinese(client, make_session, future_start):
    make_session(title="Article 8 emissions", start=future_start, languages=["en", "es"])
    client.get("/language/zh")
    archive = _html(client.get("/webinars/"))
    assert "计划提供的语言：英语" in archive and "计划语言： " not in archive
    client.get("/language/fr")
    assert re.search(r"Langues prévues\s?: anglais", _html(client.get("/webinars/")))


def test_reminder_mail_gives_the_time_in_the_readers_locale(make_session, make_user, future_start):
    from babel.dates import format_date

    from lms.models import OutboxMessage
    from webinars import registrations

    start = future_start.replace(hour=13, minute=0, second=0)
    s = make_session(title="Article 8 emissions", start=start)
    user = make_user(locale="fr", time_zone="UTC")
    registrations.register(user, s)
    assert registrations.send_due_reminders(now=start - timedelta(minutes=20)) == 1
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    expected = f"{format_date(start, 'medium', locale='fr')}, 13:00 UTC"
    assert expected in mail.subject and expected in mail.body
    assert "13:00:00" not in mail.body and start.strftime("%Y-%m-%d") not in mail.body


def test_demo_mercury_waste_lists_what_it_really_has(app, client):
    """The reviewer's case: a session given in six languages whose archive has three."""
    from webinars.models import WebinarSession
    from webinars.plugin import plugin

    plugin.run_demo_content(app)
    db.session.commit()
    s = db.session.scalar(select(WebinarSession).where(WebinarSession.slug == "s5-mercury-waste"))
    real = {r.language for r in s.recordings} | {c.language for c in s.captions}
    assert len(s.languages) == 6 and "ar" not in real and "ru" not in real
    meta = _offered(_html(client.get("/webinars/s/s5-mercury-waste")))
    for name in ("Arabic", "Russian", "العربية", "Русский"):
        assert name not in meta
    assert "English (video, audio only, and captions with transcript)" in meta
    assert get_resource("webinar", s.uuid).languages == sorted(real)


def test_demo_sessions_given_in_six_languages_are_described_in_six(app, client):
    """The season and the sessions that ran in the six UN languages carry their titles, descriptions and
    chapter titles in all six, so an Arabic, Chinese or Russian reader meets no English fallback there."""
    from webinars.models import Season, WebinarSession
    from webinars.plugin import plugin

    plugin.run_demo_content(app)
    db.session.commit()
    six = {"en", "fr", "es", "ar", "zh", "ru"}
    season = db.session.scalar(select(Season).where(Season.number == 5))
    assert set(season.titles) == six and set(season.descriptions) == six
    sessions = db.session.scalars(select(WebinarSession).where(WebinarSession.season_id == season.id)).all()
    everywhere = [s for s in sessions if set(s.languages) == six]
    assert len(everywhere) == 2
    for s in everywhere:
        assert set(s.titles) == six and set(s.descriptions) == six, s.slug
        assert all(set(c.titles) == six for c in s.chapters), s.slug
    client.get("/language/zh")
    page = _html(client.get("/webinars/s/s5-mercury-added-products"))
    # In Chinese, unmarked (questions asked in English keep their own marking).
    assert ">第5季（2024年3月至2025年4月）</a></nav>" in page and "<span>附件A所列产品</span>" in page
    assert _bare_lang(page) == []
