"""Statement comparison (xAPI 1.0.3, Data 2.3.1 "Statement Comparison Requirements").

Two statements match when they differ only where Statement Immutability allows: the properties the LRS
assigns (id, authority, stored, version, and a timestamp the LRS filled in), activity definitions and
verb display (not part of the statement), the serialisation of timestamps (compared as points in time),
the order of group members, and case-insensitive values (e-mail domains, UUIDs, SHA-1 hex). Everything
else, the result duration included, is compared as sent.
"""

from __future__ import annotations

import json

from lms.xapi import formats
from lms.xapi.ids import normalise_mbox
from lms.xapi.validation import SIGNATURE_USAGE, normalise

_ASSIGNED = ("id", "stored", "authority", "version")


def _agent(agent: dict, default_type: str = "Agent") -> dict:
    out = dict(agent)
    out.setdefault("objectType", default_type)
    if isinstance(out.get("mbox"), str):
        out["mbox"] = normalise_mbox(out["mbox"])
    if isinstance(out.get("mbox_sha1sum"), str):
        out["mbox_sha1sum"] = out["mbox_sha1sum"].lower()
    if isinstance(out.get("member"), list):
        members = [_agent(m) for m in out["member"]]
        out["member"] = sorted(members, key=lambda m: json.dumps(m, sort_keys=True))
    return out


def _activity(act: dict) -> dict:
    return {"objectType": "Activity", "id": act.get("id")}


def _object(obj: dict) -> dict:
    otype = obj.get("objectType", "Activity")
    if otype == "Activity":
        return _activity(obj)
    if otype in ("Agent", "Group"):
        return _agent(obj, otype)
    if otype == "StatementRef":
        return {"objectType": "StatementRef", "id": str(obj.get("id", "")).lower()}
    if otype == "SubStatement":
        sub = _body(obj)
        parsed = formats.parse_timestamp(sub.get("timestamp"))
        if parsed is not None:
            sub["timestamp"] = parsed.isoformat()
        return sub
    return obj


def _body(stmt: dict) -> dict:
    out = dict(stmt)
    if isinstance(out.get("actor"), dict):
        out["actor"] = _agent(out["actor"])
    if isinstance(out.get("verb"), dict):
        out["verb"] = {"id": out["verb"].get("id")}
    if isinstance(out.get("object"), dict):
        out["object"] = _object(out["object"])
    ctx = out.get("context")
    if isinstance(ctx, dict):
        ctx = dict(ctx)
        if isinstance(ctx.get("registration"), str):
            ctx["registration"] = ctx["registration"].lower()
        for key in ("instructor", "team"):
            if isinstance(ctx.get(key), dict):
                ctx[key] = _agent(ctx[key])
        if isinstance(ctx.get("statement"), dict):
            ctx["statement"] = _object(ctx["statement"])
        if isinstance(ctx.get("contextActivities"), dict):
            ctx["contextActivities"] = {
                k: [_activity(a) for a in v] for k, v in ctx["contextActivities"].items()
            }
        out["context"] = ctx
    return out


def comparable(statement: dict, *, timestamp: bool = True) -> dict:
    """The statement in the form two matching statements share."""
    out = _body(normalise(statement))
    for key in _ASSIGNED:
        out.pop(key, None)
    ts = out.pop("timestamp", None)
    if timestamp and ts is not None:
        parsed = formats.parse_timestamp(ts)
        out["timestamp"] = parsed.isoformat() if parsed else ts
    return out


def statements_match(a: dict, b: dict) -> bool:
    """Whether two statements match under the comparison rules (a timestamp only one of them has is
    taken to have been filled in by an LRS)."""
    both_timestamps = "timestamp" in a and "timestamp" in b
    return comparable(a, timestamp=both_timestamps) == comparable(b, timestamp=both_timestamps)


def without_signatures(statement: dict) -> dict:
    """The statement as it was before its signature attachment(s) were added."""
    out = dict(statement)
    atts = [a for a in out.get("attachments") or [] if a.get("usageType") != SIGNATURE_USAGE]
    if atts:
        out["attachments"] = atts
    else:
        out.pop("attachments", None)
    return out
