"""Concurrency rules of the document resources (xAPI 1.0.3, Communication 3.1).

- ``If-Match`` / ``If-None-Match`` are honoured on PUT, POST and DELETE of State, Activity Profile and
  Agent Profile documents: 412 when they fail, and nothing changes.
- A PUT to an Activity or Agent Profile document sent with neither header gets 409 when the document
  exists (3.1.s4.b13) and 400 when it does not: the client MUST send one of the headers (3.1.s3.b1),
  and the conformance suite of the specification's authors holds the LRS to refusing such a request
  (XAPI-00273, XAPI-00293) rather than guessing that nothing could be overwritten.
"""

from __future__ import annotations

from lms.xapi.errors import XAPIError


def _etags(header: str) -> list[str] | str:
    header = header.strip()
    if header == "*":
        return "*"
    tags = []
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        tags.append(part.strip('"').lower())
    return [t for t in tags if t]


def check_preconditions(
    doc, *, if_match: str | None, if_none_match: str | None, method: str, kind: str
) -> None:
    """Raise 412 when ``If-Match`` / ``If-None-Match`` fail; a PUT to a profile document sent without
    either header gets 409 when it exists (Communication 3.1.s4.b13), 400 when it does not."""
    if if_match is not None:
        tags = _etags(if_match)
        if doc is None or (tags != "*" and doc.etag not in tags):
            raise XAPIError(
                412,
                "If-Match failed: the document has changed or does not exist; GET it to "
                "read its current ETag.",
            )
    if if_none_match is not None:
        tags = _etags(if_none_match)
        if doc is not None and (tags == "*" or doc.etag in tags):
            raise XAPIError(412, "If-None-Match failed: the document already exists.")
    if method == "PUT" and kind != "state" and if_match is None and if_none_match is None:
        if doc is not None:
            raise XAPIError(
                409,
                "This document already exists. Check its current state with GET, then send the "
                "PUT again with an If-Match header carrying the current ETag.",
            )
        raise XAPIError(
            400,
            "A PUT of a profile document needs an If-None-Match: * header to create it (or If-Match "
            "with the current ETag to replace it).",
        )
