"""Cue files: WebVTT and SubRip. A cue is a timing line and its text; each text line that
names a speaker (a ``<v Name>`` voice tag, or a ``Name:`` prefix) starts a transcript line
at the cue's start, and a text line that names none continues the line before it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from .common import Entry, TranscriptFormatError, clean_speaker, cue_seconds, decode_lines, one_line, split_speaker_prefix

_VTT_SIGNATURE = re.compile(r"WEBVTT(?:[ \t].*)?")
_VTT_SKIPPED_BLOCKS = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_VTT_TAG = re.compile(r"</?[^>]*>")  # voice, class, italics, karaoke timestamps: all markup
_SRT_TAG = re.compile(r"</?(?:i|b|u|font)\b[^>]*>", re.IGNORECASE)  # a bare "<" in SubRip is text
_TIMING = re.compile(r"(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t].*)?")  # cue settings after the end are ignored
_VTT_EXAMPLE = "00:00:01.000 --> 00:00:04.000"
_SRT_EXAMPLE = "00:00:01,000 --> 00:00:04,000"


def read_vtt(data: bytes) -> list[Entry]:
    lines = decode_lines(data)
    if not _VTT_SIGNATURE.fullmatch(lines[0]):
        raise TranscriptFormatError(1, f"a WebVTT file starts with 'WEBVTT', this one with {lines[0][:40]!r}")
    entries = []
    for number, block in _blocks(lines)[1:]:  # the first block is the file header
        if not _VTT_SKIPPED_BLOCKS.fullmatch(block[0]):
            timing = 1 if len(block) > 1 and "-->" not in block[0] else 0  # a cue may have an identifier line
            entries += _cue(number + timing, block[timing], block[timing + 1 :], _VTT_EXAMPLE, _vtt_line)
    return entries


def read_srt(data: bytes) -> list[Entry]:
    """Cue numbers are not checked: gaps and repeats are common and say nothing about the text."""
    entries = []
    for number, block in _blocks(decode_lines(data)):
        timing = 1 if block[0].strip().isdigit() else 0
        if timing == len(block):
            raise TranscriptFormatError(number, f"cue {block[0].strip()} has no timing line")
        entries += _cue(number + timing, block[timing], block[timing + 1 :], _SRT_EXAMPLE, _srt_line)
    return entries


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the 1-based number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    previous_blank = True
    for number, line in enumerate(lines, start=1):
        blank = not line.strip()
        if not blank and previous_blank:
            blocks.append((number, []))
        if not blank:
            blocks[-1][1].append(line)
        previous_blank = blank
    return blocks


def _cue(number: int, timing: str, payload: list[str], example: str, split_line: Callable) -> list[Entry]:
    match = _TIMING.fullmatch(timing.strip())
    start = cue_seconds(match[1]) if match else None
    if start is None or cue_seconds(match[2]) is None:
        raise TranscriptFormatError(number, f"expected a cue timing like '{example}', found {timing.strip()[:60]!r}")
    entries: list[Entry] = []
    for text_line in payload:
        who, text = split_line(text_line)
        if not text:
            continue
        if who is None and entries:
            last = entries[-1]
            entries[-1] = Entry(last.line, f"{last.text} {text}", start, last.who)
        else:
            entries.append(Entry(number, text, start, who))
    return entries


def _vtt_line(text: str) -> tuple[str | None, str]:
    text = text.strip()
    voice = _VOICE.match(text)
    if voice:
        return clean_speaker(html.unescape(voice[1])), _vtt_text(text[voice.end() :])
    return split_speaker_prefix(_vtt_text(text))


def _vtt_text(markup: str) -> str:
    return one_line(html.unescape(_VTT_TAG.sub("", markup)))


def _srt_line(text: str) -> tuple[str | None, str]:
    return split_speaker_prefix(one_line(_SRT_TAG.sub("", text)))
