"""Clips from headers: the proposal beside the current clips, then a replace."""

import difflib

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from podcasts.admin.forms import VersionForm
from podcasts.editorial.clips import clips_from_headers, replace_clips
from podcasts.editorial.versions import ConflictError
from podcasts.models import Episode


class ClipsPage:
    def clips_view(self, request, object_id):
        """Clips from the headers, shown next to the current ones before they replace them."""
        episode = self.get_page_object(request, object_id, parts=Episode.PARTS)
        proposed = clips_from_headers(episode)
        form = VersionForm(request.POST or None)
        if form.is_bound and not form.is_valid():
            messages.error(request, "Nothing was replaced: the page sent no version; reload it and try again.")
        elif form.is_bound:
            try:
                replace_clips(episode, proposed, version=form.cleaned_data["version"], user=request.user)
            except ConflictError as error:
                messages.error(request, str(error))
            else:
                self.log_change(request, episode, "Replaced the clips with clips from the headers.")
                messages.success(request, f"Replaced the clips with {len(proposed)} clip(s) from the headers.")
                return HttpResponseRedirect(reverse("admin:podcasts_episode_change", args=[episode.pk]))
        current = list(episode.clips.all())
        diff = difflib.unified_diff(
            [_clip_line(clip) for clip in current],
            [_clip_line(clip) for clip in proposed],
            "current",
            "from headers",
            lineterm="",
        )
        context = {"episode": episode, "current": current, "proposed": proposed, "diff": list(diff)}
        return self.render_page(request, "clips.html", context, f"Clips from headers: {episode}")


def _clip_line(clip) -> str:
    return f"{clip.start_offset:>6}–{clip.end_offset:<6} {clip.name}"
