"""Who may do what: anonymous users see nothing, editors cannot publish by any route; the local admin is made once."""

import re

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from podcasts.models import Episode

from .helpers import run

pytestmark = pytest.mark.django_db


def episode_urls(episode):
    names = ["transcript", "speakers", "clips", "revisions", "download", "change"]
    return [reverse(f"admin:podcasts_episode_{name}", args=[episode.pk]) for name in names] + [
        reverse("admin:podcasts_episode_changelist"),
        reverse("admin:podcasts_episode_import"),
        reverse("admin:podcasts_episode_all_speakers"),
    ]


def test_anonymous_users_are_sent_to_the_login(client, seeded_episode):
    for url in episode_urls(seeded_episode) + [reverse("admin:podcasts_episode_publish", args=[seeded_episode.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_editors_reach_every_editing_page(editor_client, seeded_episode):
    markers = [
        "<title>Transcript: Transitioning",
        "<title>Speakers: Transitioning",
        "<title>Clips from headers: Transitioning",
        "<title>History: Transitioning",
        "episode: 1\nguests:\n- sadatanwar\n",  # the downloaded file itself
        'name="loaded_version"',
        "1 error(s), 2 warning(s)",
        "<title>Import episode files",
        "<title>Speakers across episodes",
    ]
    for url, marker in zip(episode_urls(seeded_episode), markers, strict=True):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert marker in response.content.decode(), url


def test_editors_cannot_publish_by_action(editor_client, seeded_episode):
    changelist = reverse("admin:podcasts_episode_changelist")
    assert "publish_selected" not in editor_client.get(changelist).content.decode()
    editor_client.post(changelist, {"action": "publish_selected", "_selected_action": [seeded_episode.pk], "confirm": "yes"})
    assert Episode.objects.get().status == Episode.Status.DRAFT


def test_editors_cannot_publish_by_form_field(editor_client, seeded_episode):
    url = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    form = editor_client.get(url).context["adminform"].form
    assert "status" not in form.fields and "published_at" not in form.fields


def test_editors_cannot_publish_by_url(editor_client, seeded_episode):
    url = reverse("admin:podcasts_episode_publish", args=[seeded_episode.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {}).status_code == 403
    assert Episode.objects.get().status == Episode.Status.DRAFT


def test_publishers_see_and_use_publishing(publisher_client, seeded_episode):
    url = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    html = publisher_client.get(url).content.decode()
    assert "Publish…" in html and 'name="status"' in html
    url = reverse("admin:podcasts_episode_publish", args=[seeded_episode.pk])
    response = publisher_client.post(url, {"confirm": "True"})  # the seed's audit error, confirmed
    assert response.status_code == 302
    assert Episode.objects.published().count() == 1


def test_groups_exist_with_the_publish_permission_only_for_publishers(editor, publisher):
    assert not editor.has_perm("podcasts.publish_episode")
    assert editor.has_perm("podcasts.change_transcriptline") and editor.has_perm("podcasts.add_episode")
    assert publisher.has_perm("podcasts.publish_episode")


def test_staff_preview_a_draft_nobody_else_can(client, editor_client, seeded_episode):
    preview = reverse("admin:podcasts_episode_preview", args=[seeded_episode.pk])
    response = editor_client.get(preview)
    assert response.status_code == 200 and "Transitioning from Software Engineer" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    client.logout()
    assert client.get(seeded_episode.get_absolute_url()).status_code == 404
    assert "/admin/login/" in client.get(preview)["Location"]


def test_show_is_one_record_edited_by_publishers_only(client, editor, publisher):
    client.force_login(publisher)
    response = client.get(reverse("admin:podcasts_show_changelist"))
    assert response["Location"] == reverse("admin:podcasts_show_change", args=[1])
    assert 'name="title"' in client.get(response["Location"]).content.decode()
    client.force_login(editor)
    assert 'name="title"' not in client.get(reverse("admin:podcasts_show_change", args=[1])).content.decode()


def test_ensure_local_admin_creates_a_superuser_once_with_a_working_password():
    code, out, err = run("ensure_local_admin", "--username", "chief")
    assert (code, err) == (0, "")
    password = re.fullmatch(r"Created admin user 'chief' with password: (\S+)\nIt is shown only this once.\n", out)[1]
    assert authenticate(username="chief", password=password).is_superuser
    assert run("ensure_local_admin", "--username", "chief")[:2] == (
        0,
        "Admin user 'chief' exists; change its password with: manage.py changepassword chief\n",
    )
    assert User.objects.count() == 1


def test_deleting_a_published_episode_needs_the_publish_permission(editor_client, publisher, seeded_episode):
    Episode.objects.update(status=Episode.Status.PUBLISHED, published_at=timezone.now())
    delete_url = reverse("admin:podcasts_episode_delete", args=[seeded_episode.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    action = {"action": "delete_selected", "_selected_action": [seeded_episode.pk], "post": "yes"}
    assert editor_client.post(reverse("admin:podcasts_episode_changelist"), action).status_code == 403
    confirm = editor_client.post(reverse("admin:podcasts_episode_changelist"), {**action, "post": ""}).content.decode()
    assert "<title>Cannot delete episode" in confirm
    assert Episode.objects.exists()
    editor_client.force_login(publisher)
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Episode.objects.exists()


def test_editors_delete_drafts(editor_client, seeded_episode):
    assert (
        editor_client.post(reverse("admin:podcasts_episode_delete", args=[seeded_episode.pk]), {"post": "yes"}).status_code == 302
    )
    assert not Episode.objects.exists()
