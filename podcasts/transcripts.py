"""Transcript and chapter files built from transcript items: pure functions, no database.

Items are anything with ``kind``, ``text``, ``speaker``, ``sec`` and ``position``
(``TranscriptLine`` rows); ``names`` maps a `who:` value to the name to show.
Formats: WebVTT (W3C), SubRip, the Podcasting 2.0 JSON transcript and JSON
chapters (https://github.com/Podcastindex-org/podcast-namespace), plain text.

Two kinds of cues: ``cues`` keeps each timed line with the times the file gives it (what
``files.transcript_formats.writing`` converts to and back from), and ``player_file``
builds what listeners download: every line with text, times that never go back, long
lines split into short captions.
"""

import json
import math
from bisect import bisect_right
from dataclasses import dataclass

from . import timecode

HEADER = "header"
LAST_CUE_SECONDS = 10  # how long the last line shows when the episode's length is unknown
# The transcript files an episode offers, by extension, with their media types.
FORMATS = {"vtt": "text/vtt", "srt": "application/x-subrip", "json": "application/json", "txt": "text/plain"}
# The Podcasting 2.0 guidance for caption files (podcast-namespace, docs/examples/transcripts):
# at most two lines a cue, up to 32 characters a line in SubRip; 65 recommended for WebVTT.
CAPTION_LINES = 2
CAPTION_WIDTH = {"srt": 32, "vtt": 65}
CHARACTERS_PER_SECOND = 15  # a speaking pace (about 150 words a minute), for lines after the last known time


def content_type(fmt: str) -> str:
    """The HTTP ``Content-Type`` of a transcript file: text formats say they are UTF-8."""
    mime = FORMATS[fmt]
    return mime if mime == "application/json" else f"{mime}; charset=utf-8"


@dataclass(frozen=True)
class Cue:
    """Lines shown together from ``start`` until ``end`` (seconds)."""

    start: float
    end: float
    lines: tuple[tuple[str, str], ...]  # (speaker, text); speaker may be ""


def speaker_name(item, names: dict[str, str]) -> str:
    return names.get(item.speaker, item.speaker) if item.speaker else ""


def cues(items, names: dict[str, str], duration: int | None = None) -> list[Cue]:
    """Timed lines as cues, consecutive lines at the same second in one. A cue ends where the next one starts; the last one at the
    episode's end (or ``LAST_CUE_SECONDS`` later). Lines without ``sec`` are left out, and
    lines without text: a blank line would end a cue in WebVTT and SubRip."""
    groups: list[tuple[int, list]] = []
    for item in items:
        if item.kind == HEADER or item.sec is None or not item.text.strip():
            continue
        if groups and groups[-1][0] == item.sec:
            groups[-1][1].append(item)
        else:
            groups.append((item.sec, [item]))
    result = []
    for index, (start, group) in enumerate(groups):
        if index + 1 < len(groups):
            end = max(groups[index + 1][0], start + 1)
        else:
            end = duration if duration and duration > start else start + LAST_CUE_SECONDS
        result.append(Cue(start, end, tuple((speaker_name(item, names), item.text) for item in group)))
    return result


@dataclass(frozen=True)
class TimedLine:
    """A line of speech as players get it: start and end in milliseconds, the speaker's name."""

    start: int
    end: int
    speaker: str
    text: str


def player_file(fmt: str, items, names: dict[str, str], duration: int | None = None) -> str:
    """The ``vtt``, ``srt`` or ``json`` file listeners download (see ``timed_lines``): captions
    in the cue formats, one segment per line in JSON."""
    lines = timed_lines(items, names, duration)
    if fmt == "json":
        segments = [Cue(line.start / 1000, line.end / 1000, ((line.speaker, line.text),)) for line in lines]
        return json.dumps(json_transcript(segments), ensure_ascii=False, indent=1)
    return srt(captions(lines, fmt)) if fmt == "srt" else vtt(captions(lines, fmt))


def timed_lines(items, names: dict[str, str], duration: int | None = None) -> list[TimedLine]:
    """Every line with text, timed so that players can use it, whatever the source's times.

    The times kept are the longest run of ``sec`` values that never goes back (a time
    out of that order counts as missing, so one stray value moves one line, not all
    the lines after it). A kept time starts a group: the lines until the next later
    time, those without one included, share its span in proportion to their length.
    Lines before the first time start at 0. The last group ends at the episode's
    ``duration`` when that comes after it (in most corpus episodes the transcript, timed
    on the video, runs past the audio's duration), else after a speaking pace."""
    lines = [item for item in items if item.kind != HEADER and item.text.strip()]
    trusted = _longest_in_order([line.sec for line in lines])
    groups: list[tuple[int, list]] = []
    for index, line in enumerate(lines):
        sec = line.sec if index in trusted else None
        if not groups or (sec is not None and sec > groups[-1][0]):
            groups.append((sec or 0, []))
        groups[-1][1].append(line)
    result = []
    for number, (start, group) in enumerate(groups):
        texts = [_one_line(line.text) for line in group]
        if number + 1 < len(groups):
            end = groups[number + 1][0]
        elif duration and duration > start:
            end = duration
        else:
            end = start + max(LAST_CUE_SECONDS, math.ceil(sum(map(len, texts)) / CHARACTERS_PER_SECOND))
        spans = _shares(start * 1000, end * 1000, [len(text) for text in texts])
        result += [
            TimedLine(begin, finish, speaker_name(line, names), text)
            for line, text, (begin, finish) in zip(group, texts, spans, strict=True)
        ]
    return result


def _longest_in_order(secs: list[int | None]) -> set[int]:
    """Indexes of the longest subsequence of the given times that never decreases
    (patience sorting, O(n log n)); ``None`` takes no part."""
    tail_indexes: list[int] = []  # tail_indexes[k]: where the best subsequence of length k + 1 ends
    tail_secs: list[int] = []
    previous: dict[int, int | None] = {}
    for index, sec in enumerate(secs):
        if sec is None:
            continue
        length = bisect_right(tail_secs, sec)
        previous[index] = tail_indexes[length - 1] if length else None
        if length == len(tail_secs):
            tail_indexes.append(index)
            tail_secs.append(sec)
        else:
            tail_indexes[length], tail_secs[length] = index, sec
    kept, index = set(), tail_indexes[-1] if tail_indexes else None
    while index is not None:
        kept.add(index)
        index = previous[index]
    return kept


def _shares(start: int, end: int, weights: list[int]) -> list[tuple[int, int]]:
    """``start``..``end`` (milliseconds) cut into consecutive spans in proportion to
    ``weights``; each span lasts at least a millisecond."""
    spans, begin, done, total = [], start, 0, sum(weights)
    for weight in weights:
        done += weight
        finish = max(start + (end - start) * done // total, begin + 1)
        spans.append((begin, finish))
        begin = finish
    return spans


def captions(lines: list[TimedLine], fmt: str) -> list[Cue]:
    """Caption cues for ``fmt`` ("vtt" or "srt"): at most ``CAPTION_LINES`` lines of about
    ``CAPTION_WIDTH[fmt]`` characters (a longer word, such as a link, keeps a line of its
    own), a long line split into several cues timed in proportion to their length.
    WebVTT names the speaker in every cue (a voice span); SubRip writes ``Name:`` where
    the speaker changes, as the guidance shows."""
    result, previous_speaker = [], None
    for line in lines:
        if fmt == "srt":
            changed = line.speaker and line.speaker != previous_speaker
            speaker, text = "", f"{line.speaker}: {line.text}" if changed else line.text
        else:
            speaker, text = line.speaker, line.text
        previous_speaker = line.speaker
        rows = _wrap(text, CAPTION_WIDTH[fmt])
        chunks = [rows[index : index + CAPTION_LINES] for index in range(0, len(rows), CAPTION_LINES)]
        spans = _shares(line.start, line.end, [sum(map(len, chunk)) for chunk in chunks])
        result += [
            Cue(begin / 1000, finish / 1000, tuple((speaker if row == 0 else "", text) for row, text in enumerate(chunk)))
            for chunk, (begin, finish) in zip(chunks, spans, strict=True)
        ]
    return result


def _wrap(text: str, width: int) -> list[str]:
    """Words in rows of at most ``width`` characters, greedily; a longer word (a link)
    is a row of its own, never cut. (``textwrap`` does the same, ten times slower.)"""
    rows, row = [], ""
    for word in text.split():
        if row and len(row) + 1 + len(word) > width:
            rows.append(row)
            row = word
        else:
            row = f"{row} {word}" if row else word
    return [*rows, row] if row else rows


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _one_line(text: str) -> str:
    """A blank line ends a cue in both formats, so cue text never holds one."""
    return " ".join(text.split())


def vtt(cue_list: list[Cue]) -> str:
    """WebVTT, a voice span (``<v Speaker>``) opening each line that names a speaker."""
    blocks = ["WEBVTT"]
    for cue in cue_list:
        timing = f"{timecode.cue_timestamp(cue.start, '.')} --> {timecode.cue_timestamp(cue.end, '.')}"
        body = [
            f"<v {_vtt_escape(_one_line(speaker))}>{_vtt_escape(_one_line(text))}" if speaker else _vtt_escape(_one_line(text))
            for speaker, text in cue.lines
        ]
        blocks.append("\n".join([timing, *body]))
    return "\n\n".join(blocks) + "\n"


def srt(cue_list: list[Cue]) -> str:
    """SubRip: numbered from 1, ``HH:MM:SS,mmm``, speaker as a ``Name:`` prefix."""
    blocks = []
    for number, cue in enumerate(cue_list, start=1):
        timing = f"{timecode.cue_timestamp(cue.start, ',')} --> {timecode.cue_timestamp(cue.end, ',')}"
        body = [_subrip_line(speaker, text) for speaker, text in cue.lines]
        blocks.append("\n".join([str(number), timing, *body]))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _subrip_line(speaker: str, text: str) -> str:
    """SubRip has no escapes, so no text may pass for its structure (WebVTT's escaping of
    ``>`` covers this there): ``-->`` becomes ``→``, and a text of digits only, which a
    lenient reader takes for a cue number, gets an invisible word joiner (U+2060) first."""
    speaker, text = _one_line(speaker).replace("-->", "→"), _one_line(text).replace("-->", "→")
    text = f"\u2060{text}" if text.isdigit() else text
    return f"{speaker}: {text}" if speaker else text


def json_transcript(cue_list: list[Cue]) -> dict:
    """The Podcasting 2.0 JSON transcript: one segment per line."""
    segments = []
    for cue in cue_list:
        for speaker, text in cue.lines:
            segment = {"startTime": cue.start, "endTime": cue.end, "body": text}
            if speaker:
                segment = {"speaker": speaker, **segment}
            segments.append(segment)
    return {"version": "1.0.0", "segments": segments}


def plain_text(title: str, items, names: dict[str, str]) -> str:
    """Readable text: headers as section titles, each line as ``[m:ss] Speaker: text``."""
    out = [title, "=" * len(title)] if title else []
    for item in items:
        if item.kind == HEADER:
            out += ["", item.text, "-" * len(item.text)]
            continue
        stamp = f"[{timecode.format(item.sec)}] " if item.sec is not None else ""
        speaker = speaker_name(item, names)
        out.append(f"{stamp}{speaker + ': ' if speaker else ''}{item.text}")
    return "\n".join(out).strip("\n") + "\n"


def header_times(items) -> list[tuple[object, int | None]]:
    """Each header with the second it starts at: that of the next timed line, or 0 for a
    header opening the transcript; None when no timed line follows."""
    result, waiting = [], []
    seen_line = False
    for item in items:
        if item.kind == HEADER:
            waiting.append(item)
            continue
        if item.sec is None:
            continue
        for header in waiting:
            result.append((header, 0 if header.position == 0 and not seen_line else item.sec))
        waiting, seen_line = [], True
    return result + [(header, None) for header in waiting]


def sections(items) -> list[tuple[object, int]]:
    """Timed headers in order, one per start second: headers starting at the same
    second collapse into the last, the one whose section the listener hears."""
    by_start = {}
    for header, start in header_times(items):
        if start is not None:
            by_start.pop(start, None)
            by_start[start] = header
    return sorted(((header, start) for start, header in by_start.items()), key=lambda pair: pair[1])


def chapters(items, clips=(), duration: int | None = None) -> dict:
    """Podcasting 2.0 JSON chapters: from the quotable clips when the episode has them,
    else from the headers (see ``sections``). One chapter per start second (the last clip
    starting there, as with headers), in order of start. A chapter ends where its clip
    ends, else where the next chapter starts; the last at the episode's ``duration`` when
    that comes after its start, and no chapter ends later."""
    if clips:
        by_start = {clip.start_offset: clip for clip in clips}
        marks = [
            (start, clip.name, clip.end_offset if clip.end_offset > start else None, clip.url)
            for start, clip in sorted(by_start.items())
        ]
    else:
        marks = [(start, header.text, None, "") for header, start in sections(items)]
    episode_end = duration if duration and marks and duration > marks[-1][0] else None
    entries = []
    for index, (start, title, end, url) in enumerate(marks):
        end = end or (marks[index + 1][0] if index + 1 < len(marks) else episode_end)
        if end and episode_end:
            end = min(end, episode_end)
        entries.append(
            {"startTime": start} | ({"endTime": end} if end else {}) | {"title": title} | ({"url": url} if url else {})
        )
    return {"version": "1.2.0", "chapters": entries}
