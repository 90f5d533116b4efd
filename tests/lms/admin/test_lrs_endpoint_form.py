"""The forwarding endpoints: a refused setting is explained under its field and in the form's summary
(linked to the field), with what was typed kept; the list reads each filter with the reader's
punctuation."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"endpoint": "ftp://ll.example.org/"},
            "endpoint",
            "The endpoint must be an https:// address",
        ),
        (
            {"filter_kind": "verbs", "filter_values": "completed\nno-such-verb"},
            "filter_values",
            "no-such-verb is neither",
        ),
    ],
)
def test_a_refused_endpoint_setting_is_shown_at_its_field(client, admin, changes, field, message):
    from sqlalchemy import func, select

    from lms.db import db
    from lms.xapi.forwarding import ForwardEndpoint

    data = {"name": "Learning Locker", "endpoint": "https://ll.example.org/data/xAPI/", "version": "1.0.3"}
    data |= {"filter_kind": "all", "filter_values": "", "is_active": "y"} | changes
    resp = client.post("/admin/lrs/endpoints/new", data=data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert f'id="{field}-error"' in page and f'href="#{field}"' in page
    assert page.count(message) == 2 and page.count('role="alert"') == 1
    assert 'value="Learning Locker"' in page
    assert db.session.scalar(select(func.count(ForwardEndpoint.id))) == 0


def test_an_endpoint_s_filter_reads_in_the_reader_s_language(client, admin):
    from flask_babel import force_locale, gettext

    from lms.i18n import labelled

    data = {"name": "LL", "endpoint": "https://ll.example.org/xapi/", "version": "1.0.3", "is_active": "y"}
    data |= {"filter_kind": "verbs", "filter_values": "completed\npassed"}
    assert client.post("/admin/lrs/endpoints/new", data=data).status_code == 302
    client.get("/language/zh")
    page = client.get("/admin/lrs/").get_data(as_text=True)
    verbs = ["http://adlnet.gov/expapi/verbs/completed", "http://adlnet.gov/expapi/verbs/passed"]
    with force_locale("zh"):
        # "仅限这些动词：…和…", not "…: …, …"
        expected = labelled(gettext("Only these verbs"), f"{verbs[0]}和{verbs[1]}")
    assert str(expected) in page


def test_a_refused_endpoint_form_keeps_the_typed_password(client, admin):
    """Saving again after correcting another field must not lose the password: the endpoint would be saved
    without it and every forwarded statement refused by the external LRS."""
    from sqlalchemy import select

    from lms.db import db
    from lms.xapi.forwarding import ForwardEndpoint

    data = {"name": "LL", "endpoint": "https://ll.example.org/xapi/", "version": "1.0.3", "is_active": "y"}
    data |= {"username": "lms", "password": "s3cret-pass", "filter_kind": "verbs", "filter_values": "nope"}
    page = client.post("/admin/lrs/endpoints/new", data=data).get_data(as_text=True)
    assert 'name="password" type="password" value="s3cret-pass"' in page

    resp = client.post("/admin/lrs/endpoints/new", data=data | {"filter_values": "completed"})
    assert resp.status_code == 302
    endpoint = db.session.scalar(select(ForwardEndpoint))
    assert endpoint.password == "s3cret-pass"
    # The edit page never shows the stored password.
    edit_page = client.get(f"/admin/lrs/endpoints/{endpoint.uuid}/edit").get_data(as_text=True)
    assert "s3cret-pass" not in edit_page
