"""Publishing from the admin: the action and one episode's Publish page, each asking again
when the audit finds errors (as the change form's status field does, ``EpisodeForm``)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from podcasts.admin.forms import ScheduleForm
from podcasts.editorial.publishing import audit_errors, publication_label, publish, unpublish
from podcasts.models import Episode


class PublishingPages:
    def publish_with_confirmation(self, request, queryset):
        """The publish action; episodes with audit errors need a second, explicit yes."""
        episodes = list(queryset)
        errors = audit_errors([episode.pk for episode in episodes])
        if errors and request.POST.get("confirm") != "yes":
            context = {"episodes": episodes, "errors": errors, "action_checkbox_name": "_selected_action"}
            return self.render_page(request, "publish_confirm.html", context, "Publish episodes with problems?")
        ids = [episode.pk for episode in episodes]
        drafts = list(Episode.objects.filter(pk__in=ids, status=Episode.Status.DRAFT).values_list("pk", flat=True))
        count = publish(drafts)
        self.log_changes(request, Episode.objects.filter(pk__in=drafts), "Published.")
        self.message_user(request, f"Published {count} episode(s).", messages.SUCCESS)
        return None

    def schedule_view(self, request, object_id):
        """Publish one episode now or at a chosen time; audit errors need a second yes."""
        episode = self.get_page_object(request, object_id, "publish")
        form = ScheduleForm(request.POST if request.method == "POST" else None)
        errors = {}
        if request.method == "POST" and form.is_valid():
            errors = {} if form.cleaned_data["confirm"] else audit_errors([episode.pk])
            if not errors:
                return self._schedule(request, episode, form.cleaned_data["published_at"])
            form = ScheduleForm({**request.POST.dict(), "confirm": "on"})
        context = {"episode": episode, "form": form, "errors": errors, "publication": publication_label(episode)}
        return self.render_page(request, "schedule.html", context, f"Publish: {episode}")

    def _schedule(self, request, episode, when):
        if episode.status == Episode.Status.PUBLISHED:
            unpublish([episode.pk])
        publish([episode.pk], at=when)
        episode.refresh_from_db(fields=["status", "published_at"])
        done = "Published." if episode.is_public else f"{publication_label(episode)}."
        self.log_change(request, episode, done)
        messages.success(request, done)
        return HttpResponseRedirect(reverse("admin:podcasts_episode_change", args=[episode.pk]))
