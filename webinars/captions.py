"""webinars: captions. WebVTT (and SRT, converted) are validated line by line, so a bad file is refused
with the line and the reason, then parsed with ``webvtt-py``; chapters are served as a WebVTT chapters
track; transcripts are built from the cues."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import webvtt
from flask_babel import gettext as _
from webvtt.errors import MalformedCaptionError, MalformedFileError

from webinars.errors import WebinarError

_TS = r"(?:(\d{2,}):)?(\d{2}):(\d{2})[.,](\d{3})"
_TIMING = re.compile(rf"^\s*({_TS})\s+-->\s+({_TS})(?:\s+.*)?$")
_TS_ONE = re.compile(rf"^{_TS}$")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def parse_timestamp(value: str) -> float | None:
    """``[hh:]mm:ss.mmm`` (or with a comma) -> seconds; ``None`` when malformed."""
    m = _TS_ONE.match(value.strip())
    if not m:
        return None
    hours, minutes, seconds, millis = m.groups()
    if int(minutes) > 59 or int(seconds) > 59:
        return None
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis.ljust(3, "0")) / 1000


def format_timestamp(seconds: float) -> str:
    """Seconds -> ``hh:mm:ss.mmm`` (WebVTT)."""
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def format_clock(seconds: float | int | None) -> str:
    """Seconds -> ``m:ss`` or ``h:mm:ss`` for people."""
    total = int(seconds or 0)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _refuse(line_no: int, reason: str, details: list[str]) -> None:
    details.append(_("line %(n)s: %(reason)s", n=line_no, reason=reason))


def _check_timing(line_no: int, line: str, details: list[str], previous_start: float, srt: bool):
    m = _TIMING.match(line)
    if not m:
        _refuse(
            line_no,
            _("this is not a valid cue timing line (expected “00:00:01.000 --> 00:00:04.000”)"),
            details,
        )
        return None
    start_raw, end_raw = m.group(1), m.group(6)
    if not srt and ("," in start_raw or "," in end_raw):
        _refuse(line_no, _("WebVTT timestamps use a full stop before the milliseconds, not a comma"), details)
        return None
    start, end = parse_timestamp(start_raw), parse_timestamp(end_raw)
    if start is None or end is None:
        _refuse(line_no, _("a timestamp has minutes or seconds above 59"), details)
        return None
    if end <= start:
        _refuse(line_no, _("the cue ends before it starts"), details)
        return None
    if start < previous_start:
        _refuse(line_no, _("the cue starts before the previous cue (cues must be in time order)"), details)
        return None
    return start, end


def _blocks(lines: list[str]):
    """(first line number, lines) for each block separated by blank lines."""
    block: list[str] = []
    start = 0
    for i, line in enumerate(lines, start=1):
        if line.strip() == "":
            if block:
                yield start, block
                block = []
        else:
            if not block:
                start = i
            block.append(line)
    if block:
        yield start, block


def _validate_vtt(lines: list[str]) -> list[str]:
    details: list[str] = []
    first = lines[0] if lines else ""
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        _refuse(1, _("a WebVTT file must start with the line “WEBVTT”"), details)
        return details
    previous = 0.0
    seen_cue = False
    for index, (line_no, block) in enumerate(_blocks(lines)):
        if index == 0:
            continue  # the header block
        head = block[0]
        if head.startswith("NOTE") and (len(head) == 4 or head[4] in " \t"):
            continue
        if head.strip() in ("STYLE", "REGION"):
            if seen_cue:
                _refuse(line_no, _("STYLE and REGION blocks must come before the first cue"), details)
            continue
        timing_at = 0 if "-->" in head else 1
        if timing_at == 1 and (len(block) < 2 or "-->" not in block[1]):
            if re.match(r"^\s*(\d+:)?\d+:\d+", head):
                _refuse(
                    line_no,
                    _("this is not a valid cue timing line (expected “00:00:01.000 --> 00:00:04.000”)"),
                    details,
                )
                continue
            _refuse(
                line_no + (1 if len(block) > 1 else 0),
                _("a cue timing line (“start --> end”) is missing"),
                details,
            )
            continue
        times = _check_timing(line_no + timing_at, block[timing_at], details, previous, srt=False)
        if times:
            previous = times[0]
            seen_cue = True
        for offset, text_line in enumerate(block[timing_at + 1 :], start=timing_at + 1):
            if "-->" in text_line:
                _refuse(
                    line_no + offset, _("cue text cannot contain “-->” (is a blank line missing?)"), details
                )
    return details


def _validate_srt(lines: list[str]) -> list[str]:
    details: list[str] = []
    previous = 0.0
    for line_no, block in _blocks(lines):
        if not block[0].strip().isdigit():
            _refuse(line_no, _("an SRT block must start with its number"), details)
            continue
        if len(block) < 2:
            _refuse(line_no, _("the cue timing line is missing"), details)
            continue
        times = _check_timing(line_no + 1, block[1], details, previous, srt=True)
        if times:
            previous = times[0]
    return details


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WebinarError(
            _(
                "The captions are not UTF-8 text (invalid byte at position %(pos)s). Save the file as UTF-8.",
                pos=exc.start,
            )
        ) from exc


def parse_captions(data: bytes, filename: str = "", max_bytes: int | None = None) -> tuple[str, list[Cue]]:
    """Validate captions (WebVTT, or SRT converted to WebVTT) and return ``(vtt_text, cues)``.
    Raises :class:`WebinarError` listing each bad line with its reason."""
    if max_bytes is not None and len(data) > max_bytes:
        raise WebinarError(_("The captions file is too large (limit %(kb)s KB).", kb=max_bytes // 1024))
    text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise WebinarError(_("The captions file contains binary data; it is not a WebVTT or SRT file."))
    lines = text.split("\n")
    stripped = [ln for ln in lines if ln.strip()]
    is_srt = filename.lower().endswith(".srt") or (
        not text.startswith("WEBVTT")
        and len(stripped) >= 2
        and stripped[0].strip().isdigit()
        and "-->" in stripped[1]
    )
    details = _validate_srt(lines) if is_srt else _validate_vtt(lines)
    if details:
        raise WebinarError(_("The captions file was refused:"), details[:20])
    try:
        if is_srt:
            parsed = webvtt.WebVTT.from_buffer(io.StringIO(text), format="srt")
        else:
            parsed = webvtt.WebVTT.from_buffer(io.StringIO(text), strict=True)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise WebinarError(_("The captions file was refused: %(reason)s", reason=str(exc))) from exc
    cues = []
    for caption in parsed.captions:
        start, end = parse_timestamp(caption.start), parse_timestamp(caption.end)
        words = " ".join(_TAG.sub("", caption.text).split())
        if start is None or end is None:  # pragma: no cover - validated above
            continue
        cues.append(Cue(start, end, words))
    if not cues:
        raise WebinarError(_("The captions file has no cues."))
    return parsed.content, cues


def cues_from_vtt(vtt_text: str) -> list[Cue]:
    """Cues of stored (already validated) WebVTT."""
    parsed = webvtt.WebVTT.from_buffer(io.StringIO(vtt_text))
    out = []
    for caption in parsed.captions:
        start, end = parse_timestamp(caption.start), parse_timestamp(caption.end)
        if start is not None and end is not None:
            out.append(Cue(start, end, " ".join(_TAG.sub("", caption.text).split())))
    return out


def chapters_vtt(chapters: list[tuple[int, str]], total_seconds: float) -> str:
    """A WebVTT chapters track from ``(start_s, title)`` pairs (sorted); each chapter ends where the
    next starts, the last at ``total_seconds``."""
    out = ["WEBVTT", ""]
    for i, (start, title) in enumerate(chapters):
        end = chapters[i + 1][0] if i + 1 < len(chapters) else max(total_seconds, start + 1)
        out += [
            f"chapter-{i + 1}",
            f"{format_timestamp(start)} --> {format_timestamp(end)}",
            " ".join(title.replace("-->", "->").split()),
            "",
        ]
    return "\n".join(out)


@dataclass
class Paragraph:
    start: int
    text: str


def transcript_paragraphs(
    cues: list[Cue],
    breaks: list[int] = (),
    max_chars: int = 600,
    max_gap: float = 2.5,
    max_span: float = 45.0,
) -> list[Paragraph]:
    """Group cues into readable paragraphs: a new paragraph after a pause, a long span, a long text or
    at a chapter start (``breaks``)."""
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    start = last_end = 0.0
    pending_breaks = sorted(breaks)
    for cue in cues:
        if not cue.text:
            continue
        crosses = any(start < b <= cue.start for b in pending_breaks)
        if current and (
            cue.start - last_end > max_gap
            or cue.start - start > max_span
            or sum(len(t) for t in current) > max_chars
            or crosses
        ):
            paragraphs.append(Paragraph(int(start), " ".join(current)))
            current = []
        if not current:
            start = cue.start
        current.append(cue.text)
        last_end = cue.end
    if current:
        paragraphs.append(Paragraph(int(start), " ".join(current)))
    return paragraphs
