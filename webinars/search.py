"""webinars: full-text search across titles, descriptions, chapters, transcripts (caption cues) and Q&A
in all six languages, behind one service.

Texts are normalised in Python the same way for every database (case folded, accents and Arabic
vowel marks removed, punctuation dropped). Chinese (and Japanese/Korean) text has no spaces, so CJK
runs are indexed as single characters plus character bigrams; a query is cut into bigrams the same
way, so a Chinese word is found wherever it was spoken.

Backends: SQLite uses an FTS5 external-content table kept in sync by triggers; PostgreSQL uses
``to_tsvector('simple', terms)``; any other database (or SQLite without FTS5) uses ``LIKE``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, event, select, text
from sqlalchemy.exc import OperationalError

from lms.db import db
from lms.markdown import render_markdown
from webinars.models import SearchDoc, Season, WebinarSession

FTS_TABLE = "webinars_search_fts"
_WORD = re.compile(r"\w+", re.UNICODE)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
    )


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").replace("_", " ")


def _split_cjk(word: str):
    """Yield ``(is_cjk, run)`` pieces of a word."""
    run, run_cjk = "", None
    for ch in word:
        cjk = _is_cjk(ch)
        if run and cjk != run_cjk:
            yield run_cjk, run
            run = ""
        run += ch
        run_cjk = cjk
    if run:
        yield run_cjk, run


def index_terms(value: str) -> str:
    """The text as the index stores it."""
    out: list[str] = []
    for word in _WORD.findall(_fold(value or "")):
        for cjk, run in _split_cjk(word):
            if cjk:
                out.extend(run)
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
            else:
                out.append(run)
    return " ".join(out)


def query_terms(value: str) -> list[tuple[str, bool]]:
    """A query as ``(term, is_prefix)`` pairs; every term must match."""
    out: list[tuple[str, bool]] = []
    for word in _WORD.findall(_fold(value or "")):
        for cjk, run in _split_cjk(word):
            if cjk:
                pieces = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
                out.extend((p, False) for p in pieces)
            else:
                out.append((run, len(run) >= 3))
    seen: set = set()
    return [t for t in out if not (t in seen or seen.add(t))][:12]


# --- SQLite FTS5 -------------------------------------------------------------------------------------
_FTS_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(terms, content='webinars_search_doc', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER IF NOT EXISTS webinars_search_doc_ai AFTER INSERT ON webinars_search_doc BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (new.id, new.terms); END",
    f"CREATE TRIGGER IF NOT EXISTS webinars_search_doc_ad AFTER DELETE ON webinars_search_doc BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) VALUES ('delete', old.id, old.terms); END",
    f"CREATE TRIGGER IF NOT EXISTS webinars_search_doc_au AFTER UPDATE ON webinars_search_doc BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, terms) VALUES ('delete', old.id, old.terms); "
    f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (new.id, new.terms); END",
]
_TRIGGERS = ("webinars_search_doc_ai", "webinars_search_doc_ad", "webinars_search_doc_au")


def _fts_ready(conn) -> bool:
    names = {
        r[0]
        for r in conn.execute(
            text("SELECT name FROM sqlite_master WHERE name IN (:a, :b, :c, :d)"),
            {"a": FTS_TABLE, "b": _TRIGGERS[0], "c": _TRIGGERS[1], "d": _TRIGGERS[2]},
        )
    }
    return len(names) == 4


def ensure_sqlite_fts(conn, rebuild: bool = False) -> bool:
    """Create the FTS5 table and its triggers when missing (a database made by migrations, or a table
    re-created by a batch migration) and re-index everything then. False when FTS5 is unavailable."""
    try:
        if _fts_ready(conn) and not rebuild:
            return True
        for ddl in _FTS_DDL:
            conn.execute(text(ddl))
        conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))
        return True
    except OperationalError:
        return False


@event.listens_for(SearchDoc.__table__, "after_create")
def _create_fts(target, connection, **kw):
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))  # a stale index from a dropped table
        ensure_sqlite_fts(connection, rebuild=True)


@event.listens_for(SearchDoc.__table__, "after_drop")
def _drop_fts(target, connection, **kw):
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))


# --- indexing ----------------------------------------------------------------------------------------
def replace_docs(session: WebinarSession, docs: list[tuple[str, str | None, int | None, str]]) -> int:
    """Replace the session's search documents by ``(kind, language, start_s, text)`` tuples. Flushes."""
    if db.session.get_bind().dialect.name == "sqlite":
        ensure_sqlite_fts(db.session.connection())
    db.session.execute(delete(SearchDoc).where(SearchDoc.session_id == session.id))
    count = 0
    for kind, lang, start, body in docs:
        body = " ".join((body or "").split())
        terms = index_terms(body)
        if not terms:
            continue
        db.session.add(
            SearchDoc(
                session_id=session.id, kind=kind, language=lang, start_s=start, text=body[:4000], terms=terms
            )
        )
        count += 1
    db.session.flush()
    return count


def remove_docs(session: WebinarSession) -> None:
    if db.session.get_bind().dialect.name == "sqlite":
        ensure_sqlite_fts(db.session.connection())
    db.session.execute(delete(SearchDoc).where(SearchDoc.session_id == session.id))
    db.session.flush()


# --- querying ----------------------------------------------------------------------------------------
@dataclass
class Hit:
    session: WebinarSession
    kind: str
    language: str | None
    start_s: int | None
    text: str


def _fts_match(terms: list[tuple[str, bool]]) -> str:
    return " ".join('"' + t.replace('"', '""') + '"' + ("*" if prefix else "") for t, prefix in terms)


def _ts_query(terms: list[tuple[str, bool]]) -> str:
    return " & ".join("'" + t.replace("'", "''") + "'" + (":*" if prefix else "") for t, prefix in terms)


def _candidate_ids(terms, limit: int) -> list[int]:
    dialect = db.session.get_bind().dialect.name
    conn = db.session.connection()
    if dialect == "sqlite" and ensure_sqlite_fts(conn):
        rows = conn.execute(
            text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY rank LIMIT :n"),
            {"q": _fts_match(terms), "n": limit},
        )
        return [r[0] for r in rows]
    if dialect == "postgresql":
        rows = conn.execute(
            text(
                "SELECT id FROM webinars_search_doc WHERE to_tsvector('simple', terms) @@ "
                "to_tsquery('simple', :q) ORDER BY ts_rank(to_tsvector('simple', terms), "
                "to_tsquery('simple', :q)) DESC, id LIMIT :n"
            ),
            {"q": _ts_query(terms), "n": limit},
        )
        return [r[0] for r in rows]
    stmt = select(SearchDoc.id)
    for term, prefix in terms:
        # Terms are whole words separated by spaces; pad so that a word (or a prefix) matches.
        pattern = f"% {term}%" if prefix else f"% {term} %"
        stmt = stmt.where((" " + SearchDoc.terms + " ").like(bindparam(None, pattern)))
    return list(db.session.scalars(stmt.order_by(SearchDoc.id).limit(limit)))


KIND_ORDER = {"title": 0, "chapter": 1, "description": 2, "qa": 3, "transcript": 4}


def search(query: str, *, language: str | None = None, limit: int = 50) -> list[Hit]:
    """Hits for ``query`` (all words must match) in published sessions, best first; ``language``
    restricts to texts in that language (language-neutral texts always count)."""
    terms = query_terms(query)
    if not terms:
        return []
    ids = _candidate_ids(terms, limit * 8)
    if not ids:
        return []
    order = {doc_id: i for i, doc_id in enumerate(ids)}
    stmt = (
        select(SearchDoc, WebinarSession)
        .join(WebinarSession, WebinarSession.id == SearchDoc.session_id)
        .where(SearchDoc.id.in_(ids), WebinarSession.is_published.is_(True))
    )
    if language:
        stmt = stmt.where((SearchDoc.language == language) | SearchDoc.language.is_(None))
    rows = db.session.execute(stmt).all()
    rows.sort(key=lambda r: order[r[0].id])
    return [Hit(s, d.kind, d.language, d.start_s, d.text) for d, s in rows[:limit]]


@dataclass
class SeasonHit:
    season: Season
    kind: str  # "title" or "description"
    language: str
    text: str


def _holds(value: str, terms: list[tuple[str, bool]]) -> bool:
    """Whether ``value`` holds every query term, as the index would match them."""
    words = index_terms(value).split()
    return all(any(w.startswith(t) if prefix else w == t for w in words) for t, prefix in terms)


def search_seasons(query: str, *, language: str | None = None) -> list[tuple[Season, list[SeasonHit]]]:
    """The seasons whose title or description (in ``language`` when given) holds every word of
    ``query``, newest first, each with its texts that do. Seasons are few and their pages public: they
    are matched here, the way the index matches a session's texts, rather than indexed."""
    terms = query_terms(query)
    if not terms:
        return []
    found = []
    for season in db.session.scalars(select(Season).order_by(Season.number.desc())):
        texts = [("title", lang, title) for lang, title in (season.titles or {}).items()]
        texts += [
            ("description", lang, render_markdown(body).striptags())
            for lang, body in (season.descriptions or {}).items()
        ]
        hits = [
            SeasonHit(season, kind, lang, body)
            for kind, lang, body in texts
            if (not language or lang == language) and _holds(body, terms)
        ]
        if hits:
            found.append((season, hits))
    return found


def snippet(hit_text: str, query: str, width: int = 180) -> str:
    """A short excerpt of ``hit_text`` around the first query word found."""
    folded = _fold(hit_text)
    pos = -1
    for term, _prefix in query_terms(query):
        pos = folded.find(term)
        if pos >= 0:
            break
    if len(hit_text) <= width or pos < 0:
        return hit_text if len(hit_text) <= width else hit_text[:width].rsplit(" ", 1)[0] + " …"
    start = max(0, pos - width // 3)
    excerpt = hit_text[start : start + width]
    return ("… " if start else "") + excerpt + (" …" if start + width < len(hit_text) else "")
