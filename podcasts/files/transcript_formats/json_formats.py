"""JSON transcripts: the Podcasting 2.0 transcript and Whisper's output.

JSON has no useful line to name (Whisper writes one line), so shape problems are
reported at line 1 with the path of the value: ``segments[3].startTime``.
"""

from __future__ import annotations

import json

from .common import Entry, TranscriptFormatError, clean_speaker, decode_lines, json_seconds, one_line

PODCAST = {"start": "startTime", "text": "body", "name": "a Podcasting 2.0 JSON transcript"}
WHISPER = {"start": "start", "text": "text", "name": "Whisper JSON"}


def json_format(data: bytes) -> str:
    """Which JSON transcript ``data`` holds, judged by its first segment's keys: Whisper's
    have ``start``. Anything unreadable is called podcast-json, whose reader says what is wrong."""
    try:
        value = json.loads(data)
    except ValueError:
        return "podcast-json"
    segments = value.get("segments") if isinstance(value, dict) else None
    first = segments[0] if isinstance(segments, list) and segments else None
    return "whisper-json" if isinstance(first, dict) and "start" in first else "podcast-json"


def read_podcast_json(data: bytes) -> list[Entry]:
    return _read_segments(data, PODCAST)


def read_whisper_json(data: bytes) -> list[Entry]:
    """Whisper's segments have no speaker; WhisperX adds ``speaker`` (``SPEAKER_00``), kept when there."""
    return _read_segments(data, WHISPER)


def _read_segments(data: bytes, keys: dict) -> list[Entry]:
    value = _load(data)
    segments = value.get("segments") if isinstance(value, dict) else None
    if not isinstance(segments, list):
        raise TranscriptFormatError(1, f'expected {keys["name"]}: an object with a list of "segments"')
    entries = [_segment_entry(f"segments[{index}]", segment, keys) for index, segment in enumerate(segments)]
    return [entry for entry in entries if entry.text]


def _segment_entry(where: str, segment, keys: dict) -> Entry:
    if not isinstance(segment, dict):
        raise TranscriptFormatError(1, f"{where} must be an object, found {_shown(segment)}")
    start, text, who = segment.get(keys["start"]), segment.get(keys["text"]), segment.get("speaker")
    sec = json_seconds(start)
    if sec is None:
        raise TranscriptFormatError(1, f"{where}.{keys['start']} must be a number of seconds, found {_shown(start)}")
    if not isinstance(text, str):
        raise TranscriptFormatError(1, f"{where}.{keys['text']} must be text, found {_shown(text)}")
    if who is not None and not isinstance(who, str):
        raise TranscriptFormatError(1, f"{where}.speaker must be text, found {_shown(who)}")
    return Entry(1, one_line(text), sec, clean_speaker(who or ""), where=f"{where}: ")


def _load(data: bytes):
    text = "\n".join(decode_lines(data))
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise TranscriptFormatError(error.lineno, f"not valid JSON: {error.msg} (column {error.colno})") from None


def _shown(value) -> str:
    """A value as the file spells it (``null``, ``"1.5"``), cut short."""
    return json.dumps(value, ensure_ascii=False)[:40]
