"""Demo content of tier 3: four kits (one in English, French and Spanish) and the four 2024 workshops with
participants, attendance, pre/post results, certificates and feedback; seeding twice changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from lms.db import db


def _counts():
    from courses.models_kits import (
        AttendanceCertificate,
        Kit,
        KitText,
        KitVersion,
        Participant,
        Workshop,
        WorkshopFeedback,
        WorkshopTestResult,
    )
    from lms.xapi.models import Statement

    return [
        db.session.scalar(select(func.count()).select_from(m))
        for m in (
            Kit,
            KitVersion,
            KitText,
            Workshop,
            Participant,
            WorkshopTestResult,
            AttendanceCertificate,
            WorkshopFeedback,
            Statement,
        )
    ]


def test_demo_kits_and_workshops_seed_twice(app, countries):
    from lms.demo import seed

    seed(app)
    db.session.commit()
    before = _counts()
    seed(app)
    db.session.commit()
    assert _counts() == before

    from courses.models_kits import Kit, Workshop
    from courses.services import workshops_tests as tests
    from courses.services.kits_snapshot import published_view
    from lms.registry import find_resources

    kits = {k.slug: k for k in db.session.scalars(select(Kit))}
    assert set(kits) >= {"mercury-trade", "emissions-inventory", "article-8-projects", "contaminated-sites"}
    assert published_view(kits["mercury-trade"], "es").s["languages"] == ["en", "es", "fr"]
    spanish = published_view(kits["mercury-trade"], "es")
    assert not spanish.is_partial and "comercio" in spanish.title
    assert (
        published_view(kits["contaminated-sites"], "en").parts("case_study")[0]["t"]["title"]
        == "Minamata Bay"
    )
    assert {r.key for r in find_resources(kinds=["kit"])} >= {k.uuid for k in kits.values()}
    from courses.services.kits_files import file_bytes

    slides = published_view(kits["mercury-trade"], "en").parts("resource")[0]["settings"]["file"]
    assert slides["content_type"] == "application/pdf" and file_bytes(slides).startswith(b"%PDF-")
    from courses.services.workshops import today

    upcoming = [w for w in db.session.scalars(select(Workshop)) if w.start_date > today()]
    assert len(upcoming) == 1 and upcoming[0].is_registration_open and not upcoming[0].participants
    assert upcoming[0].start_date == today() + timedelta(days=60)
    workshops = {w.kit.slug: w for w in db.session.scalars(select(Workshop)) if w.start_date.year == 2024}
    assert workshops["mercury-trade"].country_code == "PH" and workshops["mercury-trade"].start_date == date(
        2024, 6, 7
    )
    assert workshops["emissions-inventory"].city == "Cape Town"
    assert (
        workshops["contaminated-sites"].city == "Bern"
        and workshops["contaminated-sites"].start_date.month == 10
    )
    assert workshops["article-8-projects"].format == "hybrid"
    for workshop in workshops.values():
        summary = tests.summary(workshop, "en")
        assert summary["pre_n"] >= 5 and summary["post_n"] >= 5
        assert summary["gain"] is not None and summary["gain"] > 0
        assert sum(1 for p in workshop.participants if p.attended_dt is None) == 1
    trade = workshops["mercury-trade"]
    learner = next(p for p in trade.participants if p.user.email == "learner@example.org")
    assert tests.result_of(learner, "post").mode == "online" and learner.attended_dt.date() == date(
        2024, 6, 7
    )


def test_demo_pages_render(app, client, countries):
    from lms.demo import seed

    seed(app)
    db.session.commit()
    html = client.get("/courses/kits").get_data(as_text=True)
    assert "Building a mercury emissions inventory" in html
    html = client.get("/courses/workshops").get_data(as_text=True)
    assert "Workshop on mercury trade" in html and "Article 12 session at the 15th ICCL meeting" in html
    # A visitor finds a workshop to register for.
    assert "Follow-up workshop on mercury emissions inventories" in html
    client.get("/language/es")
    html = client.get("/courses/kits/mercury-trade").get_data(as_text=True)
    assert (
        "Controlar el comercio de mercurio" in html
        and "Seguir el mercurio hasta las zonas de minería" in html
    )
