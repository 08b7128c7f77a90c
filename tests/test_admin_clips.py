"""Clips from headers: one a section, none lasting no time, no name twice; each chosen or not before they replace the clips."""

import itertools

import pytest
from django.urls import reverse

from podcasts.editorial.clips import clips_from_headers
from podcasts.models import Episode, TranscriptLine

from .factories import make_episode
from .helpers import browser_form_data, run

pytestmark = pytest.mark.django_db


def clips_url(episode):
    return reverse("admin:podcasts_episode_clips", args=[episode.pk])


def test_seed_clips_follow_the_sections(seeded_episode):
    clips = clips_from_headers(Episode.objects.for_export().get())
    first, second = clips[:2]
    assert (first.start_offset, first.end_offset) == (0, 65)  # the opening header starts the episode
    assert (second.start_offset, second.url) == (65, "https://www.youtube.com/watch?v=xyTfqIWeKf8&t=65")
    assert all(a.end_offset == b.start_offset for a, b in itertools.pairwise(clips))


def test_no_zero_length_clip_and_no_name_twice():
    episode = make_episode(
        transcript=[
            {"header": "Cold open"},
            {"header": "Welcome"},  # the same second as the one before: one clip, named as the section heard
            {"line": "Hi.", "sec": 0},
            {"header": "Topic"},
            {"line": "About it.", "sec": 30},
            {"header": "Topic"},  # the same name again: the clip goes on
            {"line": "More.", "sec": 60},
            {"header": "Welcome"},  # a name that comes back later is numbered
            {"line": "Back.", "sec": 90},
            {"header": "Last line"},  # starts at the last timed line: it would last no time
            {"line": "Bye.", "sec": 120},
            {"header": "After everything"},  # no timed line follows: no start at all
        ]
    )
    clips = [(clip.name, clip.start_offset, clip.end_offset) for clip in clips_from_headers(episode)]
    assert clips == [("Welcome", 0, 30), ("Topic", 30, 90), ("Welcome (2)", 90, 120)]


def test_corpus_episode_with_repeated_headers_gets_one_clip_a_section(corpus_dir):
    run("import_episodes", corpus_dir / "episodes" / "developer-personal-brand-learn-in-public.md")
    clips = clips_from_headers(Episode.objects.for_export().get())
    assert len(clips) == 28  # its 54 headers are 28 sections (26 repeated on the same second)
    assert len({clip.name for clip in clips}) == 28
    assert all(clip.end_offset > clip.start_offset for clip in clips)


def test_preview_shows_the_proposal_then_applies_the_chosen_clips(editor_client, seeded_episode):
    TranscriptLine.objects.filter(episode=seeded_episode, position=0).update(text="Welcome")
    response = editor_client.get(clips_url(seeded_episode))
    assert "+     0–65     Welcome" in response.context["diff"]
    html = response.content.decode()
    proposed = len(response.context["proposed"])
    assert html.count('type="checkbox" name="clip"') == proposed > 2
    assert Episode.objects.get().clips.count() == 0  # the seed has no clips; nothing applied yet
    data = browser_form_data(html, "clips-form")
    data["clip"] = data["clip"][:2]  # the editor unticks all but the first two
    response = editor_client.post(clips_url(seeded_episode), data)
    assert response.status_code == 302
    episode = Episode.objects.get()
    assert list(episode.clips.values_list("name", "start_offset")) == [
        ("Welcome", 0),
        ("Episode Overview: From Software Engineer to Data Science Manager", 65),
    ]
    assert "quotableClips" in episode.front_matter_keys
    assert "quotableClips:\n- name: Welcome\n  startOffset: 0\n" in episode.revisions.first().text


def test_nothing_chosen_replaces_nothing(editor_client, seeded_episode):
    response = editor_client.post(clips_url(seeded_episode), {"version": seeded_episode.version}, follow=True)
    assert "Nothing was replaced: Choose at least one clip." in response.content.decode()
    assert not Episode.objects.get().clips.exists()


def test_stale_version_is_refused(editor_client, seeded_episode):
    response = editor_client.post(clips_url(seeded_episode), {"version": seeded_episode.version - 1, "clip": "0"}, follow=True)
    assert "saved by someone else" in response.content.decode()
    assert not Episode.objects.get().clips.exists()
