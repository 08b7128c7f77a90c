from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PodcastsConfig(AppConfig):
    name = "podcasts"
    verbose_name = "Podcast"

    def ready(self):
        from django.db.models.signals import pre_delete

        from . import checks  # noqa: F401 (registers the feed readiness check)
        from .editorial.revisions import settle_before_delete
        from .public.caching import connect_signals

        connect_signals()
        pre_delete.connect(settle_before_delete, sender="podcasts.Episode", dispatch_uid="settle_before_delete")
        post_migrate.connect(repair_search_index, sender=self)


def repair_search_index(using, **kwargs):
    """SQLite loses a table's triggers when a migration rebuilds the table: put them back."""
    from django.db import connections

    from . import fulltext

    fulltext.repair_sqlite(connections[using])
