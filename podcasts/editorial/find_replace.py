"""Find and replace across every transcript: line text, speakers and headers.

A search is plain text or a regular expression, with a case option and whole words.
Matching uses the ``regex`` library for its ``timeout=``: the whole search shares one
time budget (``TIME_BUDGET``), so an expression that backtracks without end (``(a|aa)+$``)
is stopped with ``SearchTooSlow`` instead of holding a worker. A replacement applies to
the matches an editor chose, each named by ``Match.key``; it finds them again at the
moment it applies, so a match that changed since the preview is left alone. Every
changed episode gets its version raised and one revision, which is also the way back.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import regex
from django.db import transaction

from podcasts.models import Revision, TranscriptLine

from .revisions import record_revisions
from .versions import bump_version

TIME_BUDGET = 3.0  # seconds of matching for one search over all transcripts
MAX_MATCHES = 1000  # listed at most; a search finding more asks to be narrowed
CONTEXT = 60  # characters shown on each side of a match
PLACES = {"line": "line text", "speaker": "speaker", "header": "header"}
TOO_SLOW = (
    f"The search was stopped after {TIME_BUDGET:g} seconds: the expression takes too long. "
    "Make it more specific (fewer nested repetitions)."
)


class SearchTooSlow(Exception):
    """The expression ran out of time: it is stopped, nothing else happens."""


@dataclass(frozen=True)
class Query:
    pattern: str
    is_regex: bool = False
    case_sensitive: bool = False
    whole_word: bool = False
    places: tuple[str, ...] = tuple(PLACES)

    def compile(self) -> regex.Pattern:
        """The expression; ValueError with the reason when it is not a valid one."""
        body = self.pattern if self.is_regex else regex.escape(self.pattern)
        if self.whole_word:
            body = rf"\b(?:{body})\b"
        try:
            return regex.compile(body, 0 if self.case_sensitive else regex.IGNORECASE)
        except regex.error as error:
            raise ValueError(f"Not a valid regular expression: {error}.") from None


@dataclass(frozen=True)
class Match:
    line_id: int
    episode_id: int
    position: int
    place: str
    start: int
    end: int
    value: str

    @property
    def key(self) -> str:
        return match_key(self.line_id, self.place, self.start)

    @property
    def before(self) -> str:
        start = max(0, self.start - CONTEXT)
        return ("…" if start else "") + self.value[start : self.start]

    @property
    def matched(self) -> str:
        return self.value[self.start : self.end]

    @property
    def after(self) -> str:
        end = self.end + CONTEXT
        return self.value[self.end : end] + ("…" if end < len(self.value) else "")


@dataclass
class Found:
    matches: list[Match] = field(default_factory=list)
    truncated: bool = False  # more than MAX_MATCHES

    def by_episode(self) -> dict[int, list[Match]]:
        grouped = defaultdict(list)
        for match in self.matches:
            grouped[match.episode_id].append(match)
        return dict(grouped)


@dataclass(frozen=True)
class Change:
    """One transcript item's place before and after a replacement."""

    line_id: int
    episode_id: int
    position: int
    place: str
    old: str
    new: str
    count: int  # matches replaced in it


def match_key(line_id: int, place: str, start: int) -> str:
    """What the editor's checkbox posts for a match: its line, the place in it, where it starts."""
    return f"{line_id}:{place}:{start}"


def find(query: Query, *, limit: int = MAX_MATCHES) -> Found:
    """Every match of ``query``, in episode and transcript order."""
    found = Found()
    for row, place, value, match in _search(query, TranscriptLine.objects.all()):
        if len(found.matches) == limit:
            found.truncated = True
            break
        line_id, episode_id, position = row[:3]
        found.matches.append(Match(line_id, episode_id, position, place, match.start(), match.end(), value))
    return found


def plan(query: Query, replacement: str, keys) -> list[Change]:
    """What replacing the chosen matches (``match_key``) would make of their lines; nothing
    is saved. ValueError when a regular expression's replacement refers to a missing group."""
    keys = set(keys)
    line_ids = {int(key.split(":", 1)[0]) for key in keys}
    chosen = defaultdict(list)
    for row, place, value, match in _search(query, TranscriptLine.objects.filter(pk__in=line_ids)):
        if match_key(row[0], place, match.start()) in keys:
            chosen[(row[:3], place, value)].append(match)
    changes = []
    for ((line_id, episode_id, position), place, value), matches in chosen.items():
        new = value
        for match in reversed(matches):  # from the end, so earlier offsets stay right
            new = new[: match.start()] + _expand(query, match, replacement) + new[match.end() :]
        changes.append(Change(line_id, episode_id, position, place, value, new, len(matches)))
    return changes


def replace(query: Query, replacement: str, keys, *, user=None) -> list[Change]:
    """Replace the chosen matches, as ``plan`` shows them, in one transaction: each changed
    episode's version is raised first, then its lines change, then it gets one revision."""
    with transaction.atomic():
        changes = plan(query, replacement, keys)
        episode_ids = sorted({change.episode_id for change in changes})
        if not episode_ids:
            return []
        bump_version(episode_ids)
        lines = TranscriptLine.objects.in_bulk([change.line_id for change in changes])
        for change in changes:
            line = lines[change.line_id]
            if change.place == "speaker":
                line.speaker = change.new or None  # an emptied speaker is no speaker: no `who:` key
            else:
                line.text = change.new
        TranscriptLine.objects.bulk_update(lines.values(), ["text", "speaker"])
        note = f"replaced {query.pattern!r} with {replacement!r}"
        record_revisions(episode_ids, Revision.Reason.EDIT, user=user, note=note)
    return changes


def _search(query: Query, lines):
    """(row, place, value, match) of every non-empty match in ``lines``, all within one time budget."""
    pattern = query.compile()
    deadline = time.monotonic() + TIME_BUDGET
    rows = lines.order_by("episode_id", "position").values_list("pk", "episode_id", "position", "kind", "text", "speaker")
    for row in rows.iterator(chunk_size=2000):
        if time.monotonic() > deadline:
            raise SearchTooSlow(TOO_SLOW)
        for place, value in _places(query, *row[3:]):
            for match in _matches(pattern, value, deadline):
                yield row, place, value, match


def _places(query: Query, kind: str, text: str, speaker: str | None):
    if kind == TranscriptLine.Kind.HEADER:
        if "header" in query.places:
            yield "header", text
        return
    if "line" in query.places:
        yield "line", text
    if "speaker" in query.places and speaker:
        yield "speaker", speaker


def _matches(pattern: regex.Pattern, value: str, deadline: float):
    """The non-empty matches in ``value``, within what is left of the time budget."""
    try:
        for match in pattern.finditer(value, timeout=max(deadline - time.monotonic(), 0.001)):
            if match.end() > match.start():
                yield match
    except TimeoutError:
        raise SearchTooSlow(TOO_SLOW) from None


def _expand(query: Query, match, replacement: str) -> str:
    if not query.is_regex:
        return replacement
    try:
        return match.expand(replacement)
    except (regex.error, IndexError) as error:
        raise ValueError(f"Not a valid replacement: {error}.") from None
