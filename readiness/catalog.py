"""Published questionnaires and rule sets: the shipped YAML files are validated and stored in the
database; a published version can never change afterwards: a different file under the same version is
refused, unless it only adds or corrects translations (:mod:`readiness.immutability`), which update the
stored copy. Assessments keep the stored copy they started with.

Also publishes the advisory services named in the rules into the core registry (kind ``advisory``),
so readers find them like any other learning resource.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache

import yaml
from flask_babel import gettext as _
from sqlalchemy import select

from lms.db import db
from lms.models import audit
from lms.registry import publish_resource
from readiness import questionnaire as qmod
from readiness import questionnaire_file as qfile
from readiness import rules as rmod
from readiness.immutability import translation_only_problem
from readiness.models import QuestionnaireVersion, RuleSetVersion
from readiness.yamlfile import YAMLFileError

QUESTIONNAIRE_ID = "digital-readiness"
log = logging.getLogger(__name__)


class CatalogError(RuntimeError):
    """A shipped file is invalid or would change a published version."""


def content_hash(q: qmod.Questionnaire) -> str:
    return hashlib.sha256(json.dumps(q.to_dict(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def store_questionnaire(q: qmod.Questionnaire) -> QuestionnaireVersion:
    """Store a published questionnaire version (idempotent). Refuses a changed published version."""
    if q.status != "published":
        raise CatalogError(_("Only a published questionnaire can be used for assessments."))
    digest = content_hash(q)
    row = db.session.scalar(select(QuestionnaireVersion).filter_by(qid=q.qid, version=q.version))
    if row is not None:
        if row.sha256 != digest:
            content = q.to_dict()
            problem = translation_only_problem(row.content, content, q.source_language)
            if problem:
                raise CatalogError(
                    _(
                        "Questionnaire version %(version)s is published and cannot change; give the changed "
                        "file a new version. Only translations may be added or corrected (%(problem)s).",
                        version=q.version,
                        problem=problem,
                    )
                )
            # Translations only: assessments keep the same items, and gain the new texts.
            row.content, row.sha256 = content, digest
            audit(None, "readiness.questionnaire_translated", "questionnaire", f"{q.qid}:{q.version}")
            db.session.flush()
        return row
    row = QuestionnaireVersion(qid=q.qid, version=q.version, content=q.to_dict(), sha256=digest)
    db.session.add(row)
    db.session.flush()
    return row


def store_ruleset(source: str, rs: rmod.RuleSet) -> RuleSetVersion:
    row = db.session.scalar(select(RuleSetVersion).filter_by(version=rs.version))
    if row is not None:
        if row.sha256 != rs.sha256:
            problem = translation_only_problem(yaml.safe_load(row.source), yaml.safe_load(source))
            if problem:
                raise CatalogError(
                    _(
                        "Recommendation rules version %(version)s are published and cannot change; give the "
                        "changed file a new version. Only translations may be added or corrected "
                        "(%(problem)s).",
                        version=rs.version,
                        problem=problem,
                    )
                )
            row.source, row.sha256 = source, rs.sha256
            audit(None, "readiness.rules_translated", "ruleset", rs.version)
            db.session.flush()
        return row
    row = RuleSetVersion(version=rs.version, qid=rs.questionnaire, source=source, sha256=rs.sha256)
    db.session.add(row)
    db.session.flush()
    return row


def sync_shipped() -> tuple[QuestionnaireVersion, RuleSetVersion]:
    """Load every shipped file into the database (validated; nothing is stored when one is invalid) and
    publish the advisory services. Returns the newest questionnaire and rule set. Flushes."""
    try:
        questionnaires = [qfile.load_file(p) for p in qfile.shipped_files()]
        published = [q for q in questionnaires if q.status == "published"]
        if not published:
            raise CatalogError("no published questionnaire is shipped")
        newest_q = max(published, key=_version_key)
        loaded_rules = []
        by_version = {q.version: q for q in published}
        for path in rmod.shipped_files():
            text = path.read_text(encoding="utf-8")
            rs = rmod.parse_text(text, newest_q, path.name)
            loaded_rules.append((text, rs))
    except YAMLFileError as exc:
        raise CatalogError(str(exc)) from exc
    if not loaded_rules:
        raise CatalogError("no recommendation rules are shipped")
    q_rows = {v: store_questionnaire(q) for v, q in by_version.items()}
    r_rows = [store_ruleset(text, rs) for text, rs in loaded_rules]
    newest_rules = max(loaded_rules, key=lambda pair: _version_key(pair[1]))[1]
    publish_services(newest_rules)
    return q_rows[newest_q.version], next(r for r in r_rows if r.version == newest_rules.version)


def _version_key(obj) -> tuple[int, int]:
    year, _dot, num = obj.version.partition(".")
    return int(year), int(num or 0)


def publish_services(rs: rmod.RuleSet) -> None:
    for service in rs.services.values():
        publish_resource(
            kind="advisory",
            key=f"readiness-{service.id}",
            plugin="readiness",
            titles=service.title,
            url=f"/readiness/services#{service.id}",
            languages=sorted(service.title),
            articles=service.articles,
        )


def _stamp() -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns) for p in [*qfile.shipped_files(), *rmod.shipped_files()])


@lru_cache(maxsize=4)
def _shipped_versions(_stamp_value: tuple) -> tuple[frozenset, frozenset]:
    """``(version, digest)`` of the published questionnaires and of the rules shipped (cached until a
    file changes)."""
    qs = [qfile.load_file(p) for p in qfile.shipped_files()]
    rules = set()
    for path in rmod.shipped_files():
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        version = str(data.get("version")) if isinstance(data, dict) else ""
        rules.add((version, hashlib.sha256(text.encode("utf-8")).hexdigest()))
    return (
        frozenset((q.version, content_hash(q)) for q in qs if q.status == "published"),
        frozenset(rules),
    )


def ensure_synced() -> None:
    """Store the shipped versions the database does not have yet (a new release ships a new version),
    and the translations a release adds to a stored version. A shipped file that changes a published
    version beyond its translations is logged and ignored: the stored copy stays in use."""
    shipped_q, shipped_r = _shipped_versions(_stamp())
    rows_q = db.session.scalars(select(QuestionnaireVersion).filter_by(qid=QUESTIONNAIRE_ID)).all()
    rows_r = db.session.scalars(select(RuleSetVersion)).all()
    if not {v for v, _d in shipped_q} <= {r.version for r in rows_q} or not {v for v, _d in shipped_r} <= {
        r.version for r in rows_r
    }:
        sync_shipped()
        return
    if shipped_q <= {(r.version, r.sha256) for r in rows_q} and shipped_r <= {
        (r.version, r.sha256) for r in rows_r
    }:
        return
    try:
        with db.session.begin_nested():
            sync_shipped()
    except CatalogError as exc:
        log.warning("readiness: shipped files not stored: %s", exc)


def current_questionnaire_row() -> QuestionnaireVersion:
    ensure_synced()
    rows = db.session.scalars(select(QuestionnaireVersion).filter_by(qid=QUESTIONNAIRE_ID)).all()
    return max(rows, key=_version_key)


def current_ruleset_row() -> RuleSetVersion:
    ensure_synced()
    return max(db.session.scalars(select(RuleSetVersion)).all(), key=_version_key)


@lru_cache(maxsize=32)
def _questionnaire_from(sha256: str, content_json: str) -> qmod.Questionnaire:
    return qmod.from_dict(json.loads(content_json), sha256=sha256)


def questionnaire_of(row: QuestionnaireVersion) -> qmod.Questionnaire:
    """The immutable :class:`Questionnaire` of a stored version (cached by content hash)."""
    return _questionnaire_from(row.sha256, json.dumps(row.content, sort_keys=True))


@lru_cache(maxsize=32)
def _ruleset_from(sha256: str, source: str, q_sha: str, q_json: str) -> rmod.RuleSet:
    return rmod.parse_text(source, _questionnaire_from(q_sha, q_json) if q_json != "null" else None)


def ruleset_for(row: RuleSetVersion, q_row: QuestionnaireVersion) -> rmod.RuleSet:
    """The rule set, checked against the questionnaire it is applied to. Rules that refer to items the
    questionnaire lacks are refused by validation; callers fall back to no recommendations."""
    return _ruleset_from(row.sha256, row.source, q_row.sha256, json.dumps(q_row.content, sort_keys=True))


def services_for(q_row: QuestionnaireVersion) -> dict[str, rmod.Service]:
    """The advisory services of the current rules. They do not depend on the questionnaire's items, so an
    assessment of an older version whose items the rules no longer name still offers them."""
    row = current_ruleset_row()
    try:
        return dict(ruleset_for(row, q_row).services)
    except YAMLFileError:
        return dict(_ruleset_from(row.sha256, row.source, "", "null").services)


def find_questionnaire_row(version: str) -> QuestionnaireVersion | None:
    return db.session.scalar(select(QuestionnaireVersion).filter_by(qid=QUESTIONNAIRE_ID, version=version))
