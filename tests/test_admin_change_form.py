"""Opening a change form and saving it unchanged leaves the file exactly as it was."""

import pytest
from django.urls import reverse

from podcasts.files.exporting import compare_with_dir, export_bytes
from podcasts.models import Episode, Guest

from .helpers import SEED_EPISODE, SEED_GUEST, browser_form_data, run

pytestmark = pytest.mark.django_db


def save_unchanged(client, url: str, form_id: str):
    """Open the change form and press Save, as an editor in a browser would."""
    data = browser_form_data(client.get(url).content.decode(), form_id)
    return client.post(url, {**data, "_save": "Save"})


def test_saving_the_seed_episode_and_guest_unchanged_keeps_their_files(admin_client, seeded_episode):
    response = save_unchanged(admin_client, reverse("admin:podcasts_episode_change", args=[seeded_episode.pk]), "episode_form")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert export_bytes(Episode.objects.for_export().get()) == SEED_EPISODE.read_bytes()
    assert Episode.objects.get().version == seeded_episode.version + 1
    guest = Guest.objects.get()
    assert save_unchanged(admin_client, reverse("admin:podcasts_guest_change", args=[guest.pk]), "guest_form").status_code == 302
    assert export_bytes(Guest.objects.get()) == SEED_GUEST.read_bytes()


def test_browser_line_breaks_in_an_edited_body_are_stored_as_the_file_writes_them(admin_client, seeded_episode):
    url = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    data = browser_form_data(admin_client.get(url).content.decode(), "episode_form")
    data["body"] = [data["body"][0] + "\r\nOne more line.\r\n"]
    assert admin_client.post(url, {**data, "_save": "Save"}).status_code == 302
    body = Episode.objects.get().body
    assert body.endswith("\nOne more line.\n") and "\r" not in body


def test_a_change_form_without_its_version_is_refused(admin_client, seeded_episode):
    url = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    data = browser_form_data(admin_client.get(url).content.decode(), "episode_form")
    del data["loaded_version"]
    response = admin_client.post(url, {**data, "title": "Changed", "_save": "Save"})
    assert response.status_code == 200 and "loaded_version" in response.context["adminform"].form.errors
    assert Episode.objects.get().title == seeded_episode.title


def test_saving_every_corpus_episode_unchanged_keeps_every_file(admin_client, corpus_dir):
    run("import_guests", corpus_dir / "people")
    run("import_episodes", corpus_dir / "episodes")
    for episode in Episode.objects.only("pk"):
        response = save_unchanged(admin_client, reverse("admin:podcasts_episode_change", args=[episode.pk]), "episode_form")
        assert response.status_code == 302, (episode.pk, response.context["adminform"].form.errors)
    compared, differences = compare_with_dir(Episode.objects.for_export(), corpus_dir / "episodes")
    assert (compared, [difference.name for difference in differences]) == (160, [])
