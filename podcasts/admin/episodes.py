"""The episode admin: list, change form, actions, and its own pages (``views/``).

Publishing is a permission of its own (``podcasts.publish_episode``): without
it, status fields are read-only, the actions are hidden and the URL refuses.
"""

import io
import zipfile

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html

from podcasts.editorial.publishing import publication_label, unpublish
from podcasts.editorial.revisions import record_revision
from podcasts.editorial.versions import bump_version
from podcasts.files.exporting import export_bytes, file_name
from podcasts.models import Episode, EpisodeGuest, Link, PlatformId, QuotableClip, Revision, TranscriptLine

from .base import EditorialAdmin
from .filters import ProblemsFilter, RuleFilter
from .findings import audit_findings, finding_groups
from .forms import EpisodeForm, ExactTextForm
from .views.audio import AudioPages
from .views.clips import ClipsPage
from .views.files import FilePages
from .views.find_replace import FindReplacePage
from .views.fixes import FixPages
from .views.history import HistoryPage
from .views.importing import ImportPage
from .views.ingest import IngestPages
from .views.pages import AdminPages
from .views.publishing import PublishingPages
from .views.speakers import SpeakerPages
from .views.timestamps import TimestampsPage
from .views.transcript import TranscriptPage

PUBLISH_PERMISSION = "podcasts.publish_episode"


class PartInline(admin.TabularInline):
    """An episode part edited in the change form; its text is kept exactly (see ``ExactTextForm``)."""

    form = ExactTextForm
    extra = 0


class EpisodeGuestInline(PartInline):
    model = EpisodeGuest
    fields = ("position", "guest_short", "guest")
    readonly_fields = ("guest",)


class LinkInline(PartInline):
    model = Link
    fields = ("position", "platform", "url")


class PlatformIdInline(PartInline):
    model = PlatformId
    fields = ("position", "platform", "value")


class ClipInline(PartInline):
    model = QuotableClip
    fields = ("position", "name", "start_offset", "end_offset", "url")


class EpisodeChangeList(ChangeList):
    """The list reads only the columns it shows: the stored layout and texts are large."""

    COLUMNS = ("slug", "title", "season", "number", "status", "published_at", "version", "updated_at")

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).only(*self.COLUMNS)


@admin.register(Episode)
class EpisodeAdmin(
    ImportPage,
    IngestPages,
    TranscriptPage,
    SpeakerPages,
    ClipsPage,
    HistoryPage,
    FilePages,
    PublishingPages,
    FindReplacePage,
    TimestampsPage,
    FixPages,
    AudioPages,
    AdminPages,
    EditorialAdmin,
):
    form = EpisodeForm
    change_form_template = "admin/podcasts/episode/change_form.html"
    change_list_template = "admin/podcasts/episode/change_list.html"
    list_display = ("title_or_slug", "season", "number", "status_label", "published_at", "transcript_items", "problems")
    list_filter = ("status", ProblemsFilter, RuleFilter, "season")
    search_fields = ("slug", "title", "short_title", "description")
    list_per_page = 50
    actions = ("publish_selected", "unpublish_selected", "download_zip", "fill_audio_from_url", "fix_selected")
    inlines = (EpisodeGuestInline, PlatformIdInline, LinkInline, ClipInline)
    fieldsets = (
        (None, {"fields": ("slug", "title", "short_title", ("season", "number"), "loaded_version")}),
        ("Publishing", {"fields": ("publication", "status", "published_at", "publish_despite_errors")}),
        ("Text", {"fields": ("description", "intro", "body")}),
        ("Details", {"fields": ("image", "topics", ("date_added", "date"), "duration", "extra"), "classes": ("collapse",)}),
        ("Audio and feed", {"fields": ("audio_url", ("audio_length", "audio_type"), "guid", "feed_readiness")}),
    )

    def get_urls(self):
        def page(view, route, name):
            return path(route, self.admin_site.admin_view(view), name=f"podcasts_episode_{name}")

        return [
            page(self.import_view, "import/", "import"),
            page(self.new_from_transcript_view, "new-from-transcript/", "new_from_transcript"),
            page(self.replace_transcript_view, "<path:object_id>/replace-transcript/", "replace_transcript"),
            page(self.all_speakers_view, "speakers/", "all_speakers"),
            page(self.find_replace_view, "find/", "find_replace"),
            page(self.transcript_view, "<path:object_id>/transcript/", "transcript"),
            page(self.speakers_view, "<path:object_id>/speakers/", "speakers"),
            page(self.clips_view, "<path:object_id>/clips/", "clips"),
            page(self.timestamps_view, "<path:object_id>/timestamps/", "timestamps"),
            page(self.timestamps_download_view, "<path:object_id>/timestamps.txt", "timestamps_download"),
            page(self.revisions_view, "<path:object_id>/revisions/", "revisions"),
            page(self.download_view, "<path:object_id>/download/", "download"),
            page(self.preview_view, "<path:object_id>/preview/", "preview"),
            page(self.schedule_view, "<path:object_id>/publish/", "publish"),
            page(self.fix_view, "<path:object_id>/fix/", "fix"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        """Transcript items are counted in a subquery: a join grouped by every column made each
        list and filter query take seconds beside a 20,000-line episode (on SQLite)."""
        items = TranscriptLine.objects.filter(episode=OuterRef("pk")).order_by().values("episode").annotate(count=Count("pk"))
        return (
            super()
            .get_queryset(request)
            .defer("source_layout", "body")
            .annotate(transcript_count=Coalesce(Subquery(items.values("count")), 0))
        )

    def get_changelist(self, request, **kwargs):
        return EpisodeChangeList

    def get_fieldsets(self, request, obj=None):
        """Without the publish permission the status is read-only: nothing to confirm."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_publish_permission(request):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "publish_despite_errors"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["publication", "slug", "feed_readiness"] if obj else ["publication", "feed_readiness"]
        if not self.has_publish_permission(request):
            readonly += ["status", "published_at"]
        return readonly

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def has_delete_permission(self, request, obj=None):
        """Deleting a published episode takes it off the site: a publishing act."""
        if obj is not None and obj.status == Episode.Status.PUBLISHED and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="Title", ordering="title")
    def title_or_slug(self, episode):
        return episode.title or episode.slug

    @admin.display(description="Status", ordering="status")
    def status_label(self, episode):
        return publication_label(episode)

    @admin.display(description="Now")
    def publication(self, episode):
        return publication_label(episode)

    @admin.display(description="Items", ordering="transcript_count")
    def transcript_items(self, episode):
        return episode.transcript_count

    @admin.display(description="Problems")
    def problems(self, episode):
        findings = audit_findings([episode])[episode.pk]
        if not findings:
            return "—"
        errors = sum(finding.severity == "error" for finding in findings)
        url = reverse("admin:podcasts_episode_change", args=[episode.pk]) + "#audit-panel"
        return format_html('<a href="{}">{} error(s), {} warning(s)</a>', url, errors, len(findings) - errors)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        audit_findings(changelist.result_list)  # one batch for the page, then each row reads the cache
        return changelist

    def change_view(self, request, object_id, form_url="", extra_context=None):
        episode = self.get_object(request, object_id)
        if episode is not None:
            findings = audit_findings([episode])[episode.pk]
            extra_context = {
                **(extra_context or {}),
                "audit_findings": findings,
                "audit_groups": finding_groups(episode, findings),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            bump_version([obj.pk])  # before the row changes: an open edit burst keeps the state it ended at
            obj.version = Episode.objects.values_list("version", flat=True).get(pk=obj.pk)  # save() writes it back
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_revision(form.instance, Revision.Reason.EDIT, user=request.user, note="saved in the admin")

    @admin.action(description="Publish selected episodes", permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self.publish_with_confirmation(request, queryset)

    @admin.action(description="Unpublish selected episodes", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        published = list(queryset.filter(status=Episode.Status.PUBLISHED).values_list("pk", flat=True))
        count = unpublish(published)
        self.log_changes(request, Episode.objects.filter(pk__in=published), "Unpublished.")
        self.message_user(request, f"Unpublished {count} episode(s).", messages.SUCCESS)

    @admin.action(description="Download selected as .md files (zip)", permissions=["view"])
    def download_zip(self, request, queryset):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for episode in Episode.objects.for_export().filter(pk__in=queryset.values("pk")):
                archive.writestr(file_name(episode), export_bytes(episode))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="episodes.zip"'
        return response
