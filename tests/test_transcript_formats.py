"""Raw transcripts (text, Word, WebVTT, SubRip, Podcasting 2.0 JSON, Whisper JSON) read
into transcript items: detection, each format's quirks, bad input, and the seed episode
written out in each format and read back."""

import io
import json
import zipfile

import docx
import pytest

from podcasts.files import frontmatter
from podcasts.files.transcript_formats import (
    FORMATS,
    TranscriptFormatError,
    detect_format,
    read_transcript,
    write_transcript,
)

from .helpers import SEED_EPISODE


def make_docx(paragraphs: list[str]) -> bytes:
    """A Word document with these paragraphs; "\n" in one is a line break (Shift+Enter)."""
    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for index, part in enumerate(text.split("\n")):
            if index:
                paragraph.add_run().add_break()
            paragraph.add_run(part)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def line(text, sec, who=None):
    """An item as an episode file holds it."""
    minutes, seconds = divmod(sec, 60)
    hours, minutes = divmod(minutes, 60)
    time = f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
    return {"line": text, "sec": sec, "time": time} | ({"who": who} if who else {})


def refusal(name, data, **options) -> tuple[int, str]:
    with pytest.raises(TranscriptFormatError) as refused:
        read_transcript(name, data, **options)
    assert str(refused.value) == f"{refused.value.line}: {refused.value.message}"
    return refused.value.line, refused.value.message


VTT = b"WEBVTT\n\n00:00:15.000 --> 00:00:20.000\n<v John Doe>Hello\n"
SRT = b"1\n00:00:15,000 --> 00:00:20,000\nJohn Doe: Hello\n"
PODCAST_JSON = b'{"version": "1.0.0", "segments": [{"speaker": "John Doe", "startTime": 15, "endTime": 20, "body": "Hello"}]}'
WHISPER_JSON = b'{"text": " Hello", "segments": [{"id": 0, "start": 15.0, "end": 20.0, "text": " Hello"}]}'
TEXT = b"[0:15]\nJohn Doe\nHello\n"
DOCX = make_docx(["[0:15]", "John Doe", "Hello"])


# Detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, fmt",
    [
        ("talk.txt", TEXT, "text"),
        ("talk", TEXT, "text"),
        ("talk.vtt", VTT, "vtt"),
        ("talk.txt", VTT, "vtt"),  # the content decides
        ("talk.vtt", b"\xef\xbb\xbf" + VTT, "vtt"),
        ("talk.srt", SRT, "srt"),
        ("talk.txt", SRT, "srt"),
        ("talk.srt", b"00:00:15,000 --> 00:00:20,000\nHello\n", "srt"),  # no cue number
        ("talk.json", PODCAST_JSON, "podcast-json"),
        ("talk.txt", PODCAST_JSON, "podcast-json"),
        ("talk.json", WHISPER_JSON, "whisper-json"),
        ("talk.docx", DOCX, "docx"),
        ("talk.bin", DOCX, "docx"),  # a zip
        ("talk.docx", b"[0:15]\nJohn\nHello\n", "docx"),  # refused when read: see below
        ("talk.vtt", b"no signature", "vtt"),  # the extension, when the content says nothing
        ("talk.JSON", b"[1, 2]", "podcast-json"),
    ],
)
def test_detect_format_by_content_then_extension(name, data, fmt):
    assert detect_format(name, data) == fmt


@pytest.mark.parametrize(
    "data, fmt",
    [
        (TEXT, "text"),
        (DOCX, "docx"),
        (VTT, "vtt"),
        (b"\xef\xbb\xbf" + VTT.replace(b"\n", b"\r\n"), "vtt"),  # BOM and CRLF, as Windows tools write
        (SRT, "srt"),
        (PODCAST_JSON, "podcast-json"),
    ],
)
def test_every_format_reads_the_same_line_and_says_which_it_read(data, fmt):
    transcript = read_transcript("upload", data)
    assert transcript.format == fmt
    assert transcript.items == [line("Hello", 15, "John Doe")]
    assert transcript.speakers == {"John Doe": 1}
    assert FORMATS[fmt]  # the name to show


def test_fmt_overrides_detection_and_an_unknown_one_is_a_programming_error():
    assert read_transcript("talk.vtt", TEXT, fmt="text").format == "text"
    with pytest.raises(ValueError, match="unknown transcript format 'pdf'"):
        read_transcript("talk.pdf", TEXT, fmt="pdf")


# Text and Word ----------------------------------------------------------------------------

OTTER = (
    "\ufeffPodcast Introduction\r\n"
    "\r\n"
    "[0:00]\r\n"
    "Alexey:\r\n"
    "Hi everyone, welcome to our event.\r\n"
    "\r\n"
    "[0:42]\r\n"
    "Speaker 1\r\n"
    "Thank you, happy to be here.\r\n"
    "\r\n"
    "0:50\r\n"
    "Speaker 1\r\n"
    "And one more thing.\r\n"
    "\r\n"
    "Career & Education: Where It Started\r\n"
    "\r\n"
    "[1:02:03]\r\n"
    "Alexey\r\n"
    "So how did it start?\r\n"
    "Second paragraph: not in the rhythm, so a header.\r\n"
    "\r\n"
    "[1:02:30]\r\n"
    "A line whose speaker was not written.\r\n"
    "\r\n"
    "\r\n"
    "Transcribed by https://otter.ai\r\n"
).encode()


def test_text_reads_the_rhythm_time_speaker_text_and_drops_the_footer():
    transcript = read_transcript("otter.txt", OTTER)
    assert transcript.format == "text"
    assert transcript.items == [
        {"header": "Podcast Introduction"},
        line("Hi everyone, welcome to our event.", 0, "Alexey"),  # "Alexey:" cleaned
        line("Thank you, happy to be here.", 42, "Speaker 1"),  # kept for the mapping step
        line("And one more thing.", 50, "Speaker 1"),  # a bare time; paragraphs are not merged
        {"header": "Career & Education: Where It Started"},
        line("So how did it start?", 3723, "Alexey"),
        {"header": "Second paragraph: not in the rhythm, so a header."},
        line("A line whose speaker was not written.", 3750),
    ]
    assert transcript.speakers == {"Alexey": 2, "Speaker 1": 2}
    assert list(transcript.items[1]) == ["line", "sec", "time", "who"]  # as the export writes an item


def test_text_time_then_one_line_is_a_line_without_speaker_and_a_header_may_follow_a_block_directly():
    data = b"[0:05]\nJust text\n[0:10]\nJane\nHi there\nNext Section\n[0:20]\nJane\nBye\n"
    assert read_transcript("t.txt", data).items == [
        line("Just text", 5),
        line("Hi there", 10, "Jane"),
        {"header": "Next Section"},
        line("Bye", 20, "Jane"),
    ]


def test_docx_paragraphs_are_the_lines_of_the_text_format():
    data = make_docx(["Intro", "[0:15]", "John Doe:", "Hello", "[1:30]", "Jane Smith", "Hi", "Transcribed by https://otter.ai"])
    transcript = read_transcript("talk.docx", data)
    assert transcript.format == "docx"
    assert transcript.items == [{"header": "Intro"}, line("Hello", 15, "John Doe"), line("Hi", 90, "Jane Smith")]


def test_docx_line_break_inside_a_paragraph_splits_it_and_errors_name_the_paragraph():
    paragraphs = ["[0:15]\nJohn", "Hello", "[0:10]", "Jane", "Hi"]
    assert read_transcript("talk.docx", make_docx(paragraphs[:2])).items == [line("Hello", 15, "John")]
    assert refusal("talk.docx", make_docx(paragraphs)) == (3, "time 0:10 goes back before the previous time 0:15")


# WebVTT -----------------------------------------------------------------------------------


def test_vtt_voice_tags_cue_settings_identifiers_notes_and_markup():
    data = (
        b"WEBVTT - a title\n"
        b"Kind: captions\n"
        b"\n"
        b"NOTE made by hand\n"
        b"over two lines\n"
        b"\n"
        b"STYLE\n"
        b"::cue { color: yellow }\n"
        b"\n"
        b"intro-1\n"
        b"00:00:01.500 --> 00:00:04.000 align:start position:10% line:0\n"
        b"<v.loud John Doe>Hello <i>there</i>,</v>\n"
        b"how are you?\n"
        b"\n"
        b"00:05.999 --> 00:07.000\n"
        b"<v Jane Smith>Fine &amp; you? <c.yellow>Good</c> <00:00:06.500>thanks\n"
        b"<v John Doe>Great.\n"
    )
    assert read_transcript("talk.vtt", data).items == [
        line("Hello there, how are you?", 1, "John Doe"),  # a line without a voice continues the one before
        line("Fine & you? Good thanks", 5, "Jane Smith"),  # 00:05.999: whole seconds, rounded down
        line("Great.", 5, "John Doe"),
    ]


def test_vtt_consecutive_cues_of_one_speaker_merge_unless_told_not_to():
    data = (
        b"WEBVTT\n\n"
        b"00:00:01.000 --> 00:00:02.000\n<v Ann>One\n\n"
        b"00:00:02.000 --> 00:00:03.000\n<v Ann>two.\n\n"
        b"00:00:03.000 --> 00:00:04.000\n<v Bob>Three.\n\n"
        b"00:00:04.000 --> 00:00:05.000\nNo speaker.\n\n"
        b"00:00:05.000 --> 00:00:06.000\nNone either.\n"
    )
    assert read_transcript("talk.vtt", data).items == [
        line("One two.", 1, "Ann"),
        line("Three.", 3, "Bob"),
        line("No speaker.", 4),  # unknown speakers are never merged
        line("None either.", 5),
    ]
    assert read_transcript("talk.vtt", data).speakers == {"Ann": 1, "Bob": 1}
    assert len(read_transcript("talk.vtt", data, merge_same_speaker=False).items) == 5


def test_vtt_without_voice_tags_takes_a_name_prefix_as_the_speaker():
    data = b"WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nJohn Doe: Hello\n\n2\n00:00:03.000 --> 00:00:04.000\nJane: Hi\n"
    assert read_transcript("zoom.vtt", data).items == [line("Hello", 1, "John Doe"), line("Hi", 3, "Jane")]


# SubRip -----------------------------------------------------------------------------------


def test_srt_numbering_gaps_name_prefixes_markup_and_continuation_lines():
    data = (
        b"1\r\n00:00:01,000 --> 00:00:03,000\r\nAlexey: <i>Welcome</i> to the show.\r\n\r\n"
        b"2\r\n00:00:03,000 --> 00:00:05,000\r\nSpeaker 1: Thanks a lot,\r\nit is great to be here.\r\n\r\n"
        b"7\r\n00:00:09,999 --> 00:00:12,000\r\nHere's the thing: a colon in the text.\r\n\r\n"
        b"12\r\n01:00:00,000 --> 01:00:02,000\r\nSo is a < b in SubRip.\r\n"
    )
    assert read_transcript("talk.srt", data).items == [
        line("Welcome to the show.", 1, "Alexey"),
        line("Thanks a lot, it is great to be here.", 3, "Speaker 1"),
        line("Here's the thing: a colon in the text.", 9),  # not a name: no speaker
        line("So is a < b in SubRip.", 3600),
    ]


def test_srt_consecutive_cues_of_one_speaker_merge():
    data = b"1\n00:00:01,000 --> 00:00:02,000\nAnn: One\n\n2\n00:00:02,000 --> 00:00:03,000\nAnn: two.\n"
    assert read_transcript("talk.srt", data).items == [line("One two.", 1, "Ann")]
    assert read_transcript("talk.srt", data, merge_same_speaker=False).items == [line("One", 1, "Ann"), line("two.", 2, "Ann")]


# JSON -------------------------------------------------------------------------------------


def test_podcast_json_floors_times_and_merges_segments_of_one_speaker():
    segments = [
        {"speaker": "Ann:", "startTime": 0.4, "endTime": 1.0, "body": "Word"},
        {"speaker": "Ann", "startTime": 1.2, "endTime": 1.9, "body": "by word."},
        {"startTime": 2.0, "endTime": 3.0, "body": "  Nobody said this.  "},
        {"speaker": "Bob", "startTime": 3.99, "endTime": 5.0, "body": ""},  # an empty segment is no line
    ]
    data = json.dumps({"version": "1.0.0", "segments": segments}).encode()
    assert read_transcript("talk.json", data).items == [line("Word by word.", 0, "Ann"), line("Nobody said this.", 2)]


def test_whisper_json_segments_have_no_speaker_and_are_never_merged():
    data = json.dumps(
        {
            "text": " First. Second.",
            "segments": [
                {"id": 0, "seek": 0, "start": 0.0, "end": 2.5, "text": " First.", "tokens": [1, 2], "avg_logprob": -0.2},
                {"id": 1, "seek": 0, "start": 2.5, "end": 4.0, "text": " Second."},
            ],
            "language": "en",
        }
    ).encode()
    transcript = read_transcript("talk.json", data)
    assert transcript.format == "whisper-json"
    assert transcript.items == [line("First.", 0), line("Second.", 2)]
    assert transcript.speakers == {}


def test_whisperx_speakers_are_kept():
    segments = [{"start": 0.0, "end": 1.0, "text": " Hi.", "speaker": "SPEAKER_00"}, {"start": 1.0, "end": 2.0, "text": " Yo."}]
    data = json.dumps({"segments": segments}).encode()
    assert read_transcript("talk.json", data).items == [line("Hi.", 0, "SPEAKER_00"), line("Yo.", 1)]


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, line_number, message",
    [
        ("talk.txt", b"", 1, "the file is empty"),
        ("talk.vtt", b" \r\n\n", 1, "the file is empty"),
        ("talk.txt", b"\xef\xbb\xbf", 1, "the file is empty"),
        ("talk.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "not UTF-8 text (byte 0x89); is this a binary file?"),
        ("talk.txt", b"[0:15]\nJohn\nHello \xe9t\xe9\n", 3, "not UTF-8 text (byte 0xe9); is this a binary file?"),
        ("talk.txt", b"[0:15]\nJohn\nHi\x00\x00\n", 3, "contains the control character U+0000; is this a binary file?"),
        (
            "talk.srt",
            b"1\n00:00:01,000 --> 00:00:02,000\n\x07Hi\n",
            3,
            "contains the control character U+0007; is this a binary file?",
        ),
        ("talk.docx", b"[0:15]\nJohn\nHello\n", 1, "not a Word document: a .docx is a zip archive, and this is not one"),
        ("talk.txt", b"Intro\nSome prose without any time.\n", 1, "no timed transcript lines found (read as text)"),
        ("talk.vtt", b"WEBVTT\n\nNOTE nothing else\n", 1, "no timed transcript lines found (read as WebVTT)"),
        ("talk.txt", b"[0:15]\n\n[0:20]\nJohn\nHi\n", 1, "the time [0:15] has no speaker or text after it"),
        ("talk.txt", b"[0:15]\nJohn\nHi\n\n[0:20]\n", 5, "the time [0:20] has no speaker or text after it"),
        ("talk.txt", b"Intro\n[1:00]\nJohn\nHi\n\n[0:59]\nJane\nHo\n", 6, "time 0:59 goes back before the previous time 1:00"),
        (
            "talk.vtt",
            b"WEBVTT\n\n00:01:00.000 --> 00:01:02.000\nHi\n\n00:00:59.000 --> 00:01:00.000\nHo\n",
            6,
            "time 0:59 goes back before the previous time 1:00",
        ),
        (
            "talk.vtt",
            b"Hello\n\n00:00:01.000 --> 00:00:02.000\nHi\n",
            1,
            "a WebVTT file starts with 'WEBVTT', this one with 'Hello'",
        ),
        (
            "talk.vtt",
            b"WEBVTT\n\n00:00:01 --> 00:00:02\nHi\n",
            3,
            "expected a cue timing like '00:00:01.000 --> 00:00:04.000', found '00:00:01 --> 00:00:02'",
        ),
        (
            "talk.vtt",
            b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n\nA stray line\n",
            6,
            "expected a cue timing like '00:00:01.000 --> 00:00:04.000', found 'A stray line'",
        ),
        (
            "talk.srt",
            b"1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03,000 -> 00:00:04,000\nHo\n",
            6,
            "expected a cue timing like '00:00:01,000 --> 00:00:04,000', found '00:00:03,000 -> 00:00:04,000'",
        ),
        (
            "talk.srt",
            b"1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:01:61,000 --> 00:01:62,000\nHo\n",
            6,
            "expected a cue timing like '00:00:01,000 --> 00:00:04,000', found '00:01:61,000 --> 00:01:62,000'",
        ),
        ("talk.srt", b"1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n", 5, "cue 2 has no timing line"),
        (
            "talk.srt",
            b"1\n00:00:05,000 --> 00:00:06,000\nHi\n\n2\n00:00:04,000 --> 00:00:05,000\nHo\n",
            6,
            "time 0:04 goes back before the previous time 0:05",
        ),
        ("talk.json", b'{"segments": [\n  {"startTime": 1, "body": "Hi"},\n]}', 3, "not valid JSON: Expecting value (column 1)"),
        ("talk.json", b"[1, 2]", 1, 'expected a Podcasting 2.0 JSON transcript: an object with a list of "segments"'),
        ("talk.json", b'{"segments": {}}', 1, 'expected a Podcasting 2.0 JSON transcript: an object with a list of "segments"'),
        ("talk.json", b'{"segments": ["Hi"]}', 1, 'segments[0] must be an object, found "Hi"'),
        (
            "talk.json",
            b'{"segments": [{"startTime": "0:15", "body": "Hi"}]}',
            1,
            'segments[0].startTime must be a number of seconds, found "0:15"',
        ),
        (
            "talk.json",
            b'{"segments": [{"startTime": -1, "body": "Hi"}]}',
            1,
            "segments[0].startTime must be a number of seconds, found -1",
        ),
        (
            "talk.json",
            b'{"segments": [{"startTime": NaN, "body": "Hi"}]}',
            1,
            "segments[0].startTime must be a number of seconds, found NaN",
        ),
        ("talk.json", b'{"segments": [{"startTime": 1, "body": null}]}', 1, "segments[0].body must be text, found null"),
        (
            "talk.json",
            b'{"segments": [{"startTime": 1, "body": "Hi", "speaker": 7}]}',
            1,
            "segments[0].speaker must be text, found 7",
        ),
        ("talk.json", b'{"segments": [{"start": 1, "text": 7}]}', 1, "segments[0].text must be text, found 7"),
        (
            "talk.json",
            b'{"segments": [{"start": 5, "text": "Hi"}, {"start": 4.5, "text": "Ho"}]}',
            1,
            "segments[1]: time 0:04 goes back before the previous time 0:05",
        ),
    ],
)
def test_bad_input_is_refused_with_its_line_and_a_clear_message(name, data, line_number, message):
    assert refusal(name, data) == (line_number, message)


def test_a_zip_that_is_not_a_word_document_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("xl/workbook.xml", "<workbook/>")
    assert refusal("talk.docx", archive.getvalue()) == (1, "a zip archive but not a Word document: it has no word/document.xml")


def test_a_word_document_whose_xml_is_broken_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(DOCX)) as source, zipfile.ZipFile(archive, "w") as broken:
        for name in source.namelist():
            broken.writestr(name, b"<w:document" if name == "word/document.xml" else source.read(name))
    line_number, message = refusal("talk.docx", archive.getvalue())
    assert (line_number, message.split(":")[0]) == (1, "a broken Word document")


# The seed episode, out and back -----------------------------------------------------------


def seed_items() -> list[dict]:
    return frontmatter.parse(SEED_EPISODE.read_bytes()).data["transcript"]


def fixed_seed_items() -> list[dict]:
    """The seed with its one slip fixed: 41:14 between 39:59 and 40:16 (the audit's time-backwards)."""
    items = [dict(item) for item in seed_items()]
    slip = next(index for index, item in enumerate(items) if item.get("time") == "41:14")
    items[slip] |= {"sec": 2414, "time": "40:14"}
    return items


def as_docx(text: bytes) -> bytes:
    return make_docx(text.decode().split("\n"))


def written(fmt: str, items: list[dict]) -> bytes:
    return as_docx(write_transcript("text", items)) if fmt == "docx" else write_transcript(fmt, items)


ROUND_TRIP_FORMATS = ["text", "docx", "vtt", "srt", "podcast-json", "whisper-json"]


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_the_seed_comes_back_from_every_format(fmt):
    """Text and Word keep everything; the cue and JSON formats keep lines, times and speakers
    but no headers; Whisper JSON keeps lines and times only."""
    items = fixed_seed_items()
    lines = [item for item in items if "line" in item]
    expected = {
        "text": items,
        "docx": items,
        "vtt": lines,
        "srt": lines,
        "podcast-json": lines,
        "whisper-json": [{key: value for key, value in item.items() if key != "who"} for item in lines],
    }[fmt]
    transcript = read_transcript(f"seed.{fmt}", written(fmt, items), merge_same_speaker=False)
    assert transcript.format == fmt
    assert transcript.items == expected
    assert [list(item) for item in transcript.items] == [list(item) for item in expected]
    assert transcript.speakers == ({} if fmt == "whisper-json" else {"Sadat": 114, "Alexey": 87})


@pytest.mark.parametrize("fmt", ["vtt", "srt", "podcast-json"])
def test_the_seed_read_back_merges_consecutive_lines_of_one_speaker(fmt):
    merged = []
    for item in (item for item in fixed_seed_items() if "line" in item):
        if merged and merged[-1]["who"] == item["who"]:
            merged[-1] = merged[-1] | {"line": f"{merged[-1]['line']} {item['line']}"}
        else:
            merged.append(item)
    assert read_transcript(f"seed.{fmt}", write_transcript(fmt, fixed_seed_items())).items == merged


# Where each format writes the seed's line at 40:16, which goes back before 41:14.
SLIP_LINES = {"text": "[40:16]", "docx": "[40:16]", "vtt": "00:40:16.000 -->", "srt": "00:40:16,000 -->"}


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_the_seed_as_it_is_goes_back_in_time_once_and_is_refused_there(fmt):
    message = "time 40:16 goes back before the previous time 41:14"
    if fmt in SLIP_LINES:  # a .docx paragraph for each line of the text
        text_lines = write_transcript("text" if fmt == "docx" else fmt, seed_items()).decode().split("\n")
        slip = next(number for number, text in enumerate(text_lines, 1) if text.startswith(SLIP_LINES[fmt]))
        assert refusal(f"seed.{fmt}", written(fmt, seed_items())) == (slip, message)
    else:
        assert refusal(f"seed.{fmt}", written(fmt, seed_items())) == (1, f"segments[126]: {message}")


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_the_seed_as_it_is_comes_back_when_times_going_backwards_are_allowed(fmt):
    """The source site's own tool let the seed's 41:14 through: an editor may take it as it is,
    seeing the one time that goes back (the audit's time-backwards flags it too)."""
    items = seed_items()
    transcript = read_transcript(f"seed.{fmt}", written(fmt, items), merge_same_speaker=False, allow_backwards=True)
    timed = [(item["sec"], item["time"]) for item in items if "line" in item and "sec" in item]
    assert [(item["sec"], item["time"]) for item in transcript.items if "line" in item] == timed
    assert [warning.message.removeprefix("segments[126]: ") for warning in transcript.backwards] == [
        "time 40:16 goes back before the previous time 41:14"
    ]


def test_a_word_document_that_unpacks_to_an_absurd_size_is_refused_unparsed(monkeypatch):
    from podcasts.files.transcript_formats import text

    monkeypatch.setattr(text, "MAX_DOCUMENT_BYTES", 1000)
    line_number, message = refusal("talk.docx", DOCX)
    assert (
        line_number == 1
        and message.startswith("the Word document unpacks to ")
        and message.endswith(" bytes, over the limit of 1,000")
    )
