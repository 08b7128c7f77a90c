"""An episode's history: its revisions, newest first."""


class HistoryPage:
    def revisions_view(self, request, object_id):
        episode = self.get_page_object(request, object_id, "view")
        revisions = episode.revisions.select_related("user").defer("text")
        return self.render_page(request, "revisions.html", {"episode": episode, "revisions": revisions}, f"History: {episode}")
