"""Folding a batch of statements into rollup deltas (pure Python, no database access).

:class:`Batch` collects what a batch of statements adds to each rollup; :mod:`analytics.apply` merges
it into the tables. Keeping the two apart makes the folding rules easy to read and test.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from analytics import parsing as p

# Verbs that show a learner reached a step (lesson, quiz) of a course.
STEP_VERBS = {
    "launched",
    "initialized",
    "experienced",
    "progressed",
    "completed",
    "answered",
    "attempted",
    "passed",
    "failed",
    "scored",
}

# Indexes into a monthly counter list.
N, SUCCESS, FAILURE, COMPLETION, SCORED, SUM_SCORE, SUM_DURATION = range(7)


@dataclass
class StatementRow:
    """The columns of :class:`lms.xapi.models.Statement` the rollup reads, plus the parsed resource."""

    id: int
    actor_key: str
    verb_id: str
    object_activity_id: str | None
    object_statement_id: str | None
    registration: str | None
    timestamp_dt: datetime
    stored_dt: datetime
    user_id: int | None
    result_success: bool | None
    result_completion: bool | None
    result_score_scaled: float | None
    result_duration_s: float | None
    language: str | None
    country_code: str | None
    verb: str = ""
    resource: tuple[str, str, str] | None = None  # (kind, key, child)
    foreign_object: bool = False


def needs_data(row: StatementRow) -> bool:
    """Whether folding this statement reads its JSON (responses, extensions, definitions)."""
    if row.verb in ("answered", "submitted", "voided"):
        return True
    kind = row.resource[0] if row.resource else ""
    return kind in p.VIDEO_KINDS and row.verb in p.VIDEO_VERBS


def _get(data: dict | None, *path, default=None):
    cur = data
    for step in path:
        if not isinstance(cur, dict):
            return default
        cur = cur.get(step)
    return default if cur is None else cur


@dataclass
class Batch:
    regions: dict[str, str]
    monthly: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0, 0, 0.0, 0.0]))
    monthly_region: dict = field(default_factory=dict)
    active: dict = field(default_factory=dict)
    learners: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)
    responses: dict = field(default_factory=dict)
    item_meta: dict = field(default_factory=dict)
    video_length: dict = field(default_factory=dict)
    video_minutes: dict = field(default_factory=lambda: defaultdict(set))
    sessions: dict = field(default_factory=dict)
    readiness: dict = field(default_factory=dict)
    dirty: set = field(default_factory=set)
    voided: list = field(default_factory=list)
    """Statements a voiding statement of this batch took back (see :mod:`analytics.voiding`)."""
    count: int = 0

    # -- monthly counters (a voiding statement takes them back with sign=-1) --------------------------
    def fold_counts(self, row: StatementRow, sign: int = 1) -> None:
        kind, key, child = row.resource or ("", "", "")
        cc = (row.country_code or "").upper()[:2]
        lang = p.language_of(row.language)
        # "completed" on the resource itself, "completed@lesson" on a lesson of it, "@x" imported parts
        part = "x" if row.foreign_object else child.split("/")[0]
        verb = f"{row.verb}@{part}"[:60] if part else row.verb
        k = (p.month_of(row.timestamp_dt), kind, key, verb, lang, cc)
        c = self.monthly[k]
        self.monthly_region[k] = self.regions.get(cc, "")
        c[N] += sign
        if row.result_success is True:
            c[SUCCESS] += sign
        elif row.result_success is False:
            c[FAILURE] += sign
        if row.result_completion:
            c[COMPLETION] += sign
        if row.result_score_scaled is not None:
            c[SCORED] += sign
            c[SUM_SCORE] += sign * float(row.result_score_scaled)
        if row.result_duration_s is not None:
            c[SUM_DURATION] += sign * float(row.result_duration_s)

    # -- everything else ----------------------------------------------------------------------------
    def fold(self, row: StatementRow, data: dict | None, counts: bool = True) -> None:
        """Add ``row`` to every rollup; ``counts=False`` leaves the monthly counters alone (a refold
        after a voiding, whose counters were already taken back)."""
        self.count += 1
        if counts:
            self.fold_counts(row)
        if row.verb == "voided":
            return
        kind, key, child = row.resource or ("", "", "")
        cc = (row.country_code or "").upper()[:2]
        region = self.regions.get(cc, "")
        lang = p.language_of(row.language)
        ts = row.timestamp_dt
        actor = row.actor_key
        if actor:
            self.active.setdefault((actor, p.month_of(ts), kind, key, lang), (cc, region))
        if not kind:
            return
        if kind in p.LEARNER_KINDS and actor:
            self._fold_learner(row, kind, key, child, lang, cc, region)
        if row.verb == "answered" and actor:
            self._fold_answer(row, data, kind, key, child, lang)
        if kind in p.VIDEO_KINDS and row.verb in p.VIDEO_VERBS and actor:
            self._fold_video(row, data, kind, key, lang)
        if kind in p.READINESS_KINDS and row.verb == "submitted":
            self._fold_readiness(row, data, key, cc)

    def _fold_learner(self, row, kind, key, child, lang, cc, region) -> None:
        ts, verb = row.timestamp_dt, row.verb
        obs = {
            "first_dt": ts,
            "last_dt": ts,
            "language": lang,
            "user_id": row.user_id,
            "country_code": cc,
            "region": region,
            "n_passed": 0,
            "n_failed": 0,
        }
        at_root = child == ""
        if verb == "registered" and at_root:
            obs["registered_dt"] = ts
        if verb in p.STARTED_VERBS:
            obs["started_dt"] = ts
        if verb == "completed" and at_root:
            obs["completed_dt"] = ts
        if verb == "passed":
            obs["passed_dt"] = ts
            obs["n_passed"] = 1
        elif verb == "failed":
            obs["n_failed"] = 1
        if verb == "attended":
            obs["attended_dt"] = ts
        score = row.result_score_scaled
        if score is not None and verb in ("passed", "failed", "scored", "completed"):
            obs["best_score"] = float(score)
            phase = p.workshop_phase(child)
            if phase == "pre":
                obs["pre_score"] = float(score)
            elif phase == "post":
                obs["post_score"] = float(score)
        lesson = p.child_part(child, p.LESSON_PARTS)
        if lesson and verb in STEP_VERBS:
            obs["last_child"], obs["last_child_dt"] = lesson, ts
            self.children.setdefault((kind, key, lesson, row.actor_key), lang)
        k = (row.actor_key, kind, key)
        self.learners[k] = merge_learner(self.learners.get(k), obs)

    def _fold_answer(self, row, data, kind, key, child, lang) -> None:
        item = p.item_of(child)
        if item is None and row.foreign_object and row.object_activity_id:
            item = "question/x" + hashlib.sha1(row.object_activity_id.encode()).hexdigest()[:16]  # noqa: S324
        if item is None:
            return
        definition = _get(data, "object", "definition", default={})
        response = _get(data, "result", "response", default="")
        response = response if isinstance(response, str) else str(response)
        correct = row.result_success
        pattern = definition.get("correctResponsesPattern") if isinstance(definition, dict) else None
        if correct is None and isinstance(pattern, list) and pattern and response:
            correct = response in pattern
        k = (kind, key, item, row.actor_key)
        old = self.responses.get(k)
        if old is None or row.timestamp_dt < old[3]:
            self.responses[k] = (lang, correct, response[:500], row.timestamp_dt)
        self.dirty.add(("items", kind, key))
        if isinstance(definition, dict) and definition:
            meta = self.item_meta.setdefault(
                (kind, key, item), {"names": {}, "choices": {}, "type": "", "correct": []}
            )
            merge_definition(meta, definition)

    def _fold_video(self, row, data, kind, key, lang) -> None:
        length = _get(data, "context", "extensions", p.EXT_LENGTH)
        if isinstance(length, int | float) and not isinstance(length, bool) and 0 < length < 86400:
            k = (kind, key, lang)
            self.video_length[k] = max(float(length), self.video_length.get(k, 0.0))
        segments = p.parse_segments(_get(data, "result", "extensions", p.EXT_PLAYED_SEGMENTS))
        if segments:
            self.video_minutes[(kind, key, row.actor_key, lang)] |= p.minutes_of(segments)
        session = _get(data, "context", "extensions", p.EXT_SESSION_ID) or row.registration
        day = p.day_of(row.timestamp_dt)
        ref = f"s:{session}" if session else f"d:{row.actor_key}:{day}"
        self.sessions.setdefault((kind, key, str(ref)[:140]), (row.actor_key, lang, day))

    def _fold_readiness(self, row, data, key, cc) -> None:
        """The latest submitted assessment of each country (of any cycle) is the one that counts."""
        assessed = p.assessed_country(_get(data, "context", "extensions", default={})) or cc
        if not assessed:
            return
        levels = p.levels_of(_get(data, "result", "extensions", default={}))
        old = self.readiness.get(assessed)
        n = (old[5] if old else 0) + 1
        if old is None or row.timestamp_dt >= old[2]:
            region = self.regions.get(assessed, "")
            self.readiness[assessed] = (levels, row.result_score_scaled, row.timestamp_dt, region, key, n)
        else:
            self.readiness[assessed] = (*old[:5], n)


_MIN_FIELDS = ("first_dt", "registered_dt", "started_dt", "completed_dt", "passed_dt", "attended_dt")


def merge_learner(old: dict | None, new: dict) -> dict:
    """Combine two observations of one learner on one resource (either may come from the table)."""
    if old is None:
        return dict(new)
    out = dict(old)
    for f in _MIN_FIELDS:
        a, b = old.get(f), new.get(f)
        out[f] = b if a is None else (a if b is None else min(a, b))
    out["last_dt"] = max(old["last_dt"], new["last_dt"])
    out["n_passed"] = (old.get("n_passed") or 0) + (new.get("n_passed") or 0)
    out["n_failed"] = (old.get("n_failed") or 0) + (new.get("n_failed") or 0)
    scores = [s for s in (old.get("best_score"), new.get("best_score")) if s is not None]
    out["best_score"] = max(scores) if scores else None
    out["pre_score"] = old.get("pre_score") if old.get("pre_score") is not None else new.get("pre_score")
    out["post_score"] = new.get("post_score") if new.get("post_score") is not None else old.get("post_score")
    if new.get("last_child") and (
        old.get("last_child_dt") is None or new["last_child_dt"] >= old["last_child_dt"]
    ):
        out["last_child"], out["last_child_dt"] = new["last_child"], new["last_child_dt"]
    for f in ("language", "country_code", "region"):
        if not old.get(f) or old.get(f) == "und":
            out[f] = new.get(f) or old.get(f)
    out["user_id"] = old.get("user_id") or new.get("user_id")
    return out


def merge_definition(meta: dict, definition: dict) -> None:
    """Merge an interaction definition (names and choices in one or more languages) into ``meta``."""
    name = definition.get("name")
    if isinstance(name, dict):
        meta["names"].update({str(k)[:12]: str(v)[:2000] for k, v in name.items()})
    itype = definition.get("interactionType")
    if isinstance(itype, str):
        meta["type"] = itype[:40]
    pattern = definition.get("correctResponsesPattern")
    if isinstance(pattern, list) and pattern:
        meta["correct"] = [str(x)[:500] for x in pattern[:10]]
    choices = definition.get("choices")
    if isinstance(choices, list):
        for ch in choices[:50]:
            if isinstance(ch, dict) and isinstance(ch.get("id"), str):
                desc = ch.get("description") if isinstance(ch.get("description"), dict) else {}
                meta["choices"].setdefault(ch["id"][:120], {}).update(
                    {str(k)[:12]: str(v)[:1000] for k, v in desc.items()}
                )
