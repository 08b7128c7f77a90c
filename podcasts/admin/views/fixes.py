"""Audit fixes in the admin: one finding, all of one rule in an episode, or in the chosen episodes.
Each shows the rows it changes first; applying is one revision per episode."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from podcasts.admin.forms import BulkFixForm, FixApplyForm, FixTargetForm
from podcasts.editorial import fixes
from podcasts.editorial.versions import ConflictError
from podcasts.models import Episode


class FixPages:
    def fix_view(self, request, object_id):
        """GET: the preview of a fix (``rule``, ``position``); POST: apply it at the version shown."""
        episode = self.get_page_object(request, object_id)
        back = reverse("admin:podcasts_episode_change", args=[episode.pk]) + "#audit-panel"
        posted = request.method == "POST"
        form = FixApplyForm(request.POST) if posted else FixTargetForm(request.GET)
        if not form.is_valid():
            messages.error(request, "Nothing was fixed: the page did not say which fix; reload it and try again.")
            return HttpResponseRedirect(back)
        rule, position = form.cleaned_data["rule"], form.cleaned_data["position"]
        transcript = fixes.Transcript.load(episode)
        found = fixes.fixes_for(transcript.facts, rule, position)
        sec = form.cleaned_data.get("sec")
        if rule == "time-backwards" and position is not None and found and sec is not None:
            found = [fixes.retime(transcript.facts, position, sec)]
        if posted:
            return self.apply_fix(request, episode, transcript, found, form.cleaned_data["version"], back)
        suggested = found[0].changes[0].after.sec if rule == "time-backwards" and position is not None and found else None
        apply_form = FixApplyForm(initial={**form.cleaned_data, "version": episode.version, "sec": suggested})
        if suggested is None:
            del apply_form.fields["sec"]
        context = {
            "episode": episode,
            "rule": rule,
            "fixes": found,
            "changes": fixes.combined_changes(found),
            "form": apply_form,
        }
        return self.render_page(request, "fix.html", context, f"Fix {rule}: {episode}")

    def apply_fix(self, request, episode, transcript, found, version, back):
        if not found:
            messages.error(request, "Nothing was fixed: this finding is gone or has no fix any more.")
            return HttpResponseRedirect(back)
        try:
            rows = fixes.apply_fixes(transcript, found, version=version, user=request.user)
        except ConflictError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(back)
        self.log_change(request, episode, fixes.fix_note(found))
        messages.success(request, f"Fixed {len(found)} finding(s): {rows} row(s) changed.")
        return HttpResponseRedirect(back)

    @admin.action(description="Fix all of one audit rule in the selected episodes…", permissions=["change"])
    def fix_selected(self, request, queryset):
        """The action "fix all of this kind": choose the rule, preview every episode's fixes, apply."""
        chosen = (
            request.POST if "fix_rule" in request.POST else {"fix_rule": request.GET["rule"]} if "rule" in request.GET else None
        )
        form = BulkFixForm(chosen)  # the changelist's rule filter chooses the rule
        episodes = list(queryset.only("pk", "slug", "title", "version"))
        if not form.is_valid():
            context = {"form": form, "episodes": episodes, "previews": None}
            return self.render_page(request, "fix_selected.html", context, "Fix all of one kind")
        rule = form.cleaned_data["fix_rule"]
        if form.cleaned_data["apply"]:
            results = fixes.fix_episodes(Episode.objects.filter(pk__in=[e.pk for e in episodes]), [rule], user=request.user)
            for result in results:
                self.log_change(request, result.episode, fixes.fix_note(result.fixes))
            findings = sum(len(result.fixes) for result in results)
            self.message_user(request, f"Fixed {findings} finding(s) of {rule} in {len(results)} episode(s).", messages.SUCCESS)
            return None
        previews = []
        for episode in episodes:
            found = fixes.fixes_for(fixes.Transcript.load(episode).facts, rule)
            if found:
                previews.append((episode, found, fixes.combined_changes(found)))
        context = {"form": form, "episodes": episodes, "previews": previews, "rule": rule}
        return self.render_page(request, "fix_selected.html", context, f"Fix all {rule} in the chosen episodes")
