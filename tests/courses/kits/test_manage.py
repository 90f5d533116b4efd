"""The trainer's side through HTTP: building a kit in the browser (parts, test questions, publish,
preview, translate, copy), scheduling a workshop, imported lists, QR check-in confirmed on the trainer's
phone, the attendance sheet, paper results, the results page, certificates and the feedback summary."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from lms.db import db
from tests.courses.kits.conftest import KIT_TEXTS, build_kit, build_workshop, statements


def test_trainer_builds_and_publishes_a_kit_in_the_browser(app, client, trainer, login, countries):
    from courses.models_kits import Kit

    login(trainer)
    resp = client.post(
        "/courses/kits/manage/new",
        data={
            **KIT_TEXTS,
            "slug": "web-kit",
            "source_language": "en",
            "articles": "8",
            "pass_mark": "50",
            "region": "",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    kit = db.session.scalar(select(Kit).filter_by(slug="web-kit"))
    base = "/courses/kits/manage/web-kit"
    assert client.get(f"{base}/parts/new/case_study").status_code == 200
    for kind, data in (
        (
            "case_study",
            {
                "title": "Inventory in South Africa",
                "country": "ZA",
                "sector": "Coal power",
                "problem": "No data.",
                "action": "Toolkit level 1.",
                "results": "An inventory.",
                "lessons": "Start small.",
            },
        ),
        ("agenda", {"title": "Opening", "minutes": "30"}),
        (
            "exercise",
            {
                "title": "Estimate releases",
                "minutes": "45",
                "instructions": "Use the toolkit.",
                "expected_outcome": "A table.",
            },
        ),
        ("resource", {"title": "Toolkit", "url": "https://www.unep.org/", "type": "document"}),
    ):
        resp = client.post(f"{base}/parts/new/{kind}", data=data)
        assert resp.status_code == 302, (kind, resp.get_data(as_text=True)[:3000])
    # A part with a missing required field is refused with the form again.
    assert client.post(f"{base}/parts/new/agenda", data={"title": "", "minutes": "30"}).status_code == 400
    assert client.post(f"{base}/parts/new/nonsense", data={}).status_code == 404
    resp = client.post(
        f"{base}/questions/new?kind=truefalse",
        data={
            "kind": "truefalse",
            "prompt": "Coal burning emits mercury.",
            "points": "1",
            "truefalse": "true",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    db.session.refresh(kit)
    assert [p.kind for p in kit.parts] == ["case_study", "agenda", "exercise", "resource", "question"]
    assert kit.parts_of("case_study")[0].settings == {"country": "ZA"}
    edit = client.get(f"{base}/questions/{kit.parts_of('question')[0].uuid}").get_data(as_text=True)
    assert "Coal burning emits mercury." in edit
    preview = client.get(f"{base}/preview").get_data(as_text=True)
    assert (
        "Preview of the draft" in preview
        and "Inventory in South Africa" in preview
        and "South Africa" in preview
    )
    assert client.get("/courses/kits/web-kit").status_code == 404
    assert client.post(f"{base}/publish", data={"note": "First"}).status_code == 302
    db.session.refresh(kit)
    assert kit.published_version == 1
    assert "Inventory in South Africa" in client.get("/courses/kits/web-kit").get_data(as_text=True)
    html = client.get(base).get_data(as_text=True)
    assert "The published version is up to date with the draft." in html


def test_publish_refusal_lists_the_reasons(app, client, trainer, login):
    from courses.services import kits as authoring

    authoring.create_kit(trainer, slug="thin", source_language="en", **KIT_TEXTS)
    db.session.commit()
    login(trainer)
    html = client.post("/courses/kits/manage/thin/publish", data={}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "The kit cannot be published yet." in html and "at least one case study" in html


def test_translate_a_part_side_by_side(app, client, trainer, login):
    kit = build_kit(trainer)
    login(trainer)
    listing = client.get("/courses/kits/manage/trade/translations?language=es").get_data(as_text=True)
    assert "missing" in listing
    # The columns in the order of the module's translation page: up to date, stale, missing.
    head = listing.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert head.index("Up to date") < head.index("Stale") < head.index("Missing")
    part = kit.parts_of("practice")[0]
    url = f"/courses/kits/manage/trade/translations/es/{part.uuid}"
    assert "Use the *HS codes*." in client.get(url).get_data(as_text=True)
    bad = client.post(url, data={"f_title": "Usar los códigos SA"})
    assert bad.status_code == 400 and "Translate every required field" in bad.get_data(as_text=True)
    assert (
        client.post(
            url, data={"f_title": "Usar los códigos SA", "f_body": "Use los *códigos SA*."}
        ).status_code
        == 302
    )
    from courses.services.kits_texts import get_text

    assert get_text(part.uuid, "es").fields == {
        "title": "Usar los códigos SA",
        "body": "Use los *códigos SA*.",
    }
    assert client.get("/courses/kits/manage/trade/translations/en/" + part.uuid).status_code == 404


def test_copy_kit_in_the_browser(app, client, trainer, login):
    build_kit(trainer)
    login(trainer)
    resp = client.post(
        "/courses/kits/manage/trade/copy",
        data={"slug": "trade-grulac", "title": "Comercio", "region": "Latin America and the Caribbean"},
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/courses/kits/manage/trade-grulac")
    assert (
        client.post(
            "/courses/kits/manage/trade/copy", data={"slug": "trade-grulac", "title": "Again", "region": "x"}
        ).status_code
        == 400
    )


def test_a_trainer_outside_the_team_copies_only_what_visitors_see(app, client, trainer, login, make_user):
    from courses.services import kits as authoring
    from courses.services.kits_snapshot import unpublish

    kit = build_kit(trainer)
    fields = {**authoring.kit_fields(kit), "title": "DRAFT TITLE 7731"}
    authoring.update_kit(trainer, kit, slug="trade", articles="3, 7", pass_mark=60, **fields)
    db.session.commit()
    other = make_user(role="trainer")
    login(other)
    page = client.get("/courses/kits/manage/trade/copy").get_data(as_text=True)
    assert "DRAFT TITLE 7731" not in page and "but without its test" in page
    assert 'href="/courses/kits/trade"' in page and 'href="/courses/kits/manage/trade"' not in page
    resp = client.post(
        "/courses/kits/manage/trade/copy", data={"slug": "trade-sids", "title": "Trade", "region": "SIDS"}
    )
    assert resp.status_code == 302
    unpublish(trainer, kit)
    db.session.commit()
    assert client.get("/courses/kits/manage/trade/copy").status_code == 403
    data = {"slug": "trade-late", "title": "Late", "region": "SIDS"}
    assert client.post("/courses/kits/manage/trade/copy", data=data).status_code == 403
    assert authoring.kit_by_slug("trade-late") is None
    client.post("/account/logout")
    login(trainer)  # the team still copies its withdrawn kit, draft and all
    page = client.get("/courses/kits/manage/trade/copy").get_data(as_text=True)
    assert "DRAFT TITLE 7731" in page


def test_export_then_import_gives_the_same_kit(app, client, trainer, login):
    from courses.models_kits import Kit, KitPart
    from courses.services import kits_package
    from courses.services.kits_snapshot import build_snapshot

    kit = build_kit(trainer, french=True)
    before = build_snapshot(kit)
    login(trainer)
    resp = client.get("/courses/kits/manage/trade/export")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    data = resp.data
    files = kits_package.files_from_zip(data)
    assert set(files) == {"kit.yaml", "test.yaml"}
    # Re-importing replaces the draft of the same kit: same ids, texts and translation status.
    resp = client.post(
        "/courses/kits/manage/import",
        data={"file": (io.BytesIO(data), "kit.zip")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    db.session.expire_all()
    again = db.session.scalar(select(Kit).filter_by(slug="trade"))
    assert build_snapshot(again) == before
    assert db.session.scalar(select(func.count(Kit.id))) == 1
    assert db.session.scalar(select(func.count(KitPart.id))) == len(kit.parts)


def test_bad_kit_packages_are_refused_with_file_line_and_reason(app, client, trainer, login):
    from courses.models_kits import Kit
    from courses.services.archive import write_zip

    login(trainer)
    kit_yaml = (
        "format: 1\nslug: broken\nsource_language: en\nlanguages: [en, fr]\ntitle: Broken\nsummary: s\n"
        "overview: o\nobjectives: o\narticles: [3, 99]\ncolour: red\n"
        "agenda:\n  - title: Opening\n  - title: Lunch\n    minutes: 5000\n"
        "resources:\n  - title: x\n    url: ftp://example.org\n"
    )
    files = {
        "kit.yaml": kit_yaml.encode(),
        "test.yaml": b"questions:\n  - kind: riddle\n    prompt: What?\n",
        "extra.exe": b"MZ",
    }
    resp = client.post(
        "/courses/kits/manage/import",
        data={"file": (io.BytesIO(write_zip(files)), "kit.zip")},
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    for reason in (
        "articles must be a list of numbers from 1 to 35",
        "unknown key colour",
        "missing the fr translation",
        "missing required key minutes",
        "minutes must be a whole number from 1 to 600",
        "url must be an address",
        "kind must be one of",
        "unexpected file",
    ):
        assert reason in html, reason
    assert "<td>kit.yaml</td><td>9</td>" in html  # articles is on line 9
    assert db.session.scalar(select(func.count(Kit.id))) == 0
    not_zip = client.post(
        "/courses/kits/manage/import",
        data={"file": (io.BytesIO(b"hello"), "kit.zip")},
        content_type="multipart/form-data",
    )
    assert not_zip.status_code == 400 and "not a valid zip" in not_zip.get_data(as_text=True)
    slip = write_zip({"../evil.yaml": b"x", "kit.yaml": b"slug: x"})
    resp = client.post(
        "/courses/kits/manage/import",
        data={"file": (io.BytesIO(slip), "kit.zip")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and "unsafe path" in resp.get_data(as_text=True)
    bad_yaml = write_zip({"kit.yaml": b"slug: [unclosed\n", "test.yaml": b"questions: []\n"})
    resp = client.post(
        "/courses/kits/manage/import",
        data={"file": (io.BytesIO(bad_yaml), "kit.zip")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and "bad YAML" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Kit.id))) == 0


def test_schedule_and_edit_a_workshop(app, client, trainer, login):
    from courses.models_kits import Workshop

    build_kit(trainer)
    login(trainer)
    start = date.today() + timedelta(days=30)
    data = {
        "kit": "trade",
        "title": "Trade workshop",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=1)).isoformat(),
        "city": "Manila",
        "country_code": "PH",
        "format": "hybrid",
        "languages": ["en", "es"],
        "organiser": "Secretariat",
        "partners": "EU",
        "capacity": "25",
        "is_registration_open": "y",
    }
    assert "Controlling mercury trade" in client.get("/courses/workshops/new?kit=trade").get_data(
        as_text=True
    )
    resp = client.post("/courses/workshops/new", data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:3000]
    workshop = db.session.scalar(select(Workshop))
    assert workshop.languages == ["en", "es"] and workshop.format == "hybrid" and workshop.capacity == 25
    bad = client.post(
        "/courses/workshops/new", data=dict(data, end_date=(start - timedelta(days=3)).isoformat())
    )
    assert bad.status_code == 400 and "The last day cannot be before the first day." in bad.get_data(
        as_text=True
    )
    resp = client.post(
        f"/courses/workshops/{workshop.uuid}/edit", data=dict(data, capacity="40", city="Quezon City")
    )
    assert resp.status_code == 302
    db.session.refresh(workshop)
    assert workshop.capacity == 40 and workshop.city == "Quezon City"
    assert db.session.scalar(select(func.count(Workshop.id))) == 1


def test_trainer_runs_a_workshop(app, client, trainer, login, make_user):
    """Imported list, QR check-in on the phone, attendance sheet, paper post-test, results, certificates,
    feedback summary."""
    from courses.models_kits import AttendanceCertificate, Participant
    from courses.services import workshops_attendance as attendance
    from courses.services import workshops_tests as tests

    kit = build_kit(trainer)
    workshop = build_workshop(trainer, kit, start=date.today())
    base = f"/courses/workshops/{workshop.uuid}"
    login(trainer)
    csv_data = b"email,name,country\na@example.org,Ana,PH\nb@example.org,Ben,VN\nc@example.org,Chen,PK\n"
    bad = client.post(
        f"{base}/import",
        data={"file": (io.BytesIO(csv_data + b"broken,,\n"), "list.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "<td>5</td>" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Participant.id))) == 0
    resp = client.post(
        f"{base}/import",
        data={"file": (io.BytesIO(csv_data), "list.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    ana, ben, chen = db.session.scalars(select(Participant).order_by(Participant.id)).all()
    # QR check-in: the phone opens the code's URL, the trainer confirms with a POST.
    codes = client.get(f"{base}/check-in-codes").get_data(as_text=True)
    assert codes.count("data:image/svg+xml") == 3
    url = attendance.check_in_url(ana).replace("http://lms.test", "")
    confirm = client.get(url).get_data(as_text=True)
    assert "Ana" in confirm and "Confirm the check-in" in confirm and ana.attended_dt is None
    assert client.post(url).status_code == 302
    db.session.refresh(ana)
    assert ana.attended_dt is not None and ana.check_in_method == "qr"
    assert client.get("/courses/workshops/check-in/forged.token").status_code == 400
    sheet = b"email,attended\nb@example.org,yes\nc@example.org,no\n"
    resp = client.post(
        f"{base}/attendance",
        data={"file": (io.BytesIO(sheet), "sheet.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    db.session.refresh(ben)
    assert ben.check_in_method == "sheet" and len(statements("attended")) == 2
    # Paper post-test for Ben: first question right, the others wrong.
    view = tests.kit_view(workshop, "en")
    q1, q2, q3 = (q["uuid"] for q in view.s["questions"])
    paper = f"{base}/paper/post/{ben.uuid}"
    assert "Which article covers mercury trade?" in client.get(paper).get_data(as_text=True)
    assert client.post(paper, data={f"m_{q1}": "1", f"m_{q2}": "0", f"m_{q3}": "maybe"}).status_code == 400
    assert client.post(paper, data={f"m_{q1}": "1", f"m_{q2}": "0", f"m_{q3}": ""}).status_code == 302
    assert round(tests.result_of(ben, "post").score_scaled, 2) == 0.33
    # Opened again to correct it, the unanswered question still reads "not answered" (not "wrong").
    again = client.get(paper).get_data(as_text=True)
    third = again.split(f'name="m_{q3}"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected' not in third and " selected" not in third
    assert '<option value="0" selected>' in again.split(f'name="m_{q2}"', 1)[1].split("</select>", 1)[0]
    # An unmarked form saved by mistake does not replace the result with 0 ...
    blank = {f"m_{q1}": "", f"m_{q2}": "", f"m_{q3}": ""}
    refused = client.post(paper, data=blank)
    assert refused.status_code == 400 and "No answer is marked" in refused.get_data(as_text=True)
    assert round(tests.result_of(ben, "post").score_scaled, 2) == 0.33
    # ... unless the trainer says the sheet was handed in blank.
    assert client.post(paper, data=blank | {"blank_sheet": "1"}).status_code == 302
    assert tests.result_of(ben, "post").score_scaled == 0
    assert client.post(paper, data={f"m_{q1}": "1", f"m_{q2}": "0", f"m_{q3}": ""}).status_code == 302
    results = client.get(f"{base}/results").get_data(as_text=True)
    assert "Gain per question" in results and "100%" in results
    assert client.post(f"{base}/certificates").status_code == 302
    assert db.session.scalar(select(func.count(AttendanceCertificate.id))) == 2
    manage = client.get(f"{base}/manage").get_data(as_text=True)
    assert "Ana" in manage and "(QR code)" in manage and "(attendance sheet)" in manage
    roster = client.get(f"{base}/roster.csv")
    assert roster.mimetype == "text/csv" and "b@example.org" in roster.get_data(as_text=True)
    summary = client.get(f"{base}/feedback-summary").get_data(as_text=True)
    assert "No feedback yet." in summary


def test_trainer_opens_the_tests_and_cancels(app, client, trainer, login):
    from courses.models_kits import Workshop

    workshop = build_workshop(trainer, build_kit(trainer))
    login(trainer)
    base = f"/courses/workshops/{workshop.uuid}"
    assert client.post(f"{base}/settings", data={"flag": "is_pre_test_open", "value": "1"}).status_code == 302
    assert client.post(f"{base}/settings", data={"flag": "is_admin", "value": "1"}).status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(Workshop)).is_pre_test_open
    client.post(f"{base}/settings", data={"flag": "is_cancelled", "value": "1"})
    db.session.expire_all()
    w = db.session.scalar(select(Workshop))
    assert w.is_cancelled and not w.is_pre_test_open and not w.is_registration_open


def test_bad_kit_and_question_forms_are_refused_and_write_nothing(app, client, trainer, login):
    from courses.models_kits import Kit, KitPart, KitText

    build_kit(trainer, publish=False)
    login(trainer)
    counts = [db.session.scalar(select(func.count(m.id))) for m in (Kit, KitPart, KitText)]
    resp = client.post(
        "/courses/kits/manage/new",
        data={**KIT_TEXTS, "slug": "manage", "source_language": "en", "pass_mark": "70"},
    )
    assert resp.status_code == 400 and "reserved" in resp.get_data(as_text=True)
    resp = client.post(
        "/courses/kits/manage/new",
        data={
            **KIT_TEXTS,
            "slug": "ok-slug",
            "source_language": "en",
            "articles": "3, 77",
            "pass_mark": "70",
        },
    )
    assert resp.status_code == 400 and "Articles must be numbers between 1 and 35." in resp.get_data(
        as_text=True
    )
    resp = client.post(
        "/courses/kits/manage/new",
        data={**KIT_TEXTS, "title": "", "slug": "ok-slug", "source_language": "en", "pass_mark": "70"},
    )
    assert resp.status_code == 400
    resp = client.post(
        "/courses/kits/manage/trade/questions/new?kind=single",
        data={
            "kind": "single",
            "prompt": "Pick one",
            "points": "1",
            "options-0-text": "A",
            "options-1-text": "B",
        },
    )
    assert resp.status_code == 400 and "exactly one correct option" in resp.get_data(as_text=True)
    resp = client.post("/courses/kits/manage/trade", data={**KIT_TEXTS, "slug": "trade", "pass_mark": "150"})
    assert resp.status_code == 400
    db.session.expire_all()
    assert [db.session.scalar(select(func.count(m.id))) for m in (Kit, KitPart, KitText)] == counts
    assert db.session.scalar(select(Kit)).pass_mark == 60


def test_a_refused_resource_address_is_shown_at_its_field(app, client, trainer, login):
    from courses.models_kits import KitPart

    build_kit(trainer, publish=False)
    login(trainer)
    parts = db.session.scalar(select(func.count(KitPart.id)))
    resp = client.post(
        "/courses/kits/manage/trade/parts/new/resource",
        data={"title": "Toolkit", "url": "ftp://files.example.org/kit", "type": "document"},
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    # under the field and in the summary linked to it (not a banner at the top), with what was typed kept
    assert 'id="url-error"' in page and 'href="#url"' in page
    assert page.count("The address of a resource must start with http:// or https://.") == 2
    assert 'value="ftp://files.example.org/kit"' in page and 'value="Toolkit"' in page
    assert db.session.scalar(select(func.count(KitPart.id))) == parts


def test_check_in_codes_are_paginated(app, client, trainer, login, make_user):
    from courses.services import workshops_registration as registration
    from courses.views.workshops_attendance import CODES_PER_PAGE

    workshop = build_workshop(trainer, build_kit(trainer), capacity=100)
    for _ in range(CODES_PER_PAGE + 2):
        registration.register_participant(workshop, make_user())
    db.session.commit()
    login(trainer)
    base = f"/courses/workshops/{workshop.uuid}/check-in-codes"
    assert client.get(base).get_data(as_text=True).count("data:image/svg+xml") == CODES_PER_PAGE
    assert client.get(base + "?page=2").get_data(as_text=True).count("data:image/svg+xml") == 2
    assert client.get(base + "?page=3").status_code == 404


def test_reimporting_the_published_kit_says_there_is_nothing_to_publish(client, login, trainer):
    build_kit(trainer)  # published, the draft unchanged since
    login(trainer)
    data = client.get("/courses/kits/manage/trade/export").data

    def reimport():
        resp = client.post(
            "/courses/kits/manage/import",
            data={"file": (io.BytesIO(data), "kit.zip")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        return resp.get_data(as_text=True)

    assert "already shows: there is nothing to publish" in reimport().replace("&#39;", "'")
    client.post("/courses/kits/manage/trade/unpublish", data={})
    assert "Publish to show it." in reimport()


def test_kit_question_form_and_translation_list_take_the_reader_s_punctuation(client, trainer, login):
    """French puts a space before a colon, also between a part's kind and its title."""
    build_kit(trainer)
    login(trainer)
    client.get("/language/fr")
    page = client.get("/courses/kits/manage/trade/questions/new?kind=single").get_data(as_text=True)
    assert "<h1>Nouvelle question\u00a0: Choix unique</h1>" in page
    listing = client.get("/courses/kits/manage/trade/translations?language=es").get_data(as_text=True)
    assert "Vue d’ensemble\u00a0: " in listing and "Vue d’ensemble: " not in listing


def test_a_one_day_workshop_is_listed_with_one_date(client, trainer, login):
    """One date ("Mar 10, 2031"), not "Mar 10, 2031 – Mar 10, 2031"; a longer one keeps its range."""
    kit = build_kit(trainer)
    build_workshop(trainer, kit, start=date(2031, 3, 10), days=1, title="One day")
    build_workshop(trainer, kit, start=date(2031, 4, 7), days=3, title="Three days")
    login(trainer)
    page = client.get("/courses/kits/manage/").get_data(as_text=True)
    assert "<td>Mar 10, 2031</td>" in page
    assert "<td>Apr 7, 2031 – Apr 9, 2031</td>" in page


def test_a_kit_package_with_a_yaml_alias_is_refused_with_the_reason(client, trainer, login):
    """The YAML problems the platform itself names (aliases, keys that are not plain values) are
    translatable sentences shown with the file and line."""
    from courses.services.archive import write_zip

    login(trainer)
    package = write_zip({"kit.yaml": b"slug: &s x\ntitle: *s\n", "test.yaml": b"questions: []\n"})
    resp = client.post(
        "/courses/kits/manage/import",
        data={"file": (io.BytesIO(package), "kit.zip")},
        content_type="multipart/form-data",
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "<td>kit.yaml</td><td>2</td><td>bad YAML: aliases (*name) are not allowed</td>" in html


def test_an_unpublished_kit_is_not_said_to_be_published(client, trainer, login):
    build_kit(trainer)
    login(trainer)
    assert "Version 1 is published." in client.get("/courses/kits/manage/trade").get_data(as_text=True)
    assert client.post("/courses/kits/manage/trade/unpublish").status_code == 302
    page = client.get("/courses/kits/manage/trade").get_data(as_text=True)
    assert "unpublished" in page and "is published." not in page


def test_a_cancelled_workshop_offers_only_what_can_still_be_done(client, trainer, login, make_user):
    """No import, attendance sheet, check-in codes, check-in, paper answers or certificates: each would
    only be refused. The roster can still be downloaded."""
    from courses.services import workshops as ws
    from tests.courses.kits.conftest import register_people

    workshop = build_workshop(trainer, build_kit(trainer), start=date.today())
    register_people(workshop, make_user, 1)
    login(trainer)
    base = f"/courses/workshops/{workshop.uuid}"
    live = client.get(f"{base}/manage").get_data(as_text=True)
    for href in ("/import", "/attendance", "/check-in-codes", "/check-in", "/paper/pre/", "/certificates"):
        assert f"{base}{href}" in live or href in live, href
    ws.set_flags(trainer, workshop, is_cancelled=True)
    db.session.commit()
    page = client.get(f"{base}/manage").get_data(as_text=True)
    for href in ("/import", "/attendance", "/check-in-codes", "/check-in", "/paper/", "/certificates"):
        assert href not in page, href
    assert f"{base}/roster.csv" in page
