"""The forwarding endpoint form: a refusal is said once, in the form's summary, with what was typed kept."""

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
