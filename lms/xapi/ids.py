"""Identifiers of agents, groups and statements, in the canonical forms the LRS indexes and compares.

An agent (or identified group) is keyed by its inverse functional identifier (IFI). :func:`agent_key`
returns the SHA-256 (hex) of a canonical text form of that IFI:

- ``mbox:mailto:<local part>@<domain in lowercase>`` (the domain of an e-mail address is case
  insensitive, the local part is not);
- ``mbox_sha1sum:<hex in lowercase>``;
- ``openid:<uri>``;
- ``account:<homePage>|<name>``.

Anonymous groups have no key (``None``); a learning record consumer must treat each one as distinct.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


def normalise_mbox(mbox: str) -> str:
    """``mailto:Jo@Example.ORG`` -> ``mailto:Jo@example.org``."""
    local, sep, domain = mbox.rpartition("@")
    if not sep:
        return mbox
    return f"{local}@{domain.lower()}"


def ifi_text(agent: dict) -> str | None:
    """The canonical text form of an agent's or group's IFI, or ``None`` (anonymous group / no IFI)."""
    if not isinstance(agent, dict):
        return None
    if isinstance(agent.get("mbox"), str):
        return "mbox:" + normalise_mbox(agent["mbox"])
    if isinstance(agent.get("mbox_sha1sum"), str):
        return "mbox_sha1sum:" + agent["mbox_sha1sum"].lower()
    if isinstance(agent.get("openid"), str):
        return "openid:" + agent["openid"]
    account = agent.get("account")
    if isinstance(account, dict) and isinstance(account.get("homePage"), str):
        return "account:" + account["homePage"] + "|" + str(account.get("name", ""))
    return None


def agent_key(agent: dict) -> str | None:
    """SHA-256 (64 hex characters) of the agent's canonical IFI; ``None`` for an anonymous group."""
    text = ifi_text(agent)
    if text is None:
        return None
    return _sha256_hex(text)


@lru_cache(maxsize=8192)
def _sha256_hex(text: str) -> str:
    # The same few agents (the authority, active learners) are keyed several times per statement.
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def group_key(group: dict) -> str | None:
    """The key of an agent or group; an anonymous group is keyed by its members' keys (sorted), which
    identifies e.g. an authority made of an application and a user."""
    key = agent_key(group)
    if key is not None:
        return key
    members = group.get("member") if isinstance(group, dict) else None
    if not isinstance(members, list) or not members:
        return None
    parts = sorted(k for k in (agent_key(m) for m in members) if k)
    if not parts:
        return None
    return hashlib.sha256(("group:" + ",".join(parts)).encode("utf-8")).hexdigest()


def agent_and_member_keys(agent: dict) -> list[str]:
    """The key of an agent or identified group plus the keys of a group's listed members (the
    ``agent`` query filter matches a group when one of its members matches)."""
    keys: list[str] = []
    if not isinstance(agent, dict):
        return keys
    key = agent_key(agent)
    if key:
        keys.append(key)
    if agent.get("objectType") == "Group" and isinstance(agent.get("member"), list):
        for member in agent["member"]:
            mk = agent_key(member)
            if mk and mk not in keys:
                keys.append(mk)
    return keys


def ifi_only(agent: dict) -> dict:
    """The agent or group reduced to what identifies it (``format=ids``): objectType and IFI; an
    anonymous group keeps its members, each reduced the same way."""
    out: dict = {}
    if "objectType" in agent:
        out["objectType"] = agent["objectType"]
    for prop in IFI_PROPERTIES:
        if prop in agent:
            out[prop] = agent[prop]
            break
    else:
        if isinstance(agent.get("member"), list):
            out["member"] = [ifi_only(m) for m in agent["member"]]
    return out


def account_agent(home_page: str, name: str) -> dict:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def normalise_uuid(value: str) -> str:
    """UUIDs are compared case-insensitively; the LRS indexes them in lowercase."""
    return value.strip().lower()
