from django.apps import AppConfig


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
