"""Speakers per episode and across episodes: counts, rename/merge in one query, links to people."""

import pytest
from django.urls import reverse

from podcasts.editorial.speakers import rename_speaker
from podcasts.models import Episode, Guest, Revision, SpeakerAlias, TranscriptLine

from .helpers import browser_form_data

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
    editor_client.post(url, {"old": "Sadat", "new": "Sadat Anwar", "confirmed": "True"})
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


def test_a_rename_that_matches_nothing_is_an_error(editor_client, seeded_episode):
    url = reverse("admin:podcasts_episode_speakers", args=[seeded_episode.pk])
    response = editor_client.post(url, {"rename": "1", "old": "Sadat:", "new": "Sadat"}, follow=True)
    assert [(m.level_tag, m.message) for m in response.context["messages"]] == [
        ("error", "No line of this episode has the speaker 'Sadat:': nothing was renamed.")
    ]
    everywhere = editor_client.post(reverse("admin:podcasts_episode_all_speakers"), {"old": "Nobody", "new": "X"}, follow=True)
    assert [(m.level_tag, m.message) for m in everywhere.context["messages"]] == [
        ("error", "No line has the speaker 'Nobody': nothing was renamed.")
    ]
    assert not Revision.objects.filter(reason=Revision.Reason.EDIT).exists()


def test_a_rename_in_every_episode_asks_first_with_the_counts(editor_client, seeded_episode):
    other = Episode.objects.create(slug="other", title="Other")
    TranscriptLine.objects.create(episode=other, position=0, text="hi", speaker="Sadat")
    url = reverse("admin:podcasts_episode_all_speakers")
    sadat = seeded_episode.transcript.filter(speaker="Sadat").count() + 1
    asked = editor_client.post(url, {"old": "Sadat", "new": "Sadat Anwar"})
    assert (asked.context["lines"], asked.context["episodes"]) == (sadat, 2)
    assert f"on {sadat} lines in 2 episodes?" in asked.content.decode()
    assert TranscriptLine.objects.filter(speaker="Sadat").count() == sadat
    confirmation = browser_form_data(asked.content.decode(), "rename-confirm")
    done = editor_client.post(url, confirmation, follow=True)
    assert [m.message for m in done.context["messages"]] == [f"Renamed {sadat} line(s) in 2 episode(s)."]
    assert not TranscriptLine.objects.filter(speaker="Sadat").exists()


def test_the_audits_suggested_merges_are_one_click_with_a_confirmation(editor_client, seeded_episode):
    other = Episode.objects.create(slug="other", title="Other")
    TranscriptLine.objects.bulk_create(
        TranscriptLine(episode=episode, position=1000 + n, text="x", speaker="Alexey:")
        for episode in (seeded_episode, other)
        for n in range(3)
    )
    url = reverse("admin:podcasts_episode_all_speakers")
    page = editor_client.get(url)
    assert [(m.old, m.new, m.lines, m.episodes) for m in page.context["merges"]] == [("Alexey:", "Alexey", 6, 2)]
    assert 'data-speaker="Alexey:"' in page.content.decode()  # a click on the row fills the form
    asked = editor_client.post(url, {"old": "Alexey:", "new": "Alexey"})
    assert "on 6 lines in 2 episodes?" in asked.content.decode()
    editor_client.post(url, browser_form_data(asked.content.decode(), "rename-confirm"))
    assert not TranscriptLine.objects.filter(speaker="Alexey:").exists()
    assert editor_client.get(url).context["merges"] == []
