"""/feed.xml, /sitemap.xml and /robots.txt, read as a podcast app and a crawler would."""

import datetime
import email.utils
import io
import json
import re
import uuid
import xml.etree.ElementTree as ET

import feedparser
import podcastparser
import pytest

from podcasts import transcripts
from podcasts.models import EPISODE_GUID_NAMESPACE, PODCAST_GUID_NAMESPACE, Episode, Guest, QuotableClip, Show
from podcasts.public.feeds import with_file_contents

from .factories import draft, published, scheduled
from .helpers import SEED_EPISODE, run

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


def parsed(client) -> tuple[dict, feedparser.FeedParserDict]:
    """The feed as gPodder's podcastparser and as feedparser read it."""
    content = client.get("/feed.xml").content
    feed = feedparser.parse(content)
    assert not feed.bozo, feed.get("bozo_exception")
    return podcastparser.parse("https://pod.example/feed.xml", io.BytesIO(content)), feed


def with_audio(episode, url="https://cdn.example/a.mp3", length=12_345_678, mime="audio/mpeg"):
    Episode.objects.filter(pk=episode.pk).update(audio_url=url, audio_length=length, audio_type=mime)
    return episode


def test_podcast_apps_read_enclosures_channel_image_and_owner(client, show):
    show.author, show.owner_name = "DataTalks.Club team", "Alexey Grigorev"
    show.save()
    with_audio(published("with-audio", title="With audio", duration="PT00H30M00S"))
    published("without-audio", title="Without audio")
    podcast, feed = parsed(client)

    assert podcast["cover_url"] == "https://pod.example/images/cover.jpg"
    assert feed.feed.image.href == "https://pod.example/images/cover.jpg"
    assert feed.feed.publisher_detail.email == "pod@example.com"
    channel = ET.fromstring(client.get("/feed.xml").content).find("channel")
    assert channel.findtext("itunes:author", namespaces=NS) == "DataTalks.Club team"
    assert channel.findtext("itunes:owner/itunes:name", namespaces=NS) == "Alexey Grigorev"
    episodes = {episode["title"]: episode for episode in podcast["episodes"]}
    assert episodes["With audio"]["enclosures"] == [
        {"url": "https://cdn.example/a.mp3", "file_size": 12_345_678, "mime_type": "audio/mpeg"}
    ]
    assert episodes["With audio"]["total_time"] == 1800
    entries = {entry.title: entry for entry in feed.entries}
    assert entries["With audio"].enclosures == [{"href": "https://cdn.example/a.mp3", "length": "12345678", "type": "audio/mpeg"}]
    assert entries["Without audio"].enclosures == [] and episodes["Without audio"]["enclosures"] == []


def test_an_enclosure_needs_a_web_address_length_and_type(client, show):
    with_audio(published("no-length", title="No length"), length=None)
    with_audio(published("not-web", title="Not web"), url="javascript:alert(1)")
    _, feed = parsed(client)
    assert [entry.enclosures for entry in feed.entries] == [[], []]


def guids(client) -> dict[str, str]:
    podcast, feed = parsed(client)
    by_podcastparser = {episode["title"]: episode["guid"] for episode in podcast["episodes"]}
    assert by_podcastparser == {entry.title: entry.id for entry in feed.entries}
    return by_podcastparser


def test_episode_guids_survive_a_new_site_url(client, show):
    one = published("one", title="One")
    published("two", title="Two")
    before = guids(client)
    show.site_url = "https://new-home.example"
    show.save()
    assert guids(client) == before
    assert before["One"] == str(uuid.uuid5(EPISODE_GUID_NAMESPACE, "one")) == one.feed_guid
    assert len(set(before.values())) == 2
    guid = ET.fromstring(client.get("/feed.xml").content).find("channel/item/guid")
    assert guid.get("isPermaLink") == "false"


def test_episode_guids_survive_reimport_and_a_rebuilt_database(client, show):
    run("import_episodes", "--publish", SEED_EPISODE)
    before = guids(client)
    Episode.objects.all().delete()  # as a new database would be
    run("import_episodes", "--publish", SEED_EPISODE)
    assert guids(client) == before


def test_a_guid_from_the_file_is_kept(client, show, write_file):
    path = write_file("moved.md", "---\ntitle: Moved here\nguid: anchor-episode-0042\n---\n")
    assert run("import_episodes", "--publish", path)[0] == 0
    assert guids(client) == {"Moved here": "anchor-episode-0042"}
    assert run("export_episodes", "--check", path.parent)[:2] == (0, "compared 1, differ 0\n")


def test_channel_podcast_guid_follows_the_podcasting_2_0_rule(client, show):
    spec_example = uuid.uuid5(PODCAST_GUID_NAMESPACE, "podnews.net/rss")  # podcast-namespace docs/tags/guid.md
    assert str(spec_example) == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    channel = ET.fromstring(client.get("/feed.xml").content).find("channel")
    assert channel.findtext("podcast:guid", namespaces=NS) == str(uuid.uuid5(PODCAST_GUID_NAMESPACE, "pod.example/feed.xml"))
    show.podcast_guid = uuid.UUID("917393e3-1b1e-5cef-ace4-edaa54e1f810")
    show.site_url = "https://elsewhere.example"
    show.save()
    channel = ET.fromstring(client.get("/feed.xml").content).find("channel")
    assert channel.findtext("podcast:guid", namespaces=NS) == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def json_ld_date(client, episode) -> str:
    html = client.get(episode.get_absolute_url()).content.decode()
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))["datePublished"]


def test_pub_date_and_json_ld_date_published_agree(client, show):
    dated = published("dated", title="Dated", date=datetime.date(2023, 3, 4), date_added=datetime.date(2023, 1, 1))
    added = published("added", title="Added", date_added=datetime.date(2022, 5, 6))
    undated = published("undated", title="Undated", ago=datetime.timedelta(days=3))
    _, feed = parsed(client)
    pub_dates = {entry.title: email.utils.parsedate_to_datetime(entry.published) for entry in feed.entries}
    assert pub_dates["Dated"] == datetime.datetime(2023, 3, 4, tzinfo=datetime.UTC)
    assert pub_dates["Added"] == datetime.datetime(2022, 5, 6, tzinfo=datetime.UTC)
    assert pub_dates["Undated"] == undated.published_at.replace(microsecond=0)
    for episode in (dated, added, undated):
        assert datetime.datetime.fromisoformat(json_ld_date(client, episode)).replace(microsecond=0) == pub_dates[episode.title]


def test_descriptions_are_plain_text_escaped_for_html_readers(client, show):
    published("rd", title="R&D", description="R&D and Q&A, where 1 < 2")
    published("intro-only", title="Intro only", intro="Ada &amp; Bob<br><br>talk <b>engines</b>.")
    podcast, feed = parsed(client)
    summaries = {entry.title: entry.summary for entry in feed.entries}
    assert summaries == {"R&D": "<p>R&amp;D and Q&amp;A, where 1 &lt; 2</p>", "Intro only": "<p>Ada &amp; Bob talk engines.</p>"}
    assert {episode["title"]: episode["description"] for episode in podcast["episodes"]}["R&D"] == "R&D and Q&A, where 1 < 2"


def test_transcript_and_chapters_are_listed_only_with_content(client, show):
    published("full", title="Full")  # TRANSCRIPT: headers followed by timed lines
    published("empty", title="Empty", transcript=[])
    published("headers-only", title="Headers only", transcript=[{"header": "Intro"}, {"line": "Untimed."}])
    clipped = published("clipped", title="Clipped", transcript=[])
    QuotableClip.objects.create(episode=clipped, name="A clip", start_offset=5, end_offset=9)
    items = {item.findtext("title"): item for item in ET.fromstring(client.get("/feed.xml").content).iter("item")}
    listed = {
        title: (len(item.findall("podcast:transcript", NS)), item.find("podcast:chapters", NS) is not None)
        for title, item in items.items()
    }
    assert listed == {"Full": (4, True), "Empty": (0, False), "Headers only": (4, False), "Clipped": (0, True)}


def test_transcript_chapters_and_feed_allow_any_origin(client, show):
    published("talk")
    for url in ("/feed.xml", "/podcast/talk/transcript.vtt", "/podcast/talk/transcript.json", "/podcast/talk/chapters.json"):
        response = client.get(url)
        assert response["Access-Control-Allow-Origin"] == "*", url
        revalidated = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert (revalidated.status_code, revalidated["Access-Control-Allow-Origin"]) == (304, "*")
    assert "Access-Control-Allow-Origin" not in client.get("/podcast/talk/")


def test_feed_of_the_corpus_is_read_by_both_parsers(client, corpus_dir):
    run("import_guests", corpus_dir / "people")
    run("import_episodes", "--publish", corpus_dir / "episodes")
    podcast, feed = parsed(client)
    count = len(list((corpus_dir / "episodes").glob("*.md")))
    assert len(podcast["episodes"]) == len(feed.entries) == count
    assert len({episode["guid"] for episode in podcast["episodes"]}) == count
    described = [episode["description"] for episode in podcast["episodes"] if episode["description"]]
    assert len(described) == Episode.objects.exclude(description="", intro="").count()
    assert not [text for text in described if "&amp;" in text or "<" in text]
    episodes = with_file_contents(Episode.objects.prefetch_related("transcript", "clips"))
    for episode in episodes:  # the SQL rule for "has chapters" is transcripts.chapters' rule
        items = list(episode.transcript.all())
        assert episode.has_chapters == bool(transcripts.chapters(items, list(episode.clips.all()))["chapters"]), episode.slug
        assert episode.has_transcript == any(item.kind == "line" and item.text.strip() for item in items), episode.slug
