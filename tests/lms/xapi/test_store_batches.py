"""Storing a batch costs a fixed number of database round trips, whatever its size (ingestion speed),
without losing anything: definitions merged, forwarding queued, signals sent, all-or-nothing."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lrs_testing import statement  # noqa: E402

from lms.db import db, utcnow  # noqa: E402
from lms.signals import statement_recorded  # noqa: E402
from lms.xapi import auth, definitions  # noqa: E402
from lms.xapi.agents import platform_authority  # noqa: E402
from lms.xapi.errors import XAPIError  # noqa: E402
from lms.xapi.forwarding import ForwardItem, save_endpoint  # noqa: E402
from lms.xapi.models import ActivityDefinition, Statement  # noqa: E402
from lms.xapi.store import store_statements  # noqa: E402

BASE = "http://lms.test/xapi/activities/bench/"


@contextmanager
def counted_sql():
    """The SQL statements (executemany counted once) run inside the block."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _stmt(activity: str, name: dict | None = None, *, parent: str | None = None, description=None) -> dict:
    s = statement(activity=activity, name=name)
    if description:
        s["object"].setdefault("definition", {})["description"] = description
    if parent:
        s["context"] = {
            "contextActivities": {"parent": [{"id": parent, "definition": {"name": {"en": "C"}}}]}
        }
    return s


def _batch(n: int, tag: str) -> list[dict]:
    return [_stmt(f"{BASE}{tag}-{i}", {"en": f"{tag} {i}"}, parent=f"{BASE}{tag}-course") for i in range(n)]


def test_round_trips_do_not_grow_with_the_batch(app):
    save_endpoint(None, name="ext", url="http://127.0.0.1:9/xapi", username="u", password="p")
    db.session.commit()
    store_statements(_batch(2, "warm"), authority=platform_authority())  # first-use queries
    db.session.commit()
    with counted_sql() as small:
        store_statements(_batch(5, "small"), authority=platform_authority())
        db.session.commit()
    with counted_sql() as large:
        store_statements(_batch(60, "large"), authority=platform_authority())
        db.session.commit()
    assert len(large) == len(small), (small, large)
    # ... and every statement was still queued and defined.
    assert db.session.scalar(select(func.count()).select_from(ForwardItem)) == 67
    large_defs = db.session.scalar(
        select(func.count())
        .select_from(ActivityDefinition)
        .where(ActivityDefinition.activity_id.like(f"{BASE}large-%"))
    )
    assert large_defs == 61  # 60 objects and their parent course


def test_a_batch_merges_repeated_definitions_in_order(app):
    first = _stmt(BASE + "a", {"en": "One"})
    second = _stmt(BASE + "a", {"fr": "Un"}, description={"en": "Desc"})
    third = _stmt(BASE + "a", {"en": "One, renamed"})
    store_statements([first, second, third], authority=platform_authority())
    db.session.commit()
    row = db.session.scalar(select(ActivityDefinition).where(ActivityDefinition.activity_id == BASE + "a"))
    assert row.definition["name"] == {"en": "One, renamed", "fr": "Un"}
    assert row.definition["description"] == {"en": "Desc"}
    # A later batch merges into the stored definition (known to this process: no change, no write).
    store_statements([statement(activity=BASE + "a", name={"es": "Uno"})], authority=platform_authority())
    db.session.commit()
    db.session.refresh(row)
    assert row.definition["name"] == {"en": "One, renamed", "fr": "Un", "es": "Uno"}


def test_a_definition_inserted_concurrently_during_a_batch_is_merged(app, monkeypatch):
    with db.engine.begin() as conn:  # another request, committed after our lookup
        conn.execute(
            insert(ActivityDefinition).values(
                activity_id=BASE + "race", definition={"name": {"en": "Theirs"}}, updated_dt=utcnow()
            )
        )
    real_scalars = db.session.scalars
    calls = []

    def stale_first_lookup(query, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the batch lookup does not see the row yet
            return real_scalars(query.where(ActivityDefinition.id < 0), *args, **kwargs)
        return real_scalars(query, *args, **kwargs)

    monkeypatch.setattr(db.session, "scalars", stale_first_lookup)
    definitions.record_definitions(
        [_stmt(BASE + "race", {"fr": "Les nôtres"}), _stmt(BASE + "new", {"en": "New"})]
    )
    monkeypatch.undo()
    db.session.commit()
    rows = {
        r.activity_id: r.definition
        for r in db.session.scalars(
            select(ActivityDefinition).where(ActivityDefinition.activity_id.like(BASE + "%"))
        )
    }
    assert rows[BASE + "race"]["name"] == {"en": "Theirs", "fr": "Les nôtres"}
    assert BASE + "new" in rows  # the other activity of the refused multi-row insert is not lost


def test_a_refused_batch_writes_no_definition_nor_queue_item_nor_signal(app):
    save_endpoint(None, name="ext", url="http://127.0.0.1:9/xapi", username="u", password="p")
    db.session.commit()
    received = []

    def receiver(sender, statement=None, **kwargs):
        received.append(statement["id"])

    statement_recorded.connect(receiver)
    try:
        bad = statement(activity=BASE + "bad")
        bad["verb"]["id"] = "not an iri"
        try:
            store_statements([statement(activity=BASE + "good"), bad], authority=platform_authority())
        except XAPIError as exc:
            assert exc.status == 400
        else:
            raise AssertionError("the batch was accepted")
    finally:
        statement_recorded.disconnect(receiver)
    db.session.commit()
    assert received == []
    assert db.session.scalar(select(func.count()).select_from(Statement)) == 0
    assert db.session.scalar(select(func.count()).select_from(ForwardItem)) == 0
    assert db.session.scalar(select(func.count()).select_from(ActivityDefinition)) == 0


def test_the_credential_cache_keeps_no_secret_nor_plain_hash(app):
    import hashlib

    client, key, secret = auth.create_client("cache", ["all"])
    db.session.commit()
    assert auth._secret_ok(client, secret)
    assert not auth._secret_ok(client, secret + "x")
    digest, _expiry = auth._verified[(key, client.secret_hash)]
    assert secret.encode() not in digest
    assert digest != hashlib.sha256(secret.encode()).digest()
    auth.deactivate_client(client)
    assert (key, client.secret_hash) not in auth._verified
