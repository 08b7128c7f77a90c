"""The core promise on real data: every corpus file comes back byte for byte."""

import pytest

from podcasts.models import Episode, Guest

from .helpers import SEED_EPISODE, run

pytestmark = pytest.mark.django_db


def test_corpus_round_trips_byte_for_byte(corpus_dir):
    code, out, err = run("import_guests", corpus_dir / "people")
    people = len(list((corpus_dir / "people").glob("*.md")))
    assert (code, out.strip()) == (0, f"created {people}, updated 0, unchanged 0, failed 0"), err
    code, out, err = run("import_episodes", corpus_dir / "episodes")
    episodes = len(list((corpus_dir / "episodes").glob("*.md")))
    assert (code, out.strip()) == (0, f"created {episodes}, updated 0, unchanged 0, failed 0"), err

    assert run("export_episodes", "--check", corpus_dir / "episodes")[:2] == (0, f"compared {episodes}, differ 0\n")
    assert run("export_guests", "--check", corpus_dir / "people")[:2] == (0, f"compared {people}, differ 0\n")
    assert Episode.objects.count() == episodes and Guest.objects.count() == people

    code, out, _ = run("import_episodes", corpus_dir / "episodes")
    assert out.strip() == f"created 0, updated 0, unchanged {episodes}, failed 0"


def test_seed_matches_the_shared_seed(corpus_dir):
    shared_seed = corpus_dir.parent / "seed" / SEED_EPISODE.name
    if not shared_seed.exists():
        pytest.skip(f"no shared seed at {shared_seed}")
    assert shared_seed.read_bytes() == SEED_EPISODE.read_bytes()


def test_real_oddities_are_accepted(corpus_dir):
    """Names the corpus really uses: a doubled extension and parentheses."""
    run("import_guests", corpus_dir / "people" / "ella(wati)sahnan.md")
    run("import_episodes", corpus_dir / "episodes" / "mentoring-in-tech-how-to-find-and-become-a-mentor.md.md")
    assert Guest.objects.filter(short="ella(wati)sahnan").exists()
    assert Episode.objects.filter(slug="mentoring-in-tech-how-to-find-and-become-a-mentor.md").exists()
