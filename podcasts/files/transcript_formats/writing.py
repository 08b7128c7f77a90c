"""Transcript items back to raw files, the reverse of the readers: tests read these back
to prove each reader keeps what its format can hold, and exports can offer them.

Lines without ``sec`` are left out (no format here can place them). Only the text format
keeps headers; Whisper JSON keeps no speakers. The cue formats reuse the public site's
builders (``podcasts.transcripts``), so what listeners download is what these readers read.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from podcasts import timecode, transcripts

from .common import one_line


class _Line(NamedTuple):
    """The attributes ``transcripts.cues`` reads from a ``TranscriptLine``."""

    kind: str
    text: str
    speaker: str | None
    sec: int | None


def write_transcript(fmt: str, items: list[dict]) -> bytes:
    """``items`` as a file of format ``fmt``: "text", "vtt", "srt", "podcast-json" or "whisper-json"."""
    if fmt == "text":
        return _text(items).encode()
    lines = [_Line("line", item["line"], item.get("who"), item.get("sec")) for item in items if "line" in item]
    cue_list = transcripts.cues(lines, {})
    if fmt == "vtt":
        return transcripts.vtt(cue_list).encode()
    if fmt == "srt":
        return transcripts.srt(cue_list).encode()
    if fmt == "podcast-json":
        return _json(transcripts.json_transcript(cue_list))
    if fmt == "whisper-json":
        return _json(_whisper(cue_list))
    raise ValueError(f"cannot write the format {fmt!r}")


def _text(items: list[dict]) -> str:
    """Headers as lines of their own; each line as its block of time, speaker and text."""
    blocks = []
    for item in items:
        if "header" in item:
            blocks.append(one_line(item["header"]))
        elif item.get("sec") is not None:
            who = [item["who"]] if item.get("who") else []
            blocks.append("\n".join([f"[{timecode.format(item['sec'])}]", *who, one_line(item["line"])]))
    return "\n\n".join(blocks) + "\n"


def _whisper(cue_list: list[transcripts.Cue]) -> dict:
    """Whisper's shape: segments with float times and text led by a space, and the whole text."""
    lines = [(cue, text) for cue in cue_list for _speaker, text in cue.lines]
    segments = [
        {"id": index, "start": float(cue.start), "end": float(cue.end), "text": f" {one_line(text)}"}
        for index, (cue, text) in enumerate(lines)
    ]
    return {"text": "".join(segment["text"] for segment in segments), "segments": segments}


def _json(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()
