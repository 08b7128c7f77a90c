from django.apps import AppConfig


class PodcastsConfig(AppConfig):
    name = "podcasts"
    verbose_name = "Podcast"

    def ready(self):
        from . import checks  # noqa: F401 (registers the feed readiness check)
        from .public.caching import connect_signals

        connect_signals()
