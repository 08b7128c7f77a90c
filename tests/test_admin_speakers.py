"""Speakers per episode and across episodes: counts, rename/merge in one query, links to people."""

import pytest
from django.urls import reverse

from podcasts.editorial.speakers import rename_speaker
from podcasts.models import Episode, Guest, SpeakerAlias, TranscriptLine

pytestmark = pytest.mark.django_db


def test_episode_speaker_table(editor_client, seeded_episode):
    response = editor_client.get(reverse("admin:podcasts_episode_speakers", args=[seeded_episode.pk]))
    rows = {row.speaker: row for row in response.context["speakers"]}
    assert set(rows) == {"Alexey", "Sadat"}
    assert rows["Alexey"].lines == seeded_episode.transcript.filter(speaker="Alexey").count()
    assert rows["Alexey"].first_position == 2


def test_rename_merges_on_all_lines_of_the_episode(editor_client, seeded_episode):
    TranscriptLine.objects.filter(episode=seeded_episode, position__in=[2, 5]).update(speaker="Alexey:")
    url = reverse("admin:podcasts_episode_speakers", args=[seeded_episode.pk])
    response = editor_client.post(url, {"rename": "1", "old": "Alexey:", "new": "Alexey"})
    assert response.status_code == 302
    assert not TranscriptLine.objects.filter(speaker="Alexey:").exists()
    episode = Episode.objects.get()
    assert episode.version == seeded_episode.version + 1
    assert "speaker 'Alexey:' renamed to 'Alexey'" in episode.revisions.first().note


@pytest.mark.parametrize("lines", [10, 400])
def test_rename_takes_a_constant_number_of_queries(seeded_episode, django_assert_num_queries, lines):
    TranscriptLine.objects.bulk_create(
        TranscriptLine(episode=seeded_episode, position=5000 + n, text="x", speaker="Alexeylexey") for n in range(lines)
    )
    with django_assert_num_queries(13):  # 12, and the look for an open edit burst to settle
        changed = rename_speaker("Alexeylexey", "Alexey", episode_ids=[seeded_episode.pk])
    assert changed == lines


def test_global_rename_scoped_to_chosen_episodes(editor_client, seeded_episode):
    other = Episode.objects.create(slug="other", title="Other")
    TranscriptLine.objects.create(episode=other, position=0, text="hi", speaker="Sadat")
    url = reverse("admin:podcasts_episode_all_speakers")
    listing = editor_client.get(url, {"speaker": "Sadat"})
    assert {e.slug for e in listing.context["appears_in"]} == {seeded_episode.slug, "other"}
    editor_client.post(url, {"old": "Sadat", "new": "Sadat Anwar", "episodes": [other.pk]})
    assert other.transcript.get().speaker == "Sadat Anwar"
    assert seeded_episode.transcript.filter(speaker="Sadat").exists()
    editor_client.post(url, {"old": "Sadat", "new": "Sadat Anwar"})
    assert not TranscriptLine.objects.filter(speaker="Sadat").exists()


def test_global_page_lists_counts_and_episodes(editor_client, seeded_episode):
    response = editor_client.get(reverse("admin:podcasts_episode_all_speakers"), {"q": "sad"})
    rows = list(response.context["speakers"])
    assert [(row["speaker"], row["episodes"]) for row in rows] == [("Sadat", 1)]


def test_link_speaker_to_a_person_here_or_everywhere(editor_client, seeded_episode):
    guest = Guest.objects.get(short="sadatanwar")
    url = reverse("admin:podcasts_episode_speakers", args=[seeded_episode.pk])
    editor_client.post(url, {"link": "1", "speaker": "Sadat", "guest": guest.pk})
    editor_client.post(url, {"link": "1", "speaker": "Alexey", "guest": guest.pk, "everywhere": "on"})
    aliases = {(a.speaker, a.episode_id) for a in SpeakerAlias.objects.all()}
    assert aliases == {("Sadat", seeded_episode.pk), ("Alexey", None)}
    assert "sadatanwar.md" not in editor_client.get(url).content.decode()
    # the exported who: text is untouched by linking
    assert seeded_episode.transcript.filter(speaker="Sadat").count() > 0
