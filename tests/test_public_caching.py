"""Cached public pages: served from the cache, invalidated by edits and by the clock,
with ETag / Last-Modified and 304 answers."""

import datetime

import pytest
from django.utils import timezone

from podcasts.models import Episode, Guest, Show, TranscriptLine
from podcasts.public.caching import invalidate_public_pages

from .factories import published, scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode():
    Guest.objects.create(short="ada", name="Ada Lovelace")
    return published("cached", title="Original title", season=1, number=1, guests=["ada"])


def test_second_request_is_served_from_the_cache(client, episode, django_assert_num_queries):
    first = client.get(episode.get_absolute_url())
    Episode.objects.filter(pk=episode.pk).update(title="Changed behind the cache's back")
    with django_assert_num_queries(1):  # the content version
        second = client.get(episode.get_absolute_url())
    assert second.content == first.content and b"Original title" in second.content
    invalidate_public_pages()
    assert b"Changed behind the cache" in client.get(episode.get_absolute_url()).content


@pytest.mark.parametrize(
    "edit",
    [
        lambda episode: Episode.objects.filter(pk=episode.pk).first().save(),
        lambda episode: TranscriptLine.objects.filter(episode=episode).first().save(),
        lambda episode: Guest.objects.get(short="ada").save(),
        lambda episode: Show.load().save(),
        lambda episode: episode.links.create(platform="spotify", url="https://open.spotify.com/x"),
    ],
    ids=["episode", "transcript line", "guest", "show", "link"],
)
def test_saving_anything_shown_invalidates(client, episode, edit):
    client.get(episode.get_absolute_url())
    Episode.objects.filter(pk=episode.pk).update(title="New title")
    edit(episode)
    assert b"New title" in client.get(episode.get_absolute_url()).content


def test_unpublishing_hides_the_cached_page(client, episode):
    assert client.get(episode.get_absolute_url()).status_code == 200
    episode.status = Episode.Status.DRAFT
    episode.save()
    assert client.get(episode.get_absolute_url()).status_code == 404
    assert b"Original title" not in client.get("/").content


def test_scheduled_episode_appears_on_time_without_any_invalidation(client, episode, monkeypatch):
    later = scheduled("later", title="Scheduled one", season=1, number=2)
    assert b"Scheduled one" not in client.get("/").content
    moment = later.published_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert b"Scheduled one" in client.get("/").content
    assert client.get(later.get_absolute_url()).status_code == 200


def test_etag_and_last_modified_answer_304(client, episode):
    response = client.get(episode.get_absolute_url())
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and "no-cache" in response["Cache-Control"]
    not_modified = client.get(episode.get_absolute_url(), headers={"If-None-Match": etag})
    assert (not_modified.status_code, not_modified.content) == (304, b"")
    assert client.get(episode.get_absolute_url(), headers={"If-Modified-Since": last_modified}).status_code == 304
    episode.title = "Edited"
    episode.save()
    changed = client.get(episode.get_absolute_url(), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag and b"Edited" in changed.content


def test_feed_and_transcripts_carry_validators_too(client, episode):
    for url in ("/feed.xml", "/sitemap.xml", "/podcast/cached/transcript.vtt", "/podcast/cached/chapters.json"):
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304, url


def change_behind_the_caches_back(episode, title):
    Episode.objects.filter(pk=episode.pk).update(title=title)


def test_unused_query_parameters_share_the_page_s_one_entry(client, episode):
    first = client.get("/podcast/", {"r": 1})
    change_behind_the_caches_back(episode, "Changed behind the cache's back")
    for query in ({"r": 2}, {"utm_source": "x"}, {}, {"r": "\x00"}):
        response = client.get("/podcast/", query)
        assert response.content == first.content, query  # served from the first request's entry
    assert b"Changed behind" not in first.content


def test_used_parameters_are_normalized_before_they_key_the_cache(client, episode):
    for number in range(2, 27):
        published(f"more-{number}", title=f"Number {number:02}", season=1, number=number)
    second_page = client.get("/podcast/", {"page": "2"})
    change_behind_the_caches_back(episode, "Changed behind the cache's back")
    for spelling in ("02", "+2", " 2", "2"):
        assert client.get("/podcast/", {"page": spelling, "r": spelling}).content == second_page.content, spelling
    searched = client.get("/search/", {"q": "original title"})
    for spelling in ("  original   title ", "original\ttitle", "original\x00title"):
        assert client.get("/search/", {"q": spelling}).content == searched.content, repr(spelling)
