"""Moments in an episode: how the files, the editor, the audit and the players write them.

The transcript's ``time:`` is a clock, ``m:ss`` or ``h:mm:ss``. Without an hour
field the minutes may pass 59, up to two digits (the corpus writes ``60:08``), so
``parse`` accepts that, and everything that reads a ``time:`` goes through it.
``duration:`` is an ISO 8601 duration (``PT01H03M37S``); cue files want
``HH:MM:SS.mmm``.
"""

import re

_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})")
_DURATION = re.compile(r"^P(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)$")


def parse(text: str) -> int:
    """Seconds in ``h:mm:ss`` or ``m:ss``; ValueError naming the text otherwise."""
    match = _CLOCK.fullmatch(text.strip())
    if match:
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        if seconds < 60 and not (match[1] and minutes >= 60):
            return hours * 3600 + minutes * 60 + seconds
    raise ValueError(f"{text!r} is not a time like 1:05 or 1:02:03")


def format(seconds: int) -> str:
    """``5:41``, or ``1:02:03`` from an hour on: how the files and listeners write a moment."""
    hours, minutes, secs = _split(seconds)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def parse_duration(iso: str) -> int | None:
    """``PT01H03M37S`` as seconds; None when it is not such a duration."""
    match = _DURATION.match(iso.strip()) if iso else None
    if not match or not any(match.groups()):
        return None
    return int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)


def padded(seconds: int) -> str:
    """``00:02:34``: every field two digits, as chapter lists (timestamps files) write a moment."""
    hours, minutes, secs = _split(seconds)
    return f"{hours:02}:{minutes:02}:{secs:02}"


def cue_timestamp(seconds: int, decimal_mark: str) -> str:
    """``HH:MM:SS.000`` (WebVTT, ``decimal_mark='.'``) or ``HH:MM:SS,000`` (SubRip)."""
    return f"{padded(seconds)}{decimal_mark}000"


def _split(seconds: int) -> tuple[int, int, int]:
    hours, rest = divmod(seconds, 3600)
    return (hours, *divmod(rest, 60))
