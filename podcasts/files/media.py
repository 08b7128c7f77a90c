"""Images from the source site's folder into storage (``import_media``).

Episode files name their image (``image: images/podcast/x.jpg``) and people files
their photo (``picture: "images/authors/x.jpg"``) as paths of the source site. Each
named file is read from that folder, checked to be an image as an admin upload is, and
saved through Django's storage API (``STORAGES["default"]``: local files, or any
django-storages backend) into ``Episode.image_file`` / ``Guest.picture_file``. The
``image:`` and ``picture:`` values stay as written, so the files still round-trip.
One transaction per episode or person; a result each, as the file imports report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from podcasts.editorial.versions import bump_version
from podcasts.models import Episode, Guest

from .importing import CREATED, FAILED, UNCHANGED, UPDATED, FileResult, ImportReport


@dataclass(frozen=True)
class Slot:
    """Where a kind of subject names its image and stores it."""

    model: type
    key_field: str
    path_field: str
    file_field: str


SLOTS = (Slot(Episode, "slug", "image", "image_file"), Slot(Guest, "short", "picture", "picture_file"))


def import_media(folder: Path, *, dry_run: bool = False) -> ImportReport:
    """Store the image every episode and person names, read from ``folder``: the source
    site (holding ``images/``) or its ``images/`` folder itself. URLs are left alone."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder")
    root = folder.parent if folder.name == "images" and not (folder / "images").is_dir() else folder
    report = ImportReport()
    for slot in SLOTS:
        named = slot.model.objects.exclude(**{slot.path_field: ""}).order_by(slot.key_field)
        for subject in named:
            value = getattr(subject, slot.path_field)
            if not value.strip().lower().startswith(("http://", "https://")):
                report.results.append(_import_one(slot, subject, value, root, dry_run))
    return report


def _import_one(slot: Slot, subject, value: str, root: Path, dry_run: bool) -> FileResult:
    name = f"{getattr(subject, slot.key_field)}.md"
    source = find_source(root, value)
    if source is None:
        return FileResult(name, FAILED, f"{name}: {slot.path_field}: {value!r} is not a file under {root}")
    image = ContentFile(source.read_bytes(), name=source.name)
    try:
        forms.ImageField().clean(image)  # the admin upload's check: an image Pillow can read, by its extension too
    except ValidationError as error:
        return FileResult(name, FAILED, f"{name}: {slot.path_field}: {source}: {' '.join(error.messages)}")
    stored = getattr(subject, slot.file_field)
    if stored and _stored_bytes(stored) == image.read():
        return FileResult(name, UNCHANGED)
    status = UPDATED if stored else CREATED
    if not dry_run:
        _store(slot, subject, image)
    return FileResult(name, status)


def find_source(root: Path, value: str) -> Path | None:
    """The file ``value`` names under ``root``, or None: never a path that leaves ``root``
    (``..``, an absolute path, a symbolic link out of it). A name written with spaces
    around a folder or file name (``images/authors/ aashishnair.jpg`` in the corpus) is
    also looked for without them, as the site's own files are named."""
    parts = PurePosixPath(value.strip()).parts
    if not parts or parts[0] == "/" or ".." in parts:
        return None
    base = root.resolve()
    for candidate in (root.joinpath(*parts), root.joinpath(*(part.strip() for part in parts))):
        resolved = candidate.resolve()
        if resolved.is_relative_to(base) and resolved.is_file():
            return resolved
    return None


def _stored_bytes(stored) -> bytes | None:
    try:
        with stored.storage.open(stored.name, "rb") as handle:
            return handle.read()
    except OSError:  # the row names a file the storage no longer has
        return None


def _store(slot: Slot, subject, image: ContentFile) -> None:
    """Save the new file, then point the row at it; the old file goes once that commits."""
    field_file = getattr(subject, slot.file_field)
    old_name = field_file.name
    with transaction.atomic():
        field_file.save(image.name, image, save=False)
        subject.save(update_fields=[slot.file_field, "updated_at"])
        if slot.model is Episode:
            bump_version([subject.pk])
        if old_name:
            transaction.on_commit(lambda: field_file.storage.delete(old_name))
