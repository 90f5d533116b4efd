"""Archive services: sessions, recordings, captions, chapters, publishing into the registry."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.registry import find_resources, get_resource
from webinars import services
from webinars.errors import WebinarError
from webinars.models import CaptionTrack, Recording, WebinarSession
from webinars.validation import youtube_id

from .conftest import mp4_bytes, wav_bytes


def test_published_session_and_chapters_are_registry_resources(full_session):
    res = get_resource("webinar", full_session.uuid)
    assert res.url == f"/webinars/s/{full_session.slug}"
    assert res.titles["es"].startswith("Productos con mercurio")
    assert res.articles == [4] and {"en", "fr", "es"} <= set(res.languages)
    chapters = find_resources(kinds=["webinar_chapter"])
    assert sorted(r.url for r in chapters) == [
        f"/webinars/s/{full_session.slug}?t=0#t=0",
        f"/webinars/s/{full_session.slug}?t=65#t=65",
    ]
    waste = next(r for r in chapters if r.url.endswith("t=65"))
    assert waste.articles == [11] and "Mercury waste" in waste.titles["en"]
    assert [r.key for r in find_resources(kinds=["webinar_chapter"], articles=[11])] == [waste.key]


def test_unpublish_withdraws_resources(full_session):
    services.unpublish_session(None, full_session)
    db.session.commit()
    assert not get_resource("webinar", full_session.uuid).is_published
    assert find_resources(kinds=["webinar", "webinar_chapter"]) == []


def test_draft_is_not_registered(make_session):
    s = make_session(publish=False)
    assert get_resource("webinar", s.uuid) is None


def test_session_validation(season):
    start = datetime(2024, 6, 12, 13, tzinfo=UTC)
    with pytest.raises(WebinarError, match="duration"):
        services.save_session(None, season=season, title="X", start_dt=start, duration_min=1)
    with pytest.raises(WebinarError, match="second run"):
        services.save_session(
            None, season=season, title="X", start_dt=start, duration_min=60, second_start_dt=start
        )
    with pytest.raises(WebinarError, match="articles 1 to 35"):
        services.save_session(None, season=season, title="X", start_dt=start, duration_min=60, articles=[40])
    with pytest.raises(WebinarError, match="time zone"):
        services.save_session(None, season=season, title="X", start_dt=datetime(2024, 1, 1), duration_min=60)
    db.session.rollback()
    assert db.session.scalar(select(func.count(WebinarSession.id))) == 0


def test_recording_upload_is_stored_and_replaced_after_commit(app, make_session):
    s = make_session()
    rec = services.save_recording(
        None, s, language="fr", kind="audio", stream=io.BytesIO(wav_bytes()), filename="canal-fr.wav"
    )
    db.session.commit()
    first = Path(app.config["MEDIA_DIR"]) / "webinars" / rec.stored_name
    assert first.is_file() and rec.size_bytes == first.stat().st_size and rec.content_type == "audio/wav"
    services.save_recording(
        None, s, language="fr", kind="audio", stream=io.BytesIO(wav_bytes(0.5)), filename="new.wav"
    )
    assert first.is_file()  # still there until the transaction commits
    db.session.commit()
    assert not first.is_file()
    assert db.session.scalar(select(func.count(Recording.id))) == 1


def test_upload_rolled_back_leaves_no_file(app, make_session):
    s = make_session()
    rec = services.save_recording(
        None, s, language="es", kind="video", stream=io.BytesIO(mp4_bytes()), filename="es.mp4"
    )
    path = Path(app.config["MEDIA_DIR"]) / "webinars" / rec.stored_name
    assert path.is_file()
    db.session.rollback()
    assert not path.is_file()


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"not a video at all", "talk.mp4", "does not match"),
        (mp4_bytes(), "talk.exe", "not accepted"),
        (b"", "talk.mp4", "empty"),
        (mp4_bytes(), "", "Upload a file or give an address"),
    ],
)
def test_bad_recording_upload_is_refused_and_nothing_kept(app, make_session, data, filename, reason):
    s = make_session()
    with pytest.raises(WebinarError, match=reason):
        services.save_recording(
            None, s, language="en", kind="video", stream=io.BytesIO(data), filename=filename
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count(Recording.id))) == 0
    folder = Path(app.config["MEDIA_DIR"]) / "webinars"
    assert not [p for p in folder.iterdir()] if folder.exists() else True


def test_upload_size_limit(app, make_session):
    app.config["WEBINARS_MAX_MEDIA_MB"] = 1
    s = make_session()
    with pytest.raises(WebinarError, match="too large"):
        services.save_recording(
            None,
            s,
            language="en",
            kind="video",
            stream=io.BytesIO(mp4_bytes(2 * 1024 * 1024)),
            filename="big.mp4",
        )


def test_external_recording_must_be_https(make_session):
    s = make_session()
    with pytest.raises(WebinarError, match="https"):
        services.save_recording(None, s, language="en", kind="video", url="http://example.org/v.mp4")
    rec = services.save_recording(None, s, language="en", kind="video", url="https://youtu.be/AbCdEf12345")
    assert rec.is_external and youtube_id(rec.external_url) == "AbCdEf12345"


def test_bad_captions_keep_the_previous_track(full_session):
    with pytest.raises(WebinarError):
        services.save_captions(
            None, full_session, language="en", data=b"WEBVTT\n\nbroken --> x\n", filename="en.vtt"
        )
    db.session.rollback()
    track = db.session.scalar(select(CaptionTrack).filter_by(session_id=full_session.id, language="en"))
    assert track.cue_count == 3


def test_chapter_validation(full_session):
    with pytest.raises(WebinarError, match="within the session"):
        services.save_chapter(None, full_session, start_s=90 * 60, titles={"en": "Too late"})
    with pytest.raises(WebinarError, match="already starts"):
        services.save_chapter(None, full_session, start_s=65, titles={"en": "Clash"})
    with pytest.raises(WebinarError, match="source language"):
        services.save_chapter(None, full_session, start_s=30, titles={"fr": "Sans anglais"})


def test_chapters_track_in_the_visitor_language(full_session):
    text = services.chapters_track(full_session, "fr")
    assert "Bienvenue" in text and "Déchets de mercure" in text
    assert "00:01:05.000 --> 01:30:00.000" in text
