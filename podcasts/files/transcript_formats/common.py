"""What every reader shares: the error, the entry a reader yields, decoding, speakers, cue times."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from podcasts import timecode
from podcasts.files.schema import control_character_problem


class TranscriptFormatError(ValueError):
    """A raw transcript that cannot be read. ``line`` is 1-based in the source text (the
    paragraph of a .docx), 1 for problems of the whole file; callers write ``path:line: message``."""

    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Entry:
    """One header (``sec`` None) or timed line as a reader found it, with where it was found,
    so that checks made after reading (times going backwards) can still name the place."""

    line: int
    text: str
    sec: int | None = None
    who: str | None = None
    where: str = ""  # "segments[3]: " for JSON, whose messages cannot name a useful line

    def as_item(self) -> dict:
        """The item as an episode file holds it; keys in the order the export writes them."""
        if self.sec is None:
            return {"header": self.text}
        item = {"line": self.text, "sec": self.sec, "time": timecode.format(self.sec)}
        return item | ({"who": self.who} if self.who else {})


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def decode_lines(data: bytes) -> list[str]:
    """The lines of UTF-8 text (a BOM is dropped). Binary data is refused at its first
    undecodable byte or control character, which a text export never holds."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TranscriptFormatError(line, f"not UTF-8 text (byte 0x{data[error.start]:02x}); is this a binary file?") from None
    lines = _LINE_BREAK.split(text)
    for number, line in enumerate(lines, start=1):
        problem = control_character_problem(line)
        if problem:
            raise TranscriptFormatError(number, f"{problem}; is this a binary file?")
    return lines


def one_line(text: str) -> str:
    """A transcript line is one paragraph: inner line breaks and runs of spaces become one space."""
    return " ".join(text.split())


def clean_speaker(name: str) -> str | None:
    """``Alexey:`` -> ``Alexey``; ``Speaker 1`` stays (a later mapping step renames it)."""
    return name.strip().rstrip(":").strip() or None


_PREFIX = re.compile(r"([^:<>]{1,40}):\s+(\S.*)")
_SENTENCE_MARKS = set('?!,;"“”')


def split_speaker_prefix(text: str) -> tuple[str | None, str]:
    """``John Doe: Hello`` -> ("John Doe", "Hello"), the way SubRip and Zoom-style WebVTT name
    a speaker. Only a name counts: one to four words, each capitalized (or a number after the
    first, ``Speaker 1``), no sentence punctuation, so ``Here's the thing: ...`` stays text."""
    match = _PREFIX.fullmatch(text)
    if not match:
        return None, text
    words = match[1].split()
    is_name = (
        1 <= len(words) <= 4
        and words[0][0].isupper()
        and all(word[0].isupper() or word.isdigit() for word in words)
        and not _SENTENCE_MARKS & set(match[1])
    )
    return (clean_speaker(match[1]), match[2]) if is_name else (None, text)


_CUE_TIME = re.compile(r"(?:(\d+):)?([0-5]\d):([0-5]\d)[.,]\d{1,3}")


def cue_seconds(text: str) -> int | None:
    """Whole seconds (floor) of a cue timestamp, ``00:01:02.500`` (WebVTT, hours optional) or
    ``00:01:02,500`` (SubRip); None when ``text`` is not one."""
    match = _CUE_TIME.fullmatch(text)
    if not match:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def json_seconds(value) -> int | None:
    """Whole seconds (floor) of a JSON time in seconds; None unless a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        return None
    return math.floor(value)


def backwards_times(entries: list[Entry]) -> list[TranscriptFormatError]:
    """Each time earlier than the one before it, as the error that names its line: a raw
    transcript runs forward, so this is a typo or two files pasted together, and the line
    that goes back is the one to fix."""
    found, previous = [], None
    for entry in entries:
        if entry.sec is None:
            continue
        if previous is not None and entry.sec < previous:
            earlier, later = timecode.format(entry.sec), timecode.format(previous)
            found.append(
                TranscriptFormatError(entry.line, f"{entry.where}time {earlier} goes back before the previous time {later}")
            )
        previous = entry.sec
    return found


def merge_same_speaker_lines(entries: list[Entry]) -> list[Entry]:
    """Consecutive lines of the same known speaker as one line at the first one's time: cue
    files cut a turn into screen-sized cues. Lines without a speaker are never merged, since
    nothing says two of them are one turn."""
    merged: list[Entry] = []
    for entry in entries:
        previous = merged[-1] if merged else None
        if previous and entry.who and previous.who == entry.who:
            merged[-1] = Entry(previous.line, f"{previous.text} {entry.text}", previous.sec, previous.who, previous.where)
        else:
            merged.append(entry)
    return merged
