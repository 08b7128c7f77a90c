"""Timestamps lists on an episode: paste one, preview where each header lands, apply; or
take the current headers away as one (download or copy)."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect

from podcasts.admin.forms import TimestampsForm
from podcasts.editorial.timestamps import apply_timestamps, place, timestamps_list
from podcasts.editorial.versions import ConflictError


class TimestampsPage:
    def timestamps_view(self, request, object_id):
        """*Preview* shows the placement of the pasted list; *Apply* (posted from the preview,
        with the very text previewed) replaces the headers as one revision."""
        episode = self.get_page_object(request, object_id, parts=("transcript",))
        form = TimestampsForm(request.POST or None, initial={"version": episode.version})
        stamps = form.cleaned_data["timestamps"] if form.is_bound and form.is_valid() else None
        text = form.data.get("timestamps")
        if stamps is not None and "apply" in request.POST:
            try:
                placement = apply_timestamps(
                    episode,
                    stamps,
                    version=form.cleaned_data["version"],
                    user=request.user,
                    note="headers from a timestamps list",
                )
            except ConflictError as error:
                messages.error(request, f"{error} The preview below is against the episode as it is now.")
                episode = self.get_page_object(request, object_id, parts=("transcript",))
                form = TimestampsForm(initial={"version": episode.version, "timestamps": text})
            else:
                if placement.changed:
                    added = sum(not landing.kept for landing in placement.landings)
                    self.log_change(request, episode, f"Replaced the headers with a timestamps list ({len(stamps)} headers).")
                    messages.success(request, f"Headers replaced: {added} added, {len(placement.removed)} removed.")
                else:
                    messages.info(request, "The list holds exactly the current headers: nothing changed.")
                return HttpResponseRedirect(request.path)
        current = list(episode.transcript.all())
        context = {
            "episode": episode,
            "form": form,
            "placement": place(current, stamps) if stamps is not None else None,
            "apply_form": TimestampsForm(initial={"version": episode.version, "timestamps": text}) if stamps else None,
            "current_list": timestamps_list(current),
        }
        return self.render_page(request, "timestamps.html", context, f"Timestamps: {episode}")

    def timestamps_download_view(self, request, object_id):
        """The current headers as a list file, ``<slug>.txt`` (what ``apply_timestamps`` matches)."""
        episode = self.get_page_object(request, object_id, "view", parts=("transcript",))
        response = HttpResponse(timestamps_list(list(episode.transcript.all())), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{episode.slug}.txt"'
        return response
