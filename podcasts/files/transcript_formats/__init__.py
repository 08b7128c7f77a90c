"""Raw transcripts in, transcript items out: the first step of a new episode.

``read_transcript(name, data)`` detects the format (``detect_format``: content first,
then the file name's extension) and returns a ``RawTranscript``: the format it read,
the items as an episode file's ``transcript:`` holds them (``{"header": ...}`` or
``{"line", "sec", "time", "who"}``, ``who`` left out when unknown) and the speakers
with their line counts, for a later step that maps them onto people. Pure Python, no
database. Anything unreadable raises ``TranscriptFormatError(line, message)``.

Formats, each with the smallest example:

* ``text``: the source site's export; a time (``[0:15]`` or bare ``0:15``, ``1:02:03``),
  the speaker, the text. Other lines are section headers; "Transcribed by ..." footers
  are dropped::

      [0:15]
      John Doe
      This is what I'm saying...

* ``docx``: the same as a Word document, one paragraph per line.
* ``vtt``: WebVTT; the speaker from a voice tag (``<v John Doe>``) or a ``Name:`` prefix;
  cue identifiers, cue settings, ``NOTE``/``STYLE``/``REGION`` blocks and tags ignored::

      WEBVTT

      00:00:15.000 --> 00:01:30.000 align:start
      <v John Doe>This is what I'm saying...

* ``srt``: SubRip; the speaker from a ``Name:`` prefix; cue numbers may have gaps::

      1
      00:00:15,000 --> 00:01:30,000
      John Doe: This is what I'm saying...

* ``podcast-json``: the Podcasting 2.0 JSON transcript::

      {"version": "1.0.0", "segments": [
        {"speaker": "John Doe", "startTime": 15.0, "endTime": 90.0, "body": "This is what I'm saying..."}
      ]}

* ``whisper-json``: OpenAI Whisper's JSON output; no speakers (WhisperX's ``speaker`` is kept)::

      {"text": " This is what I'm saying...", "segments": [
        {"id": 0, "start": 15.0, "end": 90.0, "text": " This is what I'm saying..."}
      ]}

Times become whole seconds (rounded down) and ``time`` is written ``m:ss`` or ``h:mm:ss``.
Speakers lose a trailing colon (``Alexey:``). Only the text formats have headers. In the
cue and JSON formats consecutive lines of the same speaker are merged into one line, as
those files cut a turn into short cues (``merge_same_speaker=False`` keeps them apart).

Refused, with the line: an empty file, text that is not UTF-8 or holds control
characters (a binary file), a .docx that is not a zip, holds no Word document or
unpacks to an absurd size, a time earlier than the one before it (unless
``allow_backwards``: the source site's own tool let such slips through, in the seed
and 2 of the 10 corpus files it wrote), a malformed cue timing, JSON that does not
parse or lacks the format's shape, and a file with no timed line at all.

``write_transcript(fmt, items)`` writes items back out in every format but docx.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from .common import TranscriptFormatError, backwards_times, merge_same_speaker_lines
from .cues import read_srt, read_vtt
from .json_formats import json_format, read_podcast_json, read_whisper_json
from .text import read_docx, read_text
from .writing import write_transcript

__all__ = ["FORMATS", "RawTranscript", "TranscriptFormatError", "detect_format", "read_transcript", "write_transcript"]

# Each format's name, as the admin and messages show it.
FORMATS = {
    "text": "text",
    "docx": "Word document",
    "vtt": "WebVTT",
    "srt": "SubRip",
    "podcast-json": "Podcasting 2.0 JSON",
    "whisper-json": "Whisper JSON",
}
_READERS = {
    "text": read_text,
    "docx": read_docx,
    "vtt": read_vtt,
    "srt": read_srt,
    "podcast-json": read_podcast_json,
    "whisper-json": read_whisper_json,
}
_CUT_INTO_CUES = {"vtt", "srt", "podcast-json", "whisper-json"}  # where merge_same_speaker applies
_EXTENSIONS = {".docx": "docx", ".vtt": "vtt", ".srt": "srt"}
_BOM = b"\xef\xbb\xbf"
_SRT_START = re.compile(rb"(?:\d+[ \t]*\r?\n)?[\d:.,]+[ \t]+-->")


@dataclass(frozen=True)
class RawTranscript:
    format: str  # a key of FORMATS: what the file was read as
    items: list[dict]
    backwards: tuple[TranscriptFormatError, ...] = ()  # times going back, when allowed: each with its line

    @property
    def speakers(self) -> dict[str, int]:
        """Each ``who`` with its number of lines, in order of first appearance."""
        return dict(Counter(item["who"] for item in self.items if "who" in item))


def detect_format(name: str, data: bytes) -> str:
    """A key of FORMATS. The content decides where it can (a .txt holding ``WEBVTT`` is
    WebVTT, a zip is a .docx), since services and people name exports carelessly; then the
    extension; then text. A .docx name always means docx, so a broken one is refused as such."""
    head = data[:256].removeprefix(_BOM).lstrip()
    suffix = PurePath(name).suffix.lower()
    if head.startswith(b"PK\x03\x04") or suffix == ".docx":
        return "docx"
    if head.startswith(b"WEBVTT"):
        return "vtt"
    if _SRT_START.match(head):
        return "srt"
    if head.startswith(b"{") or suffix == ".json":
        return json_format(data)
    return _EXTENSIONS.get(suffix, "text")


def read_transcript(
    name: str, data: bytes, *, fmt: str | None = None, merge_same_speaker: bool = True, allow_backwards: bool = False
) -> RawTranscript:
    """The transcript in ``data`` (the bytes of file ``name``), read as ``fmt`` or as detected.
    A time going back before the one before it is refused unless ``allow_backwards``; then
    each such time is in ``backwards``, for the editor to see (the audit flags it too)."""
    if not data.removeprefix(_BOM).strip():
        raise TranscriptFormatError(1, "the file is empty")
    fmt = fmt or detect_format(name, data)
    if fmt not in _READERS:
        raise ValueError(f"unknown transcript format {fmt!r}; known: {', '.join(FORMATS)}")
    entries = _READERS[fmt](data)
    if not any(entry.sec is not None for entry in entries):
        raise TranscriptFormatError(1, f"no timed transcript lines found (read as {FORMATS[fmt]})")
    backwards = backwards_times(entries)
    if backwards and not allow_backwards:
        raise backwards[0]
    if merge_same_speaker and fmt in _CUT_INTO_CUES:
        entries = merge_same_speaker_lines(entries)
    return RawTranscript(fmt, [entry.as_item() for entry in entries], tuple(backwards))
