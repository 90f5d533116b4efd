"""The forwarding endpoints: a refused form says why once, in its summary, with what was typed kept; the
list reads each filter with the reader's punctuation."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"endpoint": "ftp://ll.example.org/"}, "The endpoint must be an http:// or https:// address"),
        ({"filter_kind": "verbs", "filter_values": "completed\nno-such-verb"}, "no-such-verb is neither"),
    ],
)
def test_a_refused_endpoint_is_explained_once(client, admin, changes, message):
    data = {"name": "Learning Locker", "endpoint": "https://ll.example.org/data/xAPI/", "version": "1.0.3"}
    data |= {"filter_kind": "all", "filter_values": "", "is_active": "y"} | changes
    resp = client.post("/admin/lrs/endpoints/new", data=data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert page.count(message) == 1 and page.count('role="alert"') == 1
    assert 'value="Learning Locker"' in page


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
