"""Analytics benchmark: generate realistic statements in bulk, then time the full rollup, the
incremental rollup after 10,000 new statements, and the p95 of every dashboard page against the p95
of a trivial page of the same app, on each database given (SQLite and PostgreSQL in one run).

    .venv/bin/python benchmarks/analytics_bench.py --statements 100000 \\
        --database-url sqlite:////tmp/bench.sqlite3 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/analytics_bench

Every database given is EMPTIED first (all tables dropped and created again): never point it at real
data. Figures are ratios in one run on the same machine (these machines are noisy), not absolutes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BASE_URL = "http://bench.local"
PAGES_TRIVIAL = "/search"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def make_app(url: str, instance: str):
    from lms import create_app

    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "BASE_URL": BASE_URL,
            "INSTANCE_PATH": instance,
            "ANALYTICS_SETTLE_SECONDS": 0,
        }
    )


def publish_resources(n_courses: int, n_webinars: int, n_kits: int):
    from lms.registry import publish_resource

    courses = [
        publish_resource(
            kind="course",
            key=f"bench-course-{i:02d}",
            plugin="courses",
            titles={"en": f"Benchmark course {i}", "fr": f"Cours de test {i}"},
            url=f"/courses/bench-course-{i:02d}",
            languages=["en", "fr", "es", "ar", "zh", "ru"],
            articles=[3 + i % 19],
        )
        for i in range(n_courses)
    ]
    webinars = [
        publish_resource(
            kind="webinar",
            key=f"bench-session-{i:02d}",
            plugin="webinars",
            titles={"en": f"Minamata Online session {i}"},
            url=f"/webinars/bench-session-{i:02d}",
            languages=["en", "fr", "es"],
        )
        for i in range(n_webinars)
    ]
    kits = [
        publish_resource(
            kind="kit",
            key=f"bench-kit-{i}",
            plugin="courses",
            titles={"en": f"Workshop kit {i}"},
            url=f"/courses/kits/bench-kit-{i}",
            languages=["en", "fr"],
        )
        for i in range(n_kits)
    ]
    return courses, webinars, kits


def build_plan(courses, webinars, kits, seed: int):
    from analytics.demo_questions import LESSONS
    from analytics.generator import CourseSpec, Plan, _weights, default_questions

    weights = _weights(len(courses), 1.0)
    specs = [
        CourseSpec(
            kind="course",
            key=c.key,
            lessons=[(f"l{j}", names) for j, names in enumerate(LESSONS)],
            questions=default_questions(i),
            weight=weights[i],
        )
        for i, c in enumerate(courses)
    ]
    return Plan(
        base_url=BASE_URL,
        courses=specs,
        webinars=[(w.key, 2400 + 60 * (i % 30)) for i, w in enumerate(webinars)],
        workshops=[k.key for k in kits],
        countries=150,
        seed=seed,
    )


def insert(gen, total: int, chunk: int = 5000, label: str = "") -> float:
    from analytics import synth
    from lms.db import db

    started = time.perf_counter()
    batch, done = [], 0
    for built in gen.statements(total):
        batch.append(built)
        if len(batch) >= chunk:
            synth.insert_rows(batch)
            db.session.commit()
            done += len(batch)
            batch = []
            print(f"\r  {label} inserted {done:,}/{total:,}", end="", file=sys.stderr, flush=True)
    synth.insert_rows(batch)
    db.session.commit()
    print(file=sys.stderr)
    return time.perf_counter() - started


def make_users():
    from lms.countries import ensure_countries
    from lms.db import db
    from lms.models import User

    ensure_countries()
    users = {}
    for role in ("trainer", "admin"):
        u = User(email=f"{role}@bench.invalid", name=role, role=role, country_code="CH", password_hash="!")
        db.session.add(u)
        users[role] = u
    db.session.commit()
    return {role: u.uuid for role, u in users.items()}


def time_pages(app, user_uuid: str, pages: list[tuple[str, str]], requests: int, seed: int = 1) -> dict:
    """First request of each page (cold: computes its snapshot), then ``requests`` rounds that visit
    every page once in a shuffled order, so a burst of load on a shared machine hits all pages alike."""
    client = app.test_client()
    with client.session_transaction() as s:
        s["_user_id"], s["_fresh"] = user_uuid, True

    def get(path):
        t = time.perf_counter()
        resp = client.get(path)
        elapsed = (time.perf_counter() - t) * 1000
        if resp.status_code != 200:
            raise SystemExit(f"{path}: HTTP {resp.status_code}\n{resp.data[:500]!r}")
        return elapsed, len(resp.data)

    cold, size, times = {}, {}, {name: [] for name, _path in pages}
    for name, path in pages:
        cold[name], size[name] = get(path)
    rng = random.Random(seed)
    order = list(pages)
    for _ in range(requests):
        rng.shuffle(order)
        for name, path in order:
            times[name].append(get(path)[0])
    return {
        name: {
            "p95": percentile(times[name], 95),
            "median": statistics.median(times[name]),
            "cold": cold[name],
            "bytes": size[name],
        }
        for name, _path in pages
    }


def run_one(url: str, n: int, incremental: int, requests: int, seed: int) -> dict:
    from sqlalchemy import text

    from analytics.generator import Generator
    from analytics.rollup import rebuild, run_rollup
    from lms.db import db

    instance = tempfile.mkdtemp(prefix="analytics-bench-")
    app = make_app(url, instance)
    result: dict = {"database": url.split("://")[0], "statements": n}
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        uuids = make_users()
        courses, webinars, kits = publish_resources(20, 40, 5)
        db.session.commit()
        gen = Generator(build_plan(courses, webinars, kits, seed))
        result["insert_s"] = insert(gen, n, label="statements")
        result["learners"] = gen.n_learners
        t = time.perf_counter()
        full = rebuild(settle_seconds=0)
        result["full_rollup_s"] = time.perf_counter() - t
        assert full.processed == n, full
        result["insert_incremental_s"] = insert(gen, incremental, label="incremental")
        t = time.perf_counter()
        inc = run_rollup(settle_seconds=0)
        result["incremental_rollup_s"] = time.perf_counter() - t
        assert inc.processed == incremental, inc
        top = courses[0].key
        pages = [
            ("trivial page", PAGES_TRIVIAL),
            ("overview", "/analytics/overview"),
            ("courses", "/analytics/courses"),
            ("course detail", f"/analytics/courses/course/{top}"),
            ("quiz items", f"/analytics/courses/course/{top}/items"),
            ("flagged items", "/analytics/items"),
            ("webinars", "/analytics/webinars"),
            ("webinar detail", f"/analytics/webinars/{webinars[0].key}"),
            ("workshops", "/analytics/workshops"),
            ("readiness", "/analytics/readiness"),
            ("feedback", "/analytics/feedback-summary"),
            ("open data (public)", "/analytics/open-data"),
            ("API summary (public)", "/analytics/api/v1/summary"),
            ("overview filtered", "/analytics/overview?region=africa&language=fr"),
        ]
        db.session.remove()
    result["pages"] = time_pages(app, uuids["trainer"], pages, requests)
    with app.app_context():
        db.engine.dispose()
    return result


def report(results: list[dict]) -> str:
    lines = []
    for r in results:
        trivial = r["pages"]["trivial page"]["p95"]
        lines.append(f"\n## {r['database']}: {r['statements']:,} statements, {r['learners']:,} learners\n")
        lines.append(f"- bulk insert: {r['insert_s']:.1f} s")
        lines.append(
            f"- full rollup (rebuild): {r['full_rollup_s']:.1f} s "
            f"({r['statements'] / r['full_rollup_s']:,.0f} statements/s)"
        )
        lines.append(f"- incremental rollup after 10,000 new statements: {r['incremental_rollup_s']:.2f} s\n")
        lines.append("| page | p95 ms | median ms | first request ms | p95 / trivial p95 | HTML bytes |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        for name, p in r["pages"].items():
            lines.append(
                f"| {name} | {p['p95']:.1f} | {p['median']:.1f} | {p['cold']:.1f} | "
                f"{p['p95'] / trivial:.2f} | {p['bytes']:,} |"
            )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--statements", type=int, default=1_000_000, help="statements to generate (default 1,000,000)"
    )
    parser.add_argument(
        "--incremental", type=int, default=10_000, help="new statements for the incremental run"
    )
    parser.add_argument(
        "--database-url",
        action="append",
        dest="urls",
        help="a database to EMPTY and use (repeat for SQLite and PostgreSQL); "
        "default: a SQLite file in a temporary folder",
    )
    parser.add_argument("--requests", type=int, default=40, help="requests per page for the p95")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    os.environ.setdefault("LMS_SCHEDULER_ENABLED", "false")
    urls = args.urls or [
        "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="analytics-bench-")) / "bench.sqlite3")
    ]
    results = []
    for url in urls:
        print(f"== {url}", file=sys.stderr)
        results.append(run_one(url, args.statements, args.incremental, args.requests, args.seed))
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
