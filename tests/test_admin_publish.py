"""Publishing: publishers only, confirmation when the audit has errors, scheduling without cron."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from podcasts.models import Episode, TranscriptLine

from .helpers import change_form_data

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


def schedule(client, episode, at, **extra):
    url = reverse("admin:podcasts_episode_publish", args=[episode.pk])
    return client.post(url, {"published_at_0": at.strftime("%Y-%m-%d"), "published_at_1": at.strftime("%H:%M"), **extra})


def test_scheduled_episode_becomes_public_at_its_time(publisher_client, clean_episode):
    at = (timezone.now() + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
    schedule(publisher_client, clean_episode, at)
    assert Episode.objects.get().status == Episode.Status.PUBLISHED
    assert not Episode.objects.published().exists()
    assert Episode.objects.published(now=at + datetime.timedelta(minutes=1)).count() == 1
    label = f"Scheduled for {at:%Y-%m-%d %H:%M} UTC"
    assert label in publisher_client.get(reverse(CHANGELIST)).content.decode()
    change = publisher_client.get(reverse("admin:podcasts_episode_change", args=[clean_episode.pk])).content.decode()
    assert label in change
    page = publisher_client.get(reverse("admin:podcasts_episode_publish", args=[clean_episode.pk])).content.decode()
    assert f"Status: {label}." in page


def test_publish_page_asks_about_audit_errors_like_the_action(publisher_client, seeded_episode):
    at = (timezone.now() + datetime.timedelta(hours=2)).replace(second=0, microsecond=0)
    html = schedule(publisher_client, seeded_episode, at).content.decode()
    assert "Publish anyway?" in html and "time-backwards" in html and 'value="Yes, publish"' in html
    assert Episode.objects.get().status == Episode.Status.DRAFT
    assert 'type="hidden" name="confirm" value="on"' in html and f'value="{at:%H:%M}"' in html  # the time chosen is kept
    schedule(publisher_client, seeded_episode, at, confirm="True")
    episode = Episode.objects.get()
    assert episode.status == Episode.Status.PUBLISHED and episode.published_at == at


def test_publish_page_names_the_time_zone(publisher_client, clean_episode, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    html = publisher_client.get(reverse("admin:podcasts_episode_publish", args=[clean_episode.pk])).content.decode()
    assert "Publication time (Europe/Berlin)" in html
    schedule(publisher_client, clean_episode, datetime.datetime(2030, 1, 2, 10, 0))
    assert Episode.objects.get().published_at == datetime.datetime(2030, 1, 2, 9, 0, tzinfo=datetime.UTC)
    listing = publisher_client.get(reverse(CHANGELIST)).content.decode()
    assert "Scheduled for 2030-01-02 10:00 CET" in listing


def test_status_field_asks_about_audit_errors_too(publisher_client, seeded_episode):

    url = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    now = timezone.now()
    data = {**change_form_data(publisher_client, seeded_episode), "status": "published"}
    data.update({"published_at_0": f"{now:%Y-%m-%d}", "published_at_1": f"{now:%H:%M:%S}"})
    response = publisher_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["publish_despite_errors"][0]
    assert "The audit finds 1 error(s): time-backwards" in errors
    assert Episode.objects.get().status == Episode.Status.DRAFT
    response = publisher_client.post(url, {**data, "publish_despite_errors": "on"})
    assert response.status_code == 302
    assert Episode.objects.get().status == Episode.Status.PUBLISHED


def test_status_field_publishes_a_clean_episode_without_asking(publisher_client, clean_episode):

    now = timezone.now()
    data = {**change_form_data(publisher_client, clean_episode), "status": "published"}
    data.update({"published_at_0": f"{now:%Y-%m-%d}", "published_at_1": f"{now:%H:%M:%S}"})
    assert publisher_client.post(reverse("admin:podcasts_episode_change", args=[clean_episode.pk]), data).status_code == 302
    assert Episode.objects.get().is_public


def test_editors_see_no_confirmation_box(editor_client, clean_episode):
    html = editor_client.get(reverse("admin:podcasts_episode_change", args=[clean_episode.pk])).content.decode()
    assert "publish_despite_errors" not in html and "Draft" in html


def test_staff_preview_of_a_draft_carries_a_banner(editor_client, clean_episode):
    url = reverse("admin:podcasts_episode_preview", args=[clean_episode.pk])
    html = editor_client.get(url).content.decode()
    assert '<p class="draft-banner" role="status" id="draft-banner"><strong>DRAFT</strong> Draft:' in html
    Episode.objects.update(status=Episode.Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=1))
    assert "<strong>DRAFT</strong> Scheduled for" in editor_client.get(url).content.decode()
    Episode.objects.update(published_at=timezone.now() - datetime.timedelta(days=1))
    assert "draft-banner" not in editor_client.get(url).content.decode().split("</head>")[1]


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
