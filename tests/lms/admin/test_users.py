"""Administration of users: search, detail, roles, deactivation; every change audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import AuditEntry, User


def _fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.fixture
def people(make_user):
    return {
        "awa": make_user(name="Awa Sow", email="awa@senegal.example", country_code="SN"),
        "jean": make_user(name="Jean Dupont", email="jean@france.example", country_code="FR", role="trainer"),
        "marie": make_user(name="Marie Curie", email="mc@lab.example", country_code="FR", role="coordinator"),
        "new": make_user(name="Nuevo Usuario", email="new@chile.example", country_code="CL", confirmed=False),
        "off": make_user(
            name="Off Line", email="off@example.org", country_code="SN", is_active_account=False
        ),
        "gone": make_user(
            name="Deleted user", email="deleted-x@invalid", country_code="SN", deleted_dt=utcnow()
        ),
    }


def _names(client, query=""):
    resp = client.get(f"/admin/users{query}")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:2000]
    html = resp.get_data(as_text=True)
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return {
        n
        for n in (
            "Awa Sow",
            "Jean Dupont",
            "Marie Curie",
            "Nuevo Usuario",
            "Off Line",
            "Deleted user",
            "Ada Admin",
        )
        if n in table
    }


def test_search_by_name_email_country_role_and_status(client, admin, people):
    assert _names(client) == {
        "Awa Sow",
        "Jean Dupont",
        "Marie Curie",
        "Nuevo Usuario",
        "Off Line",
        "Ada Admin",
    }
    assert _names(client, "?q=awa") == {"Awa Sow"}
    assert _names(client, "?q=FRANCE.example") == {"Jean Dupont"}
    assert _names(client, "?q=marie+curie") == {"Marie Curie"}
    assert _names(client, "?country=FR") == {"Jean Dupont", "Marie Curie"}
    assert _names(client, "?role=trainer") == {"Jean Dupont"}
    assert _names(client, "?country=SN&status=deactivated") == {"Off Line"}
    assert _names(client, "?status=unconfirmed") == {"Nuevo Usuario"}
    assert _names(client, "?status=deleted") == {"Deleted user"}
    assert _names(client, "?status=active&country=SN") == {"Awa Sow"}
    assert _names(client, "?q=%25") == set()  # a LIKE wildcard is searched literally
    assert _names(client, "?q=_") == set()


@pytest.mark.parametrize("query", ["?role=emperor", "?country=XX", "?status=zombie", "?page=0", "?page=-3"])
def test_bad_filters_are_refused_with_a_reason(client, admin, people, query):
    resp = client.get(f"/admin/users{query}")
    assert resp.status_code == 400
    assert "<tbody>" not in resp.get_data(as_text=True)


def test_pagination(client, admin, make_user):
    for i in range(30):
        make_user(name=f"Zed {i:02d}", country_code="FR")
    first = client.get("/admin/users?country=FR").get_data(as_text=True)
    assert "30 users found" in first and "Page 1 of 2" in first
    assert 'href="/admin/users?page=2&amp;country=FR"' in first
    second = client.get("/admin/users?page=2&country=FR").get_data(as_text=True)
    assert "Page 2 of 2" in second and second.count('<th scope="row">') == 5
    past_end = client.get("/admin/users?page=9&country=FR")  # an old link after the list shrank
    assert past_end.status_code == 302
    assert past_end.headers["Location"] == "/admin/users?page=2&country=FR"
    nothing = client.get("/admin/users?page=3&country=FR&q=nobody")
    assert nothing.headers["Location"] == "/admin/users?q=nobody&country=FR"


def test_own_page_offers_no_role_or_access_change_that_would_be_refused(client, admin, people):
    own = client.get(f"/admin/users/{admin.uuid}").get_data(as_text=True)
    assert "another administrator changes its role or access" in own
    assert f"/admin/users/{admin.uuid}/role" not in own and f"/admin/users/{admin.uuid}/deactivate" not in own
    other = client.get(f"/admin/users/{people['jean'].uuid}").get_data(as_text=True)
    assert f"/admin/users/{people['jean'].uuid}/role" in other and "another administrator" not in other


def test_user_detail(client, admin, people):
    html = client.get(f"/admin/users/{people['jean'].uuid}").get_data(as_text=True)
    assert "jean@france.example" in html and "France" in html and "Trainer" in html
    assert client.get("/admin/users/00000000-0000-0000-0000-000000000000").status_code == 404


def test_change_role_is_saved_and_audited(client, admin, people):
    awa = people["awa"]
    resp = client.post(f"/admin/users/{awa.uuid}/role", data={"role": "coordinator"})
    assert resp.status_code == 302
    assert _fresh(awa).role == "coordinator"
    entry = db.session.scalar(select(AuditEntry).filter_by(action="user.role"))
    assert (entry.actor_id, entry.target_id, entry.details) == (
        admin.id,
        awa.uuid,
        {"old": "learner", "new": "coordinator"},
    )
    html = client.get(f"/admin/users/{awa.uuid}").get_data(as_text=True)
    assert "Role changed" in html and "From Learner to Country coordinator" in html
    assert "user.role" not in html and "old: learner" not in html


@pytest.mark.parametrize("role", ["emperor", ""])
def test_unknown_role_is_refused(client, admin, people, role):
    resp = client.post(f"/admin/users/{people['awa'].uuid}/role", data={"role": role})
    assert resp.status_code == 400
    assert _fresh(people["awa"]).role == "learner"
    assert db.session.scalar(select(AuditEntry)) is None


def test_admin_cannot_change_own_role_or_deactivate_self(client, admin):
    resp = client.post(f"/admin/users/{admin.uuid}/role", data={"role": "learner"})
    assert resp.status_code == 400 and "your own role" in resp.get_data(as_text=True)
    resp = client.post(f"/admin/users/{admin.uuid}/deactivate")
    assert resp.status_code == 400 and "your own account" in resp.get_data(as_text=True)
    u = _fresh(admin)
    assert u.role == "admin" and u.is_active_account
    assert db.session.scalar(select(AuditEntry)) is None


def test_deleted_account_cannot_be_changed(client, admin, people):
    gone = people["gone"]
    assert client.post(f"/admin/users/{gone.uuid}/role", data={"role": "admin"}).status_code == 400
    assert client.post(f"/admin/users/{gone.uuid}/reactivate").status_code == 400
    u = _fresh(gone)
    assert u.role == "learner" and not u.is_active


def _switch_client():
    """The tests keep one app context open and Flask reuses it for every request, so Flask-Login's
    cached user in ``g`` would leak from one test client to another; forget it when switching."""
    from flask import g

    g.pop("_login_user", None)


def test_deactivate_and_reactivate(client, admin, people, app):
    awa = people["awa"]
    other = app.test_client()
    _switch_client()
    assert (
        other.post(
            "/account/login", data={"email": awa.email, "password": "correct horse battery staple"}
        ).status_code
        == 302
    )
    assert other.get("/account/profile").get_data(as_text=True).count(awa.email) == 1
    _switch_client()
    assert client.post(f"/admin/users/{awa.uuid}/deactivate").status_code == 302
    assert _fresh(awa).is_active_account is False
    _switch_client()
    assert other.get("/account/profile").status_code == 302  # her open session ended
    _switch_client()
    assert client.post(f"/admin/users/{awa.uuid}/reactivate").status_code == 302
    assert _fresh(awa).is_active_account is True
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["user.deactivate", "user.reactivate"]
    # Doing it twice changes nothing and writes no second entry.
    client.post(f"/admin/users/{awa.uuid}/reactivate")
    assert len(db.session.scalars(select(AuditEntry)).all()) == 2


def test_a_deleted_account_is_named_in_the_reader_s_language(client, admin, people):
    """A deleted account keeps no name: the list and its page say so in the admin's language, not in
    the English placeholder stored by the deletion."""
    client.get("/language/es")
    listing = client.get("/admin/users", query_string={"status": "deleted"}).get_data(as_text=True)
    page = client.get(f"/admin/users/{people['gone'].uuid}").get_data(as_text=True)
    for html in (listing, page):
        assert "Usuario eliminado" in html and "Deleted user" not in html
    assert "<h1>Usuario eliminado</h1>" in page


def test_search_ignores_case_and_accents_in_every_script(client, admin, make_user):
    """SQLite's lower() folds ASCII only: "Иван" did not find "Иван Петров", nor "chloe" "Chloé"."""
    make_user(name="Иван Петров", email="ip@example.org", country_code="RU")
    make_user(name="Chloé Dubois", email="cd@example.org", country_code="FR")
    make_user(name="Ангелина Орлова", email="ao@example.org", country_code="RU")
    for q, expected in [
        ("Иван", "Иван Петров"),
        ("ИВАН петров", "Иван Петров"),
        ("chloe", "Chloé Dubois"),
        ("CHLOÉ", "Chloé Dubois"),
    ]:
        resp = client.get("/admin/users", query_string={"q": q})
        table = resp.get_data(as_text=True).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        assert expected in table and table.count("<tr>") == 1, q
    resp = client.get("/admin/users", query_string={"q": "орлова", "country": "FR"})
    assert "Ангелина" not in resp.get_data(as_text=True)


def test_a_search_is_paged(client, admin, make_user):
    for n in range(30):
        make_user(name=f"Émile {n:02d}", email=f"emile{n}@example.org")
    first = client.get("/admin/users", query_string={"q": "emile"}).get_data(as_text=True)
    second = client.get("/admin/users", query_string={"q": "emile", "page": 2}).get_data(as_text=True)
    assert "30 users found" in first and "Page 1 of 2" in first and "Émile 00" in first
    assert "Émile 29" in second and "Émile 00" not in second and 'rel="prev"' in second


def test_users_are_listed_in_alphabetical_order_whatever_their_accents(client, admin, make_user):
    for name in ("Zoé Zola", "Émile Blanc", "Éric Abel", "adèle Roux"):
        make_user(name=name, email=f"{name.split()[0].lower()}@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    table = page.split("<tbody>", 1)[1]
    order = [table.index(n) for n in ("Ada Admin", "adèle Roux", "Émile Blanc", "Éric Abel", "Zoé Zola")]
    assert order == sorted(order)


def test_an_admin_moves_a_coordinator_to_another_country(client, admin, people):
    """A coordinator cannot change the country they coordinate in their profile; an admin can, audited."""
    marie = people["marie"]
    page = client.get(f"/admin/users/{marie.uuid}").get_data(as_text=True)
    assert f'action="/admin/users/{marie.uuid}/country"' in page and "they cannot change it" in page
    resp = client.post(f"/admin/users/{marie.uuid}/country", data={"country": "SN"})
    assert resp.status_code == 302
    assert _fresh(marie).country_code == "SN"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.country"))
    assert entry.details == {"old": "FR", "new": "SN"} and entry.actor_id == admin.id
    assert "From France to Senegal" in client.get(f"/admin/users/{marie.uuid}").get_data(as_text=True)


@pytest.mark.parametrize("country", ["XX", ""])
def test_an_unknown_country_is_refused_at_its_field(client, admin, people, country):
    jean = people["jean"]
    resp = client.post(f"/admin/users/{jean.uuid}/country", data={"country": country})
    assert resp.status_code == 400 and 'id="country-error"' in resp.get_data(as_text=True)
    assert _fresh(jean).country_code == "FR"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.country")) is None


def test_an_account_without_a_country_shows_no_country_chosen(client, admin, make_user):
    """The list starts on an empty choice, not on the first country (an unnoticed save would place the
    account in Afghanistan)."""
    import re

    nobody = make_user(country_code=None)
    page = client.get(f"/admin/users/{nobody.uuid}").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="country".*?</select>', page, re.S).group(0)
    first = re.search(r"<option[^>]*>", select_html).group(0)
    assert first == '<option value="">'  # shown first, so shown when nothing is selected
    assert not re.search(r'<option(?=[^>]*selected)[^>]*value="[A-Z]{2}"', select_html)
    resp = client.post(f"/admin/users/{nobody.uuid}/country", data={"country": ""})
    assert resp.status_code == 400 and "Choose a country from the list." in resp.get_data(as_text=True)
