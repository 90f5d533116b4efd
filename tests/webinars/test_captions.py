"""Captions: WebVTT validated line by line, SRT converted, bad files refused with line and reason;
chapters track; transcript paragraphs."""

import pytest

from webinars.captions import chapters_vtt, parse_captions, parse_timestamp, transcript_paragraphs
from webinars.errors import WebinarError

from .conftest import VTT_EN


def test_valid_webvtt_gives_cues(app):
    vtt, cues = parse_captions(VTT_EN, "en.vtt")
    assert vtt.startswith("WEBVTT")
    assert [c.start for c in cues] == [1.0, 5.0, 65.0]
    assert cues[1].text.startswith("Article 4 phases out")


def test_srt_is_converted_to_webvtt(app):
    srt = (
        b"1\n00:00:01,000 --> 00:00:02,500\nHola <i>a todos</i>\n\n2\n00:01:00,000 --> 00:01:03,000\nAdios\n"
    )
    vtt, cues = parse_captions(srt, "captions.srt")
    assert vtt.startswith("WEBVTT")
    assert "00:00:01.000 --> 00:00:02.500" in vtt
    assert cues[0].text == "Hola a todos" and cues[1].start == 60.0


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b"WEBVT\n\n00:00:01.000 --> 00:00:02.000\nx\n", "line 1", "WEBVTT"),
        (b"WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nx\n", "line 3", "timing line"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nx\n", "line 3", "ends before it starts"),
        (b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nx\n", "line 3", "full stop"),
        (
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nx\n\n00:00:00.500 --> 00:00:03.000\ny\n",
            "line 6",
            "time order",
        ),
        (
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nx\n00:00:03.000 --> 00:00:04.000\ny\n",
            "line 5",
            "blank line",
        ),
        (b"WEBVTT\n\n00:01:75.000 --> 00:01:80.000\nx\n", "line 3", "above 59"),
    ],
)
def test_bad_webvtt_is_refused_with_line_and_reason(app, data, line, reason):
    with pytest.raises(WebinarError) as exc:
        parse_captions(data, "bad.vtt")
    assert any(d.startswith(line) and reason in d for d in exc.value.details), exc.value.details


def test_bad_srt_and_other_refusals(app):
    with pytest.raises(WebinarError) as exc:
        parse_captions(
            b"1\n00:00:01,000 --> 00:00:02,000\nok\n\nx\n00:00:03,000 --> 00:00:04,000\nno\n", "a.srt"
        )
    assert exc.value.details == ["line 5: an SRT block must start with its number"]
    with pytest.raises(WebinarError, match="UTF-8"):
        parse_captions("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\né\n".encode("latin-1"), "a.vtt")
    with pytest.raises(WebinarError, match="no cues"):
        parse_captions(b"WEBVTT\n\nNOTE nothing here\n", "a.vtt")
    with pytest.raises(WebinarError, match="too large"):
        parse_captions(VTT_EN, "a.vtt", max_bytes=10)


def test_timestamps():
    assert parse_timestamp("01:02:03.500") == 3723.5
    assert parse_timestamp("02:03.250") == 123.25
    assert parse_timestamp("1:2:3") is None


def test_chapters_track_is_webvtt(app):
    text = chapters_vtt([(0, "Welcome"), (65, "Waste --> storage")], 120)
    vtt, cues = parse_captions(text.encode(), "ch.vtt")
    assert [(c.start, c.end) for c in cues] == [(0, 65), (65, 120)]
    assert cues[1].text == "Waste -> storage"


def test_transcript_paragraphs_break_on_pauses_and_chapters(app):
    _vtt, cues = parse_captions(VTT_EN, "en.vtt")
    paras = transcript_paragraphs(cues, breaks=[60])
    assert [p.start for p in paras] == [1, 65]
    assert paras[0].text.startswith("Welcome") and "Article 4" in paras[0].text
