"""Clips from headers: the proposal beside the current clips, each proposed clip chosen or not, then a replace."""

import difflib

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from podcasts.admin.forms import ClipsForm
from podcasts.editorial.clips import clips_from_headers, replace_clips
from podcasts.editorial.versions import ConflictError
from podcasts.models import Episode


class ClipsPage:
    def clips_view(self, request, object_id):
        """Clips from the headers, shown next to the current ones; the chosen ones replace them.
        The proposal is the same on the POST as on the page: any change in between raised the version."""
        episode = self.get_page_object(request, object_id, parts=Episode.PARTS)
        proposed = clips_from_headers(episode)
        form = ClipsForm(request.POST or None, proposed=len(proposed))
        if form.is_bound and not form.is_valid():
            messages.error(
                request, "Nothing was replaced: " + " ".join(error for errors in form.errors.values() for error in errors)
            )
        elif form.is_bound:
            chosen = [proposed[index] for index in sorted(set(form.cleaned_data["clip"]))]
            try:
                replace_clips(episode, chosen, version=form.cleaned_data["version"], user=request.user)
            except ConflictError as error:
                messages.error(request, str(error))
            else:
                self.log_change(request, episode, f"Replaced the clips with {len(chosen)} clip(s) from the headers.")
                messages.success(request, f"Replaced the clips with {len(chosen)} clip(s) from the headers.")
                return HttpResponseRedirect(reverse("admin:podcasts_episode_change", args=[episode.pk]))
        current = list(episode.clips.all())
        current_keys = {_clip_key(clip) for clip in current}
        proposed_keys = {_clip_key(clip) for clip in proposed}
        diff = difflib.unified_diff(
            [_clip_line(clip) for clip in current],
            [_clip_line(clip) for clip in proposed],
            "current",
            "from headers",
            lineterm="",
        )
        context = {
            "episode": episode,
            "current": current,
            "proposed": [(index, clip, _clip_key(clip) in current_keys) for index, clip in enumerate(proposed)],
            "dropped": [clip for clip in current if _clip_key(clip) not in proposed_keys],
            "diff": list(diff),
        }
        return self.render_page(request, "clips.html", context, f"Clips from headers: {episode}")


def _clip_key(clip) -> tuple:
    return clip.name, clip.start_offset, clip.end_offset, clip.url


def _clip_line(clip) -> str:
    return f"{clip.start_offset:>6}–{clip.end_offset:<6} {clip.name}"
