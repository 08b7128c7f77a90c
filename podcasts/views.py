"""Public pages. Only ``Episode.objects.published()`` is ever shown."""

from django.views.generic import DetailView

from .models import Episode


class EpisodeDetailView(DetailView):
    template_name = "podcasts/episode_detail.html"
    context_object_name = "episode"

    def get_queryset(self):
        return Episode.objects.published()
