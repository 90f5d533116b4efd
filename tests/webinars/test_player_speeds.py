"""The player's playback speeds are written in the reader's number format ("0,75×" in French), on the
session page and the transcript page; the values the media element takes stay "0.75"."""

import html
import json
import re

import pytest

pytestmark = pytest.mark.usefixtures("app")


def _speeds(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, resp.data[:400]
    found = re.search(r'id="wb-player"[^>]* data-speeds="([^"]*)"', resp.get_data(as_text=True))
    assert found is not None
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["0.75×", "1×", "1.25×", "1.5×", "1.75×", "2×"]),
        ("fr", ["0,75×", "1×", "1,25×", "1,5×", "1,75×", "2×"]),
    ],
)
def test_speeds_in_the_readers_number_format(client, full_session, language, labels):
    client.get(f"/language/{language}")
    for url in (f"/webinars/s/{full_session.slug}", f"/webinars/s/{full_session.slug}/transcript/en"):
        speeds = _speeds(client, url)
        assert [label for _value, label in speeds] == labels
        assert [value for value, _label in speeds] == ["0.75", "1", "1.25", "1.5", "1.75", "2"]
