"""Demo content: season 5 with at least six themes, short generated media, captions en/fr/es,
chapters with articles, archived Q&A; idempotent."""

from pathlib import Path

from sqlalchemy import func, select

from lms.db import db
from lms.registry import find_resources
from webinars.models import CaptionTrack, Chapter, QAItem, Recording, WebinarSession
from webinars.plugin import plugin
from webinars.search import search


def _counts():
    return {
        m.__name__: db.session.scalar(select(func.count(m.id)))
        for m in (WebinarSession, Recording, CaptionTrack, Chapter, QAItem)
    }


def test_demo_content_is_complete_and_idempotent(app, client):
    plugin.run_demo_content(app)
    db.session.commit()
    first = _counts()
    plugin.run_demo_content(app)
    db.session.commit()
    assert _counts() == first
    sessions = db.session.scalars(select(WebinarSession).where(WebinarSession.season.has(number=5))).all()
    assert len(sessions) >= 6
    for s in sessions:
        assert s.is_published
        assert {"en", "fr", "es"} <= {c.language for c in s.captions}
        assert (
            any(r.kind == "audio" for r in s.recordings)
            and s.chapters
            and all(c.articles for c in s.chapters)
        )
        assert db.session.scalar(select(func.count(QAItem.id)).where(QAItem.session_id == s.id)) >= 1
        for rec in s.recordings:
            path = Path(app.config["MEDIA_DIR"]) / "webinars" / rec.stored_name
            assert path.read_bytes()[:4] == b"RIFF" and rec.size_bytes == path.stat().st_size < 400_000
    six = [s for s in sessions if len(s.languages) == 6]
    assert {s.articles[0] for s in six} == {4, 11}
    # Plus the upcoming demo session; the cancelled one (listed in the archive, marked cancelled) is
    # no resource to study.
    assert len(find_resources(kinds=["webinar"])) == len(sessions) + 1
    cancelled = db.session.scalar(select(WebinarSession).filter_by(slug="demo-cancelled-session"))
    assert cancelled.is_cancelled and not cancelled.is_partly_held and cancelled.cancel_message
    page = client.get("/webinars/s/demo-cancelled-session").get_data(as_text=True)
    assert "This session has been cancelled and will not take place." in page
    assert cancelled.cancel_message in page
    # The "done when" path: a Spanish word spoken in a recording leads to its second.
    hit = next(h for h in search("pilas") if h.language == "es")
    page = client.get(f"/webinars/s/{hit.session.slug}?lang=es&t={hit.start_s}")
    assert page.status_code == 200 and f"#t={hit.start_s}" in page.get_data(as_text=True)
    assert client.get(f"/webinars/s/{hit.session.slug}/transcript/fr").status_code == 200
    assert search("汞废物")  # Chinese captions of the Article 11 session


def test_demo_seasons_are_written_in_french_too(app, client):
    from webinars.models import Season

    plugin.run_demo_content(app)
    db.session.commit()
    for number in (5, 6):
        season = db.session.scalar(select(Season).filter_by(number=number))
        assert season.source_language == "en"
        assert season.titles["fr"] and season.descriptions["fr"], number
    demo = db.session.scalar(select(Season).filter_by(number=6))
    client.get("/language/fr")
    page = client.get(f"/webinars/seasons/{demo.slug}").get_data(as_text=True)
    assert "<h1>Sessions à venir (démonstration)</h1>" in page
    assert "<p>Un exemple de session à venir, pour essayer l’inscription et les rappels.</p>" in page
