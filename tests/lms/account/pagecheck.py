"""Checks every page of the account and admin areas meets: no inline script or style (CSP), labelled
fields, one h1 and no skipped heading level, table headers with scope, images with alt, and the page
(HTML + CSS) under 60 KB gzip-compressed."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from pathlib import Path

import lms

BUDGET = 60 * 1024
CSS = (Path(lms.__file__).parent / "static" / "lms.css").read_bytes()
UNLABELLED_OK = {"hidden", "submit", "button", "reset", "image"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.fields: list[dict] = []
        self.label_for: set[str] = set()
        self.problems: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "style" in a:
            self.problems.append(f"inline style on <{tag}>")
        if any(k.startswith("on") for k in a):
            self.problems.append(f"inline event handler on <{tag}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and "src" not in a:
            self.problems.append("inline <script>")
        if "id" in a:
            self.ids.append(a["id"])
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type", "text") not in UNLABELLED_OK:
            self.fields.append(a)
        if tag == "th" and "scope" not in a:
            self.problems.append("<th> without scope")
        if tag == "img" and "alt" not in a:
            self.problems.append("<img> without alt")


def check_page(html: str) -> None:
    c = _Collector()
    c.feed(html)
    problems = list(c.problems)
    for f in c.fields:
        if not (f.get("id") in c.label_for or f.get("aria-label") or f.get("aria-labelledby")):
            problems.append(f"unlabelled field {f.get('name')!r}")
    dupes = {i for i in c.ids if c.ids.count(i) > 1}
    if dupes:
        problems.append(f"duplicate ids {sorted(dupes)}")
    if c.headings.count(1) != 1:
        problems.append(f"{c.headings.count(1)} h1 elements")
    for prev, cur in zip(c.headings, c.headings[1:], strict=False):
        if cur > prev + 1:
            problems.append(f"heading level skips from h{prev} to h{cur}")
    size = len(gzip.compress(html.encode() + CSS))
    if size > BUDGET:
        problems.append(f"{size} bytes compressed")
    assert not problems, problems
