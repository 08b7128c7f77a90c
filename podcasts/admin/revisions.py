"""All revisions, each comparable with the current state and restorable."""

import difflib

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from podcasts.editorial.restoring import restore_revision
from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision

from .base import EditorialAdmin
from .views.pages import AdminPages


@admin.register(Revision)
class RevisionAdmin(AdminPages, EditorialAdmin):
    list_display = ("file_name", "reason", "user", "created_at", "compare_link")
    list_filter = ("reason", ("episode", admin.EmptyFieldListFilter), ("guest", admin.EmptyFieldListFilter))
    search_fields = ("file_name", "note")
    list_select_related = ("user",)
    readonly_fields = ("file_name", "episode", "guest", "reason", "note", "user", "created_at", "text")

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        return [path("<path:object_id>/compare/", compare, name="podcasts_revision_compare"), *super().get_urls()]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text")

    @admin.display(description="Diff")
    def compare_link(self, revision):
        url = reverse("admin:podcasts_revision_compare", args=[revision.pk])
        return format_html('<a href="{}">compare with current</a>', url)

    def compare_view(self, request, object_id):
        """The diff from a revision to the current state; POST restores it as a new revision
        (allowed to whoever may change the episode or guest it is of)."""
        revision = self.get_page_object(request, object_id, "view")
        subject = revision.subject
        can_restore = subject is not None and request.user.has_perm(f"podcasts.change_{subject._meta.model_name}")
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            restore_revision(revision, user=request.user)
            self.log_change(request, subject, f"Restored the revision of {revision.created_at:%Y-%m-%d %H:%M}.")
            messages.success(request, "Revision restored; the state before it is kept as a revision too.")
            return HttpResponseRedirect(_history_url(revision))
        diff = []
        if subject is not None:
            current = export_bytes(Episode.objects.for_export().get(pk=subject.pk) if revision.episode_id else subject)
            diff = list(
                difflib.unified_diff(
                    revision.text.splitlines(), current.decode("utf-8").splitlines(), "this revision", "current", lineterm=""
                )
            )
        context = {"episode": revision.episode, "revision": revision, "diff": diff, "can_restore": can_restore}
        return self.render_page(request, "revision_detail.html", context, f"Revision of {revision.file_name}")


def _history_url(revision) -> str:
    if revision.episode_id:
        return reverse("admin:podcasts_episode_revisions", args=[revision.episode_id])
    return reverse("admin:podcasts_revision_changelist") + f"?guest__id__exact={revision.guest_id}"
