from lms.db import db
from lms.registry import publish_resource


def test_language_choice_is_remembered_and_sets_direction(client):
    resp = client.get("/language/ar?next=/search")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/search")
    page = client.get("/").get_data(as_text=True)
    assert 'lang="ar"' in page and 'dir="rtl"' in page


def test_accept_language_is_used_without_a_choice(client):
    page = client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"}).get_data(as_text=True)
    assert 'lang="es"' in page and 'dir="ltr"' in page


def test_unknown_language_falls_back_to_home(client):
    resp = client.get("/language/xx")
    assert resp.status_code == 302
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_open_redirects(client):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        resp = client.get("/language/fr", query_string={"next": target})
        assert resp.headers["Location"] in ("/", "http://lms.test/")


def test_site_search_finds_registered_resources_in_any_language(app, client):
    publish_resource(
        kind="course",
        key="art-3",
        plugin="courses",
        url="/courses/art-3",
        titles={"en": "Mercury supply and trade", "fr": "Sources d'approvisionnement et commerce"},
        languages=["en", "fr"],
        articles=[3],
    )
    db.session.commit()
    assert "/courses/art-3" in client.get("/search?q=commerce").get_data(as_text=True)
    assert "/courses/art-3" in client.get("/search?q=SUPPLY").get_data(as_text=True)
    assert "/courses/art-3" not in client.get("/search?q=webinar").get_data(as_text=True)


def test_404_page_is_localised(client):
    client.get("/language/fr")
    resp = client.get("/nowhere")
    assert resp.status_code == 404
    assert 'lang="fr"' in resp.get_data(as_text=True)


def test_pages_name_their_icon_so_browsers_do_not_fetch_a_missing_favicon(client):
    # Without an icon link every browser asks for /favicon.ico on its first page, gets the 2 KB
    # "page not found" page, and shows an error in its console: a wasted round trip on a slow link.
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="data:,">' in page


def test_a_link_from_another_site_does_not_change_the_language_of_the_account(client, make_user, login):
    """A GET any site can send (a link, an image, a redirect) changes what this browser shows, never the
    account's language, in which its mails are written; the switcher's own links do."""
    import re

    from lms.models import User

    user = make_user(email="ana@example.org", locale="en")
    login(user)
    assert client.get("/language/ar?next=/").status_code == 302
    assert 'lang="ar"' in client.get("/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'href="(/language/fr\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert client.get(link).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "fr"
    # The mark is the account's own language token, not the session's CSRF token (which must stay out
    # of addresses), and another account's mark changes nothing.
    from urllib.parse import parse_qs, urlsplit

    from lms.account.tokens import is_language_token, make_language_token

    mark = parse_qs(urlsplit(link).query)["t"][0]
    with client.application.test_request_context():
        assert is_language_token(mark, user)
        other = make_language_token(make_user(email="other@example.org"))
    assert client.get("/language/es", query_string={"next": "/", "t": other}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "fr"
