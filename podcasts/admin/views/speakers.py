"""Speakers: per episode (rename, merge, link to a person) and across all episodes."""

from django.contrib import messages
from django.db.models import Count, Min
from django.http import HttpResponseRedirect

from podcasts.admin.findings import audit_findings
from podcasts.admin.forms import LinkSpeakerForm, RenameSpeakerForm
from podcasts.editorial.fixes import suggested_merges
from podcasts.editorial.speakers import link_speaker, rename_speaker
from podcasts.models import Episode, Show, SpeakerAlias, TranscriptLine
from podcasts.speakers import speaker_choices, speaker_counts

MERGE_RULES = ("speaker-punctuation", "speaker-near-duplicate")


class SpeakerPages:
    def speakers_view(self, request, object_id):
        episode = self.get_page_object(request, object_id, parts=("episode_guests__guest",))
        rename = RenameSpeakerForm(request.POST if "rename" in request.POST else None)
        link = LinkSpeakerForm(request.POST if "link" in request.POST else None)
        if rename.is_bound and rename.is_valid():
            old, new = rename.cleaned_data["old"], rename.cleaned_data["new"]
            changed = rename_speaker(old, new, episode_ids=[episode.pk], user=request.user)
            if changed:
                self.log_change(request, episode, f"Renamed speaker {old!r} to {new!r}.")
                messages.success(request, f"Renamed {changed} line(s).")
            else:
                messages.error(request, f"No line of this episode has the speaker {old!r}: nothing was renamed.")
            return HttpResponseRedirect(request.path)
        if link.is_bound and link.is_valid():
            data = link.cleaned_data
            link_speaker(data["speaker"], data["guest"], episode=None if data["everywhere"] else episode)
            self.log_change(request, episode, f"Linked speaker {data['speaker']!r} to {data['guest']}.")
            messages.success(request, f"Linked {data['speaker']!r} to {data['guest']}.")
            return HttpResponseRedirect(request.path)
        aliases = SpeakerAlias.objects.filter(episode__in=[episode, None]).select_related("guest")
        context = {
            "episode": episode,
            "speakers": speaker_counts(episode),
            "aliases": {alias.speaker: alias for alias in aliases},
            "rename_form": rename,
            "link_form": link,
            "speaker_choices": speaker_choices(episode, Show.current()),
        }
        return self.render_page(request, "speakers.html", context, f"Speakers: {episode}")

    def all_speakers_view(self, request):
        """Every speaker value across episodes, the audit's suggested merges, and a rename/merge
        scoped to chosen episodes or, once the editor confirms its counts, all of them."""
        self.require(request, "change")
        old = request.POST.get("old") or request.GET.get("speaker")
        appears_in = Episode.objects.filter(transcript__speaker=old).distinct() if old is not None else Episode.objects.none()
        form = RenameSpeakerForm(request.POST or None, initial={"old": old}, episode_choices=appears_in)
        if request.method == "POST" and form.is_valid():
            return self.rename_everywhere(request, form)
        speakers = (
            TranscriptLine.objects.filter(kind=TranscriptLine.Kind.LINE)
            .values("speaker")
            .annotate(lines=Count("id"), episodes=Count("episode", distinct=True), first_episode=Min("episode__slug"))
            .order_by("speaker")
        )
        query = request.GET.get("q", "").strip()
        if query:
            speakers = speakers.filter(speaker__icontains=query)
        context = {
            "speakers": speakers,
            "form": form,
            "selected": old,
            "appears_in": appears_in,
            "query": query,
            "merges": suggested_merges(self.episodes_with(MERGE_RULES)),
        }
        return self.render_page(request, "all_speakers.html", context, "Speakers across episodes")

    def rename_everywhere(self, request, form):
        old, new, chosen = form.cleaned_data["old"], form.cleaned_data["new"], form.cleaned_data["episodes"]
        lines = TranscriptLine.objects.filter(speaker=old, kind=TranscriptLine.Kind.LINE)
        if chosen:
            lines = lines.filter(episode__in=chosen)
        affected = list(lines.order_by().values_list("episode_id", flat=True).distinct())
        if not affected:
            messages.error(
                request, f"No line has the speaker {old!r}{' in the chosen episodes' if chosen else ''}: nothing was renamed."
            )
            return HttpResponseRedirect(request.path)
        if not chosen and not form.cleaned_data["confirmed"]:
            confirm = RenameSpeakerForm(
                initial={"old": old, "new": new, "confirmed": True}, episode_choices=Episode.objects.none()
            )
            context = {"form": confirm, "old": old, "new": new, "lines": lines.count(), "episodes": len(affected)}
            return self.render_page(request, "rename_confirm.html", context, f"Rename {old!r} in every episode?")
        changed = rename_speaker(old, new, episode_ids=affected, user=request.user)
        self.log_changes(request, Episode.objects.filter(pk__in=affected), f"Renamed speaker {old!r} to {new!r}.")
        messages.success(request, f"Renamed {changed} line(s) in {len(affected)} episode(s).")
        return HttpResponseRedirect(request.path)

    def episodes_with(self, rules):
        """The episodes whose (cached) audit has a finding of one of ``rules``."""
        found = audit_findings(Episode.objects.only("pk", "version", "updated_at"))
        return Episode.objects.filter(pk__in=[pk for pk, findings in found.items() if any(f.rule in rules for f in findings)])
