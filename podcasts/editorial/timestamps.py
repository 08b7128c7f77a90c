"""Timestamps lists: an episode's headers as ``HH:MM:SS Title`` lines, the source site's chapter files.

Applying a list replaces every header as the source site's own script does: each
timestamp becomes a header before the first line whose ``sec`` is at or after it,
and one later than every line goes at the end; lines are never touched. A line
without ``sec`` counts as the next timed line's second (the header that opens its
section lands before it): with that rule 68 of the corpus's 147 lists give back
their episode's transcript exactly, against 58 when it counts as the second before
it. New header items are written by the export as PyYAML writes them, as the source's
tools did, so a list whose headers an episode already has changes nothing.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import F

from podcasts import timecode, transcripts
from podcasts.files.importing import FAILED, UNCHANGED, UPDATED, FileResult, read_files, refused
from podcasts.files.transcript_formats.common import TranscriptFormatError, decode_lines
from podcasts.models import Episode, Revision, TranscriptLine

from .revisions import record_revision
from .versions import bump_version

SKIPPED = "skipped"
_STAMP = re.compile(r"(\S+)\s+(\S.*)")
_EPISODE_CODE = re.compile(r"s(\d+)e(\d+)(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Stamp:
    sec: int
    title: str
    line: int  # in the list, 1-based

    @property
    def clock(self) -> str:
        return timecode.padded(self.sec)


def parse_list(data: bytes) -> list[Stamp]:
    """The timestamps of a list: ``HH:MM:SS Title`` per line (``H:MM:SS`` and ``M:SS`` too,
    ``timecode.parse``), blank lines skipped. ``TranscriptFormatError`` names the bad line."""
    stamps = []
    for number, text in enumerate(decode_lines(data), start=1):
        if not text.strip():
            continue
        match = _STAMP.fullmatch(text.strip())
        if match is None:
            raise TranscriptFormatError(number, f"{text.strip()!r} is not a time and a title, like 1:02:03 Introduction")
        try:
            sec = timecode.parse(match[1])
        except ValueError as error:
            raise TranscriptFormatError(number, f"{error}; write each line as HH:MM:SS Title") from None
        stamps.append(Stamp(sec, match[2], number))
    if not stamps:
        raise TranscriptFormatError(1, "the list holds no timestamps")
    return stamps


def timestamps_list(items) -> str:
    """The headers of ``items`` as a list: each at the second its section starts
    (``transcripts.header_times``); a header after the last timed line one second
    later, the only time a list can give to put it at the end."""
    after_last = max((item.sec for item in items if item.sec is not None), default=-1) + 1
    return "".join(
        f"{timecode.padded(after_last if start is None else start)} {' '.join(header.text.split())}\n"
        for header, start in transcripts.header_times(items)
    )


@dataclass
class Landing:
    """Where one timestamp's header goes: before ``line`` (None: at the end). ``kept`` is
    the current header it keeps when the same one is there already."""

    stamp: Stamp
    line: TranscriptLine | None
    position: int = 0  # in the new transcript
    kept: TranscriptLine | None = None


@dataclass
class Placement:
    """The transcript a list makes (lines as they are, new headers unsaved), where each
    header lands, and the current headers that go."""

    items: list[TranscriptLine]
    landings: list[Landing]
    removed: list[TranscriptLine] = field(default_factory=list)
    changed: bool = False


def place(current: list[TranscriptLine], stamps: list[Stamp]) -> Placement:
    """Every header of ``current`` replaced by one per stamp, each placed on its own (a list
    out of order still puts each header at its time); headers at one place keep list order.
    A header already at its place keeps its row (and its extra keys)."""
    lines = [item for item in current if not item.is_header]
    latest = list(itertools.accumulate((-1 if sec is None else sec for sec in _line_seconds(lines)), max))
    by_place: dict[int, list[Landing]] = {}
    for stamp in stamps:
        at = bisect.bisect_left(latest, stamp.sec)  # the first line at or after the stamp (latest is sorted)
        by_place.setdefault(at, []).append(Landing(stamp, lines[at] if at < len(lines) else None))
    landings = [landing for at in sorted(by_place) for landing in by_place[at]]
    removed = _keep_headers_in_place(current, landings)
    items = []
    for at in range(len(lines) + 1):
        for landing in by_place.get(at, []):
            landing.position = len(items)
            items.append(landing.kept or TranscriptLine(kind=TranscriptLine.Kind.HEADER, text=landing.stamp.title))
        if at < len(lines):
            items.append(lines[at])
    changed = [_key(item) for item in current] != [_key(item) for item in items]
    return Placement(items, landings, removed, changed)


def _line_seconds(lines: list[TranscriptLine]) -> list[int | None]:
    """Each line's second; a line without one takes the next timed line's, and lines
    after the last timed line none (no header lands before them)."""
    seconds, following = [], None
    for line in reversed(lines):
        following = line.sec if line.sec is not None else following
        seconds.append(following)
    return seconds[::-1]


def _key(item: TranscriptLine):
    return item.pk or ("new", item.text)


def _keep_headers_in_place(current: list[TranscriptLine], landings: list[Landing]) -> list[TranscriptLine]:
    """Give each landing the current header of its title that its line already had before it
    (``kept``); returns the current headers no landing keeps."""
    waiting = {}  # (line id or None, header text) -> current headers there, not kept yet
    pending = []
    for item in current:
        if item.is_header:
            pending.append(item)
            continue
        for header in pending:
            waiting.setdefault((item.pk, header.text), []).append(header)
        pending = []
    for header in pending:
        waiting.setdefault((None, header.text), []).append(header)
    for landing in landings:
        there = waiting.get((landing.line.pk if landing.line else None, landing.stamp.title))
        if there:
            landing.kept = there.pop(0)
    return sorted((header for headers in waiting.values() for header in headers), key=lambda header: header.position)


def apply_timestamps(episode: Episode, stamps: list[Stamp], *, version: int, user=None, note: str) -> Placement:
    """Replace the episode's headers with ``stamps`` as one change and one revision, if
    ``version`` is current; a list that changes nothing writes nothing."""
    current = list(episode.transcript.all())
    placement = place(current, stamps)
    if placement.changed:
        with transaction.atomic():
            bump_version([episode.pk], expected=version)
            _write_headers(episode, len(current), placement.items)
            record_revision(episode, Revision.Reason.EDIT, user=user, note=note)
    return placement


def _write_headers(episode: Episode, current_count: int, items: list[TranscriptLine]) -> None:
    """The headers that go deleted, the new ones inserted, every other row moved to its new
    position: lines and kept headers keep their rows (ids, extra keys)."""
    kept = [item.pk for item in items if item.pk]
    episode.transcript.filter(kind=TranscriptLine.Kind.HEADER).exclude(pk__in=kept).delete()
    # Past every old and every final position, so that no row ever takes another's place.
    episode.transcript.update(position=F("position") + current_count + len(items))
    for position, item in enumerate(items):
        item.position, item.episode_id = position, episode.pk
    TranscriptLine.objects.bulk_update([item for item in items if item.pk], ["position"])
    TranscriptLine.objects.bulk_create([item for item in items if not item.pk])


# Lists as files: the apply_timestamps command.


@dataclass
class ListsReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(result.status == FAILED for result in self.results)

    def summary(self) -> str:
        counts = Counter(result.status for result in self.results)
        return ", ".join(f"{status} {counts[status]}" for status in (UPDATED, UNCHANGED, SKIPPED, FAILED))


def apply_list_files(paths: list[Path], *, dry_run: bool = False) -> ListsReport:
    """Apply each ``*.txt`` list among ``paths`` (files or folders) to its episode: the one
    named ``<slug>.txt``, else the one whose season and number its ``sNNeMM`` prefix gives.
    An unknown or ambiguous match, or two lists for one episode, is skipped, never guessed.
    One transaction per file."""
    found = list(read_files(paths, "*.txt"))
    matches = {path: _match(path.name) for path, _ in found}
    claimed = Counter(episode.pk for episode, _ in matches.values() if episode is not None)
    report = ListsReport()
    for path, data in found:
        episode, problem = matches[path]
        if not isinstance(data, bytes):
            result = data
        elif episode is None:
            result = FileResult(str(path), SKIPPED, f"{path}: skipped: {problem}")
        elif claimed[episode.pk] > 1:
            others = ", ".join(str(other) for other, (match, _) in matches.items() if match == episode and other != path)
            result = FileResult(str(path), SKIPPED, f"{path}: skipped: {others} is for {episode.slug} too")
        else:
            result = _apply_file(episode, str(path), data, dry_run=dry_run)
        report.results.append(result)
    return report


def _match(name: str) -> tuple[Episode | None, str]:
    """The episode a list file is for, or why there is none."""
    episode, problem = _named(name)
    if episode is not None and not episode.transcript.filter(kind=TranscriptLine.Kind.LINE).exists():
        return None, f"{episode.slug} has no transcript lines to put headers among"
    return episode, problem


def _named(name: str) -> tuple[Episode | None, str]:
    slug = name.removesuffix(".txt")
    episode = Episode.objects.filter(slug=slug).first()
    if episode is not None:
        return episode, ""
    code = _EPISODE_CODE.match(name)
    if code is None:
        return None, f"no episode {slug!r}, and the name does not start with sNNeMM (season and number)"
    season, number = int(code[1]), int(code[2])
    candidates = list(Episode.objects.filter(season=season, number=number).order_by("slug")[:5])
    if len(candidates) == 1:
        return candidates[0], ""
    if not candidates:
        return None, f"no episode {slug!r}, nor any of season {season}, number {number}"
    return None, f"season {season}, number {number} is {', '.join(episode.slug for episode in candidates)}: which one is a guess"


def _apply_file(episode: Episode, name: str, data: bytes, *, dry_run: bool) -> FileResult:
    try:
        stamps = parse_list(data)
    except TranscriptFormatError as error:
        return refused(name, error.message, error.line)
    with transaction.atomic():
        episode = Episode.objects.select_for_update().get(pk=episode.pk)
        placement = apply_timestamps(episode, stamps, version=episode.version, note=f"headers from {Path(name).name}")
        if dry_run:
            transaction.set_rollback(True)
    if not placement.changed:
        return FileResult(name, UNCHANGED)
    new = sum(not landing.kept for landing in placement.landings)
    return FileResult(name, UPDATED, changes=[f"{episode.slug}: {new} headers added, {len(placement.removed)} removed"])
