"""Editing a transcript: the operations of the editor, and saving its items as one change."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from podcasts import transcripts
from podcasts.files.bulk import insert_rows
from podcasts.models import Episode, Revision, TranscriptLine

from .revisions import record_revision
from .versions import bump_version

OPERATIONS = ("delete", "up", "down", "insert-header", "to-header", "to-line", "merge-next", "swap")


@dataclass
class Item:
    """One transcript item as the editor submits it; ``id`` is None for a new one."""

    id: int | None
    kind: str
    text: str
    speaker: str | None = None
    sec: int | None = None
    time: str | None = None


def current_items(episode: Episode) -> list[Item]:
    return [Item(line.id, line.kind, line.text, line.speaker, line.sec, line.time) for line in episode.transcript.all()]


def save_transcript(episode: Episode, items: list[Item], *, version: int, user=None, note: str = "transcript edited") -> None:
    """Replace the transcript with ``items`` (in order) if ``version`` is current.

    Keys of an item that no field holds travel with its id."""
    with transaction.atomic():
        bump_version([episode.pk], expected=version)
        extras = dict(episode.transcript.filter(extra__isnull=False).values_list("id", "extra"))
        episode.transcript.all().delete()
        insert_rows(
            TranscriptLine,
            ("episode", "position", "kind", "text", "speaker", "sec", "time", "extra"),
            [
                (episode.pk, position, item.kind, item.text, item.speaker, item.sec, item.time, extras.get(item.id))
                for position, item in enumerate(items)
            ],
        )
        record_revision(episode, Revision.Reason.EDIT, user=user, note=note)


def replace_transcript(
    episode: Episode, new_items: list[dict], *, speakers: dict[str, str], version: int, user=None, note: str
) -> list[Item]:
    """Make ``new_items`` (read from a raw transcript, as ``transcript:`` entries) the
    episode's transcript, with each ``who`` renamed through ``speakers`` (e.g. ``Speaker 1``
    to ``Alexey``). The episode's own headers stay, by time (``headers_by_time``), unless the
    new transcript brings headers of its own. One revision; returns the items saved."""
    lines = [
        Item(None, TranscriptLine.Kind.HEADER, entry["header"])
        if "header" in entry
        else Item(
            None,
            TranscriptLine.Kind.LINE,
            entry["line"],
            speakers.get(entry.get("who"), entry.get("who")),
            entry["sec"],
            entry["time"],
        )
        for entry in new_items
    ]
    if not any(item.kind == TranscriptLine.Kind.HEADER for item in lines):
        lines = headers_by_time(list(episode.transcript.all()), lines)
    save_transcript(episode, lines, version=version, user=user, note=note)
    return lines


def headers_by_time(current: list[TranscriptLine], lines: list[Item]) -> list[Item]:
    """``lines`` with the headers of ``current`` put back: each before the first line at or
    after the second its section started (``transcripts.header_times``); a header whose
    section had no timed line goes last. Headers keep their ids, so their extra keys stay."""
    timed, untimed = [], []
    for header, start in transcripts.header_times(current):
        (untimed if start is None else timed).append((start, Item(header.id, TranscriptLine.Kind.HEADER, header.text)))
    merged = []
    for line in lines:
        while timed and line.sec is not None and timed[0][0] <= line.sec:
            merged.append(timed.pop(0)[1])
        merged.append(line)
    return merged + [header for _, header in timed] + [header for _, header in untimed]


def apply_operation(items: list[Item], operation: str, target: int) -> list[Item]:
    """One editor operation on the item at index ``target``; returns the new list."""
    if not 0 <= target < len(items):
        raise ValueError(f"There is no item {target}.")
    items = list(items)
    item = items[target]
    if operation == "delete":
        del items[target]
    elif operation == "up" and target > 0:
        items[target - 1], items[target] = items[target], items[target - 1]
    elif operation == "down" and target < len(items) - 1:
        items[target + 1], items[target] = items[target], items[target + 1]
    elif operation == "insert-header":
        items.insert(target, Item(None, TranscriptLine.Kind.HEADER, "New section"))
    elif operation == "to-header":
        items[target] = Item(item.id, TranscriptLine.Kind.HEADER, item.text)
    elif operation == "to-line":
        items[target] = Item(item.id, TranscriptLine.Kind.LINE, item.text, item.speaker, item.sec, item.time)
    elif operation == "merge-next":
        following = items[target + 1] if target + 1 < len(items) else None
        if item.kind != TranscriptLine.Kind.HEADER or following is None or following.kind != TranscriptLine.Kind.HEADER:
            raise ValueError("Only a header followed by another header can be merged with it.")
        items[target] = Item(item.id, item.kind, f"{item.text} {following.text}".strip())
        del items[target + 1]
    elif operation == "swap":
        if item.kind != TranscriptLine.Kind.LINE:
            raise ValueError("Only a line has a speaker to swap with its text.")
        items[target] = Item(item.id, item.kind, item.speaker or "", item.text, item.sec, item.time)
    elif operation not in ("up", "down"):
        raise ValueError(f"Unknown operation {operation!r}.")
    return items
