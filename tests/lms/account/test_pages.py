"""Every account page, in English and in Arabic (right to left), passes the page checks."""

from __future__ import annotations

import pytest
from flask_babel import refresh

from lms.account import tokens

from .pagecheck import check_page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_public_pages(client, make_user, lang):
    user = make_user()
    client.get(f"/language/{lang}")
    refresh()
    pages = [
        "/account/login",
        "/account/register",
        "/account/confirm",
        "/account/password/forgot",
        f"/account/password/reset/{tokens.make_reset_token(user)}",
        "/account/confirm/bad-token",
    ]
    for path in pages:
        resp = client.get(path)
        assert resp.status_code in (200, 400), path
        html = resp.get_data(as_text=True)
        assert f'lang="{lang}"' in html
        check_page(html)


def test_pages_with_errors(client, countries):
    check_page(client.post("/account/register", data={"email": "x"}).get_data(as_text=True))
    check_page(
        client.post("/account/login", data={"email": "x@example.org", "password": "nope"}).get_data(
            as_text=True
        )
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_signed_in_pages(client, make_user, login, lang):
    user = make_user(locale=lang)
    login(user)
    refresh()
    for path in ("/account/profile", "/account/password", "/account/privacy"):
        html = client.get(path).get_data(as_text=True)
        assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in html
        check_page(html)
    check_page(client.post("/account/profile", data={"name": ""}).get_data(as_text=True))
    check_page(client.post("/account/delete", data={}).get_data(as_text=True))


@pytest.mark.parametrize(
    "bad",
    [
        '<h1>a</h1><p style="color:red">x</p>',
        "<h1>a</h1><script>alert(1)</script>",
        '<h1>a</h1><input name="q" id="q">',
        "<h1>a</h1><h3>b</h3>",
        "<h2>b</h2>",
        "<h1>a</h1><table><tr><th>x</th></tr></table>",
        '<h1>a</h1><img src="/x.png">',
    ],
)
def test_the_checker_catches_problems(bad):
    with pytest.raises(AssertionError):
        check_page(bad)
