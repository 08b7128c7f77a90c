"""Fixtures for every test module. Plain helpers and data builders live in
helpers.py and factories.py; test modules import those, never each other or this file."""

import os
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.cache import cache

from .helpers import ROOT, SEED_EPISODE, SEED_GUEST, AudioHost

pytest_plugins = ["tests.browser"]  # the browser and page fixtures


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests run on a file, as production does: an in-memory database shares one
    cache between connections, whose table locks fail at once where a file's writers queue."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: cached public pages never leak from one test into another."""
    cache.clear()


@pytest.fixture
def corpus_dir() -> Path:
    """The real corpus (CORPUS_DIR, default ../shared/corpus); tests that need it skip without it."""
    path = Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
    if not (path / "episodes").is_dir():
        pytest.skip(f"real corpus not found at {path} (set CORPUS_DIR to run the corpus tests)")
    return path


@pytest.fixture
def write_file(tmp_path):
    """Write ``text`` (str or bytes) to ``tmp_path/name`` and return the path."""

    def write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return path

    return write


@pytest.fixture
def seeded_episode(db):
    """The seed episode and its guest, imported from fixtures/ as a maintainer would."""
    from django.core.management import call_command

    from podcasts.models import Episode

    call_command("import_guests", str(SEED_GUEST), stdout=open(os.devnull, "w"))
    call_command("import_episodes", str(SEED_EPISODE), stdout=open(os.devnull, "w"))
    return Episode.objects.get()


def _user_in(group_name: str, username: str):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _user_in("Editors", "editor")


@pytest.fixture
def publisher(db):
    return _user_in("Publishers", "publisher")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher_client(client, publisher):
    client.force_login(publisher)
    return client


@pytest.fixture
def audio_host():
    """A local audio host (``helpers.AudioHost``) on 127.0.0.1; its address."""
    AudioHost.methods = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), AudioHost)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
