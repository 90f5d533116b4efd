"""Statement attachments in ``multipart/mixed`` requests and responses (Communication 1.5.2).

A request's first part holds the statements (``application/json``); every further part holds the raw
data of one attachment, with ``X-Experience-API-Hash`` (its SHA-2, hex) and ``Content-Transfer-Encoding:
binary`` headers. Parts are matched to attachment objects only by that hash, after checking it against
the data. An attachment object without ``fileUrl`` must have a matching part; a part no attachment object
refers to is refused.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from lms.xapi.errors import XAPIError

_HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}
_BOUNDARY = re.compile(r"""boundary=(?:"([^"]+)"|([^;\s]+))""", re.IGNORECASE)


def sha2_hex(data: bytes, like: str) -> str | None:
    """The SHA-2 of ``data`` with the digest size of the hex string ``like`` (224/256/384/512 bits)."""
    algo = _HASHES.get(len(like))
    return algo(data).hexdigest() if algo else None


def _split_headers(block: bytes, where: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        raise XAPIError(400, f"{where}: part headers must be UTF-8") from None
    for line in re.split(r"\r?\n", text):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise XAPIError(400, f"{where}: malformed part header {line!r}")
        headers[name.strip().lower()] = value.strip()
    return headers


def parse_multipart(body: bytes, content_type: str) -> tuple[bytes, list[tuple[dict[str, str], bytes]]]:
    """Split a ``multipart/mixed`` body into the statements JSON and the attachment parts
    ``[(headers with lowercase names, data), ...]``. Raises XAPIError(400) when malformed."""
    m = _BOUNDARY.search(content_type or "")
    if not m:
        raise XAPIError(400, "multipart/mixed request without a boundary parameter")
    boundary = (m.group(1) or m.group(2)).encode("utf-8")
    delimiter = b"--" + boundary
    if body.startswith(delimiter):
        body = b"\r\n" + body
    # RFC 2046 breaks lines with CRLF; a bare LF (files saved with Unix line ends) is accepted too.
    chunks = re.split(rb"\r?\n" + re.escape(delimiter), body)
    if len(chunks) < 3:
        raise XAPIError(400, "multipart/mixed body: no parts, or the closing boundary is missing")
    closing = chunks[-1]
    if not closing.startswith(b"--"):
        raise XAPIError(400, "multipart/mixed body: the closing boundary (--boundary--) is missing")
    parts = []
    for n, chunk in enumerate(chunks[1:-1], start=1):
        # after the delimiter: optional transport padding, CRLF, headers, CRLF CRLF, data
        line_end = chunk.find(b"\n")
        if line_end < 0 or chunk[:line_end].strip():
            raise XAPIError(400, f"multipart part {n}: malformed boundary line")
        rest = chunk[line_end + 1 :]
        if rest.startswith(b"\r\n") or rest.startswith(b"\n"):
            head, data = b"", rest[2:] if rest.startswith(b"\r\n") else rest[1:]
        else:
            sep = rest.find(b"\r\n\r\n")
            sep_len = 4
            if sep < 0:
                sep, sep_len = rest.find(b"\n\n"), 2
            if sep < 0:
                raise XAPIError(400, f"multipart part {n}: no blank line after the part headers")
            head, data = rest[:sep], rest[sep + sep_len :]
        parts.append((_split_headers(head, f"multipart part {n}"), data))
    first_headers, statements_json = parts[0]
    first_type = first_headers.get("content-type", "").split(";")[0].strip().lower()
    if first_type != "application/json":
        raise XAPIError(400, "multipart part 1 (the statements) must have Content-Type application/json")
    return statements_json, parts[1:]


def payloads_from_parts(parts: list[tuple[dict[str, str], bytes]]) -> dict[str, tuple[str, bytes]]:
    """``{sha2 (lowercase hex): (content_type, data)}`` from the attachment parts, after checking each
    part's headers and that its data has the declared hash."""
    payloads: dict[str, tuple[str, bytes]] = {}
    for n, (headers, data) in enumerate(parts, start=2):
        declared = headers.get("x-experience-api-hash", "").strip().lower()
        if not declared:
            raise XAPIError(400, f"multipart part {n}: the X-Experience-API-Hash header is required")
        encoding = headers.get("content-transfer-encoding")
        if encoding is None or encoding.strip().lower() != "binary":
            raise XAPIError(400, f"multipart part {n}: Content-Transfer-Encoding must be binary")
        actual = sha2_hex(data, declared)
        if actual is None:
            raise XAPIError(400, f"multipart part {n}: X-Experience-API-Hash is not a SHA-2 hex digest")
        if actual != declared:
            raise XAPIError(400, f"multipart part {n}: the data does not match its X-Experience-API-Hash")
        payloads[declared] = (headers.get("content-type", ""), data)
    return payloads


def check_payloads(statements: list[dict], payloads: dict[str, tuple[str, bytes]]) -> None:
    """Every attachment object without ``fileUrl`` has a payload (and its declared media type agrees
    with the part's); every payload belongs to some attachment object. XAPIError(400) otherwise."""
    used: set[str] = set()
    for i, s in enumerate(statements):
        for j, att in enumerate(s.get("attachments") or ()):
            path = f"statements[{i}].attachments[{j}]"
            sha2 = att["sha2"].lower()
            payload = payloads.get(sha2)
            if payload is None:
                if "fileUrl" not in att:
                    raise XAPIError(
                        400,
                        f"{path}: no fileUrl and no multipart part with X-Experience-API-Hash {att['sha2']}",
                    )
                continue
            used.add(sha2)
            # The SHA-2 identifies the data; ``length`` is the producer's statement of its size, which
            # the specification does not ask the LRS to verify (the ADL conformance suite sends a
            # length that differs from the part and expects it stored, XAPI-00127).
            part_type, _data = payload
            declared = att["contentType"].split(";")[0].strip().lower()
            received = (part_type or "").split(";")[0].strip().lower()
            if part_type and received != declared:
                raise XAPIError(
                    400, f"{path}.contentType: {declared} does not match the part's Content-Type {received}"
                )
    unused = set(payloads) - used
    if unused:
        raise XAPIError(
            400,
            "multipart parts not referenced by any attachment: X-Experience-API-Hash "
            + ", ".join(sorted(unused)),
        )


def build_multipart(statements_json: bytes, payloads: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A ``multipart/mixed`` body (statements first, then each payload once); returns ``(body,
    content_type)``."""
    boundary = "xapi-" + secrets.token_hex(16)
    out = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), statements_json]
    for sha2, (content_type, data) in payloads.items():
        out.append(
            f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {sha2}\r\n\r\n".encode()
        )
        out.append(data)
    out.append(f"\r\n--{boundary}--\r\n".encode())
    # a bare token (RFC 2046 allows it for these characters): clients that read the parameter without
    # unquoting it find the boundary as it stands in the body
    return b"".join(out), f"multipart/mixed; boundary={boundary}"
