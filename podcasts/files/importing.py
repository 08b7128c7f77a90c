"""From files to models: one transaction per file, a result per file.

The same functions serve the management commands and the admin upload.
A file is identified by its name: ``<slug>.md`` for an episode, ``<short>.md``
for a guest. Re-importing the file last imported is a no-op; importing over
an object that was edited in the CMS since is refused unless forced, because
it would silently throw those edits away.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import logging
import os
import stat
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from podcasts import fulltext
from podcasts.editorial.revisions import record_revision
from podcasts.editorial.versions import bump_version
from podcasts.models import Episode, EpisodeGuest, Guest, Link, PlatformId, QuotableClip, Revision, TranscriptLine
from podcasts.speakers import adopt_host

from . import changes as item_changes
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
    details: list[item_changes.Change] = field(default_factory=list)  # what the import changes, value by value, item by item
    # For an episode edited in the CMS since its last import: its CMS edits (``changes.merge``), those a merge
    # keeps and those it loses; a forced import discards both. ``merge_possible`` is False when the file last
    # imported is not among the revisions, so the edits cannot be told apart from the file's changes.
    merge_keeps: list[item_changes.Change] = field(default_factory=list)
    merge_loses: list[item_changes.Change] = field(default_factory=list)
    merge_possible: bool = False

    @property
    def cms_edits(self) -> list[item_changes.Change]:
        """The CMS edits a forced import would discard."""
        return [*self.merge_keeps, *self.merge_loses]


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
        bump_version([episode.pk])  # before the row changes: an open edit burst keeps the state it ended at
        audio_fields = [attribute for _, attribute in schema.AUDIO_KEYS.values()]
        episode.save(update_fields=[*_content_fields(schema.EPISODE_SCALARS), *audio_fields])
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
    for (old_before, new_before), (old_after, new_after) in itertools.pairwise(item_changes.stayers(old_fps, new_fps)):
        old_counts = Counter(old_fps[old_before + 1 : old_after])
        new_counts = Counter(new_fps[new_before + 1 : new_after])
        yield (old_counts - new_counts).total(), (new_counts - old_counts).total()


def file_key(name: str) -> str:
    """The slug or short a file imports as: its name without ``.md``."""
    return Path(name).name.removesuffix(".md")


def refused(name: str, message: str, line: int = 1) -> FileResult:
    return FileResult(name, FAILED, f"{name}:{line}: {message}")


def import_file(
    kind: Kind, name: str, raw: bytes, *, force=False, merge=False, dry_run=False, publish=False, user=None
) -> FileResult:
    """Import one file's bytes; ``name`` is its path, used for the key and in messages.

    Whatever goes wrong is this file's result, never the end of a run of many files
    (nor a server error in the admin preview)."""
    try:
        options = {"force": force, "merge": merge, "dry_run": dry_run, "publish": publish, "user": user}
        return _import(kind, name, file_key(name), raw, **options)
    except FormatError as error:
        return refused(name, error.message, error.line)
    except DatabaseError as error:
        return refused(name, f"the database refused the file: {error}")
    except Exception as error:  # a bug: every bad value has its own check and line; log it whole for the fix
        logger.exception("importing %s failed", name)
        return refused(name, f"could not be imported: unexpected {type(error).__name__}, logged with its traceback")


def _import(kind: Kind, name, key, raw, *, force, merge, dry_run, publish, user) -> FileResult:
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
            if hashlib.sha256(current).hexdigest() != existing.source_sha256:
                merged = _merge_cms_edits(existing, current_data, doc)
                if not (force or merge and merged):
                    return _refused_over_cms_edits(name, key, existing, current_data, doc, merged)
                if merge and merged:
                    doc = dataclasses.replace(doc, data=merged.data, body=merged.body)  # lines still name the file's
            if current == raw:
                _remember_source(existing, sha, doc.layout)
                return FileResult(name, UNCHANGED)
            changes = describe_changes(current_data, doc.data)
            details = _details(existing, current_data, doc)
        else:
            changes = [f"new, {len(doc.data.get('transcript', []))} transcript items"] if kind is EPISODES else ["new"]
            details = []
        obj = existing or kind.model(**{kind.key_field: key})
        obj.source_sha256 = sha
        warnings = kind.apply(obj, doc, publish=publish)
        record_revision(obj, Revision.Reason.IMPORT, user=user, note=name, text=raw.decode("utf-8"))
        if dry_run:
            transaction.set_rollback(True)
    return FileResult(
        name,
        UPDATED if existing else CREATED,
        warnings=[f"{name}:{warning}" for warning in warnings],
        changes=changes,
        details=details,
    )


def _details(existing, current_data: dict, doc: frontmatter.Document) -> list[item_changes.Change]:
    details = item_changes.changes(current_data, doc.data)
    if existing.body != doc.body:
        details.append(item_changes.Change("body", item_changes.Shown(existing.body), item_changes.Shown(doc.body)))
    return details


def _merge_cms_edits(existing, current_data: dict, doc: frontmatter.Document) -> item_changes.Merged | None:
    """The new file merged with the CMS edits since the last import (``changes.merge``); None
    when the file last imported is not the text of the latest import revision, so that what the
    CMS changed cannot be known."""
    revision = existing.revisions.filter(reason=Revision.Reason.IMPORT).only("text").first()
    last = revision.text.encode("utf-8") if revision else None
    if last is None or hashlib.sha256(last).hexdigest() != existing.source_sha256:
        return None
    base = frontmatter.parse(last)
    return item_changes.merge(base.data, base.body, current_data, existing.body, doc.data, doc.body)


def _refused_over_cms_edits(name, key, existing, current_data, doc, merged) -> FileResult:
    return FileResult(
        name,
        FAILED,
        f"{name}:1: refused: {key} was edited in the CMS after its last import; "
        "export it first, or import with force to overwrite those edits (or merge to keep those the file does not touch)",
        details=_details(existing, current_data, doc),
        merge_keeps=merged.kept if merged else [],
        merge_loses=merged.lost if merged else [],
        merge_possible=merged is not None,
    )


def _remember_source(obj, sha: str, layout: dict) -> None:
    """The file is what the CMS would export: only its fingerprint and layout are new."""
    type(obj).objects.filter(pk=obj.pk).update(source_sha256=sha, source_layout=layout)


def find_files(paths: Iterable[Path], pattern: str = "*.md") -> list[Path]:
    """Each file named, or found under a named folder (``pattern``), sorted and once.

    Named pipes, devices and symbolic links are found too, for ``import_paths`` to
    refuse by name; folders reached through a symbolic link are not searched."""
    found = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(candidate for candidate in path.rglob(pattern) if not candidate.is_dir()))
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
    if kind is GUESTS and not options.get("dry_run"):
        adopt_host()
    if kind is EPISODES and not options.get("dry_run"):
        update_search_statistics(report.results)
    return report


def update_search_statistics(results: list[FileResult]) -> None:
    """After episodes were written in bulk, the search's query planner learns their words at once."""
    if any(result.status in (CREATED, UPDATED) for result in results):
        fulltext.update_statistics()


def read_files(paths: list[Path], pattern: str) -> Iterator[tuple[Path, bytes | FileResult]]:
    """Each file ``find_files`` finds, with its bytes or why it is not read (``_read``)."""
    given = _Given(paths)
    for path in find_files(paths, pattern):
        yield path, _read(path, given)


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
