"""What differs between two versions of an episode's front matter, item by item, and the
three-way merge of a new file with the CMS edits made since the last import.

Pure functions over front-matter values (``dict``), no Django. Items are compared by
fingerprint (``frontmatter.fingerprint``). Alignment stays near-linear whatever the
transcript holds: common prefix and suffix, then the items found once on each side
(``anchors``), and a general diff only inside a stretch small enough for it.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
from collections import Counter
from dataclasses import dataclass, field

from .frontmatter import fingerprint

TRANSCRIPT = "transcript"
MISSING = object()
DIFF_LIMIT = 250_000  # old × new items of a stretch given to a (quadratic) general diff; above, one block


@dataclass(frozen=True)
class Shown:
    """One side of a change as the preview shows it."""

    text: str
    speaker: str = ""
    time: str = ""
    kind: str = ""  # "header" or "line" for transcript items


@dataclass(frozen=True)
class Change:
    place: str  # "title", "transcript item 12"
    old: Shown | None
    new: Shown | None


@dataclass(frozen=True)
class Hunk:
    """Items ``old[old_start:old_end]`` became ``new[new_start:new_end]``."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass
class Merged:
    """The file's values with the CMS edits that touch nothing the file changed (``kept``);
    the CMS edits that do touch the same values or items are lost (``lost``)."""

    data: dict
    body: str
    kept: list[Change] = field(default_factory=list)
    lost: list[Change] = field(default_factory=list)


def changes(old: dict, new: dict) -> list[Change]:
    """Every changed key, and every transcript item added, removed or changed."""
    result = []
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key, MISSING), new.get(key, MISSING)
        if key == TRANSCRIPT and isinstance(before, list) and isinstance(after, list):
            result += [change for hunk in hunks(before, after) for change in _hunk_changes(before, after, hunk)]
        elif not _same(before, after):
            result.append(_key_change(key, before, after))
    return result


def merge(base: dict, base_body: str, ours: dict, our_body: str, theirs: dict, their_body: str) -> Merged:
    """Three-way merge: ``base`` is the file last imported, ``ours`` the CMS state, ``theirs``
    the new file. A value or a run of items only the CMS changed keeps the CMS version; where
    both changed the same value or items, the file wins and the CMS edit is ``lost``."""
    merged = Merged({}, their_body)
    for key in dict.fromkeys([*theirs, *ours]):  # the file's order; keys only the CMS added go last
        b, o, t = (side.get(key, MISSING) for side in (base, ours, theirs))
        if key == TRANSCRIPT and all(isinstance(side, list) for side in (b, o, t)):
            value = _merge_items(b, o, t, merged)
        else:
            value = _merge_value(key, b, o, t, merged)
        if value is not MISSING:
            merged.data[key] = value
    merged.body = _merge_value("body", base_body, our_body, their_body, merged)
    return merged


def _merge_value(key, b, o, t, merged: Merged):
    if _same(o, b) or _same(o, t):
        return t
    if _same(t, b):
        merged.kept.append(_key_change(key, b, o))
        return o
    merged.lost.append(_key_change(key, b, o))
    return t


def _merge_items(base: list, ours: list, theirs: list, merged: Merged) -> list:
    """diff3 over transcript items: runs of edits from either side that touch (overlap, or
    insert at one place) form a cluster; a cluster with edits of one side takes that side,
    one with edits of both takes the file's items."""
    cms = [("cms", hunk) for hunk in hunks(base, ours)]
    files = [("file", hunk) for hunk in hunks(base, theirs)]
    edits = sorted(cms + files, key=lambda pair: (pair[1].old_start, pair[1].old_end))
    result, done, shift = [], 0, {"cms": 0, "file": 0}  # shift: new index minus base index so far
    index = 0
    while index < len(edits):
        cluster = [edits[index]]
        start, end = edits[index][1].old_start, edits[index][1].old_end
        index += 1
        while index < len(edits) and _touch(start, end, edits[index][1].old_start, edits[index][1].old_end):
            cluster.append(edits[index])
            end = max(end, edits[index][1].old_end)
            index += 1
        sides = {side for side, _ in cluster}
        before = dict(shift)
        for side, hunk in cluster:
            shift[side] += (hunk.new_end - hunk.new_start) - (hunk.old_end - hunk.old_start)
        result += base[done:start]
        our_items = ours[start + before["cms"] : end + shift["cms"]]
        their_items = theirs[start + before["file"] : end + shift["file"]]
        cms_changes = [change for side, hunk in cluster if side == "cms" for change in _hunk_changes(base, ours, hunk)]
        if sides == {"cms"}:
            result += our_items
            merged.kept += cms_changes
        else:
            result += their_items
            if "cms" in sides and [fingerprint(item) for item in our_items] != [fingerprint(item) for item in their_items]:
                merged.lost += cms_changes
        done = end
    return result + base[done:]


def _touch(start: int, end: int, other_start: int, other_end: int) -> bool:
    """Two edits of base items touch when they overlap, or insert at the same place, or
    one inserts inside the other's run; an insertion just before or after a run does not."""
    if start == end and other_start == other_end:
        return start == other_start
    return start < other_end and other_start < end


def hunks(old: list, new: list) -> list[Hunk]:
    """The runs of items that differ, in order."""
    old_fps, new_fps = [fingerprint(item) for item in old], [fingerprint(item) for item in new]
    result = []
    for (old_before, new_before), (old_after, new_after) in itertools.pairwise(stayers(old_fps, new_fps)):
        o0, n0 = old_before + 1, new_before + 1
        if (o0, n0) == (old_after, new_after):
            continue
        if (old_after - o0) * (new_after - n0) > DIFF_LIMIT:
            result.append(Hunk(o0, old_after, n0, new_after))
            continue
        matcher = difflib.SequenceMatcher(None, old_fps[o0:old_after], new_fps[n0:new_after], autojunk=False)
        result += [Hunk(o0 + i1, o0 + i2, n0 + j1, n0 + j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return result


def stayers(old_fps: list[str], new_fps: list[str]) -> list[tuple[int, int]]:
    """(old index, new index) of items that certainly stay, bracketed by the last item of
    the common prefix and the first of the common suffix: the items between two of them
    are what may differ. Near-linear in the items, whatever they hold."""
    start = 0
    while start < min(len(old_fps), len(new_fps)) and old_fps[start] == new_fps[start]:
        start += 1
    old_end, new_end = len(old_fps), len(new_fps)
    while old_end > start and new_end > start and old_fps[old_end - 1] == new_fps[new_end - 1]:
        old_end, new_end = old_end - 1, new_end - 1
    found = anchors(old_fps[start:old_end], new_fps[start:new_end])
    return [(start - 1, start - 1), *((o + start, n + start) for o, n in found), (old_end, new_end)]


def anchors(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """(old index, new index) of the items found exactly once on each side, the longest run
    of them whose order both sides agree on: what certainly stayed."""
    old_counts, new_counts = Counter(old), Counter(new)
    new_index = {fp: index for index, fp in enumerate(new) if new_counts[fp] == 1}
    pairs = [(index, new_index[fp]) for index, fp in enumerate(old) if old_counts[fp] == 1 and fp in new_index]
    # Longest increasing run of new indexes (patience sorting): the smallest last new index of
    # a run of each length so far, the pair holding it, and each pair's predecessor in its run.
    tails, tail_pairs, previous = [], [], []
    for position, (_, new_at) in enumerate(pairs):
        length = bisect.bisect_left(tails, new_at)
        previous.append(tail_pairs[length - 1] if length else None)
        if length == len(tails):
            tails.append(new_at)
            tail_pairs.append(position)
        else:
            tails[length], tail_pairs[length] = new_at, position
    run = []
    position = tail_pairs[-1] if tail_pairs else None
    while position is not None:
        run.append(pairs[position])
        position = previous[position]
    return run[::-1]


def _hunk_changes(old: list, new: list, hunk: Hunk) -> list[Change]:
    """A hunk as changes: its items paired in order (changed), then the rest added or removed."""
    removed, added = old[hunk.old_start : hunk.old_end], new[hunk.new_start : hunk.new_end]
    result = []
    for offset, (before, after) in enumerate(itertools.zip_longest(removed, added, fillvalue=MISSING)):
        at = hunk.new_start + offset if after is not MISSING else hunk.old_start + offset
        result.append(Change(f"transcript item {at}", _shown_item(before), _shown_item(after)))
    return result


def _shown_item(item) -> Shown | None:
    if item is MISSING:
        return None
    if not isinstance(item, dict):
        return Shown(_short(item))
    kind = "header" if "header" in item else "line"
    return Shown(_short(item.get(kind, "")), _short(item.get("who", "")), _short(item.get("time", "")), kind)


def _key_change(key: str, before, after) -> Change:
    return Change(key, None if before is MISSING else Shown(_short(before)), None if after is MISSING else Shown(_short(after)))


def _short(value, limit: int = 500) -> str:
    text = value if isinstance(value, str) else "" if value is None else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same(a, b) -> bool:
    if a is MISSING or b is MISSING:
        return a is b
    return fingerprint(a) == fingerprint(b)
