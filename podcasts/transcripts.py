"""Transcript and chapter files built from transcript items: pure functions, no database.

Items are anything with ``kind``, ``text``, ``speaker``, ``sec`` and ``position``
(``TranscriptLine`` rows); ``names`` maps a `who:` value to the name to show.
Formats: WebVTT (W3C), SubRip, the Podcasting 2.0 JSON transcript and JSON
chapters (https://github.com/Podcastindex-org/podcast-namespace), plain text.
"""

from dataclasses import dataclass

from . import timecode

HEADER = "header"
LAST_CUE_SECONDS = 10  # how long the last line shows when the episode's length is unknown
# The transcript files an episode offers, by extension, with their media types.
FORMATS = {"vtt": "text/vtt", "srt": "application/x-subrip", "json": "application/json", "txt": "text/plain"}


def content_type(fmt: str) -> str:
    """The HTTP ``Content-Type`` of a transcript file: text formats say they are UTF-8."""
    mime = FORMATS[fmt]
    return mime if mime == "application/json" else f"{mime}; charset=utf-8"


@dataclass(frozen=True)
class Cue:
    """Consecutive lines that start at the same second, shown together until the next cue."""

    start: int
    end: int
    lines: tuple[tuple[str, str], ...]  # (speaker, text); speaker may be ""


def speaker_name(item, names: dict[str, str]) -> str:
    return names.get(item.speaker, item.speaker) if item.speaker else ""


def cues(items, names: dict[str, str], duration: int | None = None) -> list[Cue]:
    """Timed lines as cues. A cue ends where the next one starts; the last one at the
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


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _one_line(text: str) -> str:
    """A blank line ends a cue in both formats, so cue text never holds one."""
    return " ".join(text.split())


def vtt(cue_list: list[Cue]) -> str:
    """WebVTT with one voice span (``<v Speaker>``) per line."""
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


def chapters(items, clips=()) -> dict:
    """Podcasting 2.0 JSON chapters: from the quotable clips when the episode has them
    (they carry start and end), else from the headers (see ``sections``)."""
    if clips:
        entries = [
            {"startTime": clip.start_offset, "endTime": clip.end_offset, "title": clip.name}
            | ({"url": clip.url} if clip.url else {})
            for clip in clips
        ]
    else:
        entries = [{"startTime": start, "title": header.text} for header, start in sections(items)]
    return {"version": "1.2.0", "chapters": entries}
