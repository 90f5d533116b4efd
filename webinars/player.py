"""webinars: what the session and transcript pages show: which recording (language, video or audio-only)
to play, the fallback notice when the wanted language is missing, caption tracks, downloads with sizes
and the chapter list. Pure functions of the session and the visitor's choices (no request)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_decimal

from lms.config import LANGUAGES
from webinars.captions import cues_from_vtt, transcript_paragraphs
from webinars.models import CaptionTrack, Recording, WebinarSession, pick_text
from webinars.validation import youtube_id

SPEEDS = (0.75, 1, 1.25, 1.5, 1.75, 2)
MEDIA_EXTENSIONS = (".mp4", ".webm", ".m4v", ".ogv", ".mp3", ".m4a", ".ogg", ".opus", ".wav")


@dataclass
class PlayerChoice:
    recording: Recording | None
    language: str  # the language of the recording (or of the captions when there is none)
    wanted: str  # the language asked for
    mode: str  # video | audio
    audio: Recording | None = None  # the audio-only rendition in that language
    video: Recording | None = None
    languages: list[str] = field(default_factory=list)  # languages with a recording
    embed_url: str | None = None
    captions: list[CaptionTrack] = field(default_factory=list)
    caption_default: str | None = None

    @property
    def fallback(self) -> bool:
        return self.recording is not None and self.language != self.wanted


def choose(session: WebinarSession, wanted: str, mode: str, t: int | None = None) -> PlayerChoice:
    by_lang: dict[str, dict[str, Recording]] = {}
    for rec in session.recordings:
        by_lang.setdefault(rec.language, {})[rec.kind] = rec
    languages = [code for code in LANGUAGES if code in by_lang]
    if wanted in by_lang:
        lang = wanted
    elif session.source_language in by_lang:
        lang = session.source_language
    else:
        lang = languages[0] if languages else wanted
    recs = by_lang.get(lang, {})
    mode = "audio" if mode == "audio" and "audio" in recs else "video"
    rec = recs.get(mode) or recs.get("audio")
    if rec is not None:
        mode = rec.kind
    embed = None
    if rec is not None and rec.is_external:
        vid = youtube_id(rec.external_url or "")
        if vid:
            embed = f"https://www.youtube-nocookie.com/embed/{vid}?rel=0" + (f"&start={int(t)}" if t else "")
    caption_langs = {c.language: c for c in session.captions}
    default = wanted if wanted in caption_langs else (lang if lang in caption_langs else None)
    return PlayerChoice(
        rec,
        lang,
        wanted,
        mode,
        recs.get("audio"),
        recs.get("video"),
        languages,
        embed,
        list(session.captions),
        default,
    )


def is_direct_media(url: str | None) -> bool:
    return bool(url) and url.lower().split("?")[0].endswith(MEDIA_EXTENSIONS)


@dataclass
class TranscriptPart:
    chapter_title: tuple[str, str] | None  # (title, its language)
    start: int
    text: str


def transcript(
    session: WebinarSession, track: CaptionTrack, lang: str, max_chars: int = 70_000, part: int = 1
) -> tuple[list[TranscriptPart], int]:
    """Paragraphs of one page of the transcript (chapter titles where a chapter starts) and the page
    count; pages keep each HTML page well under 100 KB."""
    cues = cues_from_vtt(track.vtt)
    chapters = sorted(session.chapters, key=lambda c: c.start_s)
    paragraphs = transcript_paragraphs(cues, breaks=[c.start_s for c in chapters])
    pages: list[list[TranscriptPart]] = [[]]
    size = 0
    next_chapter = 0
    for para in paragraphs:
        title = None
        while next_chapter < len(chapters) and chapters[next_chapter].start_s <= para.start + 1:
            chapter = chapters[next_chapter]
            title = pick_text(chapter.titles, lang, session.source_language)
            next_chapter += 1
        if size + len(para.text) > max_chars and pages[-1]:
            pages.append([])
            size = 0
        pages[-1].append(TranscriptPart(title, para.start, para.text))
        size += len(para.text) + 60
    part = min(max(1, part), len(pages))
    return pages[part - 1], len(pages)


def speed_options() -> list[tuple[str, str]]:
    """The player's playback speeds as ``(value, label)``: the value for the media element ("0.75"), the
    label in the reader's number format ("0,75×" in French, Spanish and Russian)."""
    return [(str(s), f"{format_decimal(s)}×") for s in SPEEDS]
