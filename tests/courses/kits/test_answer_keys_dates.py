"""When a participant stops taking a kit's test: while either test of their workshop is open, and until
the day after its last day (UTC: a venue behind UTC is still on its last day); and in a workshop of any
kit of the same family of copies, which carries the same questions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop

KEY_HEADING = "Test questions and answers (facilitators only)"


def _reads_key(client, slug="trade") -> bool:
    return KEY_HEADING in client.get(f"/courses/kits/{slug}/guide").get_data(as_text=True)


def _ended(workshop, days_ago: int) -> None:
    from courses.services.workshops import today

    workshop.start_date = today() - timedelta(days=days_ago + 1)
    workshop.end_date = today() - timedelta(days=days_ago)
    db.session.commit()


def test_the_day_after_the_last_day_is_still_the_workshop(app, trainer, make_user, as_user):
    from courses.services import workshops_registration as registration

    kit = build_kit(trainer)
    workshop = build_workshop(make_user(role="trainer"), kit, city="Lima", country_code="PE")
    registration.self_register(trainer, workshop)  # the kit's owner takes part
    db.session.commit()
    client = as_user(trainer)
    _ended(workshop, 1)  # in Lima (UTC-5) the last day lasts until 05:00 UTC today
    assert not _reads_key(client)
    assert client.get("/courses/kits/manage/trade/export").status_code == 302
    _ended(workshop, 2)
    assert _reads_key(client)
    assert client.get("/courses/kits/manage/trade/export").mimetype == "application/zip"


@pytest.mark.parametrize("flag", ["is_pre_test_open", "is_post_test_open"])
def test_an_open_test_keeps_the_participant_in_after_the_last_day(app, trainer, make_user, as_user, flag):
    from courses.services import workshops as ws
    from courses.services import workshops_registration as registration

    kit = build_kit(trainer)
    facilitator = make_user(role="trainer")
    workshop = build_workshop(facilitator, kit)
    registration.self_register(trainer, workshop)
    db.session.commit()
    _ended(workshop, 10)
    ws.set_flags(facilitator, workshop, **{flag: True})
    db.session.commit()
    client = as_user(trainer)
    assert not _reads_key(client)
    page = client.get("/courses/kits/manage/trade").get_data(as_text=True)
    assert "stay closed to you until that workshop is over" in page
    ws.set_flags(facilitator, workshop, **{flag: False})
    db.session.commit()
    assert _reads_key(client)


def test_a_cancelled_workshop_counts_until_the_day_after_its_last_day(app, trainer, make_user, as_user):
    """Its participants keep their seats through the cancellation: reinstated, they take the test."""
    from courses.services import workshops as ws
    from courses.services import workshops_registration as registration

    kit = build_kit(trainer)
    facilitator = make_user(role="trainer")
    workshop = build_workshop(facilitator, kit)
    registration.self_register(trainer, workshop)
    ws.set_flags(facilitator, workshop, is_cancelled=True)
    db.session.commit()
    client = as_user(trainer)
    assert not _reads_key(client)
    _ended(workshop, 1)
    assert not _reads_key(client)
    _ended(workshop, 2)
    assert _reads_key(client)


def test_a_workshop_of_a_kit_of_the_same_family_counts(app, trainer, make_user, as_user):
    """Original -> copy -> copy of the copy, and another copy of the original: taking part in a workshop
    of any of them closes the key of every one of them (they carry the same questions)."""
    from courses.permissions import kit_family, may_see_answer_keys
    from courses.services import kits_copy
    from courses.services import workshops_registration as registration
    from courses.services.kits_snapshot import publish

    original = build_kit(trainer)
    copies = {}
    for slug, source in (("trade-sids", "trade"), ("trade-pacific", "trade-sids"), ("trade-asia", "trade")):
        source_kit = copies.get(source, original)
        copies[slug] = kits_copy.copy_kit(trainer, source_kit, slug=slug, region="R", title=f"Trade {slug}")
        publish(trainer, copies[slug])
    unrelated = build_kit(trainer, slug="other")
    db.session.commit()
    family = {original.id} | {k.id for k in copies.values()}
    for kit in (original, *copies.values()):
        assert kit_family(kit) == family
    assert kit_family(unrelated) == {unrelated.id}

    tina = make_user(role="trainer", name="Tina")
    build_workshop(tina, original)  # Tina facilitates a workshop of the original...
    build_workshop(tina, copies["trade-pacific"])  # ... and of the copy of the copy
    client = as_user(tina)
    assert _reads_key(client) and _reads_key(client, "trade-pacific")
    # ... and takes part in a workshop of the copy of the copy: every kit of the family is closed.
    registration.self_register(tina, build_workshop(trainer, copies["trade-pacific"]))
    db.session.commit()
    for kit in (original, *copies.values()):
        assert may_see_answer_keys(tina, kit) is False, kit.slug
    assert not _reads_key(client) and not _reads_key(client, "trade-pacific")
    page = client.get("/courses/kits/trade/offline/en.zip?answers=1")
    assert page.status_code == 200 and "facilitator" not in page.headers["Content-Disposition"]
    # The owner of the original, who takes part in it, reaches neither its question editor nor export.
    owner = as_user(trainer)
    assert _reads_key(owner)
    registration.self_register(trainer, build_workshop(tina, copies["trade-asia"]))
    db.session.commit()
    assert not _reads_key(owner)
    assert owner.get("/courses/kits/manage/trade/export").status_code == 302
    assert _reads_key(owner, "other")  # not of the family
