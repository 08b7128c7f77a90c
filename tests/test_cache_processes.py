"""The page cache across processes: a change made by another process (another gunicorn
worker, a management command) shows at once in this one, although each has its own
local-memory cache. Runs on the suite's database, SQLite (a file) or PostgreSQL, which
the other process reaches through ``DATABASE_URL``; the data must be committed for it
to see, hence transactional tests."""

import pytest

from .factories import published
from .helpers import SEED_EPISODE, SEED_SLUG, database_url, manage_elsewhere

pytestmark = pytest.mark.django_db(transaction=True)

SEED_TITLE = b"Transitioning from Software Engineer"


def manage(*args: str) -> str:
    """Run ``manage.py`` in another process, with its own (empty, local-memory) cache."""
    result = manage_elsewhere(*args, DJANGO_SETTINGS_MODULE="config.test_settings", DATABASE_URL=database_url())
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_an_unpublish_in_another_process_hides_the_episode_here_at_once(client):
    episode = published("elsewhere", title="Unpublished elsewhere", season=1, number=1)
    listings = ["/", "/podcast/", "/feed.xml", "/sitemap.xml", "/podcast/season/1/"]
    assert client.get(episode.get_absolute_url()).status_code == 200
    for url in listings:
        assert b"/podcast/elsewhere/" in client.get(url).content, url  # now cached here

    manage("shell", "-c", f"from podcasts.editorial.publishing import unpublish; unpublish([{episode.pk}])")

    assert client.get(episode.get_absolute_url()).status_code == 404
    assert client.get("/podcast/elsewhere/transcript.vtt").status_code == 404
    for url in listings[:-1]:
        assert b"/podcast/elsewhere/" not in client.get(url).content, url
    assert client.get("/podcast/season/1/").status_code == 404


def test_a_command_line_import_shows_here_at_once(client):
    published("already-there", title="Already there")
    for url in ("/", "/feed.xml", "/sitemap.xml"):
        assert SEED_SLUG.encode() not in client.get(url).content

    manage("import_episodes", "--publish", str(SEED_EPISODE))

    assert SEED_TITLE in client.get(f"/podcast/{SEED_SLUG}/").content
    assert SEED_TITLE in client.get("/").content
    assert SEED_TITLE in client.get("/feed.xml").content
    assert f"/podcast/{SEED_SLUG}/".encode() in client.get("/sitemap.xml").content
