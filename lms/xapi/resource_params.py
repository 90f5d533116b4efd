"""Parameters of the document, Activities and Agents resources: parsed strictly, refused with 400 and
a message naming the parameter (Communication 3.2.s3.b7/b8: unknown parameters, or known ones in the
wrong case, are refused).
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime

from flask import request

from lms.xapi.errors import XAPIError

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S+$")


def request_params() -> dict[str, str]:
    """Query parameters (the LRS hooks fold alternate-syntax form fields into them)."""
    out: dict[str, str] = {}
    for name in request.args:
        values = request.args.getlist(name)
        if len(values) > 1:
            raise XAPIError(400, f"Parameter '{name}' is given more than once.")
        out[name] = values[0]
    return out


def request_header(name: str) -> str | None:
    return request.headers.get(name)


def request_body() -> tuple[bytes, str | None]:
    """The request content and its declared content type."""
    return request.get_data(cache=True), request.headers.get("Content-Type")


def check_params(allowed: set[str]) -> dict[str, str]:
    params = request_params()
    lowered = {a.lower(): a for a in allowed}
    for name in params:
        if name not in allowed:
            hint = f" (did you mean '{lowered[name.lower()]}'?)" if name.lower() in lowered else ""
            raise XAPIError(400, f"Unknown parameter '{name}'{hint}. Allowed: {', '.join(sorted(allowed))}.")
    return params


def string_param(params: dict, name: str, *, required: bool) -> str | None:
    value = params.get(name)
    if value is None:
        if required:
            raise XAPIError(400, f"Parameter '{name}' is required.")
        return None
    if value == "":
        raise XAPIError(400, f"Parameter '{name}' must not be empty.")
    if len(value) > 1000:
        raise XAPIError(400, f"Parameter '{name}' is too long (1000 characters at most).")
    return value


def is_iri(value: str) -> bool:
    return bool(_SCHEME.match(value or ""))


def iri_param(params: dict, name: str) -> str:
    value = string_param(params, name, required=True)
    if not is_iri(value):
        raise XAPIError(400, f"Parameter '{name}' must be an absolute IRI (e.g. https://example.org/a).")
    return value


def registration_param(params: dict) -> str | None:
    value = params.get("registration")
    if value is None:
        return None
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        parsed = None
    if parsed is None or len(value) != 36:
        raise XAPIError(400, "Parameter 'registration' must be a UUID.")
    return str(parsed)


def parse_timestamp(value: str, name: str = "since") -> datetime:
    text = value.strip()
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as exc:
        raise XAPIError(400, f"Parameter '{name}' must be an ISO 8601 timestamp.") from exc
    if dt.tzinfo is None:
        raise XAPIError(400, f"Parameter '{name}' must carry a time zone (e.g. 2024-05-01T10:00:00Z).")
    return dt.astimezone(UTC)


def optional_timestamp(params: dict, name: str) -> datetime | None:
    value = params.get(name)
    return None if value is None else parse_timestamp(value, name)


def validate_agent(agent, name: str = "agent") -> dict:
    """An Agent object with exactly one inverse functional identifier (a Group is refused)."""
    if not isinstance(agent, dict):
        raise XAPIError(400, f"Parameter '{name}' must be a JSON Agent object.")
    object_type = agent.get("objectType", "Agent")
    if object_type != "Agent":
        raise XAPIError(
            400, f"Parameter '{name}' must be an Agent (objectType 'Agent'), not {object_type!r}."
        )
    allowed = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
    extra = set(agent) - allowed
    if extra:
        raise XAPIError(400, f"Parameter '{name}' has unknown properties: {', '.join(sorted(extra))}.")
    ifis = [p for p in ("mbox", "mbox_sha1sum", "openid", "account") if p in agent]
    if len(ifis) != 1:
        raise XAPIError(
            400, f"Parameter '{name}' must have exactly one of mbox, mbox_sha1sum, openid, account."
        )
    prop = ifis[0]
    value = agent[prop]
    if prop == "mbox" and not (isinstance(value, str) and value.startswith("mailto:") and "@" in value):
        raise XAPIError(400, f"'{name}.mbox' must be a mailto: IRI.")
    if prop == "mbox_sha1sum" and not (isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F]{40}", value)):
        raise XAPIError(400, f"'{name}.mbox_sha1sum' must be 40 hexadecimal characters.")
    if prop == "openid" and not (isinstance(value, str) and is_iri(value)):
        raise XAPIError(400, f"'{name}.openid' must be an IRI.")
    if prop == "account":
        if not (
            isinstance(value, dict)
            and set(value) == {"homePage", "name"}
            and isinstance(value["homePage"], str)
            and is_iri(value["homePage"])
            and isinstance(value["name"], str)
            and value["name"]
        ):
            raise XAPIError(400, f"'{name}.account' must have exactly a homePage IRL and a name.")
    if "name" in agent and not isinstance(agent["name"], str):
        raise XAPIError(400, f"'{name}.name' must be a string.")
    return agent


def agent_param(params: dict, name: str = "agent") -> tuple[dict, str]:
    from lms.xapi.ids import agent_key

    raw = string_param(params, name, required=True)
    try:
        agent = json.loads(raw)
    except ValueError as exc:
        raise XAPIError(400, f"Parameter '{name}' is not valid JSON.") from exc
    agent = validate_agent(agent, name)
    return agent, agent_key(agent)
