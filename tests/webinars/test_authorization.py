"""Every webinars route for every role: anonymous, learner, a trainer outside the session's team,
the session's owner and co-host, coordinator, admin."""

import io

import pytest

from lms.db import db
from webinars import qa, services, team

ROLES = ["anonymous", "learner", "trainer", "owner", "cohost", "coordinator", "admin"]
PUBLIC = {r: 200 for r in ROLES}
MEMBER_POST = {r: 303 for r in ROLES} | {"anonymous": 302}
MEMBER_GET = {r: 200 for r in ROLES} | {"anonymous": 302}
# Pages of every trainer (lists, new season or session): a trainer outside the team too.
AUTHOR_GET = {r: 200 for r in ROLES} | {"anonymous": 302, "learner": 403, "coordinator": 403}
AUTHOR_POST = {r: 303 for r in ROLES} | {"anonymous": 302, "learner": 403, "coordinator": 403}
# One session's management: its team and admins only.
TEAM_GET = AUTHOR_GET | {"trainer": 403}
TEAM_POST = AUTHOR_POST | {"trainer": 403}
# Changing the team, or a season: the owner and admins only.
OWNER_GET = TEAM_GET | {"cohost": 403}
OWNER_POST = TEAM_POST | {"cohost": 403}
PREVIEW = {r: 404 for r in ROLES} | {"owner": 200, "cohost": 200, "admin": 200}


@pytest.fixture
def world(full_session, make_session, make_user, future_start):
    """Objects the URLs point at: a published session, an upcoming one, a draft (all three owned by
    ``owner`` and co-hosted by ``cohost``, as is the season), a pending and a published follow-up
    question, and a third trainer co-hosting the published session (to be removed)."""
    owner, cohost, extra = (make_user(role="trainer") for _ in range(3))
    upcoming = make_session(title="Synergies with the Kunming-Montreal framework", start=future_start)
    draft = make_session(title="Draft session", publish=False)
    full_session.season.owner_id = owner.id
    for s in (full_session, upcoming, draft):
        s.owner_id = owner.id
        team.add_cohost(owner, s, cohost.email)
    team.add_cohost(owner, full_session, extra.email)
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
        "owner": owner,
        "cohost": cohost,
        "extra": extra,
        "s": full_session,
        "up": upcoming,
        "draft": draft,
        "pending": pending,
        "published": published,
        "rec": rec,
        "chapter": full_session.chapters[0],
        "season": full_session.season,
        "other_trainer": make_user(role="trainer"),
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
        lambda w: {"number": "4", "source_language": "en", "title": "Season 4"},
        AUTHOR_POST,
    ),
    (
        "webinars.edit_season",
        "GET",
        lambda w: f"/webinars/manage/seasons/{w['season'].slug}/edit",
        None,
        OWNER_GET,
    ),
    ("webinars.new_session", "GET", lambda w: "/webinars/manage/sessions/new", None, AUTHOR_GET),
    ("webinars.edit_session", "GET", lambda w: f"/webinars/manage/s/{w['s'].slug}/edit", None, TEAM_GET),
    ("webinars.manage_session", "GET", lambda w: f"/webinars/manage/s/{w['draft'].slug}", None, TEAM_GET),
    (
        "webinars.session_text",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/text",
        lambda w: {"text-language": "ru", "text-title": "Продукты с добавлением ртути"},
        TEAM_POST,
    ),
    (
        "webinars.add_recording",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/recordings",
        lambda w: {"rec-language": "ru", "rec-kind": "video", "rec-url": "https://media.un.org/x"},
        TEAM_POST,
    ),
    (
        "webinars.add_captions",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/captions",
        lambda w: {
            "cap-language": "ru",
            "cap-file": (io.BytesIO(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n"), "ru.vtt"),
        },
        TEAM_POST,
    ),
    (
        "webinars.add_attachment",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/attachments",
        lambda w: {"att-title": "Slides", "att-file": (io.BytesIO(b"%PDF-1.7\n"), "s.pdf")},
        TEAM_POST,
    ),
    (
        "webinars.add_chapter",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/chapters",
        lambda w: {"chap-start": "0:30", "chap-title_en": "Questions"},
        TEAM_POST,
    ),
    (
        "webinars.edit_chapter",
        "GET",
        lambda w: f"/webinars/manage/chapters/{w['chapter'].uuid}",
        None,
        TEAM_GET,
    ),
    (
        "webinars.import_qa",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/qa-import",
        lambda w: {"qa-file": _csv("Question\nWhy?\n")},
        TEAM_POST,
    ),
    (
        "webinars.import_attendance",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/attendance-import",
        lambda w: {"att-csv-file": _csv("Email\nx@example.org\n")},
        TEAM_POST,
    ),
    (
        "webinars.publish",
        "POST",
        lambda w: f"/webinars/manage/s/{w['draft'].slug}/publish",
        lambda w: {"publish": "1"},
        TEAM_POST,
    ),
    (
        "webinars.cancel_session",
        "POST",
        lambda w: f"/webinars/manage/s/{w['up'].slug}/cancel",
        lambda w: {"cancel-message": "The speaker is unwell."},
        TEAM_POST,
    ),
    (
        "webinars.delete_recording",
        "POST",
        lambda w: f"/webinars/manage/recordings/{w['rec'].uuid}/delete",
        lambda w: {},
        TEAM_POST,
    ),
    (
        "webinars.delete_captions",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/captions/es/delete",
        lambda w: {},
        TEAM_POST,
    ),
    (
        "webinars.delete_chapter",
        "POST",
        lambda w: f"/webinars/manage/chapters/{w['chapter'].uuid}/delete",
        lambda w: {},
        TEAM_POST,
    ),
    ("webinars.moderation", "GET", lambda w: "/webinars/manage/questions", None, AUTHOR_GET),
    (
        "webinars.edit_season",
        "POST",
        lambda w: f"/webinars/manage/seasons/{w['season'].slug}/edit",
        lambda w: {"number": "5", "source_language": "en", "title": "Season five"},
        OWNER_POST,
    ),
    (
        "webinars.season_text",
        "POST",
        lambda w: f"/webinars/manage/seasons/{w['season'].slug}/text",
        lambda w: {"text-language": "fr", "text-title": "Saison cinq", "text-description": ""},
        OWNER_POST,
    ),
    ("webinars.team_page", "GET", lambda w: f"/webinars/manage/s/{w['draft'].slug}/team", None, TEAM_GET),
    (
        "webinars.team_page",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/team",
        lambda w: {"email": w["other_trainer"].email},
        OWNER_POST,
    ),
    (
        "webinars.remove_cohost",
        "POST",
        lambda w: f"/webinars/manage/s/{w['s'].slug}/team/{w['extra'].uuid}/remove",
        lambda w: {},
        OWNER_POST,
    ),
    (
        "webinars.moderate",
        "POST",
        lambda w: f"/webinars/manage/questions/{w['pending'].uuid}",
        lambda w: {f"{w['pending'].uuid[:8]}-action": "reject"},
        TEAM_POST,
    ),
]

ENDPOINTS_COVERED = {case[0] for case in CASES} | {"webinars.delete_attachment"}


def _sign_in(role, world, make_user, login):
    if role in ("owner", "cohost"):
        login(world[role])
    elif role != "anonymous":
        login(make_user(role=role))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_route_authorization(client, world, make_user, login, role, case):
    endpoint, method, url, data, expected = case
    _sign_in(role, world, make_user, login)
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
    _sign_in(role, world, make_user, login)
    resp = client.post(f"/webinars/manage/attachments/{att.uuid}/delete")
    assert resp.status_code == TEAM_POST[role]


def test_every_webinars_route_is_covered(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("webinars.")}
    assert endpoints == ENDPOINTS_COVERED
