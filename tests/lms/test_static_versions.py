"""Static files: URLs carry a content hash ``v``; a versioned URL is cached for a year, others revalidate."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import url_for

import lms


def _css_hash() -> str:
    content = (Path(lms.__file__).parent / "static" / "lms.css").read_bytes()
    return hashlib.sha256(content).hexdigest()[:12]


def test_pages_link_core_css_with_its_content_hash(client):
    html = client.get("/").get_data(as_text=True)
    assert f'href="/static/lms.css?v={_css_hash()}"' in html


def test_versioned_static_file_is_cached_for_a_year(client):
    with client.get(f"/static/lms.css?v={_css_hash()}") as resp:
        assert resp.status_code == 200
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_unversioned_or_outdated_static_file_is_revalidated(client):
    for url in ("/static/lms.css", "/static/lms.css?v=0123456789ab"):
        with client.get(url) as resp:
            assert resp.status_code == 200
            assert resp.headers["Cache-Control"] == "no-cache"


def test_plugin_static_urls_are_versioned_too(app, client):
    with app.test_request_context():
        url = url_for("courses.static", filename="courses.css")
        missing = url_for("courses.static", filename="no-such-file.css")
    match = re.fullmatch(r"(/\S+/courses\.css)\?v=([0-9a-f]{12})", url)
    assert match, url
    assert "?v=" not in missing
    with client.get(url) as resp:
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get(match.group(1)) as resp:
        assert resp.headers["Cache-Control"] == "no-cache"


def test_missing_static_file_is_still_404(client):
    resp = client.get("/static/nothing-here.css?v=0123456789ab")
    assert resp.status_code == 404
