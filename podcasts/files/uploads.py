"""Episode files uploaded in the admin: staged in the database, previewed, then applied.

An upload is ``.md`` files and ``.zip`` archives of them. Its files are stored as
rows of a ``StagedUpload`` owned by the uploader, under a random id: no request
parameter ever names a path, and the apply may reach another web server than the
preview. What cannot be staged (too big, not a readable zip, an encrypted member,
a name given twice) is a ``FileResult`` that names the file, like a bad file's.
"""

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction

from podcasts.models import StagedFile, StagedUpload

from .importing import EPISODES, FAILED, FileResult, import_file, too_big, update_search_statistics

MAX_ZIP_MEMBERS = 2000  # the corpus is 160 episodes; a zip of ten times that is still plausible
MAX_NAME_LENGTH = 255


@dataclass
class _Collected:
    """Files accepted so far (name -> (where it came from, bytes)) and the refusals."""

    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    problems: list[FileResult] = field(default_factory=list)
    given_twice: set[str] = field(default_factory=set)
    total: int = 0

    def refuse(self, where: str, message: str) -> None:
        self.problems.append(FileResult(where, FAILED, f"{where}:1: {message}"))

    def add(self, where: str, name: str, content: bytes) -> None:
        if len(name) > MAX_NAME_LENGTH:
            self.refuse(where, f"the file name is {len(name)} characters long; at most {MAX_NAME_LENGTH} fit")
        elif name in self.files or name in self.given_twice:
            self.given_twice.add(name)
            first = self.files.pop(name)[0] if name in self.files else "another path"
            self.refuse(where, f"{name} is also at {first}: the same episode twice in one upload; upload one of them")
        else:
            self.files[name] = (where, content)
            self.total += len(content)


def stage(uploads, user) -> tuple[StagedUpload, list[FileResult]]:
    """Store the ``.md`` files among ``uploads`` (and the ``.md`` members of zips) for
    ``user``; returns the upload and what was refused. Expired uploads are dropped here."""
    collected = _Collected()
    for upload in uploads:
        name = upload.name
        if upload.size > settings.PODCASTS_MAX_UPLOAD_BYTES:
            collected.refuse(
                name, f"the upload is {upload.size:,} bytes, over the limit of {settings.PODCASTS_MAX_UPLOAD_BYTES:,}"
            )
        elif name.lower().endswith(".zip"):
            _collect_zip(upload, collected)
        elif not name.lower().endswith(".md"):
            collected.refuse(name, "not an episode file: upload <slug>.md files or a .zip of them")
        elif upload.size > settings.PODCASTS_MAX_FILE_BYTES:
            collected.problems.append(too_big(name, upload.size))
        else:
            collected.add(name, name, upload.read())
    with transaction.atomic():
        StagedUpload.objects.exclude(pk__in=StagedUpload.objects.active().values("pk")).delete()
        staged = StagedUpload.objects.create(user=user)
        StagedFile.objects.bulk_create(
            StagedFile(upload=staged, name=name, content=content) for name, (_, content) in collected.files.items()
        )
    return staged, collected.problems


def _collect_zip(upload, collected: _Collected) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            members = [member for member in archive.infolist() if not member.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS:
                collected.refuse(upload.name, f"the zip holds {len(members):,} files; at most {MAX_ZIP_MEMBERS:,} are read")
                return
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/")).name
                if name.lower().endswith(".md"):
                    _collect_member(archive, member, f"{upload.name}/{member.filename}", name, collected)
    except (zipfile.BadZipFile, OSError, EOFError):
        collected.refuse(upload.name, "not a readable zip file")


def _collect_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, where: str, name: str, collected: _Collected) -> None:
    limit = settings.PODCASTS_MAX_FILE_BYTES
    if member.flag_bits & 0x1:
        collected.refuse(where, "the zip member is encrypted; upload it unencrypted")
    elif member.file_size > limit:
        collected.problems.append(too_big(where, member.file_size))
    elif collected.total + member.file_size > settings.PODCASTS_MAX_UPLOAD_BYTES:
        collected.refuse(where, f"the upload unpacks to more than {settings.PODCASTS_MAX_UPLOAD_BYTES:,} bytes; split it")
    else:
        try:
            with archive.open(member) as opened:
                content = opened.read(limit + 1)  # never more than a file may hold, whatever the header claims
        except (NotImplementedError, zipfile.BadZipFile, RuntimeError, EOFError, zlib.error) as error:
            collected.refuse(where, f"the zip member cannot be read: {error}")
            return
        if len(content) > limit:
            collected.problems.append(too_big(where, len(content)))
        else:
            collected.add(where, name, content)


def preview(staged: StagedUpload) -> list[FileResult]:
    """What applying would do, file by file; nothing is written."""
    return _import([(staged_file.name, bytes(staged_file.content)) for staged_file in staged.files.all()], dry_run=True)


def apply(upload_id, user, *, force: bool, merge: bool = False) -> list[FileResult] | None:
    """Import ``user``'s staged upload for real, one transaction per file; None when it
    expired, or was applied already (it is taken out of staging first, so only once)."""
    with transaction.atomic():
        staged = StagedUpload.objects.active().filter(pk=upload_id, user=user).first()
        files = [(staged_file.name, bytes(staged_file.content)) for staged_file in staged.files.all()] if staged else []
        # Whoever deletes the row applies it: a second request deletes nothing (it waits for the first's lock).
        _, deleted = StagedUpload.objects.filter(pk=upload_id, user=user).delete()
    if not deleted.get(StagedUpload._meta.label) or staged is None:
        return None
    results = _import(files, force=force, merge=merge, user=user)
    update_search_statistics(results)
    return results


def _import(files: list[tuple[str, bytes]], *, dry_run: bool = False, user=None, **options) -> list[FileResult]:
    return [import_file(EPISODES, name, content, dry_run=dry_run, user=user, **options) for name, content in files]
