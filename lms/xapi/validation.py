"""Statement validation (xAPI 1.0.3, Data section 2 and 4). Pure: no Flask, no database.

:func:`validate_statement` raises :class:`lms.xapi.errors.XAPIError` (400) with a message naming the
offending property by its path, e.g. ``statements[2].context.contextActivities.parent[0].id: must be an
IRI``. The LRS requirements of Data 2.2.s4 are applied strictly: no null values outside extensions, no
strings where numbers or booleans belong, no unknown or wrongly-cased keys, enumerations matched
exactly, IRIs with a scheme, RFC 5646 language map keys, and so on. Agents, groups and the
authority are checked by :mod:`lms.xapi.validation_actors`.
"""

from __future__ import annotations

from lms.xapi import formats as f
from lms.xapi.validation_actors import agent_or_group, authority, group
from lms.xapi.validation_base import as_object as _object
from lms.xapi.validation_base import boolean as _bool
from lms.xapi.validation_base import check_keys as _keys
from lms.xapi.validation_base import extensions, fail, language_map
from lms.xapi.validation_base import iri as _iri
from lms.xapi.validation_base import number as _number
from lms.xapi.validation_base import parse_json as parse_json
from lms.xapi.validation_base import string as _string
from lms.xapi.validation_base import timestamp as _timestamp
from lms.xapi.validation_base import uuid as _uuid

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"

# fmt: off
STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                  "version", "attachments"}
SUBSTATEMENT_KEYS = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
ACTIVITY_KEYS = {"objectType", "id", "definition"}
DEFINITION_KEYS = {"name", "description", "type", "moreInfo", "extensions", "interactionType",
                   "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
                     "sequencing", "likert", "numeric", "other"}
COMPONENT_LISTS = {"choice": {"choices"}, "sequencing": {"choices"}, "likert": {"scale"},
                   "matching": {"source", "target"}, "performance": {"steps"}}
ALL_COMPONENT_LISTS = {"choices", "scale", "source", "target", "steps"}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
SCORE_KEYS = {"scaled", "raw", "min", "max"}
CONTEXT_KEYS = {"registration", "instructor", "team", "contextActivities", "revision", "platform",
                "language", "statement", "extensions"}
CONTEXT_ACTIVITY_KEYS = ("parent", "grouping", "category", "other")
ATTACHMENT_KEYS = {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
ATTACHMENT_REQUIRED = ("usageType", "display", "contentType", "length", "sha2")
# fmt: on


# -- verb, activities, statement objects -----------------------------------------------------------


def verb(value, path: str) -> None:
    obj = _object(value, path)
    _keys(obj, {"id", "display"}, path, required=("id",))
    _iri(obj["id"], f"{path}.id")
    if "display" in obj:
        language_map(obj["display"], f"{path}.display")


def _components(value, path: str) -> None:
    if not isinstance(value, list):
        fail(path, "must be an array of interaction components")
    seen = set()
    for i, comp in enumerate(value):
        cpath = f"{path}[{i}]"
        _object(comp, cpath)
        _keys(comp, {"id", "description"}, cpath, required=("id",))
        cid = _string(comp["id"], f"{cpath}.id")
        if not cid:
            fail(f"{cpath}.id", "must not be empty")
        if cid in seen:
            fail(f"{cpath}.id", f"duplicate interaction component id {cid!r}")
        seen.add(cid)
        if "description" in comp:
            language_map(comp["description"], f"{cpath}.description")


def activity_definition(value, path: str) -> None:
    obj = _object(value, path)
    if not obj:
        # An empty object is a property without a value (Data 2.2.s4.b1.b1), as for contextActivities.
        fail(path, "must not be an empty object (leave the definition out instead)")
    _keys(obj, DEFINITION_KEYS, path)
    for key in ("name", "description"):
        if key in obj:
            language_map(obj[key], f"{path}.{key}")
    if "type" in obj:
        _iri(obj["type"], f"{path}.type")
    if "moreInfo" in obj:
        _iri(obj["moreInfo"], f"{path}.moreInfo")
    if "extensions" in obj:
        extensions(obj["extensions"], f"{path}.extensions")
    itype = obj.get("interactionType")
    lists = ALL_COMPONENT_LISTS & set(obj)
    if itype is None:
        if lists or "correctResponsesPattern" in obj:
            fail(f"{path}.interactionType", "is required with correctResponsesPattern or component lists")
        return
    if not isinstance(itype, str) or itype not in INTERACTION_TYPES:
        fail(f"{path}.interactionType", "must be one of " + ", ".join(sorted(INTERACTION_TYPES)))
    if "correctResponsesPattern" in obj:
        pattern = obj["correctResponsesPattern"]
        if not isinstance(pattern, list):
            fail(f"{path}.correctResponsesPattern", "must be an array of strings")
        for i, item in enumerate(pattern):
            _string(item, f"{path}.correctResponsesPattern[{i}]")
    allowed = COMPONENT_LISTS.get(itype, set())
    for name in sorted(lists):
        if name not in allowed:
            fail(f"{path}.{name}", f"is not allowed for interactionType {itype!r}")
        _components(obj[name], f"{path}.{name}")


def activity(value, path: str) -> None:
    obj = _object(value, path, "an activity")
    _keys(obj, ACTIVITY_KEYS, path, required=("id",))
    if obj.get("objectType", "Activity") != "Activity":
        fail(f"{path}.objectType", "must be 'Activity'")
    _iri(obj["id"], f"{path}.id")
    if "definition" in obj:
        activity_definition(obj["definition"], f"{path}.definition")


def statement_ref(value, path: str) -> None:
    obj = _object(value, path, "a statement reference")
    _keys(obj, {"objectType", "id"}, path, required=("objectType", "id"))
    if obj["objectType"] != "StatementRef":
        fail(f"{path}.objectType", "must be 'StatementRef'")
    _uuid(obj["id"], f"{path}.id")


OBJECT_TYPES = ("Activity", "Agent", "Group", "StatementRef", "SubStatement")


def statement_object(value, path: str, *, in_substatement: bool = False) -> None:
    obj = _object(value, path)
    otype = obj.get("objectType", "Activity")
    if otype == "Activity":
        activity(obj, path)
    elif otype in ("Agent", "Group"):
        agent_or_group(obj, path, object_type_required=True)
    elif otype == "StatementRef":
        statement_ref(obj, path)
    elif otype == "SubStatement":
        if in_substatement:
            fail(f"{path}.objectType", "a SubStatement must not contain a SubStatement")
        _statement_body(obj, path, substatement=True)
    else:
        fail(f"{path}.objectType", "must be one of " + ", ".join(OBJECT_TYPES))


# -- result, context, attachments ------------------------------------------------------------------


def result(value, path: str) -> None:
    obj = _object(value, path)
    _keys(obj, RESULT_KEYS, path)
    for key in ("success", "completion"):
        if key in obj:
            _bool(obj[key], f"{path}.{key}")
    if "response" in obj:
        _string(obj["response"], f"{path}.response")
    if "duration" in obj and not f.is_duration(obj["duration"]):
        fail(f"{path}.duration", "must be an ISO 8601 duration, e.g. PT1H30M5.5S")
    if "extensions" in obj:
        extensions(obj["extensions"], f"{path}.extensions")
    if "score" in obj:
        score = _object(obj["score"], f"{path}.score")
        _keys(score, SCORE_KEYS, f"{path}.score")
        for key in SCORE_KEYS & set(score):
            _number(score[key], f"{path}.score.{key}")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            fail(f"{path}.score.scaled", "must be between -1 and 1")
        low, high = score.get("min"), score.get("max")
        if low is not None and high is not None and not low < high:
            fail(f"{path}.score.min", "must be less than max")
        raw = score.get("raw")
        if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
            fail(f"{path}.score.raw", "must be between min and max")


def context(value, path: str, *, object_is_activity: bool) -> None:
    obj = _object(value, path)
    _keys(obj, CONTEXT_KEYS, path)
    if "registration" in obj:
        _uuid(obj["registration"], f"{path}.registration")
    if "instructor" in obj:
        agent_or_group(obj["instructor"], f"{path}.instructor")
    if "team" in obj:
        team = _object(obj["team"], f"{path}.team")
        if team.get("objectType") != "Group":
            fail(f"{path}.team.objectType", "the team must be a Group (objectType 'Group')")
        group(team, f"{path}.team")
    if "contextActivities" in obj:
        ca = _object(obj["contextActivities"], f"{path}.contextActivities")
        _keys(ca, set(CONTEXT_ACTIVITY_KEYS), f"{path}.contextActivities")
        if not ca:
            fail(f"{path}.contextActivities", "must name at least one of parent, grouping, category, other")
        for key, items in ca.items():
            kpath = f"{path}.contextActivities.{key}"
            if isinstance(items, list):
                for i, item in enumerate(items):
                    activity(item, f"{kpath}[{i}]")
            else:
                activity(items, kpath)
    for key in ("revision", "platform"):
        if key in obj:
            _string(obj[key], f"{path}.{key}")
            if not object_is_activity:
                fail(f"{path}.{key}", "may only be used when the statement's object is an activity")
    if "language" in obj and not f.is_language_tag(obj["language"]):
        fail(f"{path}.language", "must be an RFC 5646 language tag")
    if "statement" in obj:
        statement_ref(obj["statement"], f"{path}.statement")
    if "extensions" in obj:
        extensions(obj["extensions"], f"{path}.extensions")


def attachments(value, path: str) -> None:
    if not isinstance(value, list):
        fail(path, "must be an array of attachment objects")
    for i, att in enumerate(value):
        apath = f"{path}[{i}]"
        _object(att, apath, "an attachment object")
        _keys(att, ATTACHMENT_KEYS, apath, required=ATTACHMENT_REQUIRED)
        _iri(att["usageType"], f"{apath}.usageType")
        language_map(att["display"], f"{apath}.display")
        if "description" in att:
            language_map(att["description"], f"{apath}.description")
        if not f.is_media_type(att["contentType"]):
            fail(f"{apath}.contentType", "must be an Internet media type, e.g. application/pdf")
        if not f.is_integer(att["length"]) or att["length"] < 0:
            fail(f"{apath}.length", "must be a non-negative integer (octets)")
        if not f.is_sha2_hex(att["sha2"]):
            fail(f"{apath}.sha2", "must be the hexadecimal SHA-2 (224, 256, 384 or 512) hash of the data")
        if "fileUrl" in att:
            _iri(att["fileUrl"], f"{apath}.fileUrl")


# -- statements ------------------------------------------------------------------------------------


def _statement_body(obj: dict, path: str, *, substatement: bool) -> None:
    if substatement:
        for key in ("id", "stored", "version", "authority"):
            if key in obj:
                fail(f"{path}.{key}", "a SubStatement must not have this property")
        _keys(obj, SUBSTATEMENT_KEYS, path, required=("actor", "verb", "object"))
    else:
        _keys(obj, STATEMENT_KEYS, path, required=("actor", "verb", "object"))
    agent_or_group(obj["actor"], f"{path}.actor")
    verb(obj["verb"], f"{path}.verb")
    statement_object(obj["object"], f"{path}.object", in_substatement=substatement)
    if "result" in obj:
        result(obj["result"], f"{path}.result")
    if "context" in obj:
        is_activity = (
            isinstance(obj["object"], dict) and obj["object"].get("objectType", "Activity") == "Activity"
        )
        context(obj["context"], f"{path}.context", object_is_activity=is_activity)
    if "timestamp" in obj:
        _timestamp(obj["timestamp"], f"{path}.timestamp")
    if "attachments" in obj:
        attachments(obj["attachments"], f"{path}.attachments")
    if obj["verb"]["id"] == VOIDED_VERB and obj["object"].get("objectType") != "StatementRef":
        fail(f"{path}.object.objectType", "a voiding statement's object must be a StatementRef")


def validate_statement(value, path: str = "statement") -> dict:
    """Validate one statement; returns it unchanged. Raises XAPIError(400)."""
    obj = _object(value, path, "a statement")
    _statement_body(obj, path, substatement=False)
    if "id" in obj:
        _uuid(obj["id"], f"{path}.id")
    if "stored" in obj:
        _timestamp(obj["stored"], f"{path}.stored")
    if "version" in obj and not f.is_statement_version(obj["version"]):
        fail(f"{path}.version", "must be a 1.0.x version, e.g. 1.0.0")
    if "authority" in obj:
        authority(obj["authority"], f"{path}.authority")
    return obj


def validate_statements(values: list, path: str = "statements") -> list:
    for i, value in enumerate(values):
        validate_statement(value, f"{path}[{i}]")
    return values


def normalise(statement: dict) -> dict:
    """A copy with every contextActivities value as an array (Data 2.4.6.2.s4.b3), in the statement
    and its SubStatement."""
    out = dict(statement)
    ctx = out.get("context")
    if isinstance(ctx, dict) and isinstance(ctx.get("contextActivities"), dict):
        ctx = dict(ctx)
        ctx["contextActivities"] = {
            k: (v if isinstance(v, list) else [v]) for k, v in ctx["contextActivities"].items()
        }
        out["context"] = ctx
    obj = out.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        out["object"] = normalise(obj)
    return out
