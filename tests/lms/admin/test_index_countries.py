"""The administration index and the countries list."""

from __future__ import annotations


def test_index_links_every_area_including_the_lrs(client, admin):
    html = client.get("/admin/").get_data(as_text=True)
    for href in ("/admin/users", "/admin/deletion-requests", "/admin/countries", "/admin/lrs/"):
        assert f'href="{href}"' in html, href
    assert "0 requests are waiting." in html


def test_countries_list_codes_localised_names_regions_and_user_counts(client, admin, make_user, app):
    make_user(country_code="SN")
    make_user(country_code="SN")
    html = client.get("/admin/countries").get_data(as_text=True)
    assert "196 States." in html
    assert "TR / TUR" in html and "Türkiye" in html
    assert 'href="/admin/users?country=SN">2</a>' in html
    assert "Western European and others" in html and "Asia-Pacific" in html
    from flask_babel import refresh

    client.get("/language/fr")
    refresh()
    html_fr = client.get("/admin/countries").get_data(as_text=True)
    assert "Sénégal" in html_fr and "Suisse" in html_fr
