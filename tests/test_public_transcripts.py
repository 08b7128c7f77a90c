"""Transcript and chapter files: WebVTT, SubRip, Podcasting 2.0 JSON, text, chapters."""

import html
import json
import re
from types import SimpleNamespace

import pytest
import srt
import webvtt

from podcasts import timecode, transcripts
from podcasts.models import Episode, Guest, TranscriptLine

from .factories import TRANSCRIPT, published
from .helpers import run

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
    assert data == {  # each ends where the next starts, the last with the episode (3:00)
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0, "endTime": 130, "title": "Introduction"},
            {"startTime": 130, "endTime": 180, "title": "Careers"},
        ],
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


def spans(lines):
    return [(line.start, line.end) for line in lines]


def test_lines_without_a_time_are_timed_from_their_neighbours_in_proportion_to_length():
    items = [
        item(0, text="A" * 40, speaker="A", sec=10),
        item(1, text="B" * 20, speaker="B"),
        item(2, "header", "Next"),
        item(3, text="   "),  # nothing to show
        item(4, text="C" * 10, sec=40),
        item(5, text="after the last time"),
    ]
    lines = transcripts.timed_lines(items, {"A": "Ann"})
    assert [(line.speaker, line.text[:1]) for line in lines] == [("Ann", "A"), ("B", "B"), ("", "C"), ("", "a")]
    assert spans(lines)[:2] == [(10_000, 30_000), (30_000, 40_000)]  # 40:20 characters share 10..40 s
    assert spans(lines)[2:] == [(40_000, 43_448), (43_448, 50_000)]  # 10:19 characters share the last 10 s
    assert spans(transcripts.timed_lines(items, {}, duration=70))[-1] == (50_344, 70_000)


def test_times_out_of_order_are_replaced_by_interpolation_and_never_go_back():
    secs = [10, 900, 20, 30, 5, 40]  # a stray late value, a stray early one
    items = [item(i, text=f"line {i}", sec=sec) for i, sec in enumerate(secs)]
    lines = transcripts.timed_lines(items, {})
    starts = [line.start for line in lines]
    assert starts == sorted(starts) and all(line.end > line.start for line in lines)
    assert [starts[0], starts[2], starts[3], starts[5]] == [10_000, 20_000, 30_000, 40_000]  # the times in order stay
    assert lines[1].start == 15_000 and lines[4].start == 35_000  # the others share their neighbour's span


def test_lines_before_the_first_time_start_at_zero_and_a_short_duration_is_ignored():
    items = [item(0, text="intro"), item(1, text="hello", sec=100)]
    lines = transcripts.timed_lines(items, {}, duration=50)  # the transcript runs past the duration
    assert spans(lines) == [(0, 100_000), (100_000, 110_000)]


def test_srt_captions_follow_the_podcasting_2_0_guidance():
    text = "This is a rather long answer that goes on and on, https://example.com/a-very-long-link-that-never-breaks ok."
    lines = [transcripts.TimedLine(0, 10_000, "Ann", text), transcripts.TimedLine(10_000, 12_000, "Ann", "More.")]
    cues = transcripts.captions(lines, "srt")
    rows = [row for cue in cues for _speaker, row in cue.lines]
    assert all(len(cue.lines) <= transcripts.CAPTION_LINES for cue in cues)
    assert all(len(row) <= 32 or " " not in row for row in rows)  # only a single long word is longer
    assert " ".join(rows) == f"Ann: {text} More."  # the name once, where the speaker starts
    assert cues[0].start == 0 and cues[-2].end == 10 and cues[-1].start == 10
    assert all(a.end == b.start and a.start < a.end for a, b in zip(cues, cues[1:], strict=False))
    widths = [sum(len(row) for _s, row in cue.lines) for cue in cues[:-1]]
    durations = [cue.end - cue.start for cue in cues[:-1]]
    assert all(abs(d / sum(durations) - w / sum(widths)) < 0.01 for d, w in zip(durations, widths, strict=True))  # proportional


def test_vtt_captions_name_the_speaker_in_every_cue():
    lines = [transcripts.TimedLine(1_500, 9_000, "Ann", "word " * 40)]
    vtt = transcripts.vtt(transcripts.captions(lines, "vtt"))
    blocks = vtt.strip().split("\n\n")[1:]
    assert len(blocks) == 2 and blocks[0].startswith("00:00:01.500 --> ")
    assert all(block.splitlines()[1].startswith("<v Ann>word") and len(block.splitlines()) == 3 for block in blocks)


def test_chapters_from_clips_have_one_start_each_in_order_and_end_with_the_episode():
    clip = SimpleNamespace
    clips = [
        clip(name="B", start_offset=838, end_offset=1003, url=""),
        clip(name="A", start_offset=0, end_offset=0, url="https://youtu.be/x"),  # zero length
        clip(name="B again", start_offset=838, end_offset=1003, url=""),
        clip(name="C", start_offset=1003, end_offset=2000, url=""),
    ]
    chapters = transcripts.chapters([], clips, duration=1500)["chapters"]
    assert chapters == [
        {"startTime": 0, "endTime": 838, "title": "A", "url": "https://youtu.be/x"},
        {"startTime": 838, "endTime": 1003, "title": "B again"},
        {"startTime": 1003, "endTime": 1500, "title": "C"},
    ]


def test_cue_timestamps_keep_milliseconds():
    assert timecode.cue_timestamp(3723.4567, ",") == "01:02:03,457"
    assert timecode.cue_timestamp(59.9996, ".") == "00:01:00.000"


def test_every_corpus_episode_gives_players_every_line_in_order(client, corpus_dir):
    """WebVTT read by webvtt-py, SubRip by srt, JSON by json: monotonic starts, every cue
    ending after it starts, and every line with text there, in order, spoken by its speaker."""
    assert run("import_episodes", "--publish", corpus_dir / "episodes")[0] == 0
    lines_by_episode = {}
    for line in TranscriptLine.objects.filter(kind="line").order_by("episode", "position"):
        if line.text.strip():
            lines_by_episode.setdefault(line.episode_id, []).append(" ".join(line.text.split()))
    for episode in Episode.objects.all():
        expected = lines_by_episode.get(episode.pk, [])
        base = f"/podcast/{episode.slug}/transcript"
        vtt = webvtt.from_string(client.get(f"{base}.vtt").content.decode())
        vtt_spans = [(cue.start_time.in_milliseconds(), cue.end_time.in_milliseconds()) for cue in vtt]
        vtt_text = " ".join(html.unescape(cue.text.replace("\n", " ")) for cue in vtt)
        subrip = list(srt.parse(client.get(f"{base}.srt").content.decode()))
        srt_spans = [(cue.start.total_seconds(), cue.end.total_seconds()) for cue in subrip]
        srt_text = " ".join(cue.content.replace("\n", " ").replace("\u2060", "") for cue in subrip)
        segments = json.loads(client.get(f"{base}.json").content)["segments"]
        json_spans = [(segment["startTime"], segment["endTime"]) for segment in segments]
        for spans in (vtt_spans, srt_spans, json_spans):
            assert [start for start, _ in spans] == sorted(start for start, _ in spans), episode.slug
            assert all(end > start for start, end in spans), episode.slug
        assert [segment["body"] for segment in segments] == expected, episode.slug
        assert_in_order(expected, vtt_text, episode.slug)
        assert_in_order(expected, srt_text, episode.slug)
        assert all(len(row) <= 32 or " " not in row for cue in subrip for row in cue.content.splitlines()), episode.slug


def assert_in_order(lines: list[str], text: str, slug: str):
    cursor = 0
    for line in lines:
        found = text.find(line, cursor)
        assert found >= 0, f"{slug}: {line[:60]!r} missing"
        cursor = found + len(line)
