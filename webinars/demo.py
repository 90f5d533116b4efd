"""webinars: demo content (idempotent): season 5 of Minamata Online from :mod:`webinars.demo_content`,
each session with a short generated recording (a WAV tone: an audio-only rendition per language and an
English "video" rendition that browsers play in the <video> element with captions shown), captions in
English, French and Spanish (and more for the six-language sessions), chapters tagged with articles and
archived Q&A; plus one upcoming session to try registration and one cancelled."""

from __future__ import annotations

import csv
import io
import math
import wave
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from lms.db import db
from webinars import cancellation, media, qa, services, team
from webinars.captions import format_timestamp
from webinars.demo_content import CANCELLED, FOLLOWUPS, SEASON5, SEASON_DEMO, SESSIONS, UPCOMING
from webinars.models import Recording, Season, WebinarSession

SECONDS = 12
PITCH = {"en": 440.0, "fr": 392.0, "es": 349.2, "ar": 329.6, "zh": 293.7, "ru": 261.6}


def tone_wav(seconds: float = SECONDS, rate: int = 8000, pitch: float = 440.0, volume: float = 0.25) -> bytes:
    """A mono 8-bit WAV: a soft tone with a short beep each second (so seeking is audible)."""
    buf = io.BytesIO()
    frames = bytearray()
    for i in range(int(seconds * rate)):
        t = i / rate
        beep = 2.0 if (t % 1.0) < 0.08 else 1.0
        fade = min(1.0, t * 4, (seconds - t) * 4)
        value = volume * fade * math.sin(2 * math.pi * pitch * beep * t)
        frames.append(int(128 + 127 * max(-1.0, min(1.0, value))))
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return buf.getvalue()


def _vtt(cues) -> bytes:
    lines = ["WEBVTT", ""]
    for start, end, text in cues:
        lines += [f"{format_timestamp(start)} --> {format_timestamp(end)}", text, ""]
    return "\n".join(lines).encode()


def _qa_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Question", "Asker", "Consent", "Answer", "Answered by", "Time"])
    for question, asker, consent, answer, by, time in rows:
        writer.writerow([question, asker, consent, answer, by, time])
    return out.getvalue().encode()


def _season(data: dict) -> Season:
    """The season, created from ``data`` in English with its other languages; a season seeded before
    has the languages it lacks added (never a text someone edited replaced)."""
    series = services.ensure_series()
    season = db.session.scalar(
        select(Season).where(Season.series_id == series.id, Season.number == data["number"])
    )
    if season is None:
        season = services.save_season(
            None,
            number=data["number"],
            title=data["titles"]["en"],
            description=data["descriptions"].get("en", ""),
            series=series,
        )
    for lang, title in data["titles"].items():
        if not season.titles.get(lang):
            services.set_season_text(None, season, lang, title, data["descriptions"].get(lang, ""))
        elif not season.descriptions.get(lang) and data["descriptions"].get(lang):
            services.set_season_text(None, season, lang, season.titles[lang], data["descriptions"][lang])
    return season


def _recording(session: WebinarSession, lang: str, kind: str, rate: int) -> None:
    name = media.write_generated(tone_wav(rate=rate, pitch=PITCH.get(lang, 440.0)), "wav", db.session())
    size = (media.media_root() / name).stat().st_size
    db.session.add(
        Recording(
            session=session,
            language=lang,
            kind=kind,
            stored_name=name,
            original_name=f"{session.slug}-{lang}-{kind}.wav",
            content_type="audio/wav",
            size_bytes=size,
        )
    )


def _session(season: Season, data: dict) -> WebinarSession | None:
    if db.session.scalar(select(WebinarSession.id).where(WebinarSession.slug == data["slug"])) is not None:
        return None  # already seeded
    start = datetime(*data["start"], tzinfo=UTC)
    second = datetime(*data["second"], tzinfo=UTC) if data.get("second") else None
    description = data["descriptions"]["en"]
    if data.get("funded"):
        description += f"\n\nFunded by {data['funded']}; given in the six official UN languages."
    session = services.save_session(
        None,
        season=season,
        title=data["titles"]["en"],
        description=description,
        start_dt=start,
        second_start_dt=second,
        duration_min=data["duration"],
        slug=data["slug"],
        articles=data["articles"],
        languages=data["languages"],
        speakers=[{"name": "Secretariat of the Minamata Convention", "affiliation": "UNEP"}],
    )
    for lang, title in data["titles"].items():
        if lang != "en":
            services.set_session_text(None, session, lang, title, data["descriptions"].get(lang, ""))
    for lang in data["captions"]:
        _recording(session, lang, "audio", 8000)
    _recording(session, "en", "video", 16000)
    for lang, cues in data["captions"].items():
        services.save_captions(None, session, language=lang, data=_vtt(cues), filename=f"{lang}.vtt")
    for start_s, titles, articles in data["chapters"]:
        services.save_chapter(None, session, start_s=start_s, titles=titles, articles=articles)
    qa.import_qa_csv(None, session, _qa_csv(data["qa"]))
    db.session.flush()
    db.session.expire(session, ["recordings", "captions", "chapters"])
    services.publish_session(None, session)
    return session


def _upcoming(season: Season, data: dict) -> None:
    """A published session ``data["days_ahead"]`` days from now (two runs), cancelled with
    ``data["cancel_message"]`` when it has one."""
    if db.session.scalar(select(WebinarSession.id).where(WebinarSession.slug == data["slug"])) is not None:
        return
    start = (datetime.now(UTC) + timedelta(days=data["days_ahead"])).replace(
        hour=13, minute=0, second=0, microsecond=0
    )
    session = services.save_session(
        None,
        season=season,
        title=data["titles"]["en"],
        description=data["descriptions"]["en"],
        start_dt=start,
        second_start_dt=start + timedelta(hours=17),
        duration_min=data["duration"],
        slug=data["slug"],
        articles=data["articles"],
        languages=data["languages"],
    )
    for lang, title in data["titles"].items():
        if lang != "en":
            services.set_session_text(None, session, lang, title, "")
    services.publish_session(None, session)
    if data.get("cancel_message"):
        cancellation.cancel_session(None, session, data["cancel_message"])


def _followups(created: list[str]) -> None:
    """Follow-up questions by the demo learner (when the core's demo users exist): one answered and
    published, one waiting in the moderation queue."""
    from lms.models import User

    learner = db.session.scalar(select(User).where(User.email == "learner@example.org"))
    trainer = db.session.scalar(select(User).where(User.email == "trainer@example.org"))
    if learner is None or trainer is None:
        return
    for slug, text, answer in FOLLOWUPS:
        if slug not in created:
            continue
        session = db.session.scalar(select(WebinarSession).where(WebinarSession.slug == slug))
        item = qa.ask_question(learner, session, text, "en", 5)
        if answer:
            qa.moderate(trainer, item, action="answer", answer=answer)


def _give_to_demo_trainer() -> None:
    """trainer@example.org (when the core's demo users exist) owns the demo seasons and sessions that
    have no owner yet; the registry learns it."""
    from lms.models import User

    trainer = db.session.scalar(select(User).where(User.email == "trainer@example.org"))
    if trainer is None:
        return
    slugs = [data["slug"] for data in (*SESSIONS, UPCOMING, CANCELLED)]
    for session in db.session.scalars(select(WebinarSession).where(WebinarSession.slug.in_(slugs))):
        if session.owner_id is None:
            session.owner_id = trainer.id
            db.session.flush()
            team.sync_owners(session)
        if session.season.owner_id is None:
            session.season.owner_id = trainer.id
    db.session.flush()


def seed_demo(app: Flask) -> list[str]:
    """Create the demo season idempotently (flushes; ``seed-demo`` commits)."""
    season = _season(SEASON5)
    created = [s.slug for s in (_session(season, data) for data in SESSIONS) if s is not None]
    for data in (UPCOMING, CANCELLED):
        _upcoming(_season(SEASON_DEMO), data)
    _give_to_demo_trainer()
    _followups(created)
    db.session.flush()
    return created
