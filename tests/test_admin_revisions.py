"""Revisions: every admin save and import stores one; any can be compared and restored."""

import pytest
from django.forms import FileField
from django.urls import reverse

from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Guest, Revision

from .helpers import SEED_EPISODE, SEED_GUEST, change_form_data

pytestmark = pytest.mark.django_db


def test_admin_save_stores_a_revision_and_bumps_the_version(editor_client, seeded_episode):
    data = {**change_form_data(editor_client, seeded_episode), "title": "New title"}
    response = editor_client.post(reverse("admin:podcasts_episode_change", args=[seeded_episode.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    episode = Episode.objects.get()
    assert episode.title == "New title" and episode.version == seeded_episode.version + 1
    revision = episode.revisions.first()
    assert revision.reason == Revision.Reason.EDIT and revision.user.username == "editor"
    assert "title: New title" in revision.text


def test_concurrent_admin_save_is_refused_with_input_kept(editor_client, seeded_episode):
    stale = change_form_data(editor_client, seeded_episode)
    url = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    assert editor_client.post(url, {**stale, "title": "First"}).status_code == 302
    response = editor_client.post(url, {**stale, "title": "Second"})
    html = response.content.decode()
    assert response.status_code == 200 and "saved this episode after you opened it" in html
    assert 'value="Second"' in html
    assert Episode.objects.get().title == "First"


def test_history_diff_and_restore(editor_client, seeded_episode):
    imported = seeded_episode.revisions.get()
    Episode.objects.update(title="Edited")
    seeded_episode.transcript.filter(position=3).update(speaker="Someone")
    detail = reverse("admin:podcasts_revision_compare", args=[imported.pk])
    diff = editor_client.get(detail, {"against": "current"}).context["diff"]
    assert "-  who: Sadat" in diff and "+  who: Someone" in diff
    response = editor_client.post(detail)
    assert response.status_code == 302
    assert export_bytes(Episode.objects.for_export().get()) == SEED_EPISODE.read_bytes()
    reasons = list(Episode.objects.get().revisions.values_list("reason", flat=True))
    assert reasons == [Revision.Reason.RESTORE, Revision.Reason.IMPORT]
    listing = editor_client.get(reverse("admin:podcasts_episode_revisions", args=[seeded_episode.pk]))
    assert listing.content.decode().count("compare with current") == 2


def test_guest_import_admin_save_and_restore(editor_client, seeded_episode):
    guest = Guest.objects.get(short="sadatanwar")
    imported = guest.revisions.get()
    assert (imported.reason, imported.file_name, imported.text) == (
        Revision.Reason.IMPORT,
        "sadatanwar.md",
        SEED_GUEST.read_text(),
    )
    url = reverse("admin:podcasts_guest_change", args=[guest.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {b.html_name: b.value() for b in form if b.value() is not None and not isinstance(b.field, FileField)}
    assert editor_client.post(url, {**data, "web": "https://example.org"}).status_code == 302
    edited = guest.revisions.first()
    assert edited.reason == Revision.Reason.EDIT and "web: https://example.org" in edited.text
    history = editor_client.get(reverse("admin:podcasts_revision_changelist"), {"guest__id__exact": guest.pk})
    assert list(history.context["cl"].result_list) == [edited, imported]
    response = editor_client.post(reverse("admin:podcasts_revision_compare", args=[imported.pk]))
    assert response.status_code == 302
    assert export_bytes(Guest.objects.get()) == SEED_GUEST.read_bytes()


def test_revisions_outlive_a_deleted_episode(editor_client, seeded_episode):
    revision = seeded_episode.revisions.get()
    seeded_episode.delete()
    revision.refresh_from_db()
    assert revision.subject is None and revision.text == SEED_EPISODE.read_text()
    html = editor_client.get(reverse("admin:podcasts_revision_compare", args=[revision.pk])).content.decode()
    assert "was deleted" in html and "Restore this revision" not in html
    assert editor_client.post(reverse("admin:podcasts_revision_compare", args=[revision.pk])).status_code == 403


def test_extra_keys_must_stay_key_value_pairs(editor_client, seeded_episode):
    url = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    response = editor_client.post(url, {**change_form_data(editor_client, seeded_episode), "extra": '{"context": "x"}'})
    assert "Write a list of [key, value] pairs" in response.content.decode()
    data = {**change_form_data(editor_client, seeded_episode), "extra": '[["context", "Recorded live"]]'}
    assert editor_client.post(url, data).status_code == 302
    assert "\ncontext: Recorded live\n---\n" in Episode.objects.get().revisions.first().text
