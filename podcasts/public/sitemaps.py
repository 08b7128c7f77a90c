"""``/sitemap.xml``: the home page, the episode list, seasons, episodes and people,
published ones only, at the show's public address."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property

from podcasts.models import Episode, Guest, Show


class ShowSitemap(Sitemap):
    """Addresses under ``Show.site_url``, whatever host the request came to."""

    @cached_property
    def show(self):
        return Show.current()

    def get_protocol(self, protocol=None):
        return urlsplit(self.show.site_url).scheme

    def get_domain(self, site=None):
        """Host and path prefix of the public address, so that each ``protocol://domain
        + location`` is ``Show.absolute_url(location)``."""
        address = urlsplit(self.show.site_url)
        return address.netloc + address.path.rstrip("/")


class PagesSitemap(ShowSitemap):
    priority = 0.6

    def items(self):
        return ["podcasts:home", "podcasts:episode_list"]

    def location(self, name):
        return reverse(name)


class SeasonSitemap(ShowSitemap):
    def items(self):
        return list(
            Episode.objects.published().exclude(season=None).order_by("-season").values_list("season", flat=True).distinct()
        )

    def location(self, season):
        return reverse("podcasts:season", args=[season])


class EpisodeSitemap(ShowSitemap):
    priority = 0.8

    def items(self):
        return Episode.objects.published().only("slug", "updated_at")

    def lastmod(self, episode):
        return episode.updated_at


class GuestSitemap(ShowSitemap):
    def items(self):
        on_air = Q(episodes__in=Episode.objects.published()) | Q(pk=self.show.host_id)
        return Guest.objects.filter(on_air).distinct()

    def lastmod(self, guest):
        return guest.updated_at


SITEMAPS = {"pages": PagesSitemap, "seasons": SeasonSitemap, "episodes": EpisodeSitemap, "people": GuestSitemap}
