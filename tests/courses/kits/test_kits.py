"""Kits: authoring through the services, versioned publishing, the registry entry, per-language variants
with the fallback notice and stale-translation tracking, copying a kit for a region, refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import KIT_TEXTS, add_french, build_kit


def test_published_kit_is_a_registry_resource(app, trainer):
    from lms.registry import find_resources, get_resource

    kit = build_kit(trainer)
    res = get_resource("kit", kit.uuid)
    assert res is not None and res.plugin == "courses" and res.is_published
    assert res.url == "/courses/kits/trade" and res.titles == {"en": "Controlling mercury trade"}
    assert res.articles == [3, 7] and res.languages == ["en"]
    assert [r.key for r in find_resources(kinds=["kit"], articles=[7])] == [kit.uuid]


def test_snapshot_holds_every_part_and_the_test(app, trainer):
    from courses.services.kits_snapshot import published_view

    view = published_view(build_kit(trainer), "en")
    assert view.version == 1 and view.title == KIT_TEXTS["title"]
    assert [p["t"]["title"] for p in view.parts("case_study")] == [
        "Tracing mercury in gold mining areas",
        "A regional consent register",
    ]
    assert view.parts("case_study")[0]["settings"] == {"country": "PH"}
    assert view.agenda_minutes() == 135
    assert [q["kind"] for q in view.parts("question")] == ["single", "truefalse", "fillin"]
    assert view.s["pass_mark"] == 60 and view.s["articles"] == [3, 7]


def test_publishing_again_without_changes_keeps_the_version(app, trainer):
    from courses.models_kits import KitVersion
    from courses.services import kits as authoring
    from courses.services.kits_snapshot import has_unpublished_changes, publish

    kit = build_kit(trainer)
    assert not has_unpublished_changes(kit)
    assert publish(trainer, kit).number == 1
    authoring.add_part(trainer, kit, "discussion", fields={"prompt": "What would you change?"})
    assert has_unpublished_changes(kit)
    version = publish(trainer, kit, note="A second question")
    db.session.commit()
    assert version.number == 2 and kit.published_version == 2
    assert db.session.scalar(select(func.count(KitVersion.id))) == 2
    first = db.session.scalar(select(KitVersion).filter_by(number=1))
    assert len([p for p in first.snapshot["parts"] if p["kind"] == "discussion"]) == 1  # frozen


def test_kit_without_case_study_agenda_or_test_is_not_published(app, trainer):
    from courses.services import kits as authoring
    from courses.services.errors import CourseError
    from courses.services.kits_snapshot import publish

    kit = authoring.create_kit(trainer, slug="empty", source_language="en", **KIT_TEXTS)
    with pytest.raises(CourseError) as info:
        publish(trainer, kit)
    assert len(info.value.errors) == 3
    assert kit.published_version is None and kit.status == "draft"


def test_fallback_to_the_source_language_with_notice(app, trainer, client):
    from courses.services.kits_snapshot import published_view

    kit = build_kit(trainer)
    view = published_view(kit, "es")
    assert view.is_fallback and view.shown == "en" and view.title == KIT_TEXTS["title"]
    client.get("/language/es")
    html = client.get("/courses/kits/trade").get_data(as_text=True)
    assert "no está disponible" in html or "not yet available" in html
    assert 'lang="en"' in html


def test_french_variant_shares_identity_and_becomes_stale(app, trainer):
    from courses.services import kits as authoring
    from courses.services import kits_texts
    from courses.services.kits_snapshot import publish, published_view
    from courses.services.texts import STALE, UP_TO_DATE

    kit = build_kit(trainer, french=True)
    view = published_view(kit, "fr")
    assert view.s["languages"] == ["en", "fr"] and not view.is_fallback and not view.is_partial
    assert view.title == "[fr] Controlling mercury trade"
    assert all(p["shown"] == "fr" for p in view.parts("case_study"))
    assert kits_texts.summary(kit)["fr"] == {"missing": 0, "stale": 0, "up_to_date": 13}
    practice = kit.parts_of("practice")[0]
    authoring.update_part(
        trainer, practice, fields={"title": "Use HS codes", "body": "Use the *HS codes* of 2022."}
    )
    rows = {r["uuid"]: r["status"] for r in kits_texts.overview(kit, "fr")}
    assert rows[practice.uuid] == STALE
    assert sum(1 for s in rows.values() if s == UP_TO_DATE) == 12
    # The stale French text is still shown (it is complete); re-saving marks it up to date.
    kits_texts.save_translation(
        trainer, kit, practice.uuid, "fr", {"title": "Codes SH", "body": "Codes du SH de 2022."}
    )
    assert {r["uuid"]: r["status"] for r in kits_texts.overview(kit, "fr")}[practice.uuid] == UP_TO_DATE
    publish(trainer, kit)
    assert published_view(kit, "fr").parts("practice")[0]["t"]["title"] == "Codes SH"


def test_incomplete_translation_is_refused_and_partial_kit_falls_back_per_part(app, trainer):
    from courses.services import kits_texts
    from courses.services.errors import CourseError
    from courses.services.kits_snapshot import publish, published_view

    kit = build_kit(trainer)
    case = kit.parts_of("case_study")[0]
    with pytest.raises(CourseError):
        kits_texts.save_translation(
            trainer, kit, case.uuid, "fr", {"title": "Traçabilité"}
        )  # problem missing
    kits_texts.save_translation(
        trainer,
        kit,
        kit.uuid,
        "fr",
        {
            "title": "Contrôler le commerce du mercure",
            "summary": "Un atelier.",
            "overview": "Aperçu.",
            "objectives": "- Expliquer",
        },
    )
    publish(trainer, kit)
    view = published_view(kit, "fr")
    assert not view.is_fallback and view.is_partial and view.s["languages"] == ["en"]
    assert view.parts("case_study")[0]["fallback"] and view.parts("case_study")[0]["shown"] == "en"


def test_copy_for_a_region_is_a_new_draft_with_every_part(app, trainer):
    from courses.models_kits import KitPart
    from courses.services import kits_copy, kits_texts
    from courses.services.kits_snapshot import draft_view

    kit = build_kit(trainer, french=True)
    copy = kits_copy.copy_kit(
        trainer, kit, slug="trade-africa", region="Africa", title="Mercury trade in Africa"
    )
    db.session.commit()
    assert copy.status == "draft" and copy.published_version is None and copy.copied_from_id == kit.id
    assert copy.region == "Africa" and copy.articles == [3, 7] and copy.pass_mark == 60
    assert len(copy.parts) == len(kit.parts)
    assert not {p.uuid for p in copy.parts} & {p.uuid for p in kit.parts}
    view = draft_view(copy, "en")
    assert view.title == "Mercury trade in Africa" and view.s["copied_from"] == "trade"
    assert draft_view(copy, "fr").parts("case_study")[0]["t"]["title"].startswith("[fr]")
    summary = kits_texts.summary(copy)["fr"]
    assert summary["stale"] == 1 and summary["up_to_date"] == 12  # only the retitled overview is stale
    assert db.session.scalar(select(func.count(KitPart.id))) == 2 * len(kit.parts)


def test_a_copy_of_the_published_version_leaves_the_teams_draft_behind(app, trainer, make_user):
    """A trainer outside the team copies what visitors see: not a case study, answer, pass mark or
    translation changed in the draft since, and nothing once the kit is withdrawn."""
    from courses.models_kits import KitPart
    from courses.services import kits as authoring
    from courses.services import kits_copy, kits_texts
    from courses.services.errors import CourseError
    from courses.services.kits_snapshot import build_snapshot, draft_view, published_view, unpublish

    kit = build_kit(trainer, french=True)
    published = published_view(kit, "en")
    case = next(p for p in kit.parts if p.kind == "case_study")
    fields = dict(kits_texts.get_text(case.uuid, "en").fields, problem="UNPUBLISHED DRAFT 7731")
    authoring.update_part(trainer, case, fields=fields, settings=dict(case.settings))
    authoring.add_part(trainer, kit, "practice", fields={"title": "Draft practice", "body": "Draft."})
    kit.pass_mark = 90
    db.session.commit()
    other = make_user(role="trainer")
    copy = kits_copy.copy_kit(other, kit, slug="trade-asia", region="Asia", title="Trade", published=True)
    db.session.commit()
    view = draft_view(copy, "en")
    copied = [p["t"].get("problem") for p in view.parts("case_study")]
    assert copied == [p["t"].get("problem") for p in published.parts("case_study")]
    assert "UNPUBLISHED DRAFT 7731" not in str(build_snapshot(copy))
    assert [p["t"]["title"] for p in view.parts("practice")] == ["Use HS codes"]
    assert copy.pass_mark == 60 and len(copy.parts) == len(kit.parts) - 1
    questions = [p for p in copy.parts if p.kind == "question"]
    assert [q.settings for q in questions] == [
        {"qkind": q["kind"], "points": q["points"], "spec": q["spec"]} for q in published.s["questions"]
    ]
    # French was published complete; unchanged since, it is up to date in the copy as in the original,
    # but a French text edited in the draft since publishing no longer says what it was made from.
    assert kits_texts.summary(copy)["fr"]["stale"] == 1  # only the retitled overview
    practice = next(p for p in kit.parts if p.kind == "practice")
    row = kits_texts.get_text(practice.uuid, "fr")
    kits_texts.set_text(
        kit, practice.uuid, "practice", "fr", dict(row.fields, body="Brouillon."), actor=trainer
    )
    again = kits_copy.copy_kit(other, kit, slug="trade-asia-2", region="Asia", title="Trade", published=True)
    assert kits_texts.summary(again)["fr"]["stale"] == 2
    copied = next(p for p in again.parts if p.kind == "practice")
    assert kits_texts.get_text(copied.uuid, "fr").fields["body"] != "Brouillon."  # the published words
    # The team copies its draft, changes and all.
    mine = kits_copy.copy_kit(trainer, kit, slug="trade-mine", region="Asia", title="Mine")
    assert "UNPUBLISHED DRAFT 7731" in str(build_snapshot(mine)) and mine.pass_mark == 90
    unpublish(trainer, kit)
    db.session.commit()
    parts_before = db.session.scalar(select(func.count(KitPart.id)))
    with pytest.raises(CourseError, match="Only a published kit"):
        kits_copy.copy_kit(other, kit, slug="trade-late", region="Asia", title="Late", published=True)
    assert authoring.kit_by_slug("trade-late") is None
    assert db.session.scalar(select(func.count(KitPart.id))) == parts_before


@pytest.mark.parametrize(
    "kind, settings, fields, message",
    [
        (
            "case_study",
            {"country": "XX"},
            {"title": "t", "problem": "p", "action": "a", "results": "r", "lessons": "l"},
            "Unknown country",
        ),
        ("case_study", {}, {"title": "t", "problem": "p"}, "is required"),
        ("agenda", {"minutes": 0}, {"title": "Opening"}, "between 1 and 600"),
        ("agenda", {"minutes": "soon"}, {"title": "Opening"}, "whole number"),
        ("resource", {"url": "javascript:alert(1)", "type": "link"}, {"title": "x"}, "http"),
        (
            "resource",
            {"url": "https://example.org", "type": "podcast"},
            {"title": "x"},
            "Unknown resource type",
        ),
        ("practice", {}, {"title": "x" * 301, "body": "b"}, "too long"),
    ],
)
def test_bad_parts_are_refused_and_nothing_is_written(app, trainer, kind, settings, fields, message):
    from courses.models_kits import KitPart, KitText
    from courses.services import kits as authoring
    from courses.services.errors import CourseError

    kit = build_kit(trainer, publish=False)
    before = (
        db.session.scalar(select(func.count(KitPart.id))),
        db.session.scalar(select(func.count(KitText.id))),
    )
    with pytest.raises(CourseError) as info:
        authoring.add_part(trainer, kit, kind, fields=fields, settings=settings)
    db.session.rollback()
    assert message in str(info.value)
    after = (
        db.session.scalar(select(func.count(KitPart.id))),
        db.session.scalar(select(func.count(KitText.id))),
    )
    assert before == after


def test_bad_kit_fields_are_refused(app, trainer):
    from courses.services import kits as authoring
    from courses.services.errors import CourseError

    build_kit(trainer)
    for kwargs, message in (
        ({"slug": "trade"}, "already uses"),
        ({"slug": "manage"}, "reserved"),
        ({"slug": "Bad Slug"}, "lower-case"),
        ({"slug": "x", "articles": "3, 99"}, "Articles"),
        ({"slug": "x", "pass_mark": 120}, "pass mark"),
    ):
        with pytest.raises(CourseError, match=message):
            authoring.create_kit(trainer, source_language="en", **{**KIT_TEXTS, **kwargs})
        db.session.rollback()


def test_move_and_delete_parts(app, trainer):
    from courses.services import kits as authoring

    kit = build_kit(trainer, publish=False)
    first, second = kit.parts_of("agenda")
    authoring.move_part(trainer, second, "up")
    assert [p.uuid for p in sorted(kit.parts_of("agenda"), key=lambda p: p.position)] == [
        second.uuid,
        first.uuid,
    ]
    authoring.delete_part(trainer, first)
    db.session.commit()
    from courses.services.kits_texts import get_text

    assert len(kit.parts_of("agenda")) == 1 and get_text(first.uuid, "en") is None


def test_translations_of_a_french_kit_are_counted(app, trainer):
    kit = build_kit(trainer, publish=False)
    add_french(trainer, kit)
    from courses.services import kits_texts

    assert (
        kits_texts.summary(kit)["fr"]["up_to_date"] == 13 and kits_texts.summary(kit)["es"]["missing"] == 13
    )
