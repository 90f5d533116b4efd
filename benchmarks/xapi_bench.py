"""LRS benchmark: ingestion and queries of the built-in LRS over real HTTP on loopback.

1. Ingestion: POST batches of 100 realistic statements to ``/xapi/statements`` (validation, storage, side
   tables, definitions, forwarding queue, plugin receivers ...) and the same batches to a no-op
   endpoint of the same app that checks the same credential (HTTP Basic, same scope), parses the JSON
   and discards it (registered by this script only); statements per second of both and their ratio.
   Both go through the same server; batches alternate between the two endpoints so that machine noise
   hits both alike.
2. Queries: with N statements stored (bulk-inserted with the store's own row builders, COPY on
   PostgreSQL, secondary indexes built after the load; far faster than the HTTP API), p50/p95 of
   ``GET /xapi/statements?verb=...&activity=...&since=...``, of an unfiltered ``limit=100`` page, of an
   ``agent`` query, and of ``GET /xapi/about`` (a trivial page, for the ratio).

    .venv/bin/python benchmarks/xapi_bench.py --statements 20000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/xapi_bench

The app runs with werkzeug's ``make_server`` in a thread. The database given is EMPTIED first (all tables
dropped and created again): never point it at real data. Figures are ratios within one run on one
machine (these machines are noisy), not absolutes.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BASE_URL = "http://bench.local"
ADL = "http://adlnet.gov/expapi/verbs/"
VERB_WEIGHTS = [
    ("experienced", 30),
    ("answered", 20),
    ("played", 12),
    ("paused", 8),
    ("completed", 10),
    ("passed", 5),
    ("failed", 2),
    ("launched", 6),
    ("registered", 3),
    ("attended", 2),
    ("asked", 1),
    ("submitted", 1),
]
COUNTRIES = ["SN", "FR", "BR", "CN", "RU", "EG", "IN", "MX", "KE", "ID", "PE", "PH", "GH", "CO", "TZ"]
REGIONS = {
    "SN": "africa",
    "FR": "weog",
    "BR": "grulac",
    "CN": "asia_pacific",
    "RU": "ceeg",
    "EG": "africa",
    "IN": "asia_pacific",
    "MX": "grulac",
    "KE": "africa",
    "ID": "asia_pacific",
    "PE": "grulac",
    "PH": "asia_pacific",
    "GH": "africa",
    "CO": "grulac",
    "TZ": "africa",
}
LANGS = ["en", "fr", "es", "ar", "zh", "ru"]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


class World:
    """Users, activities and registrations statements are drawn from (deterministic for a seed)."""

    def __init__(self, n_users: int, seed: int = 7):
        from lms.xapi.verbs import ACTIVITY_TYPES, VERBS

        self.rnd = random.Random(seed)
        self.verbs = VERBS
        self.types = ACTIVITY_TYPES
        self.users = [
            (str(uuid.UUID(int=self.rnd.getrandbits(128), version=4)), self.rnd.choice(COUNTRIES))
            for _ in range(n_users)
        ]
        self.courses = [f"{BASE_URL}/xapi/activities/course/mod-{c:02d}" for c in range(20)]
        self.lessons = [(f"{c}/lesson-{lesson}", c) for c in self.courses for lesson in range(8)]
        self.questions = [(f"{c}/q-{q}", c) for c in self.courses for q in range(10)]
        self.videos = [(f"{BASE_URL}/xapi/activities/webinar/s{s:02d}/recording", None) for s in range(60)]
        self.registrations: dict[tuple[str, str], str] = {}
        verbs, weights = zip(*VERB_WEIGHTS, strict=True)
        self.verb_keys, self.verb_weights = list(verbs), list(weights)

    def registration(self, user: str, course: str) -> str:
        key = (user, course)
        if key not in self.registrations:
            self.registrations[key] = str(uuid.UUID(int=self.rnd.getrandbits(128), version=4))
        return self.registrations[key]

    def statement(self, when: datetime | None = None) -> dict:
        rnd = self.rnd
        user, country = rnd.choice(self.users)
        verb = rnd.choices(self.verb_keys, self.verb_weights)[0]
        lang = rnd.choice(LANGS)
        result = None
        if verb in ("played", "paused"):
            activity, course = rnd.choice(self.videos)
            kind = "video"
            result = {
                "extensions": {"https://w3id.org/xapi/video/extensions/time": round(rnd.uniform(0, 3600), 3)}
            }
        elif verb == "answered":
            activity, course = rnd.choice(self.questions)
            kind = "question"
            ok = rnd.random() < 0.7
            result = {
                "success": ok,
                "response": "art7" if ok else "art3",
                "score": {"scaled": 1.0 if ok else 0.0},
            }
        elif verb in ("completed", "passed", "failed", "registered", "launched"):
            activity, course = rnd.choice(self.courses), None
            kind = "course"
            if verb in ("passed", "failed", "completed"):
                scaled = round(rnd.uniform(0.8, 1.0) if verb != "failed" else rnd.uniform(0.2, 0.7), 2)
                result = {
                    "score": {"scaled": scaled, "raw": round(scaled * 20), "min": 0, "max": 20},
                    "success": verb != "failed",
                    "completion": True,
                    "duration": f"PT{rnd.randint(300, 9000)}S",
                }
        else:
            activity, course = rnd.choice(self.lessons)
            kind = "lesson"
        ctx = {
            "platform": "Minamata LMS",
            "language": lang,
            "extensions": {
                f"{BASE_URL}/xapi/extensions/country": country,
                f"{BASE_URL}/xapi/extensions/region": REGIONS[country],
            },
        }
        if course:
            ctx["registration"] = self.registration(user, course)
            ctx["contextActivities"] = {"parent": [{"objectType": "Activity", "id": course}]}
        stmt = {
            "id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
            "actor": {"objectType": "Agent", "account": {"homePage": BASE_URL, "name": user}},
            "verb": self.verbs[verb],
            "object": {
                "objectType": "Activity",
                "id": activity,
                "definition": {
                    "type": self.types[kind],
                    "name": {"en": activity.rsplit("/", 1)[-1], "fr": activity.rsplit("/", 1)[-1]},
                },
            },
            "context": ctx,
            "timestamp": (when or datetime.now(UTC)).isoformat(timespec="milliseconds"),
        }
        if result:
            stmt["result"] = result
        return stmt


# --- the app on loopback ---


def make_app(url: str, instance: str, plugins):
    from flask import Response, request

    from lms import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "BASE_URL": BASE_URL,
        "INSTANCE_PATH": instance,
        "XAPI_STATEMENTS_MAX_LIMIT": 100,
    }
    if plugins is not None:
        config["PLUGINS"] = plugins
    app = create_app(config)

    def bench_noop():
        """Authenticate like the LRS (same credential, same scope check), parse the JSON and discard it:
        the floor an authenticated HTTP JSON endpoint of this app costs."""
        from lms.xapi.auth import check_scope

        check_scope("statements/write")
        data = json.loads(request.get_data())
        batch = data if isinstance(data, list) else [data]
        return Response(json.dumps([s.get("id") for s in batch]), mimetype="application/json")

    app.add_url_rule("/bench/noop", "bench_noop", bench_noop, methods=["POST"])
    return app


def serve(app):
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


class Client:
    def __init__(self, port: int, auth: str):
        self.port = port
        self.headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3"}

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, float, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - start
        conn.close()
        return resp.status, elapsed, data


# --- phases ---


def reset_database(app):
    from sqlalchemy import text

    from lms.db import db

    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        from lms.countries import ensure_countries

        ensure_countries()
        db.session.commit()


def make_credentials(app) -> str:
    from lms.db import db
    from lms.xapi.auth import create_client

    with app.app_context():
        _c, key, secret = create_client("benchmark", ["all"])
        db.session.commit()
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def ingestion(client: Client, world: World, batches: int, batch_size: int) -> dict:
    lrs_times, noop_times = [], []
    for i in range(batches):
        body = json.dumps([world.statement() for _ in range(batch_size)]).encode()
        order = [("lrs", "/xapi/statements"), ("noop", "/bench/noop")]
        if i % 2:
            order.reverse()
        for name, path in order:
            status, elapsed, data = client.request("POST", path, body)
            if status != 200:
                raise SystemExit(f"POST {path} answered {status}: {data[:300]!r}")
            (lrs_times if name == "lrs" else noop_times).append(elapsed)
    n = batches * batch_size
    return {
        "statements": n,
        "lrs_rate": n / sum(lrs_times),
        "noop_rate": n / sum(noop_times),
        "lrs_p50_ms": statistics.median(lrs_times) * 1000,
        "noop_p50_ms": statistics.median(noop_times) * 1000,
    }


def _copy_rows(conn, table, rows: list[dict]) -> None:
    """PostgreSQL: ``COPY ... FROM STDIN`` (psycopg 3), far faster than INSERT for a bulk load."""
    cols = list(rows[0])
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in (row[c] for c in cols)])


def bulk_insert(app, world: World, total: int, chunk: int = 5000) -> float:
    """Insert ``total`` statements straight into the tables with the store's row builders (COPY on
    PostgreSQL, executemany on SQLite), the secondary indexes dropped during the load and built again
    after it, as one would restore a dump."""
    from sqlalchemy import func, insert, select

    from lms.db import db
    from lms.xapi import store
    from lms.xapi.ids import group_key
    from lms.xapi.models import Statement, StatementActivity, StatementAgent

    start = time.perf_counter()
    now = datetime.now(UTC)
    tables = [Statement.__table__, StatementAgent.__table__, StatementActivity.__table__]
    indexes = [ix for t in tables for ix in t.indexes]
    with app.app_context():
        is_pg = db.engine.dialect.name == "postgresql"
        with db.engine.begin() as conn:
            for ix in indexes:
                ix.drop(conn)
        authority = {"objectType": "Agent", "account": {"homePage": BASE_URL, "name": "bench-import"}}
        authority_key = group_key(authority)
        country_ext = BASE_URL + store.COUNTRY_EXTENSION
        next_pk = (db.session.scalar(select(func.max(Statement.id))) or 0) + 1
        next_side_pk = [
            (db.session.scalar(select(func.max(t.c.id))) or 0) + 1 for t in (tables[1], tables[2])
        ]
        done = 0
        while done < total:
            size = min(chunk, total - done)
            rows, agents, activities = [], [], []
            for _ in range(size):
                # Two years of history, oldest first, so stored order follows the primary key.
                stored_dt = now - timedelta(days=730) * (1 - (done + len(rows)) / total)
                s = world.statement(stored_dt - timedelta(seconds=world.rnd.randint(1, 600)))
                s["stored"] = stored_dt.isoformat(timespec="milliseconds")
                s["authority"] = authority
                s["version"] = "1.0.0"
                row = store._statement_row(
                    s,
                    stored_dt=stored_dt,
                    authority_key=authority_key,
                    user=None,
                    voided=False,
                    country_ext=country_ext,
                )
                row["id"] = next_pk
                rows.append(row)
                for key, role in store._agent_rows(s):
                    agents.append(
                        {"id": next_side_pk[0], "statement_pk": next_pk, "agent_key": key, "role": role}
                    )
                    next_side_pk[0] += 1
                for aid, role in store._activity_rows(s):
                    activities.append(
                        {"id": next_side_pk[1], "statement_pk": next_pk, "activity_id": aid, "role": role}
                    )
                    next_side_pk[1] += 1
                next_pk += 1
            conn = db.session.connection()
            for table, table_rows in zip(tables, (rows, agents, activities), strict=True):
                if is_pg:
                    _copy_rows(conn, table, table_rows)
                else:  # Core executemany: no ORM bookkeeping
                    conn.execute(insert(table), table_rows)
            db.session.commit()
            done += size
            if total >= 100_000 and done % 100_000 < chunk:
                print(f"  inserted {done:,} statements ({time.perf_counter() - start:.0f} s)", flush=True)
        if is_pg:  # the side tables' serial sequences must follow the ids given explicitly
            with db.engine.begin() as conn:
                for table in tables:
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                    )
        with db.engine.begin() as conn:
            for ix in indexes:
                ix.create(conn)
        print(f"  indexes built ({time.perf_counter() - start:.0f} s)", flush=True)
        if is_pg:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        else:
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - start


def queries(client: Client, world: World, samples: int) -> dict[str, list[float]]:
    rnd = random.Random(11)
    since_base = datetime.now(UTC)
    cases = {
        "verb+activity+since": lambda: (
            "/xapi/statements?"
            + urlencode(
                {
                    "verb": ADL + "experienced",
                    "activity": rnd.choice(world.lessons)[0],
                    "since": (since_base - timedelta(days=rnd.randint(30, 365))).isoformat(),
                }
            )
        ),
        "unfiltered limit=100": lambda: "/xapi/statements?limit=100",
        "agent (one learner)": lambda: (
            "/xapi/statements?"
            + urlencode(
                {
                    "agent": json.dumps(
                        {
                            "objectType": "Agent",
                            "account": {"homePage": BASE_URL, "name": rnd.choice(world.users)[0]},
                        }
                    )
                }
            )
        ),
        "about (trivial)": lambda: "/xapi/about",
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(samples):
        for name, make in cases.items():
            status, elapsed, data = client.request("GET", make())
            if status != 200:
                raise SystemExit(f"{name} answered {status}: {data[:300]!r}")
            times[name].append(elapsed)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL of a database this run may EMPTY (default: a SQLite file in a temporary folder)",
    )
    parser.add_argument(
        "--statements",
        type=int,
        default=1_000_000,
        help="statements stored for the query part (default 1,000,000)",
    )
    parser.add_argument("--batches", type=int, default=50, help="ingestion batches per endpoint (default 50)")
    parser.add_argument(
        "--skip-queries", action="store_true", help="ingestion only (no bulk insert, no query part)"
    )
    parser.add_argument("--batch-size", type=int, default=100, help="statements per batch (default 100)")
    parser.add_argument("--samples", type=int, default=100, help="requests per query kind (default 100)")
    parser.add_argument("--users", type=int, default=None, help="distinct learners (default statements/200)")
    parser.add_argument(
        "--sqlite-synchronous",
        choices=["full", "normal"],
        help="SQLite only: PRAGMA synchronous for this run (the app's default is FULL; NORMAL skips the "
        "fsync at each commit in WAL mode, to measure what the commits cost)",
    )
    parser.add_argument(
        "--no-plugins",
        action="store_true",
        help="run the core only (no plugin receivers on statement_recorded)",
    )
    args = parser.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="xapi-bench-")
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    app = make_app(url, tmp + "/instance", [] if args.no_plugins else None)
    if args.sqlite_synchronous:
        from sqlalchemy import event

        from lms.db import db

        with app.app_context():

            @event.listens_for(db.engine, "connect")
            def _synchronous(dbapi_connection, _record):
                dbapi_connection.execute(f"PRAGMA synchronous={args.sqlite_synchronous.upper()}")

            db.engine.dispose()  # connections opened so far did not run the pragma

    print(
        f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}  "
        f"plugins: {', '.join(app.config['PLUGINS']) or 'none'}"
        + (f"  synchronous: {args.sqlite_synchronous}" if args.sqlite_synchronous else "")
    )
    reset_database(app)
    world = World(args.users or max(50, args.statements // 200))
    server = serve(app)
    client = Client(server.server_port, make_credentials(app))
    try:
        client.request("GET", "/xapi/about")  # warm-up
        print(f"ingestion: {args.batches} batches of {args.batch_size} to each endpoint ...", flush=True)
        ing = ingestion(client, world, args.batches, args.batch_size)
        times = {}
        if not args.skip_queries:
            print(f"bulk insert of {args.statements:,} statements for the queries ...", flush=True)
            seconds = bulk_insert(app, world, args.statements)
            print(f"  done in {seconds:.1f} s ({args.statements / seconds:,.0f} rows/s)", flush=True)
            print(f"queries: {args.samples} samples each ...", flush=True)
            times = queries(client, world, args.samples)
    finally:
        server.shutdown()

    print()
    title = f"ingestion (HTTP POST, batches of {args.batch_size})"
    print(f"{title:<44}{'statements/s':>14}{'p50 batch ms':>14}")
    print(f"{'  /xapi/statements (store everything)':<44}{ing['lrs_rate']:>14,.0f}{ing['lrs_p50_ms']:>14.1f}")
    noop = "  no-op endpoint (auth, parse JSON, discard)"
    print(f"{noop:<44}{ing['noop_rate']:>14,.0f}{ing['noop_p50_ms']:>14.1f}")
    print(f"{'  ratio LRS / no-op throughput':<44}{ing['lrs_rate'] / ing['noop_rate']:>14.3f}")
    if not times:
        return 0
    print()
    about_p50 = percentile(times["about (trivial)"], 50)
    title = f"query with {args.statements:,} statements stored"
    print(f"{title:<44}{'p50 ms':>10}{'p95 ms':>10}{'p50/about':>11}")
    for name, values in times.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        print(f"{'  ' + name:<44}{p50 * 1000:>10.1f}{p95 * 1000:>10.1f}{p50 / about_p50:>11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
