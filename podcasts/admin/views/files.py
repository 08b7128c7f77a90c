"""An episode as a file (download) and as its public page (preview, drafts included)."""

from django.http import HttpResponse

from podcasts.editorial.publishing import publication_label
from podcasts.files.exporting import export_bytes, file_name
from podcasts.models import Episode
from podcasts.public.views import GUESTS, EpisodeDetailView


class DraftPreview(EpisodeDetailView):
    """The public episode page for any episode, drafts included; only reachable through the admin."""

    def get_queryset(self):
        return Episode.objects.prefetch_related(GUESTS, *Episode.PARTS)

    def get_context_data(self, **kwargs):
        """A page nobody else can see says so: a DRAFT banner with its state."""
        episode = self.object
        banner = None if episode.is_public else publication_label(episode)
        return super().get_context_data(draft_banner=banner, **kwargs)


class FilePages:
    def download_view(self, request, object_id):
        episode = self.get_page_object(request, object_id, "view", parts=Episode.PARTS)
        response = HttpResponse(export_bytes(episode), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{file_name(episode)}"'
        return response

    def preview_view(self, request, object_id):
        episode = self.get_page_object(request, object_id, "view")
        response = DraftPreview.as_view()(request, slug=episode.slug)
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-store"
        return response
