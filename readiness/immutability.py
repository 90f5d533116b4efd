"""What may change in a published questionnaire or rule set: translations only. Pure Python: no Flask.

A published version is immutable because stored answers and results refer to its items, weights and
rules. Translating it into another language changes none of that, so a new file under the same version
is accepted when, and only when, it differs from the stored one by translations:

- every text mapping (``{en: ..., fr: ...}``) keeps its source-language text word for word (the source
  is what the other languages translate; changing it changes the question);
- translations may be added, or corrected, but not removed (an assessment in that language would lose
  its text);
- everything else (ids, types, weights, gates, skip logic, options, bands, mappings, rules, deadlines)
  is identical.
"""

from __future__ import annotations

from readiness.questionnaire_schema import LANGUAGES


def _is_text(value) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGES)


def _where(path: tuple) -> str:
    return ".".join(str(p) for p in path) or "(top)"


def translation_only_problem(old, new, source: str = "en", path: tuple = ()) -> str | None:
    """``None`` when ``new`` differs from ``old`` only by added or changed translations; otherwise the
    first difference that is not a translation, named by its path (e.g. ``dimensions.0.items.1.weight``)."""
    if _is_text(old) and isinstance(new, dict):
        if not _is_text(new):
            return f"{_where(path)}: a text became something else"
        if old.get(source) != new.get(source):
            return f"{_where(path)}: the {source!r} text changed"
        removed = sorted(set(old) - set(new))
        if removed:
            return f"{_where(path)}: translation removed ({', '.join(removed)})"
        return None
    if isinstance(old, dict) and isinstance(new, dict):
        if set(old) != set(new):
            changed = sorted(str(k) for k in set(old) ^ set(new))
            return f"{_where(path)}: keys added or removed ({', '.join(changed)})"
        for key in old:
            problem = translation_only_problem(old[key], new[key], source, (*path, key))
            if problem:
                return problem
        return None
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return f"{_where(path)}: {len(old)} entries became {len(new)}"
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            problem = translation_only_problem(a, b, source, (*path, i))
            if problem:
                return problem
        return None
    if old != new or type(old) is not type(new):
        return f"{_where(path)}: {old!r} became {new!r}"
    return None
