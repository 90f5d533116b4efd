"""How stored statements are returned: the ``format`` parameter (``exact``, ``ids``, ``canonical``)
with Accept-Language selection, and the attachment data of a result (Communication 2.1.3)."""

from __future__ import annotations

import copy

from sqlalchemy import select

from lms.db import db
from lms.xapi.ids import ifi_only

# -- Accept-Language -------------------------------------------------------------------------------


def parse_accept_language(header: str | None) -> list[str]:
    """Language ranges of an Accept-Language header, best first (q=0 ranges dropped)."""
    ranges = []
    for n, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        tag = tag.strip()
        if not tag:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((-q, n, tag.lower()))
    return [tag for _q, _n, tag in sorted(ranges)]


def pick_language(langmap: dict, ranges: list[str]) -> dict:
    """The one entry of a language map that best fits the language ranges, best range first: a tag
    equal to the range or starting with it and '-' (RFC 2616 14.4), else the range shortened subtag by
    subtag (RFC 4647 lookup: ``fr-CH`` finds ``fr``); with no fit, English, else the first entry."""
    if not isinstance(langmap, dict) or len(langmap) <= 1:
        return langmap
    keys = {k.lower(): k for k in langmap}

    def entry(key):
        return {key: langmap[key]}

    for rng in ranges:
        if rng == "*":
            return entry(next(iter(langmap)))
        for low, key in keys.items():
            if low == rng or low.startswith(rng + "-"):
                return entry(key)
        parts = rng.split("-")
        while len(parts) > 1:
            parts.pop()
            if "-".join(parts) in keys:
                return entry(keys["-".join(parts)])
    for fallback in ("en", "en-us", "en-gb"):
        if fallback in keys:
            return entry(keys[fallback])
    return entry(next(iter(langmap)))


# -- formats ---------------------------------------------------------------------------------------


def _activities_of(body: dict):
    obj = body.get("object") or {}
    if obj.get("objectType", "Activity") == "Activity":
        yield obj
    for items in ((body.get("context") or {}).get("contextActivities") or {}).values():
        yield from items
    if obj.get("objectType") == "SubStatement":
        yield from _activities_of(obj)


def _ids_body(body: dict) -> dict:
    out = dict(body)
    out["actor"] = ifi_only(body["actor"])
    out["verb"] = {"id": body["verb"]["id"]}
    obj = body["object"]
    otype = obj.get("objectType", "Activity")
    if otype == "Activity":
        out["object"] = {"id": obj["id"]}  # the id alone identifies it; objectType defaults to Activity
    elif otype in ("Agent", "Group"):
        out["object"] = ifi_only(obj)
    elif otype == "SubStatement":
        out["object"] = _ids_body(obj)
    if isinstance(body.get("context"), dict):
        ctx = dict(body["context"])
        for key in ("instructor", "team"):
            if key in ctx:
                ctx[key] = ifi_only(ctx[key])
        if "contextActivities" in ctx:
            ctx["contextActivities"] = {
                k: [{"id": a["id"]} for a in v] for k, v in ctx["contextActivities"].items()
            }
        out["context"] = ctx
    if isinstance(body.get("authority"), dict):
        out["authority"] = ifi_only(body["authority"])
    return out


def _canonical_definitions(statements: list[dict]) -> dict[str, dict]:
    ids = {a["id"] for s in statements for a in _activities_of(s)}
    if not ids:
        return {}
    try:
        from lms.xapi.models import ActivityDefinition
    except ImportError:  # pragma: no cover - the Activities resource is optional
        return {}
    rows = db.session.execute(
        select(ActivityDefinition.activity_id, ActivityDefinition.definition).where(
            ActivityDefinition.activity_id.in_(ids)
        )
    )
    return {aid: definition for aid, definition in rows if definition}


def _filter_definition(definition: dict, ranges: list[str]) -> dict:
    out = dict(definition)
    for key in ("name", "description"):
        if key in out:
            out[key] = pick_language(out[key], ranges)
    for key in ("choices", "scale", "source", "target", "steps"):
        if isinstance(out.get(key), list):
            out[key] = [
                {**c, "description": pick_language(c["description"], ranges)} if "description" in c else c
                for c in out[key]
            ]
    return out


def _canonical(statement: dict, definitions: dict, ranges: list[str]) -> dict:
    out = copy.deepcopy(statement)

    def fix(body):
        verbs = [body["verb"]]
        if body["object"].get("objectType") == "SubStatement":
            verbs.append(body["object"]["verb"])
        for verb in verbs:
            if "display" in verb:
                verb["display"] = pick_language(verb["display"], ranges)
        for act in _activities_of(body):
            definition = definitions.get(act["id"], act.get("definition"))
            if definition:
                act["definition"] = _filter_definition(definition, ranges)

    fix(out)
    return out


def format_statements(statements: list[dict], fmt: str = "exact", accept_language: str | None = None) -> list:
    """The statements as the ``format`` parameter asks: ``exact`` as stored, ``ids`` reduced to
    identifiers, ``canonical`` with the LRS's canonical activity definitions and one language per
    language map chosen by ``accept_language``."""
    if fmt == "ids":
        return [_ids_body(s) for s in statements]
    if fmt == "canonical":
        ranges = parse_accept_language(accept_language)
        definitions = _canonical_definitions(statements)
        return [_canonical(s, definitions, ranges) for s in statements]
    return list(statements)


def attachment_payloads(statements: list[dict]) -> dict[str, tuple[str, bytes]]:
    """``{sha2: (content_type, data)}`` for the attachments of ``statements`` whose data the LRS holds."""
    from lms.xapi.models import AttachmentContent

    wanted = {a["sha2"].lower() for s in statements for a in s.get("attachments") or ()}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(AttachmentContent.sha2, AttachmentContent.content_type, AttachmentContent.content).where(
            AttachmentContent.sha2.in_(wanted)
        )
    )
    return {sha2: (content_type, bytes(content)) for sha2, content_type, content in rows}
