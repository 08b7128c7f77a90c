"""Publishing: publishers only, confirmation when the audit has errors, scheduling without cron."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from podcasts.models import Episode, TranscriptLine

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:podcasts_episode_changelist"


def publish(client, episode, **extra):
    return client.post(reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [episode.pk], **extra})


@pytest.fixture
def clean_episode(db):
    return Episode.objects.create(slug="clean", title="Clean", description="Short.", intro="Longer.")


def test_clean_episode_publishes_at_once(publisher_client, clean_episode):
    publish(publisher_client, clean_episode)
    episode = Episode.objects.get()
    assert episode.status == Episode.Status.PUBLISHED and episode.is_public


def test_episode_with_audit_errors_needs_confirmation(publisher_client, seeded_episode):
    # the seed's own real mistake: at item 144 the time goes backwards
    assert TranscriptLine.objects.get(episode=seeded_episode, position=144).sec == 2416
    response = publish(publisher_client, seeded_episode)
    html = response.content.decode()
    assert "Publish anyway?" in html and "time-backwards" in html
    assert Episode.objects.get().status == Episode.Status.DRAFT
    publish(publisher_client, seeded_episode, confirm="yes")
    assert Episode.objects.get().status == Episode.Status.PUBLISHED


def test_unpublish(publisher_client, clean_episode):
    publish(publisher_client, clean_episode)
    assert Episode.objects.published().exists()
    publisher_client.post(reverse(CHANGELIST), {"action": "unpublish_selected", "_selected_action": [clean_episode.pk]})
    assert not Episode.objects.published().exists()


def test_scheduled_episode_becomes_public_at_its_time(publisher_client, seeded_episode):
    at = timezone.now() + datetime.timedelta(hours=2)
    url = reverse("admin:podcasts_episode_publish", args=[seeded_episode.pk])
    publisher_client.post(url, {"published_at_0": at.strftime("%Y-%m-%d"), "published_at_1": at.strftime("%H:%M:%S")})
    assert Episode.objects.get().status == Episode.Status.PUBLISHED
    assert not Episode.objects.published().exists()
    assert Episode.objects.published(now=at + datetime.timedelta(minutes=1)).count() == 1
    listing = publisher_client.get(reverse(CHANGELIST)).content.decode()
    assert "scheduled" in listing


def test_changelist_shows_problem_counts_and_filters(editor_client, seeded_episode, clean_episode):
    html = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert "1 error(s), 2 warning(s)" in html
    with_errors = editor_client.get(reverse(CHANGELIST), {"problems": "errors"}).context["cl"].result_list
    clean = editor_client.get(reverse(CHANGELIST), {"problems": "none"}).context["cl"].result_list
    assert list(with_errors) == [seeded_episode]
    assert list(clean) == [clean_episode]


def test_change_page_audit_panel_links_into_the_transcript(editor_client, seeded_episode):
    TranscriptLine.objects.filter(episode=seeded_episode, position=5).update(speaker="Alexey:")
    Episode.objects.filter(pk=seeded_episode.pk).update(version=seeded_episode.version + 1)
    html = editor_client.get(reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])).content.decode()
    transcript = reverse("admin:podcasts_episode_transcript", args=[seeded_episode.pk])
    assert 'id="audit-panel"' in html
    assert f'{transcript}?item=5#item-5"' in html  # the editor opens on the page holding the row
