"""From files to models: one transaction per file, a result per file.

The same functions serve the management commands and the admin upload.
A file is identified by its name: ``<slug>.md`` for an episode, ``<short>.md``
for a guest. Re-importing the file last imported is a no-op; importing over
an object that was edited in the CMS since is refused unless forced, because
it would silently throw those edits away.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import logging
import os
import stat
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from podcasts import fulltext
from podcasts.editorial.revisions import record_revision
from podcasts.editorial.versions import bump_version
from podcasts.models import Episode, EpisodeGuest, Guest, Link, PlatformId, QuotableClip, Revision, TranscriptLine

from . import frontmatter, schema
from .bulk import insert_rows
from .exporting import export_bytes, front_matter
from .frontmatter import FormatError

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"

logger = logging.getLogger(__name__)


@dataclass
class FileResult:
    name: str
    status: str
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(result.status for result in self.results)

    @property
    def failed(self) -> bool:
        return self.counts[FAILED] > 0

    def summary(self) -> str:
        counts = self.counts
        return ", ".join(f"{status} {counts[status]}" for status in (CREATED, UPDATED, UNCHANGED, FAILED))


@dataclass(frozen=True)
class Kind:
    """What differs between importing episodes and importing guests."""

    model: type
    key_field: str
    check: Callable[[dict], None]
    apply: Callable
    related: tuple[str, ...] = ()

    def existing(self, key):
        """The object with this key, its row locked until the transaction ends: an import
        runs its slow diff between reading and writing, and must not race another change."""
        return self.model.objects.select_for_update().filter(**{self.key_field: key}).prefetch_related(*self.related).first()


def apply_episode(episode: Episode, doc: frontmatter.Document, *, publish: bool = False) -> list[str]:
    data = doc.data
    typed, kept = schema.split_scalars(data, schema.EPISODE_SCALARS)
    for spec in schema.EPISODE_SCALARS.values():
        setattr(episode, spec.attribute, typed.get(spec.attribute, Episode._meta.get_field(spec.attribute).get_default()))
    audio = data.get("audio", {})
    for key, (_, attribute) in schema.AUDIO_KEYS.items():
        setattr(episode, attribute, audio.get(key, Episode._meta.get_field(attribute).get_default()))
    _apply_source(episode, doc, kept, known=schema.EPISODE_SCALARS.keys() | set(schema.EPISODE_COLLECTIONS))
    if publish and episode.pk is None:
        episode.status = Episode.Status.PUBLISHED
        episode.published_at = timezone.now()
    if episode.pk is None:
        episode.save()
    else:
        audio_fields = [attribute for _, attribute in schema.AUDIO_KEYS.values()]
        episode.save(update_fields=[*_content_fields(schema.EPISODE_SCALARS), *audio_fields])
        bump_version([episode.pk])
        for related in Episode.PARTS:
            getattr(episode, related).all().delete()
    return _create_episode_parts(episode, doc)


def _content_fields(scalars: dict[str, schema.Scalar]) -> list[str]:
    """What a file sets on an existing object. Never its status, publication time or
    version: an import writes content, and leaves editorial state to the editors."""
    fields = [spec.attribute for spec in scalars.values() if spec.attribute != "short"]  # a guest's key is its identity
    return [*fields, "extra", "front_matter_keys", "body", "source_layout", "source_sha256", "updated_at"]


def _apply_source(obj, doc, kept: dict, known) -> None:
    obj.extra = frontmatter.encode_pairs({key: value for key, value in doc.data.items() if key in kept or key not in known})
    obj.front_matter_keys = list(doc.data)
    obj.body = doc.body
    obj.source_layout = doc.layout


def _create_episode_parts(episode: Episode, doc: frontmatter.Document) -> list[str]:
    data = doc.data
    shorts = data.get("guests", [])
    known = dict(Guest.objects.filter(short__in=shorts).values_list("short", "id"))
    insert_rows(
        EpisodeGuest,
        ("episode", "guest_short", "guest", "position"),
        [(episode.pk, short, known.get(short), position) for position, short in enumerate(shorts)],
    )
    for model, key in ((PlatformId, "ids"), (Link, "links")):
        insert_rows(
            model,
            ("episode", "platform", "url" if model is Link else "value", "position"),
            [(episode.pk, platform, value, position) for position, (platform, value) in enumerate(data.get(key, {}).items())],
        )
    QuotableClip.objects.bulk_create(
        QuotableClip.from_item(item, episode_id=episode.pk, position=position)
        for position, item in enumerate(data.get("quotableClips", []))
    )
    insert_rows(
        TranscriptLine,
        ("episode", "position", "kind", "text", "speaker", "sec", "time", "extra"),
        [
            (
                episode.pk,
                position,
                kind,
                item[kind],
                item.get("who"),
                item.get("sec"),
                item.get("time"),
                _unknown_keys(item),
            )
            for position, item in enumerate(data.get("transcript", []))
            for kind in ("header" if "header" in item else "line",)
        ],
    )
    return [
        f"{doc.line_of(('guests', position))}: guest {short!r} has no profile; it is kept, import its people file to link it"
        for position, short in enumerate(shorts)
        if short not in known
    ]


def _unknown_keys(item: dict) -> list | None:
    """Keys of a transcript item that no field holds, as stored in its ``extra`` column."""
    if schema.TRANSCRIPT_KEYS.keys() >= item.keys():
        return None
    return frontmatter.encode_pairs({key: value for key, value in item.items() if key not in schema.TRANSCRIPT_KEYS})


def apply_guest(guest: Guest, doc: frontmatter.Document, **options) -> list[str]:
    typed, kept = schema.split_scalars(doc.data, schema.GUEST_SCALARS)
    for spec in schema.GUEST_SCALARS.values():
        if spec.attribute != "short":
            setattr(guest, spec.attribute, typed.get(spec.attribute, ""))
    _apply_source(guest, doc, kept, known=schema.GUEST_SCALARS.keys())
    guest.save(update_fields=_content_fields(schema.GUEST_SCALARS) if guest.pk else None)
    EpisodeGuest.objects.filter(guest_short=guest.short, guest__isnull=True).update(guest=guest)
    return []


def check_guest_name(short: str):
    def check(data: dict) -> None:
        schema.check_guest(data)
        if data.get("short", short) != short:
            raise schema.SchemaError(("short",), f"short {data['short']!r} does not match the file name {short}.md")

    return check


EPISODES = Kind(
    Episode,
    "slug",
    schema.check_episode,
    apply_episode,
    related=Episode.PARTS,
)
GUESTS = Kind(Guest, "short", schema.check_guest, apply_guest)


def describe_changes(old: dict, new: dict) -> list[str]:
    """What an import would change, in an editor's words: keys changed, added and
    removed, and for the transcript the items added, removed and changed."""
    changes = []
    for key in dict.fromkeys([*old, *new]):
        if key not in new:
            changes.append(f"{key} removed")
        elif key not in old:
            changes.append(f"{key} added")
        elif key == "transcript" and isinstance(old[key], list) and isinstance(new[key], list):
            summary = _list_changes(old[key], new[key])
            if summary:
                changes.append(f"transcript: {summary}")
        elif frontmatter.fingerprint(old[key], 1) != frontmatter.fingerprint(new[key], 1):
            changes.append(f"{key} changed")
    return changes


def _list_changes(old: list, new: list) -> str:
    counts = Counter()
    for removed, added in _unmatched_stretches(old, new):
        changed = min(removed, added)
        counts.update(changed=changed, removed=removed - changed, added=added - changed)
    return ", ".join(f"{counts[word]} items {word}" for word in ("added", "removed", "changed") if counts[word])


def _unmatched_stretches(old: list, new: list):
    """(items removed, items added) for each stretch between items that stay, in time
    near-linear in the items, whatever they hold (a general diff is quadratic in runs of
    identical lines: 20,000 of them took minutes).

    Items that stay: the common prefix and suffix, then, in between, the items found once
    on each side, as many of them as keep their order on both (the anchors of a patience
    diff). A stretch between two anchors is compared as a multiset: an item in both
    stays, whatever its place in the stretch."""
    old_fps = [frontmatter.fingerprint(item) for item in old]
    new_fps = [frontmatter.fingerprint(item) for item in new]
    start = 0
    while start < min(len(old_fps), len(new_fps)) and old_fps[start] == new_fps[start]:
        start += 1
    end_old, end_new = len(old_fps), len(new_fps)
    while end_old > start and end_new > start and old_fps[end_old - 1] == new_fps[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    old_fps, new_fps = old_fps[start:end_old], new_fps[start:end_new]
    bounds = [(-1, -1), *_anchors(old_fps, new_fps), (len(old_fps), len(new_fps))]
    for (old_before, new_before), (old_after, new_after) in itertools.pairwise(bounds):
        old_counts = Counter(old_fps[old_before + 1 : old_after])
        new_counts = Counter(new_fps[new_before + 1 : new_after])
        yield (old_counts - new_counts).total(), (new_counts - old_counts).total()


def _anchors(old: list[str], new: list[str]) -> list[tuple[int, int]]:
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


def file_key(name: str) -> str:
    """The slug or short a file imports as: its name without ``.md``."""
    return Path(name).name.removesuffix(".md")


def refused(name: str, message: str, line: int = 1) -> FileResult:
    return FileResult(name, FAILED, f"{name}:{line}: {message}")


def import_file(kind: Kind, name: str, raw: bytes, *, force=False, dry_run=False, publish=False, user=None) -> FileResult:
    """Import one file's bytes; ``name`` is its path, used for the key and in messages.

    Whatever goes wrong is this file's result, never the end of a run of many files
    (nor a server error in the admin preview)."""
    try:
        return _import(kind, name, file_key(name), raw, force=force, dry_run=dry_run, publish=publish, user=user)
    except FormatError as error:
        return refused(name, error.message, error.line)
    except DatabaseError as error:
        return refused(name, f"the database refused the file: {error}")
    except Exception as error:  # a bug: every bad value has its own check and line; log it whole for the fix
        logger.exception("importing %s failed", name)
        return refused(name, f"could not be imported: unexpected {type(error).__name__}, logged with its traceback")


def _import(kind: Kind, name, key, raw, *, force, dry_run, publish, user) -> FileResult:
    problem = schema.file_key_problem(key)
    if problem:
        raise FormatError(1, f"file name {key!r} cannot be used as an id: it {problem}")
    sha = hashlib.sha256(raw).hexdigest()
    last_sha = kind.model.objects.filter(**{kind.key_field: key}).values_list("source_sha256", flat=True).first()
    if last_sha == sha and not force:
        return FileResult(name, UNCHANGED)
    doc = frontmatter.parse(raw, max_bytes=settings.PODCASTS_MAX_FILE_BYTES)
    check = check_guest_name(key) if kind is GUESTS else kind.check
    try:
        check(doc.data)
    except schema.SchemaError as error:
        raise FormatError(doc.line_of(error.path), error.message) from None
    with transaction.atomic():
        existing = kind.existing(key) if last_sha is not None else None
        if existing is not None:
            current_data = front_matter(existing)
            current = export_bytes(existing, current_data)
            if hashlib.sha256(current).hexdigest() != existing.source_sha256 and not force:
                return FileResult(
                    name,
                    FAILED,
                    f"{name}:1: refused: {key} was edited in the CMS after its last import; "
                    "export it first, or import with force to overwrite those edits",
                )
            if current == raw:
                _remember_source(existing, sha, doc.layout)
                return FileResult(name, UNCHANGED)
            changes = describe_changes(current_data, doc.data)
        else:
            changes = [f"new, {len(doc.data.get('transcript', []))} transcript items"] if kind is EPISODES else ["new"]
        obj = existing or kind.model(**{kind.key_field: key})
        obj.source_sha256 = sha
        warnings = kind.apply(obj, doc, publish=publish)
        record_revision(obj, Revision.Reason.IMPORT, user=user, note=name, text=raw.decode("utf-8"))
        if dry_run:
            transaction.set_rollback(True)
    return FileResult(
        name, UPDATED if existing else CREATED, warnings=[f"{name}:{warning}" for warning in warnings], changes=changes
    )


def _remember_source(obj, sha: str, layout: dict) -> None:
    """The file is what the CMS would export: only its fingerprint and layout are new."""
    type(obj).objects.filter(pk=obj.pk).update(source_sha256=sha, source_layout=layout)


def find_files(paths: Iterable[Path]) -> list[Path]:
    """Each ``*.md`` file named, or found under a named folder, sorted and once.

    Named pipes, devices and symbolic links are found too, for ``import_paths`` to
    refuse by name; folders reached through a symbolic link are not searched."""
    found = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(candidate for candidate in path.rglob("*.md") if not candidate.is_dir()))
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    once = {}  # a file named twice, or also found in a folder named, by any path
    for path in found:
        once.setdefault((path.name, _real(path)), path)
    return list(once.values())


def _real(path: Path) -> Path:
    """Where ``path`` leads, links followed; never raises, even for a loop of links."""
    return Path(os.path.realpath(path))


def too_big(name: str, size: int) -> FileResult:
    limit = settings.PODCASTS_MAX_FILE_BYTES
    return refused(name, f"file is {size:,} bytes, over the limit of {limit:,} bytes")


def import_paths(kind: Kind, paths: Iterable[Path], **options) -> ImportReport:
    """Import every file ``find_files`` finds, one result each. A file that shares its
    name with another, or that ``_read`` refuses, is a message without being opened."""
    paths = list(paths)
    given = _Given(paths)
    files = find_files(paths)
    twice = _same_key_twice(files)
    report = ImportReport()
    for path in files:
        read = twice.get(path) or _read(path, given)  # the bytes, or why the file is not imported
        report.results.append(import_file(kind, str(path), read, **options) if isinstance(read, bytes) else read)
    if kind is EPISODES and not options.get("dry_run"):
        update_search_statistics(report.results)
    return report


def update_search_statistics(results: list[FileResult]) -> None:
    """After episodes were written in bulk, the search's query planner learns their words at once."""
    if any(result.status in (CREATED, UPDATED) for result in results):
        fulltext.update_statistics()


def read_given_file(path: Path) -> bytes | FileResult:
    """One file named on the command line, read with the care of ``import_paths``: its
    bytes, or why it was not read (a special file, too big, unreadable)."""
    return _read(path, _Given([path]))


def _same_key_twice(files: list[Path]) -> dict[Path, FileResult]:
    """Files that would import as the same episode or guest (``a/x.md``, ``b/x.md``): which
    one should win is a guess, so none of them is imported, and each names the others."""
    by_key = defaultdict(list)
    for path in files:
        by_key[file_key(str(path))].append(path)
    return {
        path: refused(
            str(path),
            f"the name {key!r} is also at {', '.join(str(other) for other in same if other != path)}; "
            "a name may come once in a run, so no file of that name is imported",
        )
        for key, same in by_key.items()
        if len(same) > 1
        for path in same
    }


class _Given:
    """The folders and files named on the command line: where a symbolic link may lead."""

    def __init__(self, paths: list[Path]):
        self.folders = [_real(path) for path in paths if path.is_dir()]
        self.files = {_real(path.parent) / path.name for path in paths if not path.is_dir()}

    def hold(self, target: Path) -> bool:
        return target in self.files or any(target.is_relative_to(folder) for folder in self.folders)


_FILE_TYPES = {
    stat.S_ISFIFO: "a named pipe",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}


def _read(path: Path, given: _Given) -> bytes | FileResult:
    """The bytes of a regular file, or why it is not read, decided before it is opened.

    A symbolic link must lead back among the folders and files given: one to
    ``~/.ssh/id_rsa`` would otherwise be read, and its first line shown in the error.
    A named pipe would block the run and a device never end, so only regular files are
    opened, without blocking and for at most one byte over the size limit."""
    name, limit = str(path), settings.PODCASTS_MAX_FILE_BYTES
    try:
        if path.is_symlink() and not given.hold(_real(path)):
            return refused(name, "is a symbolic link to a file outside the folders and files given; it is not read")
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            what = next((what for test, what in _FILE_TYPES.items() if test(status.st_mode)), "a special file")
            return refused(name, f"is {what}, not a regular file; it is not read")
        if status.st_size > limit:
            return too_big(name, status.st_size)
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            raw = file.read(limit + 1)
    except OSError as error:  # unreadable, vanished, or a loop of links
        return refused(name, f"cannot be read: {error.strerror or error}")
    return too_big(name, len(raw)) if len(raw) > limit else raw
