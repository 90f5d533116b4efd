"""Build a correct answer sheet for any quiz attempt (what a learner who knows the answers would post)."""

from __future__ import annotations


def correct_form(view, item, attempt) -> dict[str, list[str]]:
    questions = {q["uuid"]: q for q in item.get("questions", [])}
    form: dict[str, list[str]] = {"attempt": [attempt.uuid]}
    for drawn in attempt.drawn:
        q = questions[drawn["uuid"]]
        name, spec = f"q_{q['uuid']}", q["spec"]
        token = {v: k for k, v in drawn["tokens"].items()}
        if q["kind"] in ("single", "multiple"):
            form[name] = [token[o["id"]] for o in spec["options"] if o.get("correct")]
        elif q["kind"] == "truefalse":
            form[name] = ["true" if spec["answer"] else "false"]
        elif q["kind"] == "numeric":
            form[name] = [str(spec["answer"])]
        elif q["kind"] == "fillin":
            form[name] = [view.texts(q["texts"])[0]["accepted"][0]]
        elif q["kind"] == "matching":
            for pair in spec["pairs"]:
                form[f"{name}_{pair}"] = [token[pair]]
        elif q["kind"] == "ordering":
            for position, step in enumerate(spec["items"], start=1):
                form[f"{name}_{token[step]}"] = [str(position)]
    return form
