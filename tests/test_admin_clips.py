"""Clips from headers: proposed as a diff, applied on confirmation, no section lost."""

import pytest
from django.urls import reverse

from podcasts.editorial.clips import clips_from_headers
from podcasts.models import Episode, TranscriptLine

pytestmark = pytest.mark.django_db


def clips_url(episode):
    return reverse("admin:podcasts_episode_clips", args=[episode.pk])


def test_back_to_back_headers_each_keep_a_clip(seeded_episode):
    clips = clips_from_headers(Episode.objects.for_export().get())
    headers = list(seeded_episode.transcript.filter(kind="header").values_list("text", flat=True))
    assert [clip.name for clip in clips] == headers
    first, second = clips[:2]
    assert (first.start_offset, first.end_offset) == (0, 65)  # the opening header starts the episode
    assert (second.start_offset, second.url) == (65, "https://www.youtube.com/watch?v=xyTfqIWeKf8&t=65")
    assert all(a.end_offset == b.start_offset for a, b in zip(clips, clips[1:], strict=False))


def test_preview_shows_the_diff_then_applies(editor_client, seeded_episode):
    TranscriptLine.objects.filter(episode=seeded_episode, position=0).update(text="Welcome")
    response = editor_client.get(clips_url(seeded_episode))
    diff = response.context["diff"]
    assert "+     0–65     Welcome" in diff
    assert Episode.objects.get().clips.count() == 0  # the seed has no clips; nothing applied yet
    response = editor_client.post(clips_url(seeded_episode), {"version": seeded_episode.version})
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert episode.clips.first().name == "Welcome"
    assert "quotableClips" in episode.front_matter_keys
    assert "quotableClips:\n- name: Welcome\n  startOffset: 0\n" in episode.revisions.first().text


def test_stale_version_is_refused(editor_client, seeded_episode):
    response = editor_client.post(clips_url(seeded_episode), {"version": seeded_episode.version - 1}, follow=True)
    assert "saved by someone else" in response.content.decode()
    assert not Episode.objects.get().clips.exists()
