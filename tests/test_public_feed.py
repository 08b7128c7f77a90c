"""/feed.xml, /sitemap.xml and /robots.txt, read as a podcast app and a crawler would."""

import datetime
import email.utils
import xml.etree.ElementTree as ET

import pytest

from podcasts.models import Guest, Show

from .factories import draft, published, scheduled

pytestmark = pytest.mark.django_db

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
}


@pytest.fixture
def show():
    host = Guest.objects.create(short="alexey", name="Alexey Grigorev")
    show = Show.load()
    show.site_url, show.host, show.owner_email, show.categories = (
        "https://pod.example",
        host,
        "pod@example.com",
        "Technology, Education",
    )
    show.artwork = "images/cover.jpg"
    show.save()
    return show


def test_feed_is_rss_with_itunes_and_podcast_namespaces(client, show):
    Guest.objects.create(short="ada", name="Ada Lovelace")
    published(
        "s1e2-two",
        title="Two",
        season=1,
        number=2,
        guests=["ada", "ghost"],
        duration="PT01H02M03S",
        date=datetime.date(2024, 2, 1),
    )
    published("s1e1-one", title="One", season=1, number=1)
    draft("d", title="Draft")
    scheduled("s", title="Later")
    response = client.get("/feed.xml")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == show.title
    assert channel.findtext("link") == "https://pod.example/"
    assert channel.find("atom:link", NS).get("href") == "https://pod.example/feed.xml"
    assert channel.findtext("itunes:owner/itunes:email", namespaces=NS) == "pod@example.com"
    assert [c.get("text") for c in channel.findall("itunes:category", NS)] == ["Technology", "Education"]
    assert channel.find("itunes:image", NS).get("href") == "https://pod.example/images/cover.jpg"
    assert channel.find("podcast:person", NS).attrib == {"role": "host", "href": "https://pod.example/people/alexey/"}

    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Two", "One"]
    two = items[0]
    assert two.findtext("link") == "https://pod.example/podcast/s1e2-two/"
    assert email.utils.parsedate_to_datetime(two.findtext("pubDate")) == datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)
    for item in items:
        email.utils.parsedate_to_datetime(item.findtext("pubDate"))  # well-formed RFC 822
    assert (two.findtext("podcast:season", namespaces=NS), two.findtext("podcast:episode", namespaces=NS)) == ("1", "2")
    assert (two.findtext("itunes:season", namespaces=NS), two.findtext("itunes:episode", namespaces=NS)) == ("1", "2")
    assert two.findtext("itunes:duration", namespaces=NS) == "3723"
    transcripts = {t.get("type"): t.get("url") for t in two.findall("podcast:transcript", NS)}
    assert transcripts == {
        "text/vtt": "https://pod.example/podcast/s1e2-two/transcript.vtt",
        "application/x-subrip": "https://pod.example/podcast/s1e2-two/transcript.srt",
        "application/json": "https://pod.example/podcast/s1e2-two/transcript.json",
        "text/plain": "https://pod.example/podcast/s1e2-two/transcript.txt",
    }
    chapters = two.find("podcast:chapters", NS)
    assert (chapters.get("url"), chapters.get("type")) == (
        "https://pod.example/podcast/s1e2-two/chapters.json",
        "application/json+chapters",
    )
    people = [(p.get("role"), p.text) for p in two.findall("podcast:person", NS)]
    assert people == [("host", "Alexey Grigorev"), ("guest", "Ada Lovelace")]


def test_sitemap_lists_published_pages_at_the_site_address(client, show):
    Guest.objects.create(short="ada", name="Ada")
    Guest.objects.create(short="hidden", name="Hidden")
    published("s3e1-pub", season=3, number=1, guests=["ada"])
    draft("s3e2-draft", season=3, number=2, guests=["hidden"])
    scheduled("s4e1-later", season=4, number=1, guests=["hidden"])
    root = ET.fromstring(client.get("/sitemap.xml").content)
    urls = {loc.text for loc in root.findall("sm:url/sm:loc", NS)}
    assert urls == {
        "https://pod.example/",
        "https://pod.example/podcast/",
        "https://pod.example/podcast/season/3/",
        "https://pod.example/podcast/s3e1-pub/",
        "https://pod.example/people/ada/",
        "https://pod.example/people/alexey/",
    }
    lastmods = [node.text for node in root.findall("sm:url/sm:lastmod", NS)]
    assert lastmods and all(datetime.date.fromisoformat(text[:10]) for text in lastmods)


def test_robots_allows_crawling_and_names_the_sitemap(client, show):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *\nDisallow: /admin/\n" in text
    assert "Sitemap: https://pod.example/sitemap.xml" in text
