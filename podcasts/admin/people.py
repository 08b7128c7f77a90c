"""The people side of the admin: guests, the show (its host) and speaker aliases."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from podcasts.checks import episodes_by_problem
from podcasts.editorial.revisions import record_revision
from podcasts.models import Guest, Revision, Show, SpeakerAlias

from .base import EditorialAdmin
from .forms import ExactTextForm


@admin.register(Guest)
class GuestAdmin(EditorialAdmin):
    form = ExactTextForm
    list_display = ("name", "short", "episode_count", "links")
    search_fields = ("short", "name")
    fields = ("short", "name", "picture", "bio_short", "body", "github", "twitter", "linkedin", "web", "extra")
    change_form_template = "admin/podcasts/guest/change_form.html"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_revision(form.instance, Revision.Reason.EDIT, user=request.user, note="saved in the admin")

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
class ShowAdmin(EditorialAdmin):
    """One record: the changelist goes straight to it."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ("feed_readiness",)
    fieldsets = (
        (None, {"fields": ("title", "description", "site_url", "host", "host_speaker")}),
        (
            "What podcast directories require",
            {"fields": ("artwork", "author", ("owner_name", "owner_email"), "categories", "explicit", "language")},
        ),
        ("Feed readiness", {"fields": ("podcast_guid", "feed_readiness")}),
    )

    @admin.display(description="Still missing")
    def feed_readiness(self, show):
        """The show's problems, then each episode problem with the episodes that have it."""
        rows = [format_html("<li>Show: {}</li>", problem) for problem in show.feed_problems()]
        for problem, episodes in episodes_by_problem().items():
            links = format_html_join(
                ", ", '<a href="{}">{}</a>', ((reverse("admin:podcasts_episode_change", args=[e.pk]), e.slug) for e in episodes)
            )
            rows.append(format_html("<li>{} published episode(s): {}: {}</li>", len(episodes), problem, links))
        if not rows:
            return "Nothing: the feed is ready for Apple Podcasts, Spotify and the other directories."
        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((row,) for row in rows)))

    def has_add_permission(self, request):
        return False  # Show.load() creates the one record

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect(reverse("admin:podcasts_show_change", args=[Show.load().pk]))


@admin.register(SpeakerAlias)
class SpeakerAliasAdmin(EditorialAdmin):
    list_display = ("speaker", "guest", "scope")
    list_filter = (("episode", admin.EmptyFieldListFilter),)
    search_fields = ("speaker", "guest__name", "episode__slug")
    autocomplete_fields = ("guest",)
    raw_id_fields = ("episode",)

    @admin.display(description="Scope", ordering="episode__slug")
    def scope(self, alias):
        return alias.episode.slug if alias.episode_id else "all episodes"
