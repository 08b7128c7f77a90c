"""Raw transcripts in the admin: "New episode from transcript" and, on an episode, "Replace
transcript". Upload or paste, then a preview (format, items, speakers and their mapping, the
diff and the audit of the result), then apply. ``editorial.ingest`` does the work; the file
waits in the database between the steps (``ingest.stage``), never in a folder."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from podcasts.admin.forms import NewEpisodeForm, SpeakerMappingForm, StagedTranscriptForm, TranscriptUploadForm
from podcasts.editorial import ingest
from podcasts.editorial.versions import ConflictError
from podcasts.files.transcript_formats import FORMATS
from podcasts.models import Guest, Show

EXPIRED = "That transcript has expired or was applied already; upload it again."


class IngestPages:
    def new_from_transcript_view(self, request):
        self.require(request, "add")
        return self._ingest(request, None)

    def replace_transcript_view(self, request, object_id):
        episode = self.get_page_object(request, object_id, parts=("episode_guests__guest",))
        return self._ingest(request, episode)

    def _ingest(self, request, episode):
        """Step 1 (upload, or paste) or step 2 (preview, apply: its form names the staged upload)."""
        new_form = NewEpisodeForm(request.POST or None, prefix="episode") if episode is None else None
        if request.method == "POST" and "upload" in request.POST:
            return self._staged_step(request, episode, new_form)
        upload_form = TranscriptUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and upload_form.is_valid() and (new_form is None or new_form.is_valid()):
            name, data = upload_form.source()
            try:
                raw = ingest.read_raw(name, data, upload_form.read_options())
            except ingest.IngestError as error:
                upload_form.add_error(None, f"Nothing was read: {error.message}")
            else:
                staged = ingest.stage(name, data, request.user)
                version = episode.version if episode else None
                initial = {**upload_form.cleaned_data, "format": raw.format, "upload": staged.pk, "version": version}
                staged_form = StagedTranscriptForm(initial=initial)
                suggested = self._suggested(episode, new_form, raw)
                return self._preview(request, episode, new_form, staged_form, name, raw, suggested, set())
        context = {"episode": episode, "upload_form": upload_form, "new_form": new_form}
        return self.render_page(request, "ingest.html", context, self._title(episode))

    def _staged_step(self, request, episode, new_form):
        staged_form = StagedTranscriptForm(request.POST)
        found = ingest.staged_file(staged_form.cleaned_data["upload"], request.user) if staged_form.is_valid() else None
        if found is None:
            messages.error(request, EXPIRED)
            return HttpResponseRedirect(request.path)
        name, data = found
        try:
            raw = ingest.read_raw(name, data, staged_form.read_options())
        except ingest.IngestError as error:
            messages.error(request, f"Nothing was read: {error.message}")
            return self._preview(request, episode, new_form, staged_form, name, None, {}, set())
        mapping_form = SpeakerMappingForm(request.POST)
        chosen, remembered = mapping_form.mapping() if mapping_form.is_valid() else ({}, set())
        mapping = self._suggested(episode, new_form, raw) | {
            found: becomes for found, becomes in chosen.items() if found in raw.speakers
        }
        if "apply" in request.POST and not mapping_form.is_valid():
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in mapping_form.errors.items())
            messages.error(request, f"Nothing was written: the speakers sent were not valid ({problems[:300]}).")
        elif "apply" in request.POST and (new_form is None or new_form.is_valid()):
            applied = self._apply(request, episode, new_form, staged_form, name, raw, mapping, remembered)
            if applied is not None:
                return applied
        return self._preview(request, episode, new_form, staged_form, name, raw, mapping, remembered)

    def _apply(self, request, episode, new_form, staged_form, name, raw, mapping, remembered):
        """The redirect after applying; None when nothing was written (a message says why)."""
        upload = staged_form.cleaned_data["upload"]
        try:
            with transaction.atomic():
                if not ingest.discard(upload, request.user):
                    messages.error(request, EXPIRED)
                    return HttpResponseRedirect(request.path)
                if episode is None:
                    episode = ingest.apply_new(new_form.new_episode(), raw, name, mapping, remembered, user=request.user)
                    self.log_addition(request, episode, f"Created from the transcript {name}.")
                    done = "Episode created"
                else:
                    version = staged_form.cleaned_data["version"]
                    ingest.apply_replace(episode, raw, name, mapping, remembered, version=version, user=request.user)
                    self.log_change(request, episode, f"Replaced the transcript from {name}.")
                    done = "Transcript replaced"
        except (ingest.IngestError, ConflictError) as error:
            messages.error(request, f"Nothing was written: {getattr(error, 'message', error)}")
            return None
        messages.success(request, f"{done} from {name} ({FORMATS[raw.format]}).")
        return HttpResponseRedirect(reverse("admin:podcasts_episode_change", args=[episode.pk]))

    def _suggested(self, episode, new_form, raw) -> dict[str, str]:
        return ingest.suggested_mapping(raw, self._guests(episode, new_form), Show.current(), episode)

    @staticmethod
    def _guests(episode, new_form) -> list[Guest]:
        if episode is not None:
            return [row.guest for row in episode.episode_guests.all() if row.guest is not None]
        return list(new_form.cleaned_data.get("guests", [])) if new_form.is_bound and new_form.is_valid() else []

    def _preview(self, request, episode, new_form, staged_form, name, raw, mapping, remembered):
        show = Show.current()
        context = {"episode": episode, "new_form": new_form, "staged_form": staged_form, "name": name, "raw": raw}
        if raw is not None:
            mapping_form = SpeakerMappingForm(speakers=list(raw.speakers), mapping=mapping, remembered=remembered)
            context |= {
                "format_name": FORMATS[raw.format],
                "mapping_form": mapping_form,
                "speaker_rows": [(*row, raw.speakers[row[0].initial]) for row in mapping_form.rows()],
                "speaker_choices": ingest.speaker_choices(self._guests(episode, new_form), show),
            }
            try:
                context["preview"] = self._preview_result(episode, new_form, staged_form, name, raw, mapping)
            except (ingest.IngestError, ConflictError) as error:
                messages.error(request, f"No preview: {getattr(error, 'message', error)}")
        return self.render_page(request, "ingest.html", context, f"{self._title(episode)}: preview")

    @staticmethod
    def _preview_result(episode, new_form, staged_form, name, raw, mapping):
        if episode is not None:
            version = staged_form.cleaned_data["version"] if staged_form.is_bound else staged_form.initial["version"]
            return ingest.preview_replace(episode, raw, name, mapping, version=version)
        if new_form.is_valid():
            return ingest.preview_new(new_form.new_episode(), raw, name, mapping)
        return None

    @staticmethod
    def _title(episode) -> str:
        return f"Replace transcript: {episode}" if episode is not None else "New episode from transcript"
