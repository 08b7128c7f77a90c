"""Public pages: routes, the episode page's contents, guests, seasons, drafts nowhere."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from podcasts.models import Episode, Guest, Link, PlatformId, QuotableClip, Show, SpeakerAlias
from podcasts.public import views
from podcasts.speakers import speaker_people

from .factories import TRANSCRIPT, draft, published, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return Guest.objects.create(
        short="ada", name="Ada Lovelace", bio_short="Wrote the first program.", github="ada", web="https://ada.example"
    )


@pytest.fixture
def episode(ada):
    episode = published(
        "s2e2-engines",
        title="Analytical Engines",
        season=2,
        number=2,
        description="Engines that compute.",
        intro="Ada joins us.<br><br>We talk <b>engines</b>.",
        body='\nLinks:\n\n* [Notes](https://example.com/notes){:target="_blank"}\n',
        duration="PT01H00M00S",
        date=datetime.date(2024, 5, 1),
        guests=["ada", "nobody"],
    )
    PlatformId.objects.create(episode=episode, platform="youtube", value="VIDEO123")
    Link.objects.create(episode=episode, platform="spotify", url="https://open.spotify.com/episode/x", position=0)
    Link.objects.create(episode=episode, platform="apple", url="TODO", position=1)
    QuotableClip.objects.create(episode=episode, position=0, name="The engine", start_offset=65, end_offset=92, url="")
    return episode


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_episode_page_shows_title_season_guests_and_player(client, episode):
    html = page(client, episode.get_absolute_url())
    assert "<h1>Analytical Engines</h1>" in html
    assert "Season 2</a>, Episode 2" in html
    assert "with Ada Lovelace, nobody" in html
    assert 'src="https://www.youtube-nocookie.com/embed/VIDEO123?enablejsapi=1' in html
    assert "youtube.com/embed" not in html


def test_listen_links_skip_placeholders(client, episode):
    html = page(client, episode.get_absolute_url())
    assert 'href="https://open.spotify.com/episode/x"' in html
    assert ">Spotify<" in html and "Apple Podcasts" not in html and "TODO" not in html


def test_intro_keeps_simple_html_and_notes_render_markdown_with_attributes(client, episode):
    html = page(client, episode.get_absolute_url())
    assert "Ada joins us.<br><br>We talk <b>engines</b>." in html
    assert '<a href="https://example.com/notes" target="_blank" rel="noopener noreferrer">Notes</a>' in html
    assert "{:target" not in html


def test_timestamps_come_from_headers_and_link_to_the_second(client, episode):
    html = page(client, episode.get_absolute_url())
    stamps = html[html.index('class="timestamps"') : html.index("</nav>", html.index('class="timestamps"'))]
    assert re.findall(r'data-seek="(\d+)">([\d:]+)</a> <a href="#t-(\d+)">([^<]+)<', stamps) == [
        ("0", "0:00", "0", "Introduction"),
        ("130", "2:10", "3", "Careers"),
    ]
    assert 'href="https://www.youtube.com/watch?v=VIDEO123&amp;t=130"' in stamps


def test_transcript_has_anchored_headers_and_timed_lines(client, episode):
    html = page(client, episode.get_absolute_url())
    assert '<h3 id="t-3"><a href="#t-3">Careers</a></h3>' in html
    line = re.search(r'<p class="line" id="t-2">(.*?)</p>', html).group(1)
    assert 'href="https://www.youtube.com/watch?v=VIDEO123&amp;t=92" data-seek="92">1:32</a>' in line
    assert '<b class="speaker">Ada Lovelace:</b> Thanks for having me.' in line


def test_without_video_times_link_to_the_line(client, ada):
    episode = published(season=1, number=1)
    html = page(client, episode.get_absolute_url())
    assert '<a class="time" href="#t-1">1:05</a>' in html
    assert "data-seek" not in html and "player.js" not in html


def test_guest_bio_cards_with_links(client, episode):
    html = page(client, episode.get_absolute_url())
    card = html[html.index('class="bio card"') :]
    assert '<a href="/people/ada/">Ada Lovelace</a>' in card
    assert "Wrote the first program." in card
    assert 'href="https://github.com/ada"' in card and 'href="https://ada.example"' in card


def test_previous_and_next_skip_drafts_and_scheduled(client, episode):
    first = published("s2e1", title="First", season=2, number=1)
    draft("s2e3", title="Secret draft", season=2, number=3)
    scheduled("s2e4", title="Coming soon", season=2, number=4)
    last = published("s2e5", title="Fifth", season=2, number=5)
    html = page(client, episode.get_absolute_url())
    assert f'<a rel="prev" href="{first.get_absolute_url()}">' in html
    assert f'<a rel="next" href="{last.get_absolute_url()}">' in html
    assert "Secret draft" not in html and "Coming soon" not in html


def test_json_ld_describes_the_episode(client, episode):
    html = page(client, episode.get_absolute_url())
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "PodcastEpisode"
    assert (data["name"], data["episodeNumber"], data["datePublished"]) == ("Analytical Engines", 2, "2024-05-01T00:00:00+00:00")
    assert data["partOfSeason"]["seasonNumber"] == 2
    assert data["partOfSeries"]["name"] == Show.load().title
    assert data["actor"] == [{"@type": "Person", "name": "Ada Lovelace", "url": "http://127.0.0.1:8000/people/ada/"}]
    assert data["hasPart"] == [{"@type": "Clip", "name": "The engine", "startOffset": 65, "endOffset": 92}]


def test_canonical_open_graph_and_twitter_meta(client, episode):
    show = Show.load()
    show.site_url = "https://podcast.example"
    show.save()
    html = page(client, episode.get_absolute_url())
    url = "https://podcast.example/podcast/s2e2-engines/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Analytical Engines">' in html
    assert '<meta name="twitter:description" content="Engines that compute.">' in html


def test_episode_page_query_count_does_not_grow_with_the_transcript(client, django_assert_num_queries, ada):
    Show.load()
    small = published(season=1, number=1, guests=["ada"], transcript=TRANSCRIPT)
    long_transcript = [
        {"header": f"Part {n}"} if n % 10 == 0 else {"line": f"Line {n}", "who": "Ada", "sec": n * 5} for n in range(300)
    ]
    big = published(season=1, number=2, guests=["ada"], transcript=long_transcript)
    client.get("/")  # writes the version the test's own uncommitted changes need (see caching.current_version)
    # content version, show, episode, its guests, ids, links, clips, transcript, speaker aliases, season siblings
    with django_assert_num_queries(10):
        client.get(small.get_absolute_url())
    cache.clear()
    with django_assert_num_queries(10):
        response = client.get(big.get_absolute_url())
    assert response.content.decode().count('<p class="line"') == 270


def test_home_and_list_show_published_episodes_grouped_by_season_newest_first(client):
    for season, number in [(1, 1), (1, 2), (3, 1)]:
        published(f"s{season}e{number}", title=f"Episode s{season}e{number}", season=season, number=number)
    home = page(client, reverse("podcasts:home"))
    assert home.index("Episode s3e1") < home.index("Episode s1e2") < home.index("Episode s1e1")
    listing = page(client, reverse("podcasts:episode_list"))
    headings = re.findall(r'<h2><a href="/podcast/season/(\d+)/">Season \d+</a></h2>', listing)
    assert headings == ["3", "1"]


def test_episode_list_is_paginated(client):
    for number in range(1, 27):
        published(f"s1e{number:02}", title=f"Number {number:02}", season=1, number=number)
    first, second = page(client, "/podcast/"), page(client, "/podcast/?page=2")
    assert "Number 26" in first and "Number 03" in first and "Number 02" not in first
    assert "Number 02" in second and "Number 01" in second and "Page 2 of 2" in second
    page(client, "/podcast/?page=3", status=404)


def test_season_page_lists_only_that_season(client):
    published("s4e1", title="In season four", season=4, number=1)
    published("s5e1", title="In season five", season=5, number=1)
    html = page(client, reverse("podcasts:season", args=[4]))
    assert "<h1>Season 4</h1>" in html and "In season four" in html and "In season five" not in html
    page(client, reverse("podcasts:season", args=[9]), status=404)


def test_guest_page_shows_bio_links_and_published_episodes(client, episode, ada):
    draft("hidden", title="Draft with Ada", guests=["ada"])
    html = page(client, reverse("podcasts:guest", args=["ada"]))
    assert "<h1>Ada Lovelace</h1>" in html and "Wrote the first program." in html
    assert "Analytical Engines" in html and "Draft with Ada" not in html
    assert 'href="https://github.com/ada"' in html


def test_guest_only_in_drafts_has_no_page(client):
    Guest.objects.create(short="secret", name="Secret Person")
    draft("d", guests=["secret"])
    scheduled("s", guests=["secret"])
    page(client, reverse("podcasts:guest", args=["secret"]), status=404)


DRAFT_URLS = [
    "/podcast/{slug}/",
    "/podcast/{slug}/transcript.vtt",
    "/podcast/{slug}/transcript.srt",
    "/podcast/{slug}/transcript.json",
    "/podcast/{slug}/transcript.txt",
    "/podcast/{slug}/chapters.json",
]
LISTING_URLS = ["/", "/podcast/", "/podcast/season/7/", "/people/ada/", "/search/?q=Invisible", "/feed.xml", "/sitemap.xml"]


@pytest.mark.parametrize("make", [draft, scheduled], ids=["draft", "scheduled"])
def test_drafts_and_scheduled_episodes_are_invisible_everywhere(client, ada, make):
    published("visible", title="Visible episode", season=7, number=1, guests=["ada"])
    hidden = make("hidden-one", title="Invisible episode", season=7, number=2, guests=["ada"])
    for url in DRAFT_URLS:
        page(client, url.format(slug=hidden.slug), status=404)
    for url in LISTING_URLS:
        html = page(client, url)
        assert "Invisible episode" not in html and "hidden-one" not in html, url
    assert "Visible episode" in page(client, "/podcast/season/7/")


def test_speaker_people_prefers_episode_alias_then_global_then_host_then_first_name(ada):
    host = Guest.objects.create(short="alexey", name="Alexey Grigorev")
    grace = Guest.objects.create(short="grace", name="Grace Hopper")
    show = Show.load()
    show.host = host
    show.save()
    transcript = [{"line": "x", "who": who} for who in ("Alexey", "Ada", "Grace", "Nobody", "G")]
    episode = published(guests=["ada"], transcript=transcript)
    other = published(transcript=transcript)
    SpeakerAlias.objects.create(speaker="G", guest=grace)
    SpeakerAlias.objects.create(speaker="Ada", episode=other, guest=grace)
    episode = Episode.objects.prefetch_related("transcript", "episode_guests__guest").get(pk=episode.pk)
    people = speaker_people(episode, Show.current())
    assert {who: guest.short for who, guest in people.items()} == {"Alexey": "alexey", "Ada": "ada", "G": "grace"}
    SpeakerAlias.objects.create(speaker="Ada", episode=episode, guest=grace)
    assert speaker_people(episode, Show.current())["Ada"] == grace


def test_a_guest_is_linked_by_first_or_full_name_whatever_the_case_and_accents():
    dania = Guest.objects.create(short="dania", name="Dânia Meira")
    transcript = [{"line": "x", "who": who} for who in ("Dania", "DÂNIA MEIRA", "dania meira", "Dan", "Meira")]
    episode = published(guests=["dania"], transcript=transcript)
    episode = Episode.objects.prefetch_related("transcript", "episode_guests__guest").get(pk=episode.pk)
    assert set(speaker_people(episode, Show.current())) == {"Dania", "DÂNIA MEIRA", "dania meira"}
    assert all(person == dania for person in speaker_people(episode, Show.current()).values())


def test_json_ld_has_duration_image_video_and_audio(client, episode):
    show = Show.load()
    show.site_url, show.artwork = "https://podcast.example", "images/cover.jpg"
    show.save()
    audio = {"audio_url": "https://cdn.example/e.mp3", "audio_length": 2048, "audio_type": "audio/mpeg"}
    Episode.objects.filter(pk=episode.pk).update(**audio)
    data = json_ld_of(page(client, episode.get_absolute_url()))
    assert "timeRequired" not in data
    assert (data["duration"], data["image"]) == ("PT01H00M00S", "https://podcast.example/images/cover.jpg")
    video, audio = data["associatedMedia"]
    assert video == {
        "@type": "VideoObject",
        "name": "Analytical Engines",
        "url": "https://www.youtube.com/watch?v=VIDEO123",
        "embedUrl": "https://www.youtube-nocookie.com/embed/VIDEO123",
        "description": "Engines that compute.",
        "duration": "PT01H00M00S",
        "thumbnailUrl": "https://podcast.example/images/cover.jpg",
        "uploadDate": data["datePublished"],
    }
    assert audio == {
        "@type": "AudioObject",
        "contentUrl": "https://cdn.example/e.mp3",
        "encodingFormat": "audio/mpeg",
        "contentSize": "2048 B",
        "duration": "PT01H00M00S",
        "uploadDate": data["datePublished"],
    }


def test_json_ld_without_video_audio_or_valid_duration_leaves_them_out(client):
    episode = published("plain", title="Plain", duration="about an hour")
    data = json_ld_of(page(client, episode.get_absolute_url()))
    assert "associatedMedia" not in data and "duration" not in data


def json_ld_of(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


class Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))


def heading_levels(html: str) -> list[int]:
    reader = Headings()
    reader.feed(html)
    return reader.levels


def test_no_page_skips_a_heading_level(client, episode):
    for url in ("/", "/podcast/", "/podcast/season/2/", "/people/ada/", "/search/?q=engines", episode.get_absolute_url()):
        levels = heading_levels(page(client, url))
        assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (url, levels)


@pytest.mark.parametrize(
    "url, canonical, title",
    [
        ("/", "https://podcast.example/", "DataTalks.Club Podcast"),
        ("/podcast/?page=1&utm_source=x", "https://podcast.example/podcast/", "All episodes · DataTalks.Club Podcast"),
        ("/podcast/?page=02", "https://podcast.example/podcast/?page=2", "All episodes · DataTalks.Club Podcast"),
        ("/podcast/season/2/", "https://podcast.example/podcast/season/2/", "Season 2 · DataTalks.Club Podcast"),
        ("/search/?q=engines", "https://podcast.example/search/?q=engines", "Search · DataTalks.Club Podcast"),
        ("/people/ada/", "https://podcast.example/people/ada/", "Ada Lovelace"),
    ],
)
def test_canonical_and_open_graph_on_every_listing(client, episode, url, canonical, title):
    for number in range(3, 27):
        published(f"filler-{number}", season=1, number=number)
    show = Show.load()
    show.site_url, show.artwork = "https://podcast.example", "images/cover.jpg"
    show.save()
    html = page(client, url)
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert f'<meta property="og:title" content="{title}">' in html
    assert '<meta property="og:image" content="https://podcast.example/images/cover.jpg">' in html
    assert html.count('property="og:type"') == 1


def test_a_missing_page_is_a_404_in_the_site_layout(client):
    response = client.get("/podcast/no-such-episode/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html and '<header class="site-header">' in html
    assert "<title>Page not found · DataTalks.Club Podcast</title>" in html and 'content="noindex"' in html


def test_a_server_error_is_a_500_in_the_site_layout(client, monkeypatch, django_assert_num_queries):
    def broken(*args, **kwargs):
        raise RuntimeError("the bug")

    monkeypatch.setattr(views.HomeView, "get_queryset", broken)
    client.raise_request_exception = False
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html and '<header class="site-header">' in html
    with django_assert_num_queries(0):  # it shows even when the database is what failed
        assert views.server_error(RequestFactory().get("/")).status_code == 500
