"""export_episodes / export_guests: byte-identical output, --check, edit locality through the models."""

import difflib

import pytest
from django.db.models import F

from podcasts.models import Episode, Guest, TranscriptLine

from .helpers import SEED_EPISODE, SEED_GUEST, SEED_SLUG, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    run("import_guests", SEED_GUEST)
    run("import_episodes", SEED_EPISODE)
    return Episode.objects.get()


def exported(tmp_path, command="export_episodes") -> bytes:
    out = tmp_path / "out"
    assert run(command, "--out", out)[0] == 0
    return (out / (SEED_EPISODE.name if command == "export_episodes" else SEED_GUEST.name)).read_bytes()


def changed_lines(old: bytes, new: bytes) -> list[str]:
    diff = difflib.unified_diff(old.decode().splitlines(), new.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_export_reproduces_the_files(seeded, tmp_path):
    assert exported(tmp_path) == SEED_EPISODE.read_bytes()
    assert exported(tmp_path, "export_guests") == SEED_GUEST.read_bytes()


def test_check_passes_on_the_sources_and_shows_a_diff_after_an_edit(seeded):
    code, out, _ = run("export_episodes", "--check", SEED_EPISODE.parent)
    assert (code, out.strip()) == (0, "compared 1, differ 0")
    TranscriptLine.objects.filter(episode=seeded, position=3).update(speaker="Sadat Anwar")
    code, out, _ = run("export_episodes", "--check", SEED_EPISODE.parent)
    assert code == 1
    assert f"differs: {SEED_EPISODE.name}" in out
    assert "-  who: Sadat\n+  who: Sadat Anwar\n" in out
    assert out.strip().endswith("compared 1, differ 1")


def test_speaker_edit_changes_only_that_item(seeded, tmp_path):
    line = seeded.transcript.get(position=3)
    line.speaker = "Sadat Anwar"
    line.save()
    assert changed_lines(SEED_EPISODE.read_bytes(), exported(tmp_path)) == ["-  who: Sadat", "+  who: Sadat Anwar"]


def test_field_edit_changes_only_that_field(seeded, tmp_path):
    seeded.short_title = "Engineer to Manager"
    seeded.save()
    assert changed_lines(SEED_EPISODE.read_bytes(), exported(tmp_path)) == [
        "-short: From Software Engineer to Data Science Manager",
        "+short: Engineer to Manager",
    ]


def test_new_value_for_an_absent_key_is_appended(seeded, tmp_path):
    seeded.duration = "PT01H02M03S"
    seeded.save()
    raw = exported(tmp_path)
    assert changed_lines(SEED_EPISODE.read_bytes(), raw) == ["+duration: PT01H02M03S"]


def test_header_inserted_and_line_deleted_touch_only_those_items(seeded, tmp_path):
    removed = seeded.transcript.get(position=5)
    removed.delete()
    # two steps, as the unique (episode, position) is checked row by row
    seeded.transcript.filter(position__gte=1).update(position=F("position") + 10_000)
    seeded.transcript.filter(position__gte=10_000).update(position=F("position") - 9_999)
    TranscriptLine.objects.create(episode=seeded, position=1, kind="header", text="Welcome")
    changes = changed_lines(SEED_EPISODE.read_bytes(), exported(tmp_path))
    assert changes[0] == "+- header: Welcome"
    assert changes[1].startswith("-- line: " + removed.text[:20])
    assert all(line.startswith("-") for line in changes[1:])
    assert changes[-1] == f"-  who: {removed.speaker}"


def test_export_of_selected_slugs_only(seeded, tmp_path):
    other = Episode.objects.create(slug="other", title="Other")
    code, out, _ = run("export_episodes", "--out", tmp_path, other.slug)
    assert code == 0 and out.strip() == "written 1, unchanged 0"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.md"]
    assert (tmp_path / "other.md").read_text() == "---\ntitle: Other\n---\n"


def test_unchanged_files_are_not_rewritten(seeded, tmp_path):
    run("export_episodes", "--out", tmp_path)
    code, out, _ = run("export_episodes", "--out", tmp_path)
    assert out.strip() == "written 0, unchanged 1"


def test_guest_edit_is_local(seeded, tmp_path):
    Guest.objects.filter(short="sadatanwar").update(web="https://example.org")
    guest_file = exported(tmp_path, "export_guests")
    assert changed_lines(SEED_GUEST.read_bytes(), guest_file) == ["+web: https://example.org"]


def test_check_reports_missing_files(seeded, tmp_path):
    code, out, _ = run("export_episodes", "--check", tmp_path)
    assert code == 1
    assert f"differs: {SEED_SLUG}.md\nonly in the database" in out
