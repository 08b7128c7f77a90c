"""Find and replace across every transcript: matches in context grouped by episode, a
preview of the lines a replacement makes, then one revision per changed episode."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from podcasts.admin.forms import FindForm, ReplaceForm
from podcasts.editorial.find_replace import MAX_MATCHES, SearchTooSlow, find, plan, replace
from podcasts.models import Episode

SEARCH_FIELDS = ("pattern", "regex", "case_sensitive", "whole_word", "places")


class FindReplacePage:
    def find_replace_view(self, request):
        """GET searches; POST previews (``step=preview``) or replaces (``step=apply``) the chosen matches."""
        self.require(request, "change")
        if request.method == "POST":
            form = ReplaceForm(request.POST)
            if form.is_valid():
                try:
                    return self._replace(request, form)
                except (SearchTooSlow, ValueError) as error:
                    form.add_error(None, str(error))
            return self._search_page(request, FindForm(request.POST), replace_form=form)
        return self._search_page(request, FindForm(request.GET or None))

    def _search_page(self, request, form, replace_form=None):
        found = None
        if form.is_bound and form.is_valid():
            try:
                found = find(form.query())
            except SearchTooSlow as error:
                form.add_error("pattern", str(error))
        context = {
            "form": form,
            "replace_form": replace_form,
            "found": found,
            "groups": _grouped(found.by_episode()) if found else [],
            "max_matches": MAX_MATCHES,
        }
        return self.render_page(request, "find_replace.html", context, "Find and replace in transcripts")

    def _replace(self, request, form):
        query, replacement, keys = form.query(), form.cleaned_data["replacement"], form.cleaned_data["matches"]
        if form.cleaned_data["step"] == "preview":
            changes = plan(query, replacement, keys)
            context = {"form": form, "groups": _grouped(_by_episode(changes)), "count": sum(c.count for c in changes)}
            return self.render_page(request, "find_replace_preview.html", context, "Preview: find and replace")
        changes = replace(query, replacement, keys, user=request.user)
        episode_ids = {change.episode_id for change in changes}
        self.log_changes(request, Episode.objects.filter(pk__in=episode_ids), f"Replaced {query.pattern!r} with {replacement!r}.")
        count = sum(change.count for change in changes)
        messages.success(
            request,
            f"Replaced {count} match(es) in {len(episode_ids)} episode(s), one revision each: "
            "undo by restoring the revision before it in an episode's History.",
        )
        search = {name: form.cleaned_data[name] for name in SEARCH_FIELDS if form.cleaned_data[name]}
        return HttpResponseRedirect(reverse("admin:podcasts_episode_find_replace") + "?" + urlencode(search, doseq=True))


def _by_episode(changes) -> dict:
    grouped = {}
    for change in changes:
        grouped.setdefault(change.episode_id, []).append(change)
    return grouped


def _grouped(by_episode: dict) -> list[tuple[Episode, list]]:
    """(episode, its matches or changes) in the order found."""
    episodes = Episode.objects.only("slug", "title").in_bulk(list(by_episode))
    return [(episodes[episode_id], items) for episode_id, items in by_episode.items() if episode_id in episodes]
