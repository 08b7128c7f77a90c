from django.apps import AppConfig


class PodcastsConfig(AppConfig):
    name = "podcasts"
    verbose_name = "Podcast"

    def ready(self):
        from .public.caching import connect_signals

        connect_signals()
