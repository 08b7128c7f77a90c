"""Two changes at once: neither is lost silently, neither is a 500, an import never undoes an editor's act."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from podcasts.editorial.publishing import publish, unpublish
from podcasts.files import importing
from podcasts.models import Episode

from .helpers import SEED_EPISODE, browser_form_data, run


@pytest.mark.django_db
def test_an_import_never_writes_the_status_an_editor_set_meanwhile(seeded_episode, write_file, monkeypatch):
    """An import reads the episode, diffs slowly, then writes: an unpublish in between must survive."""
    publish([seeded_episode.pk])
    summarize = importing.describe_changes

    def unpublish_meanwhile(old, new):
        unpublish([seeded_episode.pk])
        return summarize(old, new)

    monkeypatch.setattr(importing, "describe_changes", unpublish_meanwhile)
    changed = write_file(SEED_EPISODE.name, SEED_EPISODE.read_text().replace("season: 12", "season: 13"))
    assert run("import_episodes", changed)[0] == 0
    episode = Episode.objects.get()
    assert (episode.season, episode.status, episode.published_at) == (13, Episode.Status.DRAFT, None)
    assert episode.version == seeded_episode.version + 3  # publish, unpublish, import


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_get_one_save_and_one_conflict(admin_user, seeded_episode):
    url = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    clients = [Client(raise_request_exception=False) for _ in range(2)]
    forms = []
    for number, client in enumerate(clients):
        client.force_login(admin_user)
        data = browser_form_data(client.get(url).content.decode(), "episode_form")
        forms.append({**data, "title": f"Title by editor {number}", "_save": "Save"})
    start, responses = threading.Barrier(2), [None, None]

    def save(number):
        start.wait()
        try:
            responses[number] = clients[number].post(url, forms[number])
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302]
    loser = next(response for response in responses if response.status_code == 200)
    assert "Someone else saved this episode" in loser.content.decode()
    assert "Title by editor" in loser.content.decode()  # the loser's input is still in the form
    winner = responses.index(next(response for response in responses if response.status_code == 302))
    assert Episode.objects.get().title == f"Title by editor {winner}"
