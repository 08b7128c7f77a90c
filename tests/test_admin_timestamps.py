"""The Timestamps page: paste a list, preview where each header lands, apply; export the current headers."""

import pytest
from django.urls import reverse

from podcasts.models import Episode, Revision

from .factories import make_episode
from .helpers import browser_form_data

pytestmark = pytest.mark.django_db

TRANSCRIPT = [
    {"header": "Old opening"},
    {"line": "Hello.", "who": "Alexey", "sec": 10, "time": "0:10"},
    {"header": "Careers"},
    {"line": "How did it start?", "who": "Ada", "sec": 75, "time": "1:15"},
    {"line": "In a lab.", "who": "Alexey", "sec": 90, "time": "1:30"},
]


def page(episode):
    return reverse("admin:podcasts_episode_timestamps", args=[episode.pk])


def outline(episode) -> list[str]:
    return [f"# {item.text}" if item.is_header else item.text for item in Episode.objects.get(pk=episode.pk).transcript.all()]


def test_preview_shows_where_headers_land_and_which_go_then_apply_writes_one_revision(editor_client):
    episode = make_episode(transcript=TRANSCRIPT)
    response = editor_client.post(page(episode), {"version": episode.version, "timestamps": "0:00 Intro\n1:15 Careers\n1:20 Lab"})
    placement = response.context["placement"]
    assert [(landing.stamp.title, bool(landing.kept), landing.position) for landing in placement.landings] == [
        ("Intro", False, 0),
        ("Careers", True, 2),
        ("Lab", False, 4),
    ]
    assert [header.text for header in placement.removed] == ["Old opening"]
    html = response.content.decode()
    assert "item 4: [1:30] Alexey: In a lab." in html and "item 0: Old opening" in html
    assert outline(episode)[0] == "# Old opening"  # a preview writes nothing
    response = editor_client.post(
        page(episode), browser_form_data(html, "timestamps-apply-form") | {"apply": "Apply"}, follow=True
    )
    assert "Headers replaced: 2 added, 1 removed." in response.content.decode()
    assert outline(episode) == ["# Intro", "Hello.", "# Careers", "How did it start?", "# Lab", "In a lab."]
    assert Episode.objects.get().transcript.get(text="Careers").pk == placement.landings[1].kept.pk  # its row stays
    revision = Revision.objects.get()
    assert (revision.note, revision.user.username) == ("headers from a timestamps list", "editor")
    assert Episode.objects.get().version == episode.version + 1


def test_a_malformed_line_is_a_form_error_naming_it(editor_client):
    episode = make_episode(transcript=TRANSCRIPT)
    response = editor_client.post(page(episode), {"version": episode.version, "timestamps": "0:00 Intro\nsoon Later"})
    assert "Line 2: &#x27;soon&#x27; is not a time like 1:05 or 1:02:03" in response.content.decode()
    assert response.context["placement"] is None


def test_an_apply_against_a_newer_version_is_refused_and_previewed_again(editor_client):
    episode = make_episode(transcript=TRANSCRIPT)
    Episode.objects.update(version=episode.version + 1)
    response = editor_client.post(page(episode), {"version": episode.version, "timestamps": "0:00 Intro", "apply": "Apply"})
    assert "saved by someone else" in response.content.decode()
    assert response.context["apply_form"].initial["version"] == episode.version + 1
    assert outline(episode)[0] == "# Old opening" and not Revision.objects.exists()


def test_the_current_headers_download_and_show_as_a_list_and_applying_them_changes_nothing(editor_client):
    episode = make_episode("chat", transcript=TRANSCRIPT)
    response = editor_client.get(reverse("admin:podcasts_episode_timestamps_download", args=[episode.pk]))
    assert response.content.decode() == "00:00:00 Old opening\n00:01:15 Careers\n"
    assert response["Content-Disposition"] == 'attachment; filename="chat.txt"'
    html = editor_client.get(page(episode)).content.decode()
    assert 'data-copy="current-list"' in html and "00:01:15 Careers" in html
    response = editor_client.post(page(episode), {"version": episode.version, "timestamps": response.content.decode()})
    assert not response.context["placement"].changed and "timestamps-apply-form" not in response.content.decode()
    editor_client.post(
        page(episode), {"version": episode.version, "timestamps": "00:00:00 Old opening\n00:01:15 Careers", "apply": "1"}
    )
    assert Episode.objects.get().version == episode.version and not Revision.objects.exists()


def test_the_page_needs_the_change_permission(client, django_user_model):
    episode = make_episode(transcript=TRANSCRIPT)
    client.force_login(django_user_model.objects.create_user("viewer", password="pw", is_staff=True))
    assert client.get(page(episode)).status_code == 403
