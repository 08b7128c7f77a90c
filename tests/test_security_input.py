"""Hostile input, from the request or from the database: answered, never a 500; links
only to the web; transcript and feed files that keep their structure."""

import html.parser
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from podcasts.models import Guest, Link, PlatformId, QuotableClip, Show
from podcasts.public.rendering import web_url

from .factories import published

pytestmark = pytest.mark.django_db

HOSTILE_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(2)",
    "java\tscript:alert(3)",
    "\x01javascript:alert(4)",
    "data:text/html,<script>alert(5)</script>",
    "vbscript:msgbox(6)",
    "mailto:someone@example.com",
]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/search/?q=%00", 200),
        ("/search/?q=kafka%00streams", 200),
        ("/podcast/a%00b/", 404),
        ("/podcast/a%00b/transcript.srt", 404),
        ("/podcast/a%00b/chapters.json", 404),
        ("/people/a%00b/", 404),
        ("/podcast/?page=%00", 404),
        ("/sitemap.xml?p=%00", 404),
    ],
)
def test_nul_characters_are_answered_not_a_500(client, url, status):
    """PostgreSQL refuses NUL in any text: it must never reach a query."""
    published("kafka", title="Kafka streams")
    assert client.get(url).status_code == status


def test_a_search_for_nul_alone_is_an_empty_search(client):
    html = client.get("/search/?q=%00").content.decode()
    assert "Search titles, descriptions and every transcript." in html


@pytest.mark.parametrize("url", HOSTILE_URLS + ["http://[unclosed", "https:no-host", "//evil.example/x", "/path"])
def test_web_url_refuses_everything_but_absolute_http_addresses(url):
    assert web_url(url) == ""


@pytest.mark.parametrize("url", ["https://example.com/x?y=1", "HTTP://EXAMPLE.COM", " https://example.com "])
def test_web_url_keeps_web_addresses(url):
    assert web_url(url) == url.strip()


class Addresses(html.parser.HTMLParser):
    """Every address an HTML page links, loads or announces (href, src, og:/twitter: URLs)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.found += [attrs[name] for name in ("href", "src", "action") if attrs.get(name) is not None]
        if tag == "meta" and re.search(r"(image|url)$", attrs.get("property") or attrs.get("name") or ""):
            self.found.append(attrs["content"])


def json_urls(data) -> list[str]:
    if isinstance(data, dict):
        return [value for key, value in data.items() if key == "url"] + json_urls(list(data.values()))
    if isinstance(data, list):
        return [url for item in data for url in json_urls(item)]
    return []


def assert_web_or_relative(urls, where):
    assert urls, where
    for url in urls:
        assert urlsplit(url.strip()).scheme.lower() in ("", "http", "https"), f"{where}: {url!r}"
        assert not url.strip().startswith("//"), f"{where}: {url!r}"


def test_no_link_leaves_the_web(client):
    """Listen links, clips, guest profile links, images, show notes: values straight from files."""
    show = Show.load()
    show.artwork = HOSTILE_URLS[0]
    show.save()
    guest = Guest.objects.create(
        short="eve", name="Eve", web=HOSTILE_URLS[0], github=HOSTILE_URLS[1], twitter=HOSTILE_URLS[4], linkedin=HOSTILE_URLS[6]
    )
    notes = "\n\n".join(f"[link {number}]({url.strip()})" for number, url in enumerate(HOSTILE_URLS))
    episode = published("hostile", title="Hostile", season=1, number=1, guests=[guest.short], image=HOSTILE_URLS[2], body=notes)
    PlatformId.objects.create(episode=episode, platform="youtube", value="abc")
    for position, url in enumerate(HOSTILE_URLS):
        Link.objects.create(episode=episode, platform=f"platform{position}", url=url, position=position)
        QuotableClip.objects.create(
            episode=episode, position=position, name=f"Clip {position}", start_offset=0, end_offset=9, url=url
        )
    Link.objects.create(episode=episode, platform="spotify", url="https://open.spotify.com/x", position=99)

    for url in (episode.get_absolute_url(), "/people/eve/", "/"):
        page = client.get(url).content.decode()
        parser = Addresses()
        parser.feed(page)
        assert_web_or_relative(parser.found, url)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S):
            assert_web_or_relative(json_urls(json.loads(block)), f"{url} JSON-LD")
    assert 'href="https://open.spotify.com/x"' in client.get(episode.get_absolute_url()).content.decode()

    chapters = json.loads(client.get("/podcast/hostile/chapters.json").content)["chapters"]
    assert len(chapters) == len(HOSTILE_URLS) and not json_urls(chapters)

    feed = ET.fromstring(client.get("/feed.xml").content)
    attributes = [value for node in feed.iter() for name, value in node.attrib.items() if name in ("href", "url")]
    assert_web_or_relative(attributes, "feed")


def srt_blocks(text: str) -> list[list[str]]:
    """SubRip as a strict reader sees it: blocks split at blank lines, each a number, a timing, text."""
    blocks = [block.split("\n") for block in text.strip("\n").split("\n\n")]
    for index, block in enumerate(blocks, start=1):
        assert block[0] == str(index), block
        assert re.fullmatch(r"\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}", block[1]), block
        assert len(block) > 2, block
    return blocks


def test_srt_text_cannot_pass_for_cue_structure(client):
    transcript = [
        {"line": "First.", "sec": 1},
        {"line": "", "sec": 2},
        {"line": "42", "sec": 3},
        {"line": "00:00:05,000 --> 00:00:09,000", "sec": 3},
        {"line": "After.", "sec": 4, "who": "A --> B"},
    ]
    published("cues", transcript=transcript)
    text = client.get("/podcast/cues/transcript.srt").content.decode()
    blocks = srt_blocks(text)
    assert [block[2:] for block in blocks] == [
        ["First."],
        ["\u206042", "00:00:05,000 → 00:00:09,000"],
        ["A → B: After."],
    ]
    lines = text.split("\n")
    for before, after in zip(lines, lines[1:], strict=False):  # as a lenient reader finds cues: a number, then a timing
        if before.isdigit() and "-->" in after:
            assert re.fullmatch(r"\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}", after)
    vtt = client.get("/podcast/cues/transcript.vtt").content.decode()
    assert vtt.count("-->") == 3 and "\n\n\n" not in vtt


def test_control_characters_in_the_database_do_not_break_the_feed(client):
    guest = Guest.objects.create(short="bell", name="Ring\x07ing")
    published("bell", title="Bell\x07 episode", description="Escape\x1b[31m", guests=[guest.short])
    response = client.get("/feed.xml")
    assert response.status_code == 200
    item = ET.fromstring(response.content).find("channel/item")
    assert item.findtext("title") == "Bell episode"
    assert item.findtext("description") == "<p>Escape[31m</p>"  # plain text as one HTML paragraph
    assert client.get("/podcast/bell/").status_code == 200
