"""Quiz item analysis from learners' first answers (:class:`analytics.models.ItemResponse`).

For each item of a course:

- **difficulty**: the proportion of learners who answered correctly (classical p-value);
- **discrimination**: the corrected point-biserial correlation between answering the item correctly
  and the learner's score on the *other* items of the course (a good item is answered correctly more
  often by learners who do well elsewhere);
- **distractor rates**: how often each choice was picked;
- **per-language difference**: for every language with enough answers, the item's difficulty in that
  language against all other languages, and the Mantel-Haenszel D-DIF statistic (ETS delta scale),
  which compares learners of similar overall score so that a language group that is simply stronger
  or weaker overall is not flagged. An item is flagged for a language when the translated version is
  much harder: D-DIF <= -threshold (1.5, the ETS "C" category), the MH chi-square is significant
  (>= 6.63, p < .01, as many items and languages are tested at once) and both groups have at least the
  minimum number of answers. Items flagged in a first pass are left out of the matching score in a
  second pass (purification), so that one faulty item does not make the others look biased.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from analytics.models import ItemResponse, ItemStat
from lms.db import db, utcnow

CHI2_CRITICAL = 6.63  # chi-square, 1 df, p < .01 (several languages and items are tested at once)
STRATA = 5  # rest-score bands used to match learners of similar ability


@dataclass(frozen=True)
class Thresholds:
    min_item_n: int = 10
    min_language_n: int = 20
    dif_threshold: float = 1.5

    @classmethod
    def from_config(cls) -> Thresholds:
        cfg = current_app.config
        return cls(
            min_item_n=int(cfg.get("ANALYTICS_MIN_ITEM_N", cls.min_item_n)),
            min_language_n=int(cfg.get("ANALYTICS_MIN_LANGUAGE_N", cls.min_language_n)),
            dif_threshold=float(cfg.get("ANALYTICS_DIF_THRESHOLD", cls.dif_threshold)),
        )


def point_biserial(pairs: list[tuple[int, float]]) -> float | None:
    """Pearson correlation of a 0/1 variable with a score; ``None`` when either does not vary."""
    n = len(pairs)
    if n < 2:
        return None
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxy = sum((x - mx) * (y - my) for x, y in pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    syy = sum((y - my) ** 2 for _, y in pairs)
    if sxx <= 0 or syy <= 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def mantel_haenszel(strata: dict[int, list[int]]) -> tuple[float | None, float | None]:
    """``(D-DIF, chi-square)`` from strata ``{k: [ref_correct, ref_wrong, focal_correct, focal_wrong]}``.
    Negative D-DIF means the item is harder for the focal group than for comparable reference learners."""
    num = den = sum_a = sum_ea = sum_var = 0.0
    for a, b, c, d in strata.values():
        t = a + b + c + d
        if t < 2 or (a + b) == 0 or (c + d) == 0:
            continue
        num += a * d / t
        den += b * c / t
        n_ref, n_foc, m1, m0 = a + b, c + d, a + c, b + d
        sum_a += a
        sum_ea += n_ref * m1 / t
        sum_var += n_ref * n_foc * m1 * m0 / (t * t * (t - 1))
    if sum_var <= 0:
        return None, None
    chi2 = max(0.0, abs(sum_a - sum_ea) - 0.5) ** 2 / sum_var
    if num == 0 and den == 0:
        return None, chi2
    if den == 0:
        return -9.99, chi2  # reference learners never wrong where focal ones are: extremely harder
    if num == 0:
        return 9.99, chi2
    return max(-9.99, min(9.99, -2.35 * math.log(num / den))), chi2


def analyse_course(kind: str, key: str, thresholds: Thresholds | None = None) -> int:
    """Recompute the statistics of every item of one course; returns the number of items. Flushes."""
    th = thresholds or Thresholds.from_config()
    rows = db.session.execute(
        select(
            ItemResponse.item,
            ItemResponse.actor_key,
            ItemResponse.language,
            ItemResponse.is_correct,
            ItemResponse.response,
        ).where(ItemResponse.kind == kind, ItemResponse.key == key)
    ).all()
    by_actor: dict[str, dict[str, int]] = defaultdict(dict)
    by_item: dict[str, list] = defaultdict(list)
    for item, actor, lang, correct, response in rows:
        if correct is None:
            continue
        by_actor[actor][item] = 1 if correct else 0
        by_item[item].append((actor, lang, 1 if correct else 0, response or ""))

    stats = {s.item: s for s in db.session.scalars(select(ItemStat).filter_by(kind=kind, key=key))}
    for item in by_item:
        if item not in stats:
            stats[item] = ItemStat(kind=kind, key=key, item=item, names={}, choices=[], correct=[])
            db.session.add(stats[item])
    # Two stages ("purification"): items flagged in the first are left out of the matching score of the
    # second, so that one faulty item does not make the others look biased.
    flagged: set[str] = set()
    for _stage in range(2):
        totals = {
            actor: (
                sum(v for i, v in items.items() if i not in flagged),
                sum(1 for i in items if i not in flagged),
            )
            for actor, items in by_actor.items()
        }
        for item, answers in by_item.items():
            _fill(stats[item], answers, totals, th, excluded=item in flagged)
        now = {item for item in by_item if stats[item].is_flagged}
        if now == flagged or not now:
            break
        flagged = now
    db.session.flush()
    return len(by_item)


def _fill(stat: ItemStat, answers: list, totals: dict, th: Thresholds, excluded: bool = False) -> None:
    """``totals``: each learner's (correct, answered) over the matching items; ``excluded``: this item
    is not among them (so its rest score is the whole matching score)."""
    n = len(answers)
    n_correct = sum(a[2] for a in answers)
    stat.n, stat.n_correct = n, n_correct
    stat.difficulty = n_correct / n if n else None

    rest: dict[str, float | None] = {}
    for actor, _lang, x, _resp in answers:
        total, count = totals[actor]
        if not excluded:  # the learner's proportion correct on the other items of the course
            total, count = total - x, count - 1
        rest[actor] = total / count if count > 0 else None
    pairs = [(x, rest[actor]) for actor, _lang, x, _resp in answers if rest[actor] is not None]
    stat.discrimination = point_biserial(pairs) if len(pairs) >= th.min_item_n else None

    counts: dict[str, int] = defaultdict(int)
    for _a, _l, _x, response in answers:
        for choice in response.split("[,]") if response else []:
            counts[choice[:120]] += 1
    stat.distractors = dict(sorted(counts.items()))

    per_lang: dict[str, list] = defaultdict(list)
    for a in answers:
        per_lang[a[1]].append(a)
    by_language = {}
    flagged = False
    for lang, focal in sorted(per_lang.items()):
        ref = [a for a in answers if a[1] != lang]
        entry = {"n": len(focal), "correct": sum(a[2] for a in focal)}
        entry["p"] = entry["correct"] / entry["n"]
        entry["n_ref"] = len(ref)
        entry["p_ref"] = ((n_correct - entry["correct"]) / len(ref)) if ref else None
        entry["mh_d_dif"] = entry["chi2"] = None
        entry["flag"] = False
        if len(focal) >= th.min_language_n and len(ref) >= th.min_language_n:
            strata: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
            for group, rows in ((0, ref), (2, focal)):
                for actor, _lang, x, _resp in rows:
                    r = rest[actor]
                    band = 0 if r is None else min(STRATA - 1, int(r * STRATA))
                    strata[band][group + (0 if x else 1)] += 1
            d_dif, chi2 = mantel_haenszel(strata)
            entry["mh_d_dif"] = None if d_dif is None else round(d_dif, 3)
            entry["chi2"] = None if chi2 is None else round(chi2, 3)
            entry["flag"] = bool(
                d_dif is not None
                and chi2 is not None
                and d_dif <= -th.dif_threshold
                and chi2 >= CHI2_CRITICAL
            )
            flagged = flagged or entry["flag"]
        entry["p"] = round(entry["p"], 4)
        entry["p_ref"] = None if entry["p_ref"] is None else round(entry["p_ref"], 4)
        by_language[lang] = entry
    stat.by_language = by_language
    stat.is_flagged = flagged
    stat.updated_dt = utcnow()
