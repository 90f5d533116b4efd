"""Fixtures of the webinars tests: a season and a published session with a recording, captions in
three languages, chapters and archived Q&A; tiny media files built in memory."""

from __future__ import annotations

import io
import re
import struct
import wave
from datetime import UTC, datetime, timedelta

import pytest

from lms.db import db

VTT_EN = b"""WEBVTT

1
00:00:01.000 --> 00:00:04.000
Welcome to Minamata Online on mercury-added products.

2
00:00:05.000 --> 00:00:09.000
Article 4 phases out batteries, lamps and cosmetics containing mercury.

3
00:01:05.000 --> 00:01:09.000
Now we turn to mercury waste under Article 11.
"""

VTT_ES = """WEBVTT

00:00:01.000 --> 00:00:04.000
Bienvenidos a Minamata Online sobre los productos con mercurio añadido.

00:00:05.000 --> 00:00:09.000
El artículo 4 elimina las pilas, lámparas y cosméticos que contienen mercurio.

00:01:05.000 --> 00:01:09.000
Ahora hablamos de los desechos de mercurio y del almacenamiento.
""".encode()

VTT_FR = """WEBVTT

00:00:01.000 --> 00:00:04.000
Bienvenue à Minamata en ligne sur les produits contenant du mercure ajouté.

00:00:05.000 --> 00:00:09.000
L’article 4 élimine les piles, les lampes et les cosmétiques contenant du mercure.

00:01:05.000 --> 00:01:09.000
Passons aux déchets de mercure au titre de l’article 11.
""".encode()

VTT_ZH = """WEBVTT

00:00:01.000 --> 00:00:04.000
欢迎参加关于添汞产品的水俣在线讲座。

00:00:05.000 --> 00:00:09.000
第四条逐步淘汰含汞电池和灯具。
""".encode()


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", (i * 37) % 2000 - 1000) for i in range(int(seconds * rate))))
    return buf.getvalue()


def mp4_bytes(size: int = 4096) -> bytes:
    head = struct.pack(">I", 24) + b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2"
    return head + bytes(size - len(head))


@pytest.fixture
def season(app):
    from webinars import services

    s = services.save_season(None, number=5, title="Season 5")
    services.set_season_text(None, s, "fr", "Saison 5", "")
    services.set_season_text(None, s, "es", "Temporada 5", "")
    db.session.commit()
    return s


@pytest.fixture
def make_session(app, season):
    from webinars import services

    def _make(title="Mercury-added products (Article 4)", publish=True, start=None, owner=None, **kw):
        """A session; ``owner`` (a trainer) creates it and so owns it."""
        start = start or datetime(2024, 6, 12, 13, 0, tzinfo=UTC)
        s = services.save_session(
            owner,
            season=season,
            title=title,
            start_dt=start,
            duration_min=90,
            articles=kw.pop("articles", [4]),
            languages=kw.pop("languages", ["en", "fr", "es"]),
            **kw,
        )
        if publish:
            services.publish_session(owner, s)
        db.session.commit()
        return s

    return _make


@pytest.fixture
def full_session(app, make_session):
    """A published session with an audio recording, captions en/fr/es, two chapters and live Q&A."""
    from webinars import qa, services

    s = make_session()
    services.set_session_text(
        None, s, "es", "Productos con mercurio añadido (artículo 4)", "Sesión sobre el artículo 4."
    )
    services.set_session_text(None, s, "fr", "Produits contenant du mercure ajouté (article 4)", "")
    services.save_recording(
        None, s, language="en", kind="audio", stream=io.BytesIO(wav_bytes()), filename="en.wav"
    )
    services.save_recording(
        None, s, language="en", kind="video", stream=io.BytesIO(mp4_bytes()), filename="en.mp4"
    )
    services.save_captions(None, s, language="en", data=VTT_EN, filename="en.vtt")
    services.save_captions(None, s, language="es", data=VTT_ES, filename="es.vtt")
    services.save_captions(None, s, language="fr", data=VTT_FR, filename="fr.vtt")
    services.save_chapter(
        None, s, start_s=0, titles={"en": "Welcome", "fr": "Bienvenue", "es": "Bienvenida"}, articles=[4]
    )
    services.save_chapter(
        None,
        s,
        start_s=65,
        titles={"en": "Mercury waste", "fr": "Déchets de mercure", "es": "Desechos de mercurio"},
        articles=[11],
    )
    qa.import_qa_csv(
        None,
        s,
        (
            "Question,Asker,Answer,Answered by,Time,Consent\n"
            "Are dental amalgams covered?,Ana Pérez,Yes: Part II of Annex A.,Secretariat,0:00:30,no\n"
            "Which lamps are listed?,Kofi Mensah,Compact fluorescent lamps above 5 mg.,Expert,0:01:10,yes\n"
        ).encode(),
    )
    db.session.commit()
    return s


@pytest.fixture
def count_queries(app):
    """``count_queries(call)``: the number of SQL statements ``call()`` sends to the database."""
    from sqlalchemy import event

    def _count(call) -> int:
        seen = []

        def _listen(*_args):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", _listen)
        try:
            call()
        finally:
            event.remove(db.engine, "before_cursor_execute", _listen)
        return len(seen)

    return _count


@pytest.fixture
def future_start():
    return (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)


@pytest.fixture
def trainer(make_user, login):
    """A trainer, signed in."""
    user = make_user(role="trainer", name="Tomás Trainer")
    login(user)
    return user


def field_error(html: str, field_id: str) -> str:
    """The error a refused form shows at the field ``field_id`` ("" when none)."""
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def session_form(season, **changes) -> dict:
    """The new-session form as an author fills it in (Article 11, 1 December 2026, one hour, English),
    with ``changes``."""
    data = {
        "season": str(season.id),
        "source_language": "en",
        "title": "Mercury waste (Article 11)",
        "start": "2026-12-01T13:00",
        "duration_min": "60",
        "articles": "11",
        "languages": "en",
    }
    return {**data, **changes}
