"""Editing a transcript: the editor's changes item by item, and replacing it whole.

An editor's change names the items it touches and the state the editor loaded each
in (``fingerprint``), so editors working on different items never conflict, a rename
elsewhere does not spoil a pending text edit, and only a field someone else changed
meanwhile is a ``Conflict``. Rows are updated in place: an item keeps its id."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from podcasts import timecode, transcripts
from podcasts.files.bulk import insert_rows
from podcasts.files.schema import control_character_problem
from podcasts.models import Episode, Revision, TranscriptLine

from .revisions import record_revision
from .versions import bump_version


@dataclass
class Item:
    """One transcript item as the editor submits it; ``id`` is None for a new one."""

    id: int | None
    kind: str
    text: str
    speaker: str | None = None
    sec: int | None = None
    time: str | None = None


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


FIELDS = ("speaker", "time", "text")
ROW_ACTIONS = (
    ("to-header", "Make it a header"),
    ("to-line", "Make it a line"),
    ("insert-header", "Insert a header before it"),
    ("split", "Split it at the cursor"),
    ("merge", "Merge it into the item before"),
    ("swap", "Swap its speaker and text"),
    ("up", "Move it up"),
    ("down", "Move it down"),
    ("delete", "Delete it"),
)
OPERATIONS = tuple(name for name, _ in ROW_ACTIONS)
NEW_HEADER = "New section"
# While a block of rows moves, positions are parked above every real one: the unique
# (episode, position) constraint is checked row by row, so a plain +1 would collide.
PARKED = 1_000_000_000


def field_value(line: TranscriptLine, name: str) -> str:
    """A field as the editor's input shows it: no speaker or time is an empty input."""
    return getattr(line, name) or ""


def _digest(value: str) -> str:
    return base64.urlsafe_b64encode(hashlib.blake2b(value.encode(), digest_size=4).digest()).decode().rstrip("=")


def fingerprint(line: TranscriptLine) -> str:
    """The item as the editor loaded it: one short digest per field of ``FIELDS``."""
    return ".".join(_digest(field_value(line, name)) for name in FIELDS)


@dataclass
class ItemEdit:
    """One item as the editor's row submits it: ``values`` holds the fields the row has, as typed."""

    id: int
    base: str
    values: dict[str, str]


@dataclass
class Operation:
    """A row action on item ``target``. ``neighbor``: the item the editor sees on the other
    side of a move or merge (checked, when given, so nobody else's item is swapped instead);
    ``at``: where a split cuts the text."""

    name: str
    target: int
    at: int | None = None
    neighbor: int | None = None


@dataclass
class Conflict:
    field: str
    theirs: str  # saved by someone else since the editor loaded the item
    yours: str


@dataclass
class Outcome:
    """What a change did: ``rows`` are the items it touched as saved, in order (they take the
    place of the target's row and of ``replaced``'s); nothing is saved when there are
    ``conflicts`` (item id -> field -> Conflict). ``lost``: edits of items deleted meanwhile."""

    changed: bool = False
    rows: list[TranscriptLine] = field(default_factory=list)
    replaced: int | None = None
    conflicts: dict[int, dict[str, Conflict]] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)


def edit_items(episode: Episode, edits: list[ItemEdit], operation: Operation | None = None, *, user=None) -> Outcome:
    """Apply the editor's field edits, then ``operation``, as one change, in a number of
    queries that does not grow with the transcript. A change that changes nothing stores
    nothing and raises no version. ValueError for input no item can hold."""
    with transaction.atomic():
        Episode.objects.select_for_update().filter(pk=episode.pk).exists()  # editors of one episode take turns
        ids = {edit.id for edit in edits} | ({operation.target} if operation else set())
        stored = TranscriptLine.objects.filter(episode=episode).in_bulk(ids)
        outcome, changed = Outcome(), {}
        for edit in edits:
            line = stored.get(edit.id)
            changes, conflicts = _merge(line, edit) if line else ({}, {})
            if line is None and _edited(edit):
                outcome.lost.append(edit.values.get("text", ""))
            if conflicts:
                outcome.conflicts[edit.id] = conflicts
            elif changes:
                changed[edit.id] = _changed(line, changes)
        if outcome.conflicts:
            outcome.rows = [stored[pk] for pk in outcome.conflicts]
            return outcome
        plan = _plan(episode, stored, operation) if operation else None
        if not changed and plan is None:
            outcome.rows = sorted(stored.values(), key=lambda line: line.position)
            return outcome
        bump_version([episode.pk], editor=user)  # joins the editor's edit burst: no export per change
        TranscriptLine.objects.bulk_update(changed.values(), ["text", "speaker", "sec", "time"])
        if plan is not None:
            outcome.rows, outcome.replaced = plan()
        else:
            outcome.rows = list(changed.values())
        record_revision(episode, Revision.Reason.EDIT, user=user)
        outcome.changed = True
        return outcome


def _edited(edit: ItemEdit) -> bool:
    bases = edit.base.split(".")
    return any(_digest(value) not in bases for value in edit.values.values())


def _merge(line: TranscriptLine, edit: ItemEdit) -> tuple[dict, dict]:
    """The fields the editor changed (field -> value) and those someone else changed too."""
    bases = edit.base.split(".")
    if len(bases) != len(FIELDS):
        raise ValueError("the page sent an item without the state it was loaded in; reload it")
    changes, conflicts = {}, {}
    for name, base in zip(FIELDS, bases, strict=True):
        if name not in edit.values:
            continue
        yours, theirs = _as_typed(name, edit.values[name], line), field_value(line, name)
        if _digest(yours) == base or yours == theirs:
            continue
        if _digest(theirs) != base:
            conflicts[name] = Conflict(name, theirs, yours)
        else:
            changes[name] = yours
    return changes, conflicts


def _as_typed(name: str, value: str, line: TranscriptLine) -> str:
    """Browsers send a text's line breaks as CRLF: LF again unless the text had CRLF."""
    if name == "time":
        return value.strip()
    if name == "text" and "\r\n" in value and "\r\n" not in line.text:
        return value.replace("\r\n", "\n")
    return value


def _changed(line: TranscriptLine, changes: dict) -> TranscriptLine:
    for name, value in changes.items():
        problem = control_character_problem(value)
        if problem:
            raise ValueError(f"item {line.position}: the {name} {problem}; remove it")
    if "time" in changes:
        line.sec, line.time = (timecode.parse(changes["time"]), changes["time"]) if changes["time"] else (None, None)
    if "speaker" in changes:
        line.speaker = changes["speaker"] or None  # no speaker: the item has no `who` key
    line.text = changes.get("text", line.text)
    return line


def _plan(episode: Episode, stored: dict, operation: Operation):
    """Check ``operation`` against the items as stored and return the function that applies
    it (returning the rows to show and the neighbor they replace), or None when it changes nothing."""
    if operation.name not in OPERATIONS:
        raise ValueError(f"there is no row action {operation.name!r}")
    target = stored.get(operation.target)
    if target is None:
        raise ValueError("this item was deleted by someone else; reload the page")
    name, position = operation.name, target.position
    if name in ("up", "merge", "down"):
        neighbor = episode.transcript.filter(position=position + (1 if name == "down" else -1)).first()
        if neighbor is None:
            if name == "merge":
                raise ValueError("the first item has nothing before it to merge with")
            return None
        if operation.neighbor is not None and neighbor.pk != operation.neighbor:
            raise ValueError("the items around this one changed; reload the page")
        if name == "merge":
            return _merge_plan(episode, neighbor, target)
        return lambda: _swap_places(target, neighbor)
    if name == "delete":
        return lambda: _delete(episode, target)
    if name == "insert-header":
        return lambda: _insert_header(episode, target)
    if name == "split":
        return _split_plan(episode, target, operation.at)
    if name == "swap" and target.kind != TranscriptLine.Kind.LINE:
        raise ValueError("only a line has a speaker to swap with its text")
    kind = {"to-header": TranscriptLine.Kind.HEADER, "to-line": TranscriptLine.Kind.LINE}.get(name, target.kind)
    if kind == target.kind and name != "swap":
        return None
    return lambda: _convert(target, name)


def _convert(line: TranscriptLine, name: str):
    if name == "swap":
        line.text, line.speaker = line.speaker or "", line.text
    elif name == "to-header":
        line.kind, line.speaker, line.sec, line.time = TranscriptLine.Kind.HEADER, None, None, None
    else:
        line.kind = TranscriptLine.Kind.LINE
    line.save(update_fields=["kind", "text", "speaker", "sec", "time"])
    return [line], None


def _swap_places(target: TranscriptLine, neighbor: TranscriptLine):
    target.position, neighbor.position = neighbor.position, target.position
    TranscriptLine.objects.filter(pk__in=[target.pk, neighbor.pk]).update(position=F("position") + PARKED)
    for line in (target, neighbor):
        TranscriptLine.objects.filter(pk=line.pk).update(position=line.position)
    return sorted([target, neighbor], key=lambda line: line.position), neighbor.pk


def _shift(episode: Episode, start: int, by: int) -> None:
    """Move every item from position ``start`` on by ``by``, in two UPDATEs."""
    TranscriptLine.objects.filter(episode=episode, position__gte=start).update(position=F("position") + PARKED)
    TranscriptLine.objects.filter(episode=episode, position__gte=PARKED).update(position=F("position") - PARKED + by)


def _delete(episode: Episode, line: TranscriptLine):
    line.delete()
    _shift(episode, line.position + 1, -1)
    return [], None


def _insert(episode: Episode, position: int, item: Item) -> TranscriptLine:
    """``item`` as a new row at ``position``, the items from there on moved down one."""
    _shift(episode, position, 1)
    return TranscriptLine.objects.create(
        episode=episode, position=position, kind=item.kind, text=item.text, speaker=item.speaker, sec=item.sec, time=item.time
    )


def _insert_header(episode: Episode, line: TranscriptLine):
    header = _insert(episode, line.position, Item(None, TranscriptLine.Kind.HEADER, NEW_HEADER))
    line.position += 1
    return [header, line], None


def _merge_plan(episode: Episode, previous: TranscriptLine, line: TranscriptLine):
    if previous.kind != line.kind or (line.kind == TranscriptLine.Kind.LINE and line.speaker not in (None, previous.speaker)):
        raise ValueError("only two headers, or two lines of the same speaker, can be merged")
    same = previous.text.strip() == line.text.strip()  # a header repeated by mistake stays one header

    def merge():
        previous.text = previous.text if same else f"{previous.text.rstrip()} {line.text.lstrip()}".strip()
        previous.save(update_fields=["text"])
        _delete(episode, line)
        return [previous], previous.pk

    return merge


def _split_plan(episode: Episode, line: TranscriptLine, at: int | None):
    head, tail = (line.text[:at].rstrip(), line.text[at:].lstrip()) if at is not None else ("", "")
    if not head or not tail:
        raise ValueError("put the cursor inside the text, where the new item should start")

    def split():
        line.text = head
        line.save(update_fields=["text"])
        return [line, _insert(episode, line.position + 1, Item(None, line.kind, tail, line.speaker, line.sec, line.time))], None

    return split
