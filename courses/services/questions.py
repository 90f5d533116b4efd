"""Question types: validation of authored questions, what an attempt shows, server-side grading, and the
xAPI ``cmi.interaction`` definition of each question.

Kinds: ``single`` (one right option), ``multiple`` (multiple response), ``truefalse``, ``numeric`` (with a
tolerance), ``fillin`` (case- and space-tolerant, accepted answers per language), ``matching`` and
``ordering``. Option, pair and step identifiers never reach the browser: an attempt shows random tokens
that only the server maps back (see :func:`draw_question`).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import random
import re
import secrets

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from courses.models import QUESTION_KINDS
from courses.services.errors import BadSubmission, CourseError, SomeUnanswered, UnclearAnswer

KIND_LABELS = {
    "single": _l("Single choice"),
    "multiple": _l("Multiple response"),
    "truefalse": _l("True or false"),
    "numeric": _l("Number"),
    "fillin": _l("Fill in the blank"),
    "matching": _l("Matching"),
    "ordering": _l("Ordering"),
}
MAX_ANSWER_LEN = 500
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def new_id() -> str:
    return secrets.token_hex(4)


def _num(value) -> float | None:
    """Parse a number written with a decimal point or comma (and spaces as thousands separators)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def normalise_blank(text: str) -> str:
    """Fill-in answers: case-insensitive, spaces collapsed, outer punctuation ignored."""
    return " ".join(str(text).casefold().split()).strip(" .;:!?")


def _rows(rows, keys):
    """Keep authored rows that have any text; give rows without an id a new one."""
    out = []
    for row in rows or []:
        if not any(str(row.get(k) or "").strip() for k in keys):
            continue
        ident = str(row.get("id") or "").strip() or new_id()
        if not _ID_RE.match(ident):
            raise CourseError(_("Identifier %(id)s is not valid (letters, digits, - and _ only).", id=ident))
        out.append({**row, "id": ident})
    ids = [r["id"] for r in out]
    if len(ids) != len(set(ids)):
        raise CourseError(_("Two rows have the same identifier."))
    return out


def normalise_question(kind: str, data: dict) -> tuple[dict, dict]:
    """Check an authored question (source language) and split it into the language-neutral ``spec`` and
    the translatable ``fields``. Raises :class:`CourseError` with the reason when it is not usable."""
    if kind not in QUESTION_KINDS:
        raise CourseError(_("Unknown question type %(kind)s.", kind=kind))
    prompt = str(data.get("prompt") or "").strip()
    if not prompt:
        raise CourseError(_("The question needs a prompt."), field="prompt")
    points = _num(data.get("points", 1))
    if points is None or points <= 0 or points > 100:
        raise CourseError(_("Points must be a number between 0 and 100."), field="points")
    fields = {"prompt": prompt}
    for key in ("feedback_correct", "feedback_incorrect"):
        if str(data.get(key) or "").strip():
            fields[key] = str(data[key]).strip()
    spec: dict = {}
    if kind in ("single", "multiple"):
        rows = _rows(data.get("options"), ("text",))
        if len(rows) < 2:
            raise CourseError(_("A choice question needs at least two options."), field="options")
        if any(not str(r.get("text") or "").strip() for r in rows):
            raise CourseError(_("Every option needs a text."), field="options")
        correct = [r for r in rows if r.get("correct")]
        if kind == "single" and len(correct) != 1:
            raise CourseError(
                _("A single-choice question needs exactly one correct option."), field="options"
            )
        if kind == "multiple" and not correct:
            raise CourseError(
                _("A multiple-response question needs at least one correct option."), field="options"
            )
        spec["options"] = [{"id": r["id"], "correct": bool(r.get("correct"))} for r in rows]
        fields["options"] = {
            r["id"]: {k: str(r[k]).strip() for k in ("text", "feedback") if str(r.get(k) or "").strip()}
            for r in rows
        }
    elif kind == "truefalse":
        answer = data.get("answer")
        if isinstance(answer, str):
            answer = {"true": True, "false": False}.get(answer.strip().lower())
        if not isinstance(answer, bool):
            raise CourseError(_("Say whether the statement is true or false."), field="truefalse")
        spec["answer"] = answer
    elif kind == "numeric":
        answer, tolerance = _num(data.get("answer")), _num(data.get("tolerance") or 0)
        if answer is None:
            raise CourseError(_("The correct answer must be a number."), field="answer")
        if tolerance is None or tolerance < 0:
            raise CourseError(_("The tolerance must be zero or a positive number."), field="tolerance")
        spec.update(answer=answer, tolerance=tolerance)
    elif kind == "fillin":
        accepted = data.get("accepted") or []
        if isinstance(accepted, str):
            accepted = accepted.splitlines()
        accepted = [str(a).strip() for a in accepted if str(a).strip()]
        if not accepted:
            raise CourseError(_("Give at least one accepted answer."), field="accepted")
        fields["accepted"] = accepted
    elif kind == "matching":
        rows = _rows(data.get("pairs"), ("source", "target"))
        if len(rows) < 2 or any(
            not str(r.get("source") or "").strip() or not str(r.get("target") or "").strip() for r in rows
        ):
            raise CourseError(_("A matching question needs at least two complete pairs."), field="pairs")
        spec["pairs"] = [r["id"] for r in rows]
        fields["pairs"] = {
            r["id"]: {"source": str(r["source"]).strip(), "target": str(r["target"]).strip()} for r in rows
        }
    elif kind == "ordering":
        rows = _rows(data.get("items"), ("text",))
        if len(rows) < 2:
            raise CourseError(_("An ordering question needs at least two steps."), field="steps")
        spec["items"] = [r["id"] for r in rows]
        fields["items"] = {r["id"]: str(r["text"]).strip() for r in rows}
    return spec, {"points": points, **fields}


def draw_question(question: dict, *, shuffle: bool, rng: random.Random | None = None) -> dict:
    """What one attempt shows of a snapshot question: random tokens for its options/targets/steps, in
    display order. Stored on the attempt; the tokens are the only identifiers the browser sees."""
    rng = rng or random.Random(secrets.randbits(64))
    kind, spec = question["kind"], question.get("spec") or {}
    entry = {"uuid": question["uuid"], "tokens": {}, "order": []}
    ids = []
    if kind in ("single", "multiple"):
        ids = [o["id"] for o in spec.get("options", [])]
    elif kind == "matching":
        ids = list(spec.get("pairs", []))
        sources = list(ids)
        if shuffle:
            rng.shuffle(sources)
        entry["sources"] = sources
    elif kind == "ordering":
        ids = list(spec.get("items", []))
    for ident in ids:
        token = secrets.token_hex(4)
        entry["tokens"][token] = ident
        entry["order"].append(token)
    if kind == "ordering" or (shuffle and kind in ("single", "multiple")) or kind == "matching":
        # Steps to order are always shuffled (shown in the right order they would give the answer away).
        rng.shuffle(entry["order"])
        if kind == "ordering" and len(ids) > 1 and [entry["tokens"][t] for t in entry["order"]] == ids:
            entry["order"].append(entry["order"].pop(0))
    return entry


def parse_response(question: dict, drawn: dict, form: dict[str, list[str]]) -> object:
    """Turn the submitted form values for one question into a normalised response (real ids).
    Values that could not come from the form as shown raise :class:`BadSubmission`."""
    kind, key = question["kind"], f"q_{question['uuid']}"
    tokens = drawn.get("tokens", {})

    def values(name):
        return [v for v in form.get(name, []) if v != ""]

    if kind in ("single", "multiple"):
        vals = values(key)
        if kind == "single" and len(vals) > 1:
            raise BadSubmission(_("Only one option can be chosen."))
        if any(v not in tokens for v in vals):
            raise BadSubmission(_("The answer does not belong to this attempt."))
        return sorted({tokens[v] for v in vals})
    if kind == "truefalse":
        vals = values(key)
        if len(vals) > 1 or any(v not in ("true", "false") for v in vals):
            raise BadSubmission(_("The answer does not belong to this attempt."))
        return vals[0] == "true" if vals else None
    if kind in ("numeric", "fillin"):
        vals = form.get(key, [])
        if len(vals) > 1 or any(len(v) > MAX_ANSWER_LEN for v in vals):
            raise BadSubmission(_("The answer is not valid."))
        text = vals[0].strip() if vals else ""
        if kind == "numeric" and text and _num(text) is None:
            raise UnclearAnswer(_("Enter a number, for example 4 or 2.5."))
        return text or None
    if kind == "matching":
        out = {}
        for source in drawn.get("sources", []):
            vals = values(f"{key}_{source}")
            if len(vals) > 1 or any(v not in tokens for v in vals):
                raise BadSubmission(_("The answer does not belong to this attempt."))
            if vals:
                out[source] = tokens[vals[0]]
        return out
    if kind == "ordering":
        n = len(tokens)
        positions = {}
        for token, ident in tokens.items():
            vals = values(f"{key}_{token}")
            if len(vals) > 1 or any(not v.isdigit() or not 1 <= int(v) <= n for v in vals):
                raise BadSubmission(_("The answer does not belong to this attempt."))
            if vals:
                positions[ident] = int(vals[0])
        if len(set(positions.values())) < len(positions):
            raise UnclearAnswer(_("Two steps have the same place: give each step its own place."))
        if len(positions) < n:
            return None  # a step left without a place: not a full answer
        return [ident for ident, _p in sorted(positions.items(), key=lambda kv: kv[1])]
    raise BadSubmission(_("Unknown question type."))


def parse_sheet(questions: dict[str, dict], drawn: dict[str, dict], form: dict[str, list[str]]) -> dict:
    """Every drawn question's response (``questions`` must hold each drawn UUID). Answers the learner can
    correct are gathered into one :class:`UnclearAnswer` with each reason by its question, so that the
    whole sheet is fixed in one go rather than one answer per round trip."""
    responses, unclear = {}, {}
    for uuid, entry in drawn.items():
        try:
            responses[uuid] = parse_response(questions[uuid], entry, form)
        except UnclearAnswer as exc:
            unclear[uuid] = exc.message
    if unclear:
        raise UnclearAnswer(
            _("Some answers need a correction. Nothing was recorded yet."), by_question=unclear
        )
    return responses


def nothing_answered(drawn: dict, form: dict[str, list[str]]) -> bool:
    """True when a sheet with questions came back without a single answer: no answer field (``q_…``)
    holds anything but spaces. Decided on what was sent, not on the parsed responses, so that an
    ordering question with some steps placed (not a full answer) still counts as answered."""
    return bool(drawn) and not any(
        value.strip() for name, values in form.items() if name.startswith("q_") for value in values
    )


def unanswered(drawn: dict[str, dict], form: dict[str, list[str]], responses: dict) -> dict[str, str]:
    """The questions of a parsed sheet (``responses``, from :func:`parse_sheet`) left without a full
    answer, each with what is missing: no answer at all, or not every item matched or placed."""
    out = {}
    for uuid, response in responses.items():
        key = f"q_{uuid}"
        typed = any(
            value.strip() for name, values in form.items() if name.startswith(key) for value in values
        )
        if response is None or response == [] or response == {}:
            out[uuid] = _("Not every step has a place.") if typed else _("Not answered.")
        elif isinstance(response, dict) and len(response) < len(drawn[uuid].get("sources", [])):
            out[uuid] = _("Not every item is matched.")
    return out


def confirm_unanswered(drawn: dict[str, dict], form: dict[str, list[str]], responses: dict) -> None:
    """Refuse a sheet with questions left without a full answer (:class:`SomeUnanswered`, naming
    each) unless it says it is sent as it is (``unanswered=submit``): a quiz attempt or a workshop
    test is graded once, and a question skipped by mistake is worth a second look first."""
    missing = unanswered(drawn, form, responses)
    if missing and form.get("unanswered") != ["submit"]:
        raise SomeUnanswered(
            ngettext(
                "%(num)s question has no full answer. Answer it, or submit your answers as they are.",
                "%(num)s questions have no full answer. Answer them, or submit your answers as they are.",
                len(missing),
            ),
            by_question=missing,
        )


def grade(question: dict, texts: dict, response, *, source_texts: dict | None = None) -> dict:
    """Score one response. ``texts`` are the question's fields in the attempt's language (accepted
    blanks also come from the source language). Returns ``{"correct", "score", "max", "response"}``."""
    kind, spec, points = question["kind"], question.get("spec") or {}, float(question.get("points", 1))
    correct = False
    if kind in ("single", "multiple"):
        right = sorted(o["id"] for o in spec.get("options", []) if o.get("correct"))
        correct = response == right
    elif kind == "truefalse":
        correct = response is not None and response == spec.get("answer")
    elif kind == "numeric":
        value = _num(response)
        correct = (
            value is not None and abs(value - float(spec["answer"])) <= float(spec.get("tolerance", 0)) + 1e-9
        )
    elif kind == "fillin":
        accepted = list(texts.get("accepted") or []) + list((source_texts or {}).get("accepted") or [])
        correct = response is not None and normalise_blank(response) in {normalise_blank(a) for a in accepted}
    elif kind == "matching":
        pairs = spec.get("pairs", [])
        correct = bool(pairs) and all((response or {}).get(p) == p for p in pairs)
    elif kind == "ordering":
        correct = response == list(spec.get("items", []))
    return {"correct": correct, "score": points if correct else 0.0, "max": points, "response": response}


def interaction(question: dict, texts: dict, language: str, *, key: bool = True) -> dict:
    """The ``cmi.interaction`` activity definition properties of a question (xAPI 1.0.3). Without
    ``key`` the definition gives no answer away (for a test the learner takes again, whose statements
    they read in their data export): no ``correctResponsesPattern``, steps to order listed by id rather
    than in their right order, and the matches of a matching question under ids of their own
    (:func:`response_string` with ``key=False`` uses them too)."""
    definition = _interaction(question, texts, language, key)
    if not key:
        definition.pop("correctResponsesPattern", None)
    return definition


def _target_id(question: dict, pair_id: str, key: bool) -> str:
    """The id of a matching question's match in xAPI: the pair's id and ``_t``, or without ``key`` an id
    that does not name its pair. It is keyed with the site's secret: a plain digest of ids the learner
    sees (the question's and its pairs') could be worked out again, and with it the key."""
    if key:
        return f"{pair_id}_t"
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else str(secret).encode()
    message = f"{question.get('uuid', '')}:{pair_id}".encode()
    return "t" + hmac.new(secret, message, hashlib.sha256).hexdigest()[:8]


def _interaction(question: dict, texts: dict, language: str, key: bool) -> dict:
    kind, spec = question["kind"], question.get("spec") or {}

    def desc(text):
        return {language: str(text or "")}

    if kind in ("single", "multiple"):
        opts = texts.get("options") or {}
        return {
            "interactionType": "choice",
            "choices": [
                {"id": o["id"], "description": desc((opts.get(o["id"]) or {}).get("text"))}
                for o in spec.get("options", [])
            ],
            "correctResponsesPattern": [
                "[,]".join(sorted(o["id"] for o in spec.get("options", []) if o.get("correct")))
            ],
        }
    if kind == "truefalse":
        return {
            "interactionType": "true-false",
            "correctResponsesPattern": [str(bool(spec.get("answer"))).lower()],
        }
    if kind == "numeric":
        answer, tol = float(spec["answer"]), float(spec.get("tolerance", 0))
        pattern = f"{_fmt(answer - tol)}[:]{_fmt(answer + tol)}" if tol else _fmt(answer)
        return {"interactionType": "numeric", "correctResponsesPattern": [pattern]}
    if kind == "fillin":
        return {
            "interactionType": "fill-in",
            "correctResponsesPattern": [f"{{case_matters=false}}{a}" for a in texts.get("accepted") or []],
        }
    if kind == "matching":
        pairs = texts.get("pairs") or {}
        ids = spec.get("pairs", [])
        targets = [
            {"id": _target_id(question, p, key), "description": desc((pairs.get(p) or {}).get("target"))}
            for p in ids
        ]
        return {
            "interactionType": "matching",
            "source": [{"id": p, "description": desc((pairs.get(p) or {}).get("source"))} for p in ids],
            "target": targets if key else sorted(targets, key=lambda t: t["id"]),
            "correctResponsesPattern": ["[,]".join(f"{p}[.]{p}_t" for p in ids)],
        }
    if kind == "ordering":
        items = texts.get("items") or {}
        ids = spec.get("items", [])
        return {
            "interactionType": "sequencing",
            "choices": [{"id": i, "description": desc(items.get(i))} for i in (ids if key else sorted(ids))],
            "correctResponsesPattern": ["[,]".join(ids)],
        }
    return {"interactionType": "other"}


def response_string(question: dict, response, *, key: bool = True) -> str:
    """The learner's response in the xAPI response format of the question's interaction type (``key``:
    as for :func:`interaction`)."""
    kind = question["kind"]
    if response is None:
        return ""
    if kind in ("single", "multiple", "ordering"):
        return "[,]".join(response)
    if kind == "truefalse":
        return str(bool(response)).lower()
    if kind == "matching":
        return "[,]".join(f"{s}[.]{_target_id(question, t, key)}" for s, t in sorted(response.items()))
    return str(response)


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))
