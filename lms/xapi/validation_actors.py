"""Validation of agents, groups and the authority of a statement (xAPI 1.0.3, Data 2.4.2, 2.4.9).
Pure: no Flask, no database; failures raise :class:`lms.xapi.errors.XAPIError` (400) naming the path."""

from __future__ import annotations

from lms.xapi import formats as f
from lms.xapi.validation_base import as_object as _object
from lms.xapi.validation_base import check_keys as _keys
from lms.xapi.validation_base import fail
from lms.xapi.validation_base import iri as _iri
from lms.xapi.validation_base import string as _string

AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
GROUP_KEYS = AGENT_KEYS | {"member"}
IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


def _ifis(agent: dict, path: str) -> int:
    count = 0
    if "mbox" in agent:
        count += 1
        if not f.is_mbox(agent["mbox"]):
            fail(f"{path}.mbox", "must be a mailto IRI, e.g. mailto:name@example.org")
    if "mbox_sha1sum" in agent:
        count += 1
        if not f.is_sha1_hex(agent["mbox_sha1sum"]):
            fail(f"{path}.mbox_sha1sum", "must be the 40 hexadecimal digits of a SHA-1 hash")
    if "openid" in agent:
        count += 1
        _iri(agent["openid"], f"{path}.openid")
    if "account" in agent:
        count += 1
        account = _object(agent["account"], f"{path}.account")
        _keys(account, {"homePage", "name"}, f"{path}.account", required=("homePage", "name"))
        _iri(account["homePage"], f"{path}.account.homePage")
        _string(account["name"], f"{path}.account.name")
    return count


def agent(value, path: str, *, object_type_required: bool = False) -> None:
    """An Agent (objectType optional unless the agent is a statement's object)."""
    obj = _object(value, path)
    _keys(obj, AGENT_KEYS, path)
    if object_type_required and "objectType" not in obj:
        fail(f"{path}.objectType", "is required when an agent is the object of a statement")
    if obj.get("objectType", "Agent") != "Agent":
        fail(f"{path}.objectType", "must be 'Agent'")
    if "name" in obj:
        _string(obj["name"], f"{path}.name")
    n = _ifis(obj, path)
    if n != 1:
        fail(
            path,
            "an agent must have exactly one inverse functional identifier "
            "(mbox, mbox_sha1sum, openid or account)" + ("" if n == 0 else f", found {n}"),
        )


def group(value, path: str) -> None:
    obj = _object(value, path)
    _keys(obj, GROUP_KEYS, path, required=("objectType",))
    if obj["objectType"] != "Group":
        fail(f"{path}.objectType", "must be 'Group'")
    if "name" in obj:
        _string(obj["name"], f"{path}.name")
    n = _ifis(obj, path)
    if n > 1:
        fail(path, f"an identified group must have exactly one inverse functional identifier, found {n}")
    if "member" in obj:
        members = obj["member"]
        if not isinstance(members, list):
            fail(f"{path}.member", "must be an array of agents")
        for i, member in enumerate(members):
            mpath = f"{path}.member[{i}]"
            if isinstance(member, dict) and member.get("objectType") == "Group":
                fail(f"{mpath}.objectType", "a group must not contain groups")
            agent(member, mpath)
    if n == 0 and not obj.get("member"):
        fail(f"{path}.member", "an anonymous group (without identifier) must list its members")


def agent_or_group(value, path: str, *, object_type_required: bool = False) -> None:
    obj = _object(value, path)
    if obj.get("objectType") == "Group":
        group(obj, path)
    else:
        agent(obj, path, object_type_required=object_type_required)


def authority(value, path: str) -> None:
    """An Agent, or (3-legged OAuth) the anonymous Group of the application and the user: exactly two
    Agents and no identifier of its own (Data 2.4.9.s3.b1)."""
    auth = _object(value, path)
    agent_or_group(auth, path)
    if auth.get("objectType") != "Group":
        return
    if len(auth.get("member") or []) != 2:
        fail(path, "a group authority must have exactly two members (application and user)")
    ifis = [k for k in IFI_KEYS if k in auth]
    if ifis:
        fail(
            path,
            "a group authority is the anonymous pair of application and user: it must not be "
            f"identified ({', '.join(ifis)})",
        )
