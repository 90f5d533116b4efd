"""Lesson page benchmark: the time a learner's lesson page takes with rendered Markdown kept per worker
(``lms.markdown.RENDER_CACHE_SIZE`` texts) against rendering the text again on every view, and against a
trivial page of the same app, in one run (the machines are noisy: compare the ratios, not the times).

    .venv/bin/python benchmarks/lesson_bench.py --samples 200 [--lesson-kb 20]

A fresh SQLite database with the demo content is made in a temporary folder. The demo learner is
enrolled in the first demo module and opens one of its lessons; ``--lesson-kb`` replaces that lesson's
text by a realistic one of about that size (headings, lists, a table, links), as a long lesson would be.
Samples alternate between the two ways so that noise hits both alike.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PARAGRAPH = (
    "## Obligations of Article {n}\n\n"
    "Each Party **shall** take measures to phase out the products listed in "
    "[Annex A](https://mercuryconvention.org/en/documents) by the dates it sets, and:\n\n"
    "- report on the measures taken;\n- keep records of imports and exports;\n"
    "- inform the Secretariat of any exemption.\n\n"
    "| Product | Phase-out date |\n|---|---|\n| Batteries | 2020 |\n| Switches and relays | 2020 |\n\n"
)


def long_text(kb: int) -> str:
    parts, n = [], 1
    while sum(len(p) for p in parts) < kb * 1024:
        parts.append(PARAGRAPH.format(n=n))
        n += 1
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument(
        "--lesson-kb", type=int, default=0, help="replace the lesson's text (0: keep the demo's)"
    )
    args = parser.parse_args()

    from sqlalchemy import select

    import lms.markdown as md
    from lms import create_app
    from lms.db import db

    folder = tempfile.mkdtemp(prefix="lesson-bench-")
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
            "INSTANCE_PATH": f"{folder}/instance",
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        from lms.demo import seed

        seed(app)
        db.session.commit()
        from courses.models import Course
        from courses.services.publishing import published_view

        course = db.session.scalars(select(Course).where(Course.published_version.is_not(None))).first()
        view = published_view(course, "en")
        lesson = next(i for i in view.items if i["kind"] == "lesson")
        if args.lesson_kb:
            from courses.models import CourseVersion

            version = db.session.scalar(
                select(CourseVersion).filter_by(course_id=course.id, number=course.published_version)
            )
            snapshot = _replace_body(version.snapshot, lesson["uuid"], long_text(args.lesson_kb))
            version.snapshot = snapshot
            db.session.commit()
            from courses.services import publishing

            publishing._CACHE.clear()  # snapshots are kept per version: forget the one read above
        url = f"/courses/{course.slug}/learn/{lesson['slug']}"

    client = app.test_client()
    resp = client.post("/account/login", data={"email": "learner@example.org", "password": "minamata-demo"})
    assert resp.status_code == 302, resp.status_code
    client.post(f"/courses/{course.slug}/enrol")
    assert client.get(url).status_code == 200, url

    cached, uncached = md._rendered, md._rendered.__wrapped__
    times = {"cached": [], "uncached": [], "trivial": []}
    for _ in range(args.samples):
        for name, fn in (("cached", cached), ("uncached", uncached)):
            md._rendered = fn
            start = time.perf_counter()
            client.get(url)
            times[name].append(time.perf_counter() - start)
        md._rendered = cached
        start = time.perf_counter()
        client.get("/search")
        times["trivial"].append(time.perf_counter() - start)

    p50 = {k: statistics.median(v) * 1000 for k, v in times.items()}
    size = len(long_text(args.lesson_kb)) if args.lesson_kb else "demo"
    print(f"lesson text: {size} characters; {args.samples} samples each")
    for name, value in p50.items():
        print(f"  {name:9} p50 {value:7.2f} ms")
    print(f"  uncached / cached: {p50['uncached'] / p50['cached']:.2f}")
    print(f"  cached / trivial page: {p50['cached'] / p50['trivial']:.2f}")


def _replace_body(snapshot, uuid: str, body: str):
    """A copy of a version snapshot whose lesson ``uuid`` has ``body`` as text in every language."""
    import copy

    out = copy.deepcopy(snapshot)

    def walk(node):
        if isinstance(node, dict):
            if node.get("uuid") == uuid:
                for key, value in list(node.items()):
                    if key == "texts" and isinstance(value, dict):
                        for text in value.values():
                            if isinstance(text, dict) and "body" in text:
                                text["body"] = body
                    elif key == "body":
                        node[key] = body
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(out)
    return out


if __name__ == "__main__":
    main()
