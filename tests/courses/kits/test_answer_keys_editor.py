"""The kit's editor follows the answer key rule too: a member of the kit's team (or an admin) who takes
part in a workshop of the kit that is not over reaches neither the question editor, nor the questions'
translation pages, nor the kit package export (refused whole: a package without its test, imported back,
would remove the questions); once that workshop is over they do."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from lms.db import db
from tests.courses.kits.conftest import build_kit, build_workshop

CLOSED = "stay closed to you until that workshop is over"
EXPORT_REFUSED = "The kit&#39;s package carries its test with the answers"
QUESTION = "Which article covers mercury trade?"


@pytest.fixture
def setting(trainer, make_user):
    """The kit "trade" (French too), a workshop of it ten days ahead run by another trainer, in which
    the kit's owner and an admin take part; a co-author who does not."""
    from courses.services import teams
    from courses.services import workshops_registration as registration

    kit = build_kit(trainer, french=True)
    workshop = build_workshop(make_user(role="trainer"), kit)
    admin = make_user(role="admin")
    registration.self_register(trainer, workshop)
    registration.self_register(admin, workshop)
    co_author = make_user(role="trainer")
    teams.add_member(trainer, kit, email=co_author.email)
    db.session.commit()
    return {"kit": kit, "workshop": workshop, "owner": trainer, "admin": admin, "co-author": co_author}


def _urls(kit) -> dict[str, str]:
    single, _truefalse, fillin = kit.parts_of("question")
    base = "/courses/kits/manage/trade"
    return {
        "new question": f"{base}/questions/new?kind=single",
        "edit question": f"{base}/questions/{single.uuid}",
        "translate fill-in": f"{base}/translations/fr/{fillin.uuid}",
        "translate choice": f"{base}/translations/fr/{single.uuid}",
    }


def _package_text(resp) -> str:
    with zipfile.ZipFile(io.BytesIO(resp.data)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def test_a_participant_of_the_team_reaches_no_page_with_the_answers(app, setting, as_user):
    for who in ("owner", "admin"):
        client = as_user(setting[who])
        for what, url in _urls(setting["kit"]).items():
            resp = client.get(url)
            assert resp.status_code == 302, (who, what)
            page = client.get(resp.headers["Location"]).get_data(as_text=True)
            assert CLOSED in page, (who, what)
            # No option of the question editor, no accepted answer of the translation page.
            assert 'value="Article 3"' not in page and ">mercury</pre>" not in page, (who, what)
            # Nor can the form be posted.
            assert client.post(url, data={"prompt": "Changed?"}).status_code == 302, (who, what)
        resp = client.get("/courses/kits/manage/trade/export")
        assert resp.status_code == 302 and resp.mimetype != "application/zip", who
        page = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert EXPORT_REFUSED in page, who
        # The kit's page lists the questions without links to them, and says why.
        assert CLOSED in page and QUESTION in page, who
        assert "/questions/" not in page and "Add a question" not in page, who


def test_a_translation_page_of_another_part_stays_open(app, setting, as_user):
    kit = setting["kit"]
    case = kit.parts_of("case_study")[0]
    client = as_user(setting["owner"])
    page = client.get(f"/courses/kits/manage/trade/translations/fr/{case.uuid}")
    assert page.status_code == 200
    assert "Tracing mercury in gold mining areas" in page.get_data(as_text=True)


def test_the_rest_of_the_team_and_the_participant_once_it_is_over_reach_them(app, setting, as_user):
    from courses.services.workshops import today

    def reaches(user):
        client = as_user(user)
        for what, url in _urls(setting["kit"]).items():
            resp = client.get(url)
            assert resp.status_code == 200, what
            assert CLOSED not in resp.get_data(as_text=True), what
        edit = client.get(_urls(setting["kit"])["edit question"]).get_data(as_text=True)
        assert 'value="Article 3"' in edit
        fillin = client.get(_urls(setting["kit"])["translate fill-in"]).get_data(as_text=True)
        assert ">mercury</pre>" in fillin
        resp = client.get("/courses/kits/manage/trade/export")
        assert resp.status_code == 200 and resp.mimetype == "application/zip"
        assert QUESTION in _package_text(resp)
        page = client.get("/courses/kits/manage/trade").get_data(as_text=True)
        assert CLOSED not in page and "Add a question" in page

    reaches(setting["co-author"])
    workshop = setting["workshop"]
    workshop.start_date = today() - timedelta(days=3)
    workshop.end_date = today() - timedelta(days=2)
    db.session.commit()
    reaches(setting["owner"])
    reaches(setting["admin"])


def test_a_kit_without_questions_is_exported(app, trainer, make_user, as_user):
    """Nothing to hide: a copy made without the test, of a kit whose workshop its owner takes part in."""
    from courses.permissions import may_see_answer_keys
    from courses.services import kits_copy
    from courses.services import workshops_registration as registration

    original = build_kit(trainer, slug="original")
    registration.self_register(trainer, build_workshop(make_user(role="trainer"), original))
    copy = kits_copy.copy_kit(trainer, original, slug="trade", region="SIDS", title="Trade", with_test=False)
    db.session.commit()
    assert may_see_answer_keys(trainer, copy) is False
    resp = as_user(trainer).get("/courses/kits/manage/trade/export")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    assert "Tracing mercury in gold mining areas" in _package_text(resp)
