"""The transcript editor: every item in one plain form, one transaction per save."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from podcasts import timecode
from podcasts.admin.forms import TranscriptForm
from podcasts.editorial import transcript as editing
from podcasts.editorial.versions import ConflictError
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
        stored = {item.id: item for item in items}
        if not form.is_valid():
            messages.error(request, "Nothing was saved: the page sent an incomplete form; reload it and try again.")
            return HttpResponseRedirect(request.path)
        operation, target = form.operation()
        submitted = []
        try:
            submitted = submitted_items(request.POST, form.cleaned_data["count"], stored)
            if operation != "save":
                submitted = editing.apply_operation(submitted, operation, target)
            editing.save_transcript(episode, submitted, version=form.cleaned_data["version"], user=request.user)
        except ConflictError as error:
            messages.error(request, str(error))
            return self._render_transcript(request, episode, submitted, unsaved_version=form.cleaned_data["version"])
        except ValueError as error:
            messages.error(request, f"Nothing was saved: {error}")
            kept = submitted_items(request.POST, form.cleaned_data["count"], stored, strict=False)
            return self._render_transcript(request, episode, kept, unsaved_version=form.cleaned_data["version"])
        messages.success(request, "Transcript saved.")
        anchor = f"#item-{target}" if operation != "save" else ""
        return HttpResponseRedirect(request.path + anchor)

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


def submitted_items(data, count: int, stored: dict, strict: bool = True) -> list[editing.Item]:
    """The items as submitted; a time that does not parse raises ValueError, or
    with ``strict=False`` is kept as typed so the form can show it again."""
    items = []
    for index in range(count):
        item_id = int(data[f"id-{index}"]) if data.get(f"id-{index}", "").isdigit() else None
        original = stored.get(item_id) or editing.Item(None, TranscriptLine.Kind.LINE, "")
        kind = data.get(f"kind-{index}", original.kind)
        text = data.get(f"text-{index}", original.text)
        speaker = data.get(f"speaker-{index}", original.speaker or "")
        speaker = original.speaker if speaker == (original.speaker or "") else speaker
        sec, time = original.sec, original.time
        typed_time = data.get(f"time-{index}", time or "").strip()
        if typed_time != (time or ""):
            try:
                sec, time = (timecode.parse(typed_time), typed_time) if typed_time else (None, None)
            except ValueError:
                if strict:
                    raise
                time = typed_time
        items.append(editing.Item(item_id, kind, text, speaker, sec, time))
    return items
