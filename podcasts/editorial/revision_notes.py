"""What changed between two versions of a file, in an editor's words: a revision's summary.

``change_summary(old, new)`` compares two parsed files (``frontmatter.Document``):
"renamed header 8; deleted 2 lines; speaker 'Alexey:' → 'Alexey' on 56 lines; title
changed". Items are numbered by their position in the transcript (from 0, as the audit
and the editor number them). The runs of items that differ come from ``files.changes.hunks``
(near-linear whatever the transcript holds); a removed item is then paired with an added
one that is the same (moved) or differs from it in one respect only.
"""

from collections import defaultdict
from dataclasses import dataclass

from podcasts.files import frontmatter
from podcasts.files.changes import hunks

SHOWN = 3  # item numbers listed before only their count is


@dataclass(frozen=True)
class _Item:
    position: int
    kind: str
    text: str
    speaker: object
    time: object
    sec: object
    fingerprint: str


def change_summary(old: frontmatter.Document | None, new: frontmatter.Document | None) -> str:
    if new is None:
        return "not a readable file"
    if old is None:
        return "first revision"
    parts = _transcript_changes(old.data.get("transcript"), new.data.get("transcript"))
    parts += _key_changes(old.data, new.data)
    if old.body != new.body:
        parts.append("body changed")
    return "; ".join(parts) or "no change"


def _key_changes(old: dict, new: dict) -> list[str]:
    names = {"quotableClips": "clips", "episode": "episode number", "short": "short title"}
    changes = []
    for key in dict.fromkeys([*old, *new]):
        name = names.get(key, key)
        if key == "transcript" and key in old and key in new:
            continue
        if key not in new:
            changes.append(f"{name} removed")
        elif key not in old:
            changes.append(f"{name} added")
        elif frontmatter.fingerprint(old[key], 1) != frontmatter.fingerprint(new[key], 1):
            changes.append(f"{name} changed")
    return changes


def _items(values) -> list[_Item]:
    items = []
    for position, value in enumerate(values if isinstance(values, list) else []):
        value = value if isinstance(value, dict) else {"line": value}
        kind = "header" if "header" in value else "line"
        text = value.get(kind)
        fingerprint = frontmatter.fingerprint(value)
        items.append(_Item(position, kind, text, value.get("who"), value.get("time"), value.get("sec"), fingerprint))
    return items


def _transcript_changes(old_values, new_values) -> list[str]:
    old_values, new_values = (values if isinstance(values, list) else [] for values in (old_values, new_values))
    old, new = _items(old_values), _items(new_values)
    removed, added = [], []
    for hunk in hunks(old_values, new_values):
        removed += old[hunk.old_start : hunk.old_end]
        added += new[hunk.new_start : hunk.new_end]
    described = _paired_changes(removed, added)
    for items, verb in ((removed, "deleted"), (added, "added")):
        for kind in ("line", "header"):
            count = sum(item.kind == kind for item in items)
            if count:
                described.append(f"{verb} {_count(count, kind)}")
    return described


def _paired_changes(removed: list[_Item], added: list[_Item]) -> list[str]:
    """Describe removed/added pairs that differ in one respect; the pairs leave both lists."""
    speakers, edited, renamed, converted, retimed, moved = defaultdict(list), [], [], [], [], []

    def same(key):
        return key, key

    def other_kind(item):
        return item.text, "line" if item.kind == "header" else "header"

    passes = (  # (key of a removed item, key of an added item, where the pair goes)
        (*same(lambda item: item.fingerprint), lambda old, new: moved),
        (*same(lambda item: (item.kind, item.text, item.time, item.sec)), lambda old, new: speakers[(old.speaker, new.speaker)]),
        (
            *same(lambda item: (item.kind, item.speaker, item.time, item.sec)),
            lambda old, new: edited if new.kind == "line" else renamed,
        ),
        (*same(lambda item: (item.kind, item.text, item.speaker)), lambda old, new: retimed),
        (lambda item: (item.text, item.kind), other_kind, lambda old, new: converted),
    )
    for removed_key, added_key, bucket in passes:
        waiting = defaultdict(list)
        for item in removed:
            waiting[removed_key(item)].append(item)
        paired_old, paired_new = set(), set()
        for item in added:
            candidates = waiting.get(added_key(item))
            if candidates:
                old = candidates.pop(0)
                bucket(old, item).append((old, item))
                paired_old.add(old.position)
                paired_new.add(item.position)
        removed[:] = [item for item in removed if item.position not in paired_old]
        added[:] = [item for item in added if item.position not in paired_new]
    changes = []
    if renamed:
        if len(renamed) == 1:
            old, new = renamed[0]
            changes.append(f"renamed header {new.position} ({_quote(old.text)} → {_quote(new.text)})")
        else:
            changes.append(f"renamed headers {_positions(renamed)}")
    if edited:
        changes.append(f"edited {_lines(edited)}")
    for (old_speaker, new_speaker), pairs in speakers.items():
        changes.append(f"speaker {_quote(old_speaker)} → {_quote(new_speaker)} on {_lines(pairs)}")
    for old_kind, new_kind in (("line", "header"), ("header", "line")):
        pairs = [pair for pair in converted if pair[1].kind == new_kind]
        if len(pairs) == 1:
            changes.append(f"turned {old_kind} {pairs[0][1].position} into a {new_kind}")
        elif pairs:
            changes.append(f"turned {len(pairs)} {old_kind}s into {new_kind}s")
    if retimed:
        changes.append(f"changed the time of {_lines(retimed)}")
    if moved:
        changes.append(f"moved {_count(len(moved), 'item')}")
    return changes


def _lines(pairs) -> str:
    if len(pairs) <= SHOWN:
        return f"line{'s' if len(pairs) > 1 else ''} {_positions(pairs)}"
    return _count(len(pairs), "line")


def _positions(pairs) -> str:
    numbers = [str(new.position) for _, new in pairs]
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _quote(value) -> str:
    return "no speaker" if value is None else repr(value)
