"""Analytics benchmark: generate realistic statements in bulk, then time the full rollup, the
incremental rollup after 10,000 new statements, and the p95 of every dashboard page against the p95
of a trivial page of the same app, on each database given (SQLite and PostgreSQL in one run).

    .venv/bin/python benchmarks/analytics_bench.py --statements 100000 \\
        --database-url sqlite:////tmp/bench.sqlite3 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/analytics_bench

Every database given is EMPTIED first (all tables dropped and created again): never point it at real
data. ``--pages-only`` reuses databases an earlier run filled and times the pages only. Pages are timed
as an admin (everything) and as a trainer who owns a quarter of the courses, sessions and kits.
Figures are ratios in one run on the same machine (these machines are noisy), not absolutes.
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


def publish_resources(n_courses: int, n_webinars: int, n_kits: int, owner_id: int | None = None):
    """Publish the resources; the trainer ``owner_id`` owns a subset (every 4th course, every 4th session,
    the first kit), so the trainer's dashboards are scoped to about a quarter of the data."""
    from lms.registry import publish_resource

    def owners(i: int) -> list[int]:
        return [owner_id] if owner_id is not None and i % 4 == 0 else []

    courses = [
        publish_resource(
            kind="course",
            key=f"bench-course-{i:02d}",
            plugin="courses",
            titles={"en": f"Benchmark course {i}", "fr": f"Cours de test {i}"},
            url=f"/courses/bench-course-{i:02d}",
            languages=["en", "fr", "es", "ar", "zh", "ru"],
            articles=[3 + i % 19],
            owners=owners(i),
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
            owners=owners(i),
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
            owners=owners(i),
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
    return {role: (u.uuid, u.id) for role, u in users.items()}


def find_users():
    """The benchmark's users in a database filled by an earlier run (``--pages-only``)."""
    from sqlalchemy import select

    from lms.db import db
    from lms.models import User

    return {
        role: db.session.execute(
            select(User.uuid, User.id).where(User.email == f"{role}@bench.invalid")
        ).one()
        for role in ("trainer", "admin")
    }


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


def time_voiding(n: int, seed: int) -> float:
    """Void ``n`` statements picked at random (as the LRS does: mark them, store voiding statements) and
    time the incremental run that takes them out of every rollup."""
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    from analytics import synth
    from analytics.rollup import run_rollup
    from lms.db import db
    from lms.xapi.models import Statement

    high = db.session.scalar(select(func.max(Statement.id)))
    rng = random.Random(seed)
    ids = sorted({rng.randint(1, high) for _ in range(n * 2)})
    targets = db.session.scalars(
        select(Statement.statement_id)
        .where(Statement.id.in_(ids), Statement.is_voided.is_(False), Statement.object_statement_id.is_(None))
        .limit(n)
    ).all()
    synth.void(list(targets))
    now = datetime.now(UTC)
    synth.insert_rows(
        [
            synth.build(
                base_url=BASE_URL,
                actor="bench-admin",
                verb="voided",
                activity_id="",
                ts=now,
                object_statement_id=sid,
            )
            for sid in targets
        ]
    )
    db.session.commit()
    t = time.perf_counter()
    result = run_rollup(settle_seconds=0)
    assert result.processed == len(targets), result
    return time.perf_counter() - t


def pages_for(course_key: str, webinar_key: str) -> list[tuple[str, str]]:
    return [
        ("trivial page", PAGES_TRIVIAL),
        ("overview", "/analytics/overview"),
        ("courses", "/analytics/courses"),
        ("course detail", f"/analytics/courses/course/{course_key}"),
        ("quiz items", f"/analytics/courses/course/{course_key}/items"),
        ("flagged items", "/analytics/items"),
        ("webinars", "/analytics/webinars"),
        ("webinar detail", f"/analytics/webinars/{webinar_key}"),
        ("workshops", "/analytics/workshops"),
        ("readiness", "/analytics/readiness"),
        ("feedback", "/analytics/feedback-summary"),
        ("triage", "/analytics/triage"),
        ("open data (public)", "/analytics/open-data"),
        ("API summary (public)", "/analytics/api/v1/summary"),
        ("overview filtered", "/analytics/overview?region=africa&language=fr"),
    ]


def run_one(
    url: str, n: int, incremental: int, requests: int, seed: int, pages_only: bool = False, voids: int = 0
) -> dict:
    """Fill ``url`` (emptied first), roll up, and time the pages as an admin and as a trainer who owns
    a quarter of the resources. ``pages_only``: reuse a database an earlier run filled; time the pages
    (and, with ``voids``, the incremental run after voiding that many statements) only."""
    from sqlalchemy import func, select, text

    import analytics.dash.feedback  # noqa: F401  (imported late by the app: load this code now, so
    import analytics.opendata  # noqa: F401  edits made while a long run goes on cannot mix in)
    from analytics.generator import Generator
    from analytics.rollup import rebuild, run_rollup
    from lms.db import db
    from lms.xapi.models import Statement

    instance = tempfile.mkdtemp(prefix="analytics-bench-")
    app = make_app(url, instance)
    result: dict = {"database": url.split("://")[0], "statements": n, "pages_only": pages_only}
    with app.app_context():
        if pages_only:
            users = find_users()
            if voids:
                result["voids"], result["voiding_rollup_s"] = voids, time_voiding(voids, seed)
            result["statements"] = db.session.scalar(select(func.count(Statement.id)))
            result["learners"] = db.session.scalar(select(func.count(func.distinct(Statement.actor_key))))
            run_rollup(settle_seconds=0)  # rolls up nothing new; refreshes the snapshots for this code
        else:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.create_all()
            users = make_users()
            courses, webinars, kits = publish_resources(20, 40, 5, owner_id=users["trainer"][1])
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
        db.session.remove()
    # The admin looks at the busiest course and session; the trainer at the busiest they own (index 0).
    course, webinar = "bench-course-00", "bench-session-00"
    result["pages"] = time_pages(app, users["admin"][0], pages_for(course, webinar), requests)
    result["trainer_pages"] = time_pages(app, users["trainer"][0], pages_for(course, webinar), requests)
    with app.app_context():
        db.engine.dispose()
    return result


def report(results: list[dict]) -> str:
    lines = []
    for r in results:
        lines.append(f"\n## {r['database']}: {r['statements']:,} statements, {r['learners']:,} learners\n")
        if r.get("voids"):
            lines.append(
                f"- incremental rollup after voiding {r['voids']} statements: {r['voiding_rollup_s']:.2f} s"
            )
        if not r["pages_only"]:
            lines.append(f"- bulk insert: {r['insert_s']:.1f} s ({r['statements'] / r['insert_s']:,.0f}/s)")
            lines.append(
                f"- full rollup (rebuild): {r['full_rollup_s']:.1f} s "
                f"({r['statements'] / r['full_rollup_s']:,.0f} statements/s)"
            )
            lines.append(
                f"- incremental rollup after 10,000 new statements: {r['incremental_rollup_s']:.2f} s\n"
            )
        for who, key in (("admin", "pages"), ("trainer owning a quarter", "trainer_pages")):
            trivial = r[key]["trivial page"]["p95"]
            lines.append(f"\n### as {who}\n")
            lines.append("| page | p95 ms | median ms | first request ms | p95 / trivial p95 | HTML bytes |")
            lines.append("|---|---:|---:|---:|---:|---:|")
            for name, p in r[key].items():
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
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="reuse databases an earlier run filled (not emptied); time the pages only",
    )
    parser.add_argument(
        "--voids",
        type=int,
        default=0,
        help="with --pages-only: void this many statements first and time the incremental run",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("LMS_SCHEDULER_ENABLED", "false")
    urls = args.urls or [
        "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="analytics-bench-")) / "bench.sqlite3")
    ]
    results = []
    for url in urls:
        print(f"== {url}", file=sys.stderr)
        results.append(
            run_one(
                url, args.statements, args.incremental, args.requests, args.seed, args.pages_only, args.voids
            )
        )
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
