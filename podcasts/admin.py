"""The editorial admin: episodes, guests, the show, speaker aliases and revisions.

Extra episode pages (import, transcript editor, speakers, history, clips,
download, preview) live in ``admin_views`` and are mounted by ``get_urls``.
Publishing is a permission of its own (``podcasts.publish_episode``): without
it, status fields are read-only, the actions are hidden and the URL refuses.
"""

import io
import zipfile

from django.contrib import admin, messages
from django.core.cache import cache
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from . import admin_views, audit, editing
from .exporting import export_bytes, file_name
from .forms import EpisodeForm
from .models import Episode, EpisodeGuest, Guest, Link, PlatformId, QuotableClip, Revision, Show, SpeakerAlias

PUBLISH_PERMISSION = "podcasts.publish_episode"


def audit_findings(episodes) -> dict[int, list]:
    """Episode pk -> audit findings, cached per episode version so lists stay fast.

    Findings that depend on other records (a guest profile imported later) refresh
    when the episode next changes."""
    keys = {episode.pk: f"audit:{episode.pk}:{episode.version}:{episode.updated_at.timestamp()}" for episode in episodes}
    cached = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in cached]
    if missing:
        slugs = dict(Episode.objects.filter(pk__in=missing).values_list("slug", "pk"))
        fresh = {slugs[slug]: found for slug, found in audit.audit_episodes(Episode.objects.filter(pk__in=missing)).items()}
        cache.set_many({keys[pk]: found for pk, found in fresh.items()}, timeout=24 * 3600)
        cached.update({keys[pk]: found for pk, found in fresh.items()})
    return {pk: cached.get(key, []) for pk, key in keys.items()}


class ProblemsFilter(admin.SimpleListFilter):
    title = "audit"
    parameter_name = "problems"

    def lookups(self, request, model_admin):
        return [("errors", "has errors"), ("warnings", "warnings only"), ("none", "no problems")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        found = audit_findings(Episode.objects.only("pk", "version", "updated_at"))
        severities = {pk: {finding.severity for finding in findings} for pk, findings in found.items()}
        wanted = {
            "errors": lambda kinds: "error" in kinds,
            "warnings": lambda kinds: kinds == {"warning"},
            "none": lambda kinds: not kinds,
        }[self.value()]
        return queryset.filter(pk__in=[pk for pk, kinds in severities.items() if wanted(kinds)])


class EpisodeGuestInline(admin.TabularInline):
    model = EpisodeGuest
    fields = ("position", "guest_short", "guest")
    readonly_fields = ("guest",)
    extra = 0


class LinkInline(admin.TabularInline):
    model = Link
    fields = ("position", "platform", "url")
    extra = 0


class PlatformIdInline(admin.TabularInline):
    model = PlatformId
    fields = ("position", "platform", "value")
    extra = 0


class ClipInline(admin.TabularInline):
    model = QuotableClip
    fields = ("position", "name", "start_offset", "end_offset", "url")
    extra = 0


class PagesMixin:
    """Renders the admin's own pages (templates under admin/podcasts/episode/)."""

    def render_page(self, request, template, context, title):
        return TemplateResponse(
            request,
            f"admin/podcasts/episode/{template}",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context},
        )


@admin.register(Episode)
class EpisodeAdmin(PagesMixin, admin.ModelAdmin):
    form = EpisodeForm
    change_form_template = "admin/podcasts/episode/change_form.html"
    change_list_template = "admin/podcasts/episode/change_list.html"
    list_display = ("title_or_slug", "season", "number", "status_label", "published_at", "transcript_items", "problems")
    list_filter = ("status", ProblemsFilter, "season")
    search_fields = ("slug", "title", "short_title", "description")
    list_per_page = 50
    actions = ("publish_selected", "unpublish_selected", "download_zip")
    inlines = (EpisodeGuestInline, PlatformIdInline, LinkInline, ClipInline)
    fieldsets = (
        (None, {"fields": ("slug", "title", "short_title", ("season", "number"), "loaded_version")}),
        ("Publishing", {"fields": ("status", "published_at")}),
        ("Text", {"fields": ("description", "intro", "body")}),
        ("Details", {"fields": ("image", "topics", ("date_added", "date"), "duration", "extra"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source_layout", "body").annotate(transcript_count=Count("transcript"))

    def get_readonly_fields(self, request, obj=None):
        readonly = ["slug"] if obj else []
        if not request.user.has_perm(PUBLISH_PERMISSION):
            readonly += ["status", "published_at"]
        return readonly

    @admin.display(description="Title", ordering="title")
    def title_or_slug(self, episode):
        return episode.title or episode.slug

    @admin.display(description="Status", ordering="status")
    def status_label(self, episode):
        if episode.status == Episode.Status.PUBLISHED and not episode.is_public:
            return "scheduled"
        return episode.get_status_display()

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
            extra_context = {**(extra_context or {}), "audit_findings": audit_findings([episode])[episode.pk]}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        editing.record_revision(form.instance, Revision.Reason.EDIT, request.user, "saved in the admin")

    # ----------------------------------------------------------- actions

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    @admin.action(description="Publish selected episodes", permissions=["publish"])
    def publish_selected(self, request, queryset):
        return admin_views.publish_with_confirmation(self, request, queryset)

    @admin.action(description="Unpublish selected episodes", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = editing.unpublish(list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"Unpublished {count} episode(s).", messages.SUCCESS)

    @admin.action(description="Download selected as .md files (zip)", permissions=["view"])
    def download_zip(self, request, queryset):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for episode in queryset.model.objects.for_export().filter(pk__in=queryset.values("pk")):
                archive.writestr(file_name(episode), export_bytes(episode))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="episodes.zip"'
        return response

    # ------------------------------------------------------------- pages

    def get_urls(self):
        def view(function, permission="change"):
            return self.admin_site.admin_view(admin_views.require(self, permission, function))

        return [
            path("import/", view(admin_views.import_files, "add"), name="podcasts_episode_import"),
            path("speakers/", view(admin_views.all_speakers), name="podcasts_episode_all_speakers"),
            path("<int:pk>/transcript/", view(admin_views.transcript_editor), name="podcasts_episode_transcript"),
            path("<int:pk>/speakers/", view(admin_views.episode_speakers), name="podcasts_episode_speakers"),
            path("<int:pk>/clips/", view(admin_views.regenerate_clips), name="podcasts_episode_clips"),
            path("<int:pk>/revisions/", view(admin_views.revision_list, "view"), name="podcasts_episode_revisions"),
            path("<int:pk>/download/", view(admin_views.download, "view"), name="podcasts_episode_download"),
            path("<int:pk>/preview/", view(admin_views.preview, "view"), name="podcasts_episode_preview"),
            path("<int:pk>/publish/", view(admin_views.schedule, "publish"), name="podcasts_episode_publish"),
            *super().get_urls(),
        ]


@admin.register(Guest)
class GuestAdmin(admin.ModelAdmin):
    list_display = ("name", "short", "episode_count", "links")
    search_fields = ("short", "name")
    fields = ("short", "name", "picture", "bio_short", "body", "github", "twitter", "linkedin", "web", "extra")
    change_form_template = "admin/podcasts/guest/change_form.html"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        editing.record_guest_revision(form.instance, Revision.Reason.EDIT, request.user, "saved in the admin")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source_layout").annotate(episode_total=Count("episodes", distinct=True))

    @admin.display(description="Episodes", ordering="episode_total")
    def episode_count(self, guest):
        return guest.episode_total

    @admin.display(description="Profiles")
    def links(self, guest):
        filled = [name for name in ("github", "twitter", "linkedin", "web") if getattr(guest, name)]
        return ", ".join(filled)


@admin.register(Show)
class ShowAdmin(admin.ModelAdmin):
    """One record: the changelist goes straight to it."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False  # Show.load() creates the one record

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect(reverse("admin:podcasts_show_change", args=[Show.load().pk]))


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(admin.ModelAdmin):
    list_display = ("speaker", "guest", "scope")
    list_filter = (("episode", admin.EmptyFieldListFilter),)
    search_fields = ("speaker", "guest__name", "episode__slug")
    autocomplete_fields = ("guest",)
    raw_id_fields = ("episode",)

    @admin.display(description="Scope", ordering="episode__slug")
    def scope(self, alias):
        return alias.episode.slug if alias.episode_id else "all episodes"


@admin.register(Revision)
class RevisionAdmin(PagesMixin, admin.ModelAdmin):
    list_display = ("file_name", "reason", "user", "created_at", "compare_link")
    list_filter = ("reason", ("episode", admin.EmptyFieldListFilter), ("guest", admin.EmptyFieldListFilter))
    search_fields = ("file_name", "note")
    list_select_related = ("user",)
    readonly_fields = ("file_name", "episode", "guest", "reason", "note", "user", "created_at", "text")

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

    def get_urls(self):
        compare = admin_views.require(self, "view", admin_views.revision_detail)
        return [
            path("<int:pk>/compare/", self.admin_site.admin_view(compare), name="podcasts_revision_compare"),
            *super().get_urls(),
        ]
