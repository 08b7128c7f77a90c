"""Audio in the episode file and the admin, reading its size and type from its URL, and
feed readiness (admin and ``manage.py check``)."""

import pytest
from django.core import checks
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.urls import reverse

from podcasts.editorial.audio import AudioProbeError, probe
from podcasts.files import schema
from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision, Show

from .factories import published
from .helpers import SEED_EPISODE, AudioHost, browser_form_data, database_url, manage_elsewhere, run

pytestmark = pytest.mark.django_db

WITH_AUDIO = """---
title: With audio
duration: PT00H30M00S
audio:
  url: https://cdn.example/with-audio.mp3
  length: 28800000
  type: audio/mpeg
---
"""


def test_audio_mapping_imports_into_fields_and_exports_byte_for_byte(write_file):
    path = write_file("with-audio.md", WITH_AUDIO)
    assert run("import_episodes", path)[0] == 0
    episode = Episode.objects.get()
    assert (episode.audio_url, episode.audio_length, episode.audio_type) == (
        "https://cdn.example/with-audio.mp3",
        28_800_000,
        "audio/mpeg",
    )
    assert episode.extra == []
    assert export_bytes(Episode.objects.for_export().get()) == WITH_AUDIO.encode()


def test_audio_set_in_the_admin_is_appended_to_the_file_and_changes_nothing_else(admin_client, seeded_episode):
    before = export_bytes(Episode.objects.for_export().get())
    url = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    data = browser_form_data(admin_client.get(url).content.decode(), "episode_form")
    data.update(audio_url=["https://cdn.example/s12e01.mp3"], audio_length=["1234"], audio_type=["audio/mpeg"])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = export_bytes(Episode.objects.for_export().get())
    head, _, rest = after.partition(b"\n---\n")
    assert after.endswith(before[before.index(b"\n---\n") :])  # the body is untouched
    assert head == before.partition(b"\n---\n")[0] + (
        b"\naudio:\n  url: https://cdn.example/s12e01.mp3\n  length: 1234\n  type: audio/mpeg"
    )


@pytest.mark.parametrize(
    "audio, line, message",
    [
        ("audio: https://x.example/a.mp3\n", 2, "audio must be a mapping of url, length and type, found the text"),
        ("audio:\n  url: https://x.example/a.mp3\n  bitrate: 128\n", 4, "audio: unknown key 'bitrate'"),
        ("audio:\n  length: -1\n", 3, "audio.length must be between 0 and"),
        ("audio:\n  length: '12'\n", 3, "audio.length must be an integer, found the text '12'"),
        ("audio:\n  type: " + "x" * 101 + "\n", 3, "audio.type is 101 characters long; at most 100 fit"),
    ],
)
def test_bad_audio_is_refused_with_its_line(write_file, audio, line, message):
    path = write_file("bad-audio.md", "---\ntitle: Bad\n" + audio + "---\n")
    code, _, err = run("import_episodes", path)
    assert code == 1 and f"{path}:{line + 1}: {message}" in err
    assert not Episode.objects.exists()


@pytest.mark.parametrize("key", list(schema.AUDIO_KEYS))
def test_audio_limits_are_the_columns(key):
    value, attribute = schema.AUDIO_KEYS[key]
    field = Episode._meta.get_field(attribute)
    assert value.max_length == field.max_length
    if isinstance(field, models.IntegerField):
        assert (value.minimum, value.maximum) == BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


def test_probe_reads_length_and_type_following_redirects_as_head(audio_host):
    details = probe(f"{audio_host}/moved.mp3")
    assert (details.length, details.mime_type) == (48_000_123, "audio/mpeg")
    assert AudioHost.methods == ["HEAD /moved.mp3", "HEAD /episode.mp3"]  # never a GET: that would download the file


@pytest.mark.parametrize(
    "path, message",
    [
        ("/missing.mp3", "answered 404 Not Found"),
        ("/page", "is text/html, not an audio file"),
        ("/silent", "did not answer within 0.5 seconds"),
    ],
)
def test_probe_says_clearly_what_went_wrong(audio_host, path, message):
    with pytest.raises(AudioProbeError, match=message):
        probe(f"{audio_host}{path}", timeout=0.5)


def test_probe_refuses_what_is_not_a_web_address():
    with pytest.raises(AudioProbeError, match="file:///etc/passwd is not an http"):
        probe("file:///etc/passwd")


def test_admin_action_fills_length_and_type_with_a_revision(admin_client, audio_host):
    ready = published("ready", audio_url=f"{audio_host}/episode.mp3")
    broken = published("broken", audio_url=f"{audio_host}/missing.mp3")
    published("silent-film")
    response = admin_client.post(
        reverse("admin:podcasts_episode_changelist"),
        {"action": "fill_audio_from_url", "_selected_action": [ready.pk, broken.pk, Episode.objects.get(slug="silent-film").pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Audio of broken: http://127.0.0.1:" in html and "/missing.mp3 answered 404 Not Found" in html
    assert "Filled the audio length and type of 1 episode(s); 1 selected episode(s) have no audio URL." in html
    assert Episode.objects.values_list("audio_length", "audio_type").get(pk=ready.pk) == (48_000_123, "audio/mpeg")
    assert Episode.objects.values_list("audio_length", "audio_type").get(pk=broken.pk) == (None, "")
    revision = Revision.objects.get(episode=ready)
    assert "audio:\n  url: " in revision.text and "length: 48000123\n  type: audio/mpeg" in revision.text


def ready_show() -> Show:
    show = Show.load()
    show.site_url, show.artwork, show.owner_email, show.author = (
        "https://pod.example",
        "https://pod.example/cover.jpg",
        "pod@example.com",
        "DataTalks.Club",
    )
    show.save()
    return show


def test_feed_readiness_lists_what_the_show_and_episodes_lack(admin_client):
    published("no-audio", description="Something.", duration="PT00H10M00S")
    published(
        "complete",
        description="Everything.",
        duration="PT00H10M00S",
        audio_url="https://cdn.example/c.mp3",
        audio_length=1,
        audio_type="audio/mpeg",
    )
    html = admin_client.get(reverse("admin:podcasts_show_change", args=[Show.load().pk])).content.decode()
    assert "Show: no owner email (directories send the ownership check there)" in html
    assert "Show: the site URL http://127.0.0.1:8000 is not a public address" in html
    assert "1 published episode(s): no enclosure" in html and ">no-audio</a>" in html and ">complete</a>" not in html
    ready_show()
    html = admin_client.get(reverse("admin:podcasts_show_change", args=[Show.load().pk])).content.decode()
    assert "Show: " not in html


def test_episode_page_in_the_admin_shows_its_readiness(admin_client):
    episode = published("bare")
    html = admin_client.get(reverse("admin:podcasts_episode_change", args=[episode.pk])).content.decode()
    for problem in ("no enclosure", "no description", "no duration"):
        assert f"<li>{problem}" in html


def test_check_warns_about_feed_readiness():
    published("bare-one")
    published("bare-two", description="Described.")
    warnings = {(message.id, message.msg) for message in checks.run_checks() if message.id.startswith("podcasts.")}
    assert ("podcasts.W001", "Feed: the show: no owner email (directories send the ownership check there).") in warnings
    assert ("podcasts.W002", "Feed: 1 published episode(s): no description (bare-one).") in warnings
    enclosures = next(message for id_, message in warnings if "no enclosure" in message)
    assert enclosures.startswith("Feed: 2 published episode(s): no enclosure")
    ready_show()
    Episode.objects.update(
        description="Described.",
        duration="PT1M",
        audio_url="https://cdn.example/a.mp3",
        audio_length=10,
        audio_type="audio/mpeg",
    )
    assert [message for message in checks.run_checks() if message.id.startswith("podcasts.")] == []


@pytest.mark.django_db(transaction=True)
def test_data_commands_leave_the_readiness_warnings_to_check():
    published("bare")
    env = {"DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    imported = manage_elsewhere("import_episodes", str(SEED_EPISODE), "--dry-run", **env)
    checked = manage_elsewhere("check", **env)
    assert imported.returncode == 0 and "podcasts.W00" not in imported.stderr + imported.stdout
    assert "podcasts.W002" in checked.stderr + checked.stdout
