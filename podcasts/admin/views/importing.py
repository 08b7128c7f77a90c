"""Import episode files in the admin: upload, preview, apply."""

import shutil
import tempfile
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect

from podcasts.admin.forms import ImportApplyForm, ImportUploadForm
from podcasts.files import importing

STAGING = Path(tempfile.gettempdir()) / "podcasts-import"


class ImportPage:
    def import_view(self, request):
        """Upload .md files or a .zip; preview per file; apply with the same rules as import_episodes."""
        self.require(request, "add")
        if request.method == "POST" and "token" in request.POST:
            return self._apply_import(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            token = uuid.uuid4().hex
            folder = STAGING / token
            problems = _stage(form.cleaned_data["files"], folder)
            results = problems + _run_import(folder, force=False, dry_run=True)
            context = {"results": results, "apply_form": ImportApplyForm(initial={"token": token}), "preview": True}
            return self.render_page(request, "import.html", context, "Import preview")
        return self.render_page(request, "import.html", {"form": form}, "Import episode files")

    def _apply_import(self, request):
        form = ImportApplyForm(request.POST)
        folder = STAGING / form.data.get("token", "")
        if not form.is_valid() or not folder.is_dir() or folder.parent != STAGING:
            messages.error(request, "That upload has expired; upload the files again.")
            return HttpResponseRedirect(request.path)
        results = _run_import(folder, force=form.cleaned_data["force"], dry_run=False)
        shutil.rmtree(folder, ignore_errors=True)
        messages.info(request, f"Import: {importing.ImportReport(results).summary()}")
        return self.render_page(request, "import.html", {"results": results, "applied": True}, "Import finished")


def _stage(uploads, folder: Path) -> list[importing.FileResult]:
    """Copy uploaded .md files, and the .md members of uploaded zips, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    limit = settings.PODCASTS_MAX_FILE_BYTES
    problems = []
    for upload in uploads:
        if upload.name.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(upload) as archive:
                    for member in archive.infolist():
                        name = PurePosixPath(member.filename).name
                        if member.is_dir() or not name.endswith(".md"):
                            continue
                        if member.file_size > limit:
                            problems.append(importing.too_big(f"{upload.name}/{name}", member.file_size))
                            continue
                        (folder / name).write_bytes(archive.read(member))
            except zipfile.BadZipFile:
                problems.append(importing.FileResult(upload.name, importing.FAILED, f"{upload.name}:1: not a readable zip file"))
        elif upload.size > limit:
            problems.append(importing.too_big(upload.name, upload.size))
        else:
            (folder / PurePosixPath(upload.name).name).write_bytes(upload.read())
    return problems


def _run_import(folder: Path, *, force: bool, dry_run: bool) -> list[importing.FileResult]:
    return [
        importing.import_file(importing.EPISODES, path.name, path.read_bytes(), force=force, dry_run=dry_run)
        for path in sorted(folder.glob("*.md"))
    ]
