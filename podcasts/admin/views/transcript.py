"""The transcript editor: every item in one plain form, one transaction per save."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from podcasts import timecode
from podcasts.admin.forms import TranscriptForm
from podcasts.editorial import transcript as editing
from podcasts.editorial.versions import ConflictError
from podcasts.files.schema import control_character_problem
from podcasts.models import Episode, Show, TranscriptLine
from podcasts.speakers import speaker_choices


class TranscriptPage:
    def transcript_view(self, request, object_id):
        """All items in one form: fast at hundreds of items, one transaction per save."""
        episode = self.get_page_object(request, object_id, parts=Episode.PARTS)
        items = editing.current_items(episode)
        if request.method != "POST":
            return self._render_transcript(request, episode, items)
        form = TranscriptForm(request.POST)
        try:
            if not form.is_valid():
                raise ValueError("the page sent an incomplete form; reload it and try again")
            submitted, bad_time = submitted_items(request.POST, form.cleaned_data["count"], {item.id: item for item in items})
        except ValueError as error:
            messages.error(request, f"Nothing was saved: {error}")
            return HttpResponseRedirect(request.path)
        version = form.cleaned_data["version"]
        operation, target = form.operation()
        try:
            if bad_time:
                raise ValueError(bad_time)
            if operation != "save":
                submitted = editing.apply_operation(submitted, operation, target)
            editing.save_transcript(episode, submitted, version=version, user=request.user)
        except (ConflictError, ValueError) as error:
            messages.error(request, str(error) if isinstance(error, ConflictError) else f"Nothing was saved: {error}")
            return self._render_transcript(request, episode, submitted, unsaved_version=version)
        self.log_change(request, episode, "Edited the transcript.")
        messages.success(request, "Transcript saved.")
        return HttpResponseRedirect(request.path + (f"#item-{target}" if operation != "save" else ""))

    def _render_transcript(self, request, episode, items, unsaved_version=None):
        """``unsaved_version``: the items are the editor's input that was not saved, shown
        again against the version they loaded so that nothing typed is lost."""
        context = {
            "episode": episode,
            "rows": list(enumerate(items)),
            "version": episode.version if unsaved_version is None else unsaved_version,
            "speaker_choices": speaker_choices(episode, Show.current()),
        }
        return self.render_page(request, "transcript.html", context, f"Transcript: {episode}")


def submitted_items(data, count: int, stored: dict) -> tuple[list[editing.Item], str | None]:
    """The items as submitted, and the first time that does not parse (kept as typed, so
    the form can show it again). ValueError when an item is missing or malformed."""
    items, bad_time = [], None
    for index in range(count):
        kind, text = data.get(f"kind-{index}"), data.get(f"text-{index}")
        if kind not in TranscriptLine.Kind.values or text is None:
            raise ValueError(f"item {index} is missing or malformed; reload the page")
        problem = control_character_problem(text) or control_character_problem(data.get(f"speaker-{index}", ""))
        if problem:
            raise ValueError(f"item {index} {problem}; remove it")
        item_id = int(data[f"id-{index}"]) if data.get(f"id-{index}", "").isdigit() else None
        original = stored.get(item_id) or editing.Item(None, kind, "")
        speaker = data.get(f"speaker-{index}", original.speaker or "")
        speaker = original.speaker if speaker == (original.speaker or "") else speaker
        sec, time = original.sec, original.time
        typed_time = data.get(f"time-{index}", time or "").strip()
        if typed_time != (time or ""):
            try:
                sec, time = (timecode.parse(typed_time), typed_time) if typed_time else (None, None)
            except ValueError as error:
                bad_time, time = bad_time or str(error), typed_time
        items.append(editing.Item(item_id, kind, text, speaker, sec, time))
    return items, bad_time
