"""Transcript and chapter files: WebVTT, SubRip, Podcasting 2.0 JSON, text, chapters."""

import json
import re
from types import SimpleNamespace

import pytest

from podcasts import timecode, transcripts
from podcasts.models import Guest

from .factories import TRANSCRIPT, published

pytestmark = pytest.mark.django_db

VTT_TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")


def item(position, kind="line", text="", speaker=None, sec=None):
    return SimpleNamespace(position=position, kind=kind, text=text, speaker=speaker, sec=sec)


@pytest.fixture
def episode():
    Guest.objects.create(short="ada", name="Ada Lovelace")
    return published("talk", title="Talk", guests=["ada"], duration="PT00H03M00S", transcript=TRANSCRIPT)


def seconds(h, m, s, ms):
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def test_vtt_has_header_and_ordered_cue_times(client, episode):
    response = client.get("/podcast/talk/transcript.vtt")
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("WEBVTT\n\n")
    blocks = text.strip().split("\n\n")[1:]
    timings = [VTT_TIMING.match(block.splitlines()[0]).groups() for block in blocks]
    spans = [(seconds(*t[:4]), seconds(*t[4:])) for t in timings]
    assert spans == [(65, 92), (92, 130), (130, 180)]  # the last ends with the episode
    assert blocks[1].splitlines()[1] == "<v Ada Lovelace>Thanks for having me."


def test_srt_is_numbered_from_one_with_comma_times(client, episode):
    text = client.get("/podcast/talk/transcript.srt").content.decode()
    blocks = text.strip().split("\n\n")
    assert [block.splitlines()[0] for block in blocks] == ["1", "2", "3"]
    assert blocks[0].splitlines()[1] == "00:01:05,000 --> 00:01:32,000"
    assert blocks[0].splitlines()[2] == "Alexey: Welcome to the show."


def test_json_transcript_follows_podcasting_2_0(client, episode):
    data = json.loads(client.get("/podcast/talk/transcript.json").content)
    assert data["version"] == "1.0.0"
    assert data["segments"][1] == {"speaker": "Ada Lovelace", "startTime": 92, "endTime": 130, "body": "Thanks for having me."}


def test_text_transcript_reads_like_a_document(client, episode):
    text = client.get("/podcast/talk/transcript.txt").content.decode()
    assert text.splitlines()[:5] == ["Talk", "====", "", "Introduction", "------------"]
    assert "[1:32] Ada Lovelace: Thanks for having me." in text


def test_chapters_from_headers_and_from_clips(client, episode):
    data = json.loads(client.get("/podcast/talk/chapters.json").content)
    assert data == {
        "version": "1.2.0",
        "chapters": [{"startTime": 0, "title": "Introduction"}, {"startTime": 130, "title": "Careers"}],
    }
    episode.clips.create(position=0, name="Hello", start_offset=5, end_offset=60, url="https://youtu.be/x?t=5")
    data = json.loads(client.get("/podcast/talk/chapters.json").content)
    assert data["chapters"] == [{"startTime": 5, "endTime": 60, "title": "Hello", "url": "https://youtu.be/x?t=5"}]


def test_lines_starting_together_share_one_cue_and_markup_is_escaped():
    items = [
        item(0, text="a <b>&", speaker="A", sec=10),
        item(1, text="second\n\nparagraph", speaker="A", sec=10),
        item(2, text="no time"),
        item(3, text="last", sec=20),
    ]
    cues = transcripts.cues(items, {"A": "Ann <x>"})
    assert [(cue.start, cue.end) for cue in cues] == [(10, 20), (20, 20 + transcripts.LAST_CUE_SECONDS)]
    vtt = transcripts.vtt(cues)
    assert "<v Ann &lt;x&gt;>a &lt;b&gt;&amp;\n<v Ann &lt;x&gt;>second paragraph\n" in vtt
    assert "\n\n\n" not in vtt and vtt.count("-->") == 2


def test_header_times_and_sections():
    items = [item(0, "header", "Intro"), item(1, "header", "Overview"), item(2, text="hi", sec=65), item(3, "header", "End")]
    assert [(h.text, sec) for h, sec in transcripts.header_times(items)] == [("Intro", 0), ("Overview", 65), ("End", None)]
    assert [(h.text, sec) for h, sec in transcripts.sections(items)] == [("Intro", 0), ("Overview", 65)]


@pytest.mark.parametrize(("iso", "expected"), [("PT01H03M37S", 3817), ("PT5M", 300), ("P", None), ("", None), ("soon", None)])
def test_duration_seconds(iso, expected):
    assert timecode.parse_duration(iso) == expected
