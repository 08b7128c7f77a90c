"""Import episode files in the admin: upload, preview, apply (``files.uploads`` does the work)."""

from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE
from django.http import HttpResponseRedirect

from podcasts.admin.forms import ImportApplyForm, ImportUploadForm
from podcasts.files import uploads
from podcasts.files.importing import CREATED, UPDATED, ImportReport, file_key
from podcasts.models import Episode


class ImportPage:
    def import_view(self, request):
        """Upload .md files or a .zip; preview per file; apply with the same rules as import_episodes."""
        self.require(request, "add")
        if request.method == "POST" and "upload" in request.POST:
            return self._apply_import(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            staged, problems = uploads.stage(form.cleaned_data["files"], request.user)
            context = {
                "rows": [(result, None) for result in problems + uploads.preview(staged)],
                "apply_form": ImportApplyForm(initial={"upload": staged.pk}),
                "preview": True,
            }
            return self.render_page(request, "import.html", context, "Import preview")
        return self.render_page(request, "import.html", {"form": form}, "Import episode files")

    def _apply_import(self, request):
        form = ImportApplyForm(request.POST)
        results = (
            uploads.apply(
                form.cleaned_data["upload"], request.user, force=form.cleaned_data["force"], merge=form.cleaned_data["merge"]
            )
            if form.is_valid()
            else None
        )
        if results is None:
            messages.error(request, "That upload has expired or was applied already; upload the files again.")
            return HttpResponseRedirect(request.path)
        self._log_import(request, results)
        messages.info(request, f"Import: {ImportReport(results).summary()}")
        episodes = dict(Episode.objects.filter(slug__in=[file_key(result.name) for result in results]).values_list("slug", "pk"))
        rows = [(result, episodes.get(file_key(result.name))) for result in results]  # each linked to its episode
        return self.render_page(request, "import.html", {"rows": rows, "applied": True}, "Import finished")

    def _log_import(self, request, results) -> None:
        """The admin history of each episode the import created or updated."""
        for status, flag in ((CREATED, ADDITION), (UPDATED, CHANGE)):
            slugs = [file_key(result.name) for result in results if result.status == status]
            self.log_changes(request, Episode.objects.filter(slug__in=slugs), "Imported from an uploaded file.", flag)
