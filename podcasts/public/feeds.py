"""``/feed.xml``: RSS 2.0 with the iTunes and Podcasting 2.0 (``podcast:``) namespaces.

An episode with audio (`audio:` in its file) has an ``<enclosure>``; each item
links to its page and, when they have content, its transcript and chapter files.
GUIDs never depend on the site's address (``Episode.feed_guid``).
"""

import html
import re

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.xmlutils import SimplerXMLGenerator

from podcasts import timecode, transcripts
from podcasts.models import Episode, QuotableClip, Show, TranscriptLine

from .rendering import web_address, web_url
from .views import GUESTS

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"


LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)  # what intros separate paragraphs with
# What XML 1.0 cannot carry at all, not even escaped: C0 controls but tab and line ends,
# lone surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class XmlTextGenerator(SimplerXMLGenerator):
    """Drops what XML cannot carry from text and attributes. Django's generator raises
    instead, which made one stray control character in a title a 500 for the whole feed."""

    def characters(self, content):
        super().characters(NOT_XML.sub("", content))

    def startElement(self, name, attrs):
        super().startElement(name, {key: NOT_XML.sub("", value) for key, value in (attrs or {}).items()})


class PodcastRss(Rss201rev2Feed):
    def write(self, outfile, encoding):
        """``Rss201rev2Feed.write`` with ``XmlTextGenerator``."""
        handler = XmlTextGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES, "xmlns:podcast": PODCAST}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        show = self.feed["show"]
        handler.addQuickElement("podcast:guid", show.feed_guid)
        handler.addQuickElement("itunes:author", show.author or show.owner_name)
        handler.addQuickElement("itunes:summary", show.description)
        handler.addQuickElement("itunes:explicit", "true" if show.explicit else "false")
        handler.addQuickElement("itunes:type", "episodic")
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", show.owner_name)
        if show.owner_email:
            handler.addQuickElement("itunes:email", show.owner_email)
        handler.endElement("itunes:owner")
        if artwork := web_address(show, show.artwork):
            handler.addQuickElement("itunes:image", attrs={"href": artwork})
            handler.startElement("image", {})
            handler.addQuickElement("url", artwork)
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.endElement("image")
        for category in show.category_list:
            handler.addQuickElement("itunes:category", attrs={"text": category})
        if show.host:
            person(handler, show, show.host, "host")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        show, episode = self.feed["show"], item["episode"]
        handler.addQuickElement("itunes:title", episode.title)
        handler.addQuickElement("itunes:episodeType", "full")
        if episode.season is not None:
            handler.addQuickElement("itunes:season", str(episode.season))
            handler.addQuickElement("podcast:season", str(episode.season))
        if episode.number is not None:
            handler.addQuickElement("itunes:episode", str(episode.number))
            handler.addQuickElement("podcast:episode", str(episode.number))
        seconds = timecode.parse_duration(episode.duration)
        if seconds:
            handler.addQuickElement("itunes:duration", str(seconds))
        if image := web_address(show, episode.image):
            handler.addQuickElement("itunes:image", attrs={"href": image})
        for fmt, mime in transcripts.FORMATS.items() if episode.has_transcript else ():
            attrs = {"url": show.absolute_url(reverse("podcasts:transcript", args=[episode.slug, fmt])), "type": mime}
            if fmt in ("vtt", "srt"):
                attrs["rel"] = "captions"
            handler.addQuickElement("podcast:transcript", attrs=attrs)
        if episode.has_chapters:
            chapters = show.absolute_url(reverse("podcasts:chapters", args=[episode.slug]))
            handler.addQuickElement("podcast:chapters", attrs={"url": chapters, "type": "application/json+chapters"})
        if show.host:
            person(handler, show, show.host, "host")
        for row in episode.episode_guests.all():
            if row.guest:
                person(handler, show, row.guest, "guest")


def person(handler, show, guest, role):
    handler.addQuickElement(
        "podcast:person", guest.name or guest.short, {"role": role, "href": show.absolute_url(guest.get_absolute_url())}
    )


def with_file_contents(episodes):
    """Mark which episodes' transcript and chapter files have content (``has_transcript``,
    ``has_chapters``), in SQL rather than by loading every transcript.

    A transcript has content when a line has text. Chapters (``transcripts.chapters``) come
    from the clips, else from headers that a timed line follows (``transcripts.header_times``);
    ``tests/test_public_feed.py`` holds this to that function over the corpus."""
    lines = TranscriptLine.objects.filter(kind=TranscriptLine.Kind.LINE)
    timed_after = lines.filter(episode=OuterRef("episode"), position__gt=OuterRef("position"), sec__isnull=False)
    headers = TranscriptLine.objects.filter(episode=OuterRef("pk"), kind=TranscriptLine.Kind.HEADER)
    return episodes.annotate(
        has_transcript=Exists(lines.filter(episode=OuterRef("pk")).exclude(text__regex=r"^\s*$")),
        has_chapters=Exists(QuotableClip.objects.filter(episode=OuterRef("pk"))) | Exists(headers.filter(Exists(timed_after))),
    )


def episode_feed(request):
    """A feed instance per request, since it keeps the show record while it writes."""
    return EpisodeFeed()(request)


class EpisodeFeed(Feed):
    feed_type = PodcastRss

    def get_object(self, request, *args, **kwargs):
        self.show = Show.current()
        self.language = self.show.language
        return self.show

    def title(self, show):
        return show.title

    def link(self, show):
        return show.absolute_url("/")

    def feed_url(self, show):
        return show.absolute_url(reverse("podcasts:feed"))

    def description(self, show):
        return show.description

    def feed_extra_kwargs(self, show):
        return {"show": show}

    def items(self, show):
        episodes = Episode.objects.published().defer("source_layout", "body")  # large, and not in the feed
        return with_file_contents(episodes.prefetch_related(GUESTS))

    def item_title(self, episode):
        return episode.title or episode.slug

    def item_description(self, episode):
        """The plain text as one HTML paragraph, since apps read ``<description>`` as HTML: its
        ``&`` and ``<`` escaped (``R&D`` would be a broken entity), and in a ``<p>`` so that
        apps that guess whether it is HTML (podcastparser) guess right."""
        text = episode.description.strip() or " ".join(html.unescape(strip_tags(LINE_BREAK.sub(" ", episode.intro))).split())
        return f"<p>{html.escape(text, quote=False)}</p>" if text else None

    def item_link(self, episode):
        return self.show.absolute_url(episode.get_absolute_url())

    def item_guid(self, episode):
        return episode.feed_guid

    def item_guid_is_permalink(self, episode):
        return False

    def item_enclosures(self, episode):
        """The audio file, once its address, size and type are all known (RSS requires the three)."""
        url = web_url(episode.audio_url)
        if not (url and episode.audio_length is not None and episode.audio_type):
            return []
        return [Enclosure(url, str(episode.audio_length), episode.audio_type)]

    def item_pubdate(self, episode):
        return episode.released_at

    def item_updateddate(self, episode):
        return episode.updated_at

    def item_extra_kwargs(self, episode):
        return {"episode": episode}
