"""An episode's history: its revisions, newest first, each with what changed."""

from podcasts.editorial.revisions import settle_stale, summarize


class HistoryPage:
    def revisions_view(self, request, object_id):
        episode = self.get_page_object(request, object_id, "view")
        settle_stale(episode_ids=[episode.pk])
        revisions = list(episode.revisions.select_related("user").defer("text"))
        summarize(revisions)
        return self.render_page(request, "revisions.html", {"episode": episode, "revisions": revisions}, f"History: {episode}")
