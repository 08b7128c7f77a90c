"""Publishing from the admin: the action with its confirmation, and one episode's schedule."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from podcasts import audit
from podcasts.admin.forms import ScheduleForm
from podcasts.editorial.publishing import publish, unpublish
from podcasts.models import Episode


class PublishingPages:
    def publish_with_confirmation(self, request, queryset):
        """The publish action; episodes with audit errors need a second, explicit yes."""
        episodes = list(queryset)
        findings = audit.audit_episodes(queryset.model.objects.filter(pk__in=[episode.pk for episode in episodes]))
        errors = {slug: [f for f in found if f.severity == audit.ERROR] for slug, found in findings.items()}
        errors = {slug: found for slug, found in errors.items() if found}
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
        """Publish one episode now or at a chosen time."""
        episode = self.get_page_object(request, object_id, "publish")
        form = ScheduleForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            if episode.status == Episode.Status.PUBLISHED:
                unpublish([episode.pk])
            when = form.cleaned_data["published_at"]
            publish([episode.pk], at=when)
            self.log_change(request, episode, f"Scheduled for {when:%Y-%m-%d %H:%M %Z}." if when else "Published.")
            messages.success(request, "Publication saved.")
            return HttpResponseRedirect(reverse("admin:podcasts_episode_change", args=[episode.pk]))
        return self.render_page(request, "schedule.html", {"episode": episode, "form": form}, f"Publish: {episode}")
