"""Demo content: four modules with real facts, a unit in French and Spanish, several question types and
an imported xAPI activity; seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.db import db


def test_seed_twice_is_idempotent(app, countries):
    from courses.demo.seed import MODULES, seed
    from courses.models import Course, CourseVersion, Item, Package, Translation
    from courses.services.publishing import published_view

    assert set(seed(app)) == set(MODULES)
    db.session.commit()
    counts = [
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Course, CourseVersion, Item, Package, Translation)
    ]
    assert seed(app) == []
    db.session.commit()
    assert counts == [
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Course, CourseVersion, Item, Package, Translation)
    ]
    courses = db.session.scalars(select(Course)).all()
    assert len(courses) == 4 and all(c.status == "published" for c in courses)
    kinds = set()
    for course in courses:
        view = published_view(course, "en")
        kinds |= {q["kind"] for i in view.items for q in i.get("questions", [])}
    assert {"single", "multiple", "truefalse", "numeric", "fillin", "matching", "ordering"} <= kinds
    first = next(c for c in courses if c.slug == "the-convention-and-you")
    for lang in ("fr", "es"):
        view = published_view(first, lang)
        unit = view.s["units"][0]
        assert lang in unit["texts"]
        assert all(lang in i["texts"] for i in unit["items"])
        assert all(lang in q["texts"] for i in unit["items"] for q in i.get("questions", []))
    assert "Kumamoto" in str(published_view(first, "en").s) and "16 August 2017" in str(
        published_view(first, "en").s
    )
    products = next(c for c in courses if c.slug == "products-and-processes")
    assert any(i["kind"] == "package" for i in published_view(products, "en").items)
    from lms.registry import find_resources

    assert {r.key for r in find_resources(kinds=["course"])} == {c.uuid for c in courses}


def test_demo_catalogue_renders_in_french(client, app, countries):
    from courses.demo.seed import seed

    seed(app)
    db.session.commit()
    client.get("/language/fr")
    html = client.get("/courses/").get_data(as_text=True)
    assert "La Convention de Minamata, le correspondant national" in html
    html = client.get("/courses/?language=es").get_data(as_text=True)
    assert "La Convention de Minamata" in html and "Controlling mercury emissions" not in html
