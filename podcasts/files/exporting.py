"""From models back to files.

``episode_data`` / ``guest_data`` rebuild the front matter a file would hold
now; ``export_bytes`` writes it through the source layout kept at import, so
untouched values keep their exact text.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from podcasts.models import Episode, Guest, TranscriptLine

from . import frontmatter
from .frontmatter import decode_pairs
from .schema import EPISODE_SCALARS, GUEST_SCALARS


def transcript_item(line: TranscriptLine) -> dict:
    item = {line.kind: line.text}
    if line.sec is not None:
        item["sec"] = line.sec
    if line.time is not None:
        item["time"] = line.time
    if line.speaker is not None:
        item["who"] = line.speaker
    if line.extra:
        item = dict(sorted({**item, **decode_pairs(line.extra)}.items()))
    return item


def episode_data(episode: Episode) -> dict:
    values = {key: getattr(episode, spec.attribute) for key, spec in EPISODE_SCALARS.items()}
    values.update(
        guests=[row.guest_short for row in episode.episode_guests.all()],
        ids={row.platform: row.value for row in episode.platform_ids.all()},
        links={row.platform: row.url for row in episode.links.all()},
        quotableClips=[clip.as_item() for clip in episode.clips.all()],
        transcript=[transcript_item(line) for line in episode.transcript.all()],
        audio=episode.audio_item(),
    )
    return _assemble(episode, values)


def guest_data(guest: Guest) -> dict:
    return _assemble(guest, {key: getattr(guest, spec.attribute) for key, spec in GUEST_SCALARS.items()})


def _assemble(obj, values: dict) -> dict:
    """Keys in file order; a typed value that is set wins over one kept as written.

    A key the file had is written even when now empty; a key it lacked is
    added (at the end) only once it has a value."""
    kept = decode_pairs(obj.extra)
    data = {}
    for key in obj.front_matter_keys:
        value = values.get(key)
        if key in kept and _is_empty(value):
            value = kept[key]
        elif key not in values:
            continue
        data[key] = value
    for key, value in values.items():
        if key not in data and not _is_empty(value):
            data[key] = value
    for key, value in kept.items():
        data.setdefault(key, value)
    return data


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def front_matter(obj) -> dict:
    return episode_data(obj) if isinstance(obj, Episode) else guest_data(obj)


def export_bytes(obj, data: dict | None = None) -> bytes:
    """The file for ``obj``; pass ``data`` when the caller already built its front matter."""
    return frontmatter.dump(front_matter(obj) if data is None else data, obj.body, obj.source_layout)


def file_name(obj) -> str:
    return f"{obj.slug if isinstance(obj, Episode) else obj.short}.md"


def export_queryset(model, keys=None):
    queryset = model.objects.all()
    if model is Episode:
        queryset = queryset.for_export()
        if keys:
            queryset = queryset.filter(slug__in=keys)
    elif keys:
        queryset = queryset.filter(short__in=keys)
    return queryset


@dataclass
class ExportCounts:
    written: int = 0
    unchanged: int = 0


def export_to_dir(queryset, out_dir: Path) -> ExportCounts:
    """Write ``<key>.md`` for each object; a file whose bytes would not change is left alone."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = ExportCounts()
    for obj in queryset:
        target = out_dir / file_name(obj)
        content = export_bytes(obj)
        if target.exists() and target.read_bytes() == content:
            counts.unchanged += 1
            continue
        target.write_bytes(content)
        counts.written += 1
    return counts


@dataclass
class Difference:
    name: str
    diff: str


def compare_with_dir(
    queryset, directory: Path, *, context_lines: int = 2, max_diff_lines: int = 40
) -> tuple[int, list[Difference]]:
    """(files compared, differences) between what an export would write and ``directory``."""
    differences = []
    compared = 0
    for obj in queryset:
        compared += 1
        name = file_name(obj)
        target = directory / name
        content = export_bytes(obj)
        if not target.exists():
            differences.append(Difference(name, "only in the database"))
            continue
        on_disk = target.read_bytes()
        if on_disk != content:
            differences.append(Difference(name, _short_diff(on_disk, content, name, context_lines, max_diff_lines)))
    return compared, differences


def _short_diff(old: bytes, new: bytes, name: str, context_lines: int, max_lines: int) -> str:
    old_lines = old.decode("utf-8", "replace").splitlines(keepends=True)
    new_lines = new.decode("utf-8", "replace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(old_lines, new_lines, f"{name} (file)", f"{name} (export)", n=context_lines))
    if not lines:  # same text, different bytes: line endings, BOM or the final newline
        return "same lines, different bytes (line endings, byte order mark or final newline)"
    shown = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines[:max_lines])
    if len(lines) > max_lines:
        shown += f"... {len(lines) - max_lines} more diff lines\n"
    return shown
