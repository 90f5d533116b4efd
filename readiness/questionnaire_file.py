"""Reading questionnaire files: a YAML file becomes a :class:`~readiness.questionnaire.Questionnaire` only
when it passes the schema (:mod:`readiness.questionnaire_schema`) and the skip-logic check
(:func:`readiness.scoring.skip_logic_problems`: better answers only ever reveal questions), every problem
reported with its line. The questionnaires shipped with the platform are in ``SHIPPED_DIR``."""

from __future__ import annotations

import hashlib
from pathlib import Path

from readiness.questionnaire import SHIPPED_DIR, Questionnaire, from_dict
from readiness.questionnaire_schema import validate
from readiness.scoring import skip_logic_problems
from readiness.yamlfile import Problem, YAMLFileError, load_marked


def parse_text(text: str, filename: str = "") -> Questionnaire:
    """Validate and build a questionnaire from YAML text; raises :class:`YAMLFileError` listing every
    problem with its line. An invalid file never yields a questionnaire."""
    data, marks = load_marked(text, filename)
    problems = validate(data, marks)
    problems.raise_if_any(filename)
    q = from_dict(data, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    for item_id, message in skip_logic_problems(q):
        problems.add(_item_path(data, item_id) + ("show_if",), message)
    problems.raise_if_any(filename)
    return q


def _item_path(data: dict, item_id: str) -> tuple:
    for di, d in enumerate(data["dimensions"]):
        for ii, it in enumerate(d["items"]):
            if it["id"] == item_id:
                return ("dimensions", di, "items", ii)
    return ()


def load_file(path: str | Path) -> Questionnaire:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YAMLFileError([Problem(None, "", f"cannot read the file: {exc}")], str(path)) from exc
    return parse_text(text, path.name)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("digital-readiness-*.yaml"))
