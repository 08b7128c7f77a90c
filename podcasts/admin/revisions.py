"""All revisions: each with what changed and its diff against the previous one; any two
can be compared, any one restored."""

import difflib

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from podcasts.editorial.restoring import restore_revision
from podcasts.editorial.revisions import previous_revision, settle_stale, settled, subject_revisions, summarize
from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision

from .base import EditorialAdmin
from .forms import CompareAgainstForm, RevisionPairForm
from .views.pages import AdminPages


def unified_diff(old_text: str, new_text: str, old_label: str, new_label: str) -> list[str]:
    return list(difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), old_label, new_label, lineterm=""))


@admin.register(Revision)
class RevisionAdmin(AdminPages, EditorialAdmin):
    list_display = ("file_name", "reason", "user", "when", "summary", "compare_link")
    list_filter = ("reason", ("episode", admin.EmptyFieldListFilter), ("guest", admin.EmptyFieldListFilter))
    search_fields = ("file_name", "note", "summary")
    list_select_related = ("user",)
    readonly_fields = ("file_name", "episode", "guest", "reason", "note", "summary", "user", "created_at", "text")

    def get_urls(self):
        def page(view, route, name):
            return path(route, self.admin_site.admin_view(view), name=f"podcasts_revision_{name}")

        return [
            page(self.pair_view, "compare/", "pair"),
            page(self.compare_view, "<path:object_id>/compare/", "compare"),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text")

    def get_changelist_instance(self, request):
        settle_stale()  # open edit bursts: a few at most
        changelist = super().get_changelist_instance(request)
        summarize(changelist.result_list)  # the page's rows, filled in place
        return changelist

    def get_object(self, request, object_id, from_field=None):
        revision = super().get_object(request, object_id, from_field)
        if revision is not None:
            summarize([settled(revision)])
        return revision

    @admin.display(description="When", ordering="created_at")
    def when(self, revision):
        return revision.period

    @admin.display(description="Diff")
    def compare_link(self, revision):
        url = reverse("admin:podcasts_revision_compare", args=[revision.pk])
        return format_html('<a href="{}">diff</a>', url)

    def compare_view(self, request, object_id):
        """A revision and its diff against the previous revision, the current state or any
        other revision (``?against=``); POST restores it as a new revision (allowed to
        whoever may change the episode or guest it is of)."""
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
        others = subject_revisions(revision).exclude(pk=revision.pk).defer("text")
        form = CompareAgainstForm(request.GET or None, others=others)
        against = form.cleaned_data["against"] if form.is_valid() else CompareAgainstForm.PREVIOUS
        label, text = self._against(revision, against)
        later = against == CompareAgainstForm.CURRENT or (
            isinstance(against, Revision) and (against.created_at, against.pk) > (revision.created_at, revision.pk)
        )
        ends = [(label, text), ("this revision", revision.text)]
        (old_label, old_text), (new_label, new_text) = ends[::-1] if later else ends
        context = {
            "episode": revision.episode,
            "revision": revision,
            "diff": unified_diff(old_text, new_text, old_label, new_label) if text is not None else [],
            "diff_title": f"From {old_label} to {new_label}",
            "form": form,
            "can_restore": can_restore,
        }
        return self.render_page(request, "revision_detail.html", context, f"Revision of {revision.file_name}")

    def pair_view(self, request):
        """Any two revisions, the older one's text against the newer one's."""
        form = RevisionPairForm(request.GET or None, queryset=self.get_queryset(request))
        diff, old, new = [], None, None
        if form.is_valid():
            old, new = sorted((form.cleaned_data["old"], form.cleaned_data["new"]), key=lambda r: (r.created_at, r.pk))
            old, new = settled(old), settled(new)
            diff = unified_diff(old.text, new.text, revision_label(old), revision_label(new))
        context = {"episode": new.episode if new else None, "form": form, "old": old, "new": new, "diff": diff}
        return self.render_page(request, "revision_pair.html", context, "Compare revisions")

    def _against(self, revision, against) -> tuple[str, str | None]:
        """The label and text ``revision`` is compared with (None: nothing to compare with)."""
        if against == CompareAgainstForm.CURRENT:
            subject = revision.subject
            if subject is None:
                return "current (deleted)", None
            current = Episode.objects.for_export().get(pk=subject.pk) if revision.episode_id else subject
            return "current", export_bytes(current).decode("utf-8")
        if against == CompareAgainstForm.PREVIOUS:
            other = previous_revision(revision)
            if other is None:
                return "nothing (first revision)", ""
        else:
            other = against
        other = settled(Revision.objects.get(pk=other.pk))
        return revision_label(other), other.text


def revision_label(revision) -> str:
    return f"{revision.get_reason_display().lower()} of {revision.period}"


def _history_url(revision) -> str:
    if revision.episode_id:
        return reverse("admin:podcasts_episode_revisions", args=[revision.episode_id])
    return reverse("admin:podcasts_revision_changelist") + f"?guest__id__exact={revision.guest_id}"
