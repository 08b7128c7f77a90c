"""Every editorial change made in the admin shows in Django's admin history (LogEntry)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from podcasts.models import Episode, Revision

pytestmark = pytest.mark.django_db


def last_message(episode) -> str:
    entry = LogEntry.objects.filter(object_id=str(episode.pk)).order_by("-action_time", "-pk").first()
    return entry.get_change_message() if entry else ""


def url(name, episode):
    return reverse(f"admin:podcasts_episode_{name}", args=[episode.pk])


def test_transcript_clips_and_speaker_changes_are_logged(editor_client, editor, seeded_episode):
    editor_client.post(url("clips", seeded_episode), {"version": seeded_episode.version, "clip": ["0", "1"]})
    assert last_message(seeded_episode) == "Replaced the clips with 2 clip(s) from the headers."
    data = {"version": Episode.objects.get().version, "timestamps": "0:00 Intro\n1:05 Overview", "apply": "1"}
    editor_client.post(url("timestamps", seeded_episode), data)
    assert last_message(seeded_episode) == "Replaced the headers with a timestamps list (2 headers)."
    editor_client.post(url("speakers", seeded_episode), {"rename": "1", "old": "Sadat", "new": "Sadat Anwar"})
    assert last_message(seeded_episode) == "Renamed speaker 'Sadat' to 'Sadat Anwar'."
    editor_client.post(reverse("admin:podcasts_episode_all_speakers"), {"old": "Alexey", "new": "Alexey G", "confirmed": "True"})
    assert last_message(seeded_episode) == "Renamed speaker 'Alexey' to 'Alexey G'."
    response = editor_client.get(url("transcript", seeded_episode))
    data = {"version": response.context["version"], "count": 1, "kind-0": "header", "text-0": "Only this", "op": "save"}
    editor_client.post(url("transcript", seeded_episode), data)
    assert last_message(seeded_episode) == "Edited the transcript."
    assert set(LogEntry.objects.values_list("user", flat=True)) == {editor.pk}


def test_publishing_unpublishing_and_restoring_are_logged(publisher_client, seeded_episode):
    publisher_client.post(url("publish", seeded_episode), {"confirm": "True"})  # the seed has an audit error
    assert last_message(seeded_episode) == "Published."
    changelist = reverse("admin:podcasts_episode_changelist")
    publisher_client.post(changelist, {"action": "unpublish_selected", "_selected_action": [seeded_episode.pk]})
    assert last_message(seeded_episode) == "Unpublished."
    revision = Revision.objects.get(episode=seeded_episode)
    publisher_client.post(reverse("admin:podcasts_revision_compare", args=[revision.pk]))
    assert last_message(seeded_episode).startswith("Restored the revision of ")
    assert Episode.objects.get().status == Episode.Status.DRAFT
