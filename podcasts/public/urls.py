"""Public site URLs (namespace ``podcasts``). Every page is cached whole (see ``caching``)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from podcasts import transcripts
from podcasts.files.schema import file_key_problem

from . import views
from .caching import cached_public_page as cached
from .caching import page_number
from .feeds import episode_feed
from .media import media_file
from .search import normalize_query
from .sitemaps import SITEMAPS


class FileKey:
    """An episode slug or a person's id: what no file could be named (a NUL, a space, a
    ``%``) matches no URL, so it is a 404 before any query (PostgreSQL refuses NUL outright)."""

    regex = "[^/]+"

    def to_python(self, value):
        if file_key_problem(value):
            raise ValueError(value)
        return value

    def to_url(self, value):
        return value


class TranscriptFormat:
    regex = "|".join(transcripts.FORMATS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FileKey, "key")
register_converter(TranscriptFormat, "transcript_format")

app_name = "podcasts"

urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("podcast/", cached(views.EpisodeListView.as_view(), page=page_number), name="episode_list"),
    path("podcast/season/<int:season>/", cached(views.SeasonView.as_view()), name="season"),
    path("podcast/<key:slug>/", cached(views.EpisodeDetailView.as_view()), name="episode"),
    path(
        "podcast/<key:slug>/transcript.<transcript_format:format>",
        views.allow_any_origin(cached(views.TranscriptFileView.as_view())),
        name="transcript",
    ),
    path("podcast/<key:slug>/chapters.json", views.allow_any_origin(cached(views.ChaptersView.as_view())), name="chapters"),
    path("people/<key:short>/", cached(views.GuestDetailView.as_view()), name="guest"),
    path("search/", cached(views.SearchView.as_view(), q=normalize_query, page=page_number), name="search"),
    path("feed.xml", views.allow_any_origin(cached(episode_feed)), name="feed"),
    path("sitemap.xml", cached(sitemap, p=page_number), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", cached(views.RobotsView.as_view()), name="robots"),
    path("media/<path:name>", media_file, name="media"),  # MEDIA_URL
]
