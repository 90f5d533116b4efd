"""Every webinars route for every role: anonymous, learner, trainer, coordinator, admin."""

import io

import pytest

from lms.db import db
from webinars import qa, services

ROLES = ["anonymous", "learner", "trainer", "coordinator", "admin"]
PUBLIC = {r: 200 for r in ROLES}
MEMBER_POST = {"anonymous": 302, "learner": 303, "trainer": 303, "coordinator": 303, "admin": 303}
MEMBER_GET = {"anonymous": 302, "learner": 200, "trainer": 200, "coordinator": 200, "admin": 200}
AUTHOR_GET = {"anonymous": 302, "learner": 403, "trainer": 200, "coordinator": 403, "admin": 200}
AUTHOR_POST = {"anonymous": 302, "learner": 403, "trainer": 303, "coordinator": 403, "admin": 303}
PREVIEW = {"anonymous": 404, "learner": 404, "trainer": 200, "coordinator": 404, "admin": 200}


@pytest.fixture
def world(full_session, make_session, make_user, future_start):
    """Objects the URLs point at: a published session, an upcoming one, a draft, a pending and a
    published follow-up question."""
    upcoming = make_session(title="Synergies with the Kunming-Montreal framework", start=future_start)
    draft = make_session(title="Draft session", publish=False)
    services.save_captions(
        None, draft, language="en", data=b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDraft\n", filename="d.vtt"
    )
    asker = make_user()
    pending = qa.ask_question(asker, full_session, "A pending follow-up question?", "en")
    published = qa.ask_question(asker, full_session, "A published follow-up question?", "en")
    qa.moderate(make_user(role="trainer"), published, action="publish")
    db.session.commit()
    rec = full_session.recordings[0]
    return {
        "s": full_session,
        "up": upcoming,
        "draft": draft,
        "pending": pending,
        "published": published,
        "rec": rec,
        "chapter": full_session.chapters[0],
        "season": full_session.season,
    }


def _csv(text):
    return (io.BytesIO(text.encode()), "f.csv")


# (endpoint, method, url(world), data(world) or None, expected statuses by role)
CASES = [
    ("webinars.archive", "GET", lambda w: "/webinars/", None, PUBLIC),
    ("webinars.season", "GET", lambda w: f"/webinars/seasons/{w['season'].slug}", None, PUBLIC),
    ("webinars.session_page", "GET", lambda w: f"/webinars/s/{w['s'].slug}", None, PUBLIC),
    ("webinars.session_page", "GET", lambda w: f"/webinars/s/{w['draft'].slug}", None, PREVIEW),
    ("webinars.transcript", "GET", lambda w: f"/webinars/s/{w['s'].slug}/transcript/es", None, PUBLIC),
    ("webinars.transcript", "GET", lambda w: f"/webinars/s/{w['draft'].slug}/transcript/en", None, PREVIEW),
    ("webinars.captions_file", "GET", lambda w: f"/webinars/s/{w['s'].slug}/captions/fr.vtt", None, PUBLIC),
    (
        "webinars.captions_file",
        "GET",
        lambda w: f"/webinars/s/{w['draft'].slug}/captions/en.vtt",
        None,
        PREVIEW,
    ),
    ("webinars.chapters_file", "GET", lambda w: f"/webinars/s/{w['s'].slug}/chapters/en.vtt", None, PUBLIC),
    ("webinars.calendar", "GET", lambda w: f"/webinars/s/{w['up'].slug}/calendar.ics", None, PUBLIC),
    ("webinars.media_file", "GET", lambda w: f"/webinars/media/{w['rec'].stored_name}", None, PUBLIC),
    ("webinars.search", "GET", lambda w: "/webinars/search?q=mercurio", None, PUBLIC),
    ("webinars.static", "GET", lambda w: "/webinars/static/player.js", None, PUBLIC),
    (
        "webinars.ask",
        "POST",
        lambda w: f"/webinars/s/{w['s'].slug}/questions",
        lambda w: {"question": "What about cosmetics with mercury?"},
        MEMBER_POST,
    ),
    (
        "webinars.upvote",
        "POST",
        lambda w: f"/webinars/questions/{w['published'].uuid}/upvote",
        lambda w: {},
        MEMBER_POST,
    ),
    (
        "webinars.register",
        "POST",
        lambda w: f"/webinars/s/{w['up'].slug}/register",
        lambda w: {"run": "1"},
        MEMBER_POST,
    ),
    (
        "webinars.unregister",
        "POST",
        lambda w: f"/webinars/s/{w['up'].slug}/unregister",
        lambda w: {},
        MEMBER_POST,
    ),
    (
        "webinars.follow",
        "POST",
        lambda w: f"/webinars/seasons/{w['season'].slug}/follow",
        lambda w: {"follow": "1"},
        MEMBER_POST,
    ),
    ("webinars.position", "GET", lambda w: f"/webinars/s/{w['s'].slug}/position", None, MEMBER_GET),
    ("webinars.position", "POST", lambda w: f"/webinars/s/{w['s'].slug}/position", "json", MEMBER_GET),
    ("webinars.manage", "GET", lambda w: "/webinars/manage/", None, AUTHOR_GET),
    ("webinars.new_season", "GET", lambda w: "/webinars/manage/seasons/new", None, AUTHOR_GET),
    (
        "webinars.new_season",
        "POST",
        lambda w: "/webinars/manage/seasons/new",
        lambda w: {"number": "4", "title_en": "Season 4"},
        AUTHOR_POST,
    ),
    (
        "webinars.edit_season",
        "GET",
        lambda w: f"/webinars/manage/seasons/{w['season'].slug}/edit",
        None,
        AUTHOR_GET,
    ),
    ("webinars.new_session", "GET", lambda w: "/webinars/manage/sessions/new", None, AUTHOR_GET),
    ("webinars.edit_session", "GET", lambda w: f"/webinars/manage/s/{w['s'].slug}/edit", None, AUTHOR_GET),
    ("webinars.manage_session", "GET", lambda w: f"/webinars/manage/s/{w['draft'].slug}", None, AUTHOR_GET),
    (
        "webinars.session_text",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/text",
        lambda w: {"text-language": "ru", "text-title": "Продукты с добавлением ртути"},
        AUTHOR_POST,
    ),
    (
        "webinars.add_recording",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/recordings",
        lambda w: {"rec-language": "ru", "rec-kind": "video", "rec-url": "https://media.un.org/x"},
        AUTHOR_POST,
    ),
    (
        "webinars.add_captions",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/captions",
        lambda w: {
            "cap-language": "ru",
            "cap-file": (io.BytesIO(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n"), "ru.vtt"),
        },
        AUTHOR_POST,
    ),
    (
        "webinars.add_attachment",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/attachments",
        lambda w: {"att-title": "Slides", "att-file": (io.BytesIO(b"%PDF-1.7\n"), "s.pdf")},
        AUTHOR_POST,
    ),
    (
        "webinars.add_chapter",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/chapters",
        lambda w: {"chap-start": "0:30", "chap-title_en": "Questions"},
        AUTHOR_POST,
    ),
    (
        "webinars.edit_chapter",
        "GET",
        lambda w: f"/webinars/manage/chapters/{w['chapter'].uuid}",
        None,
        AUTHOR_GET,
    ),
    (
        "webinars.import_qa",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/qa-import",
        lambda w: {"qa-file": _csv("Question\nWhy?\n")},
        AUTHOR_POST,
    ),
    (
        "webinars.import_attendance",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/attendance-import",
        lambda w: {"att-csv-file": _csv("Email\nx@example.org\n")},
        AUTHOR_POST,
    ),
    (
        "webinars.publish",
        "POST",
        lambda w: f"/webinars/manage/s/{w['draft'].slug}/publish",
        lambda w: {"publish": "1"},
        AUTHOR_POST,
    ),
    (
        "webinars.delete_recording",
        "POST",
        lambda w: f"/webinars/manage/recordings/{w['rec'].uuid}/delete",
        lambda w: {},
        AUTHOR_POST,
    ),
    (
        "webinars.delete_captions",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/captions/es/delete",
        lambda w: {},
        AUTHOR_POST,
    ),
    (
        "webinars.delete_chapter",
        "POST",
        lambda w: f"/webinars/manage/chapters/{w['chapter'].uuid}/delete",
        lambda w: {},
        AUTHOR_POST,
    ),
    ("webinars.moderation", "GET", lambda w: "/webinars/manage/questions", None, AUTHOR_GET),
    (
        "webinars.moderate",
        "POST",
        lambda w: f"/webinars/manage/questions/{w['pending'].uuid}",
        lambda w: {f"{w['pending'].uuid[:8]}-action": "reject"},
        AUTHOR_POST,
    ),
]

ENDPOINTS_COVERED = {case[0] for case in CASES} | {"webinars.delete_attachment"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_route_authorization(client, world, make_user, login, role, case):
    endpoint, method, url, data, expected = case
    if role != "anonymous":
        login(make_user(role=role))
    target = url(world)
    if method == "GET":
        resp = client.get(target)
    elif data == "json":
        resp = client.post(target, json={"position": 12.5, "length": 100, "segments": [[0, 12.5]]})
    else:
        resp = client.post(target, data=data(world), content_type="multipart/form-data")
    assert resp.status_code == expected[role], (endpoint, role, resp.status_code, resp.data[:300])
    if expected[role] == 302:
        assert "/account/login" in resp.headers["Location"]
    resp.close()


@pytest.mark.parametrize("role", ROLES)
def test_delete_attachment_authorization(client, world, make_user, login, role):
    att = services.save_attachment(
        None, world["s"], title="Slides", stream=io.BytesIO(b"%PDF-1.7\n"), filename="s.pdf"
    )
    db.session.commit()
    if role != "anonymous":
        login(make_user(role=role))
    resp = client.post(f"/webinars/manage/attachments/{att.uuid}/delete")
    assert resp.status_code == AUTHOR_POST[role]


def test_every_webinars_route_is_covered(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("webinars.")}
    assert endpoints == ENDPOINTS_COVERED
