"""import_episodes / import_guests: typed models, idempotence, refusals, bad input."""

import datetime
import hashlib

import pytest
from django.core.management import call_command
from django.utils import timezone

from podcasts.models import Episode, EpisodeGuest, Guest, TranscriptLine

from .conftest import SEED_EPISODE, SEED_GUEST

pytestmark = pytest.mark.django_db

SEED_SLUG = SEED_EPISODE.name.removesuffix(".md")


def run(command, *args):
    """(exit code, stdout, stderr) of a management command."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command(command, *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_seed_episode_imports_into_typed_fields():
    run("import_guests", SEED_GUEST)
    code, out, err = run("import_episodes", SEED_EPISODE)
    assert (code, err) == (0, "")
    assert out.strip() == "created 1, updated 0, unchanged 0, failed 0"
    episode = Episode.objects.get(slug=SEED_SLUG)
    assert (episode.season, episode.number, episode.short_title) == (12, 1, "From Software Engineer to Data Science Manager")
    assert episode.status == Episode.Status.DRAFT
    assert [g.guest.name for g in episode.episode_guests.all()] == ["Sadat Anwar"]
    assert [(link.platform, link.url[:24]) for link in episode.links.all()] == [
        ("anchor", "https://anchor.fm/datata"),
        ("apple", "https://podcasts.apple.c"),
        ("spotify", "https://open.spotify.com"),
        ("youtube", "https://www.youtube.com/"),
    ]
    assert episode.platform_ids.get(platform="youtube").value == "xyTfqIWeKf8"
    lines = list(episode.transcript.all())
    assert [line.kind for line in lines[:3]] == ["header", "header", "line"]
    assert (lines[2].speaker, lines[2].sec, lines[2].time) == ("Alexey", 65, "1:05")
    assert episode.body.startswith("\nLinks:")
    assert episode.front_matter_keys[:3] == ["episode", "guests", "ids"]


def test_unknown_keys_and_lenient_values_are_kept(write_file):
    path = write_file(
        "odd.md",
        "---\ntitle: Odd\nseason: 1\ndateadded: not a date\ncontext: 'Extra key'\ntranscript:\n- line: hi\n  mood: happy\n---\n",
    )
    assert run("import_episodes", path)[0] == 0
    episode = Episode.objects.get(slug="odd")
    assert episode.date_added is None
    assert episode.extra == [["dateadded", "not a date"], ["context", "Extra key"]]
    assert episode.transcript.get().extra == [["mood", "happy"]]


def test_reimport_of_unchanged_file_writes_nothing(django_assert_max_num_queries):
    run("import_episodes", SEED_EPISODE)
    before = Episode.objects.values_list("updated_at", "version").get()
    with django_assert_max_num_queries(2):
        code, out, _ = run("import_episodes", SEED_EPISODE)
    assert out.strip() == "created 0, updated 0, unchanged 1, failed 0"
    assert Episode.objects.values_list("updated_at", "version").get() == before


def test_changed_file_updates_in_place(write_file):
    run("import_guests", SEED_GUEST)
    run("import_episodes", SEED_EPISODE)
    episode = Episode.objects.get()
    published_at = timezone.now() - datetime.timedelta(days=3)
    Episode.objects.filter(pk=episode.pk).update(status="published", published_at=published_at)
    changed = SEED_EPISODE.read_text().replace("who: Sadat\n", "who: Sadat Anwar\n", 1)
    code, out, err = run("import_episodes", write_file(SEED_EPISODE.name, changed))
    assert (code, err) == (0, "")
    assert out.strip() == "created 0, updated 1, unchanged 0, failed 0"
    updated = Episode.objects.get()
    assert (updated.pk, updated.status, updated.published_at) == (episode.pk, "published", published_at)
    assert TranscriptLine.objects.filter(speaker="Sadat Anwar").count() == 1


def test_import_refuses_to_overwrite_cms_edits_unless_forced(write_file):
    run("import_episodes", SEED_EPISODE)
    Episode.objects.update(title="Edited in the CMS")
    changed = write_file(SEED_EPISODE.name, SEED_EPISODE.read_text().replace("season: 12", "season: 13"))
    code, out, err = run("import_episodes", changed)
    assert code == 1
    assert f"{changed}:1: refused: {SEED_SLUG} was edited in the CMS after its last import" in err
    assert out.strip() == "created 0, updated 0, unchanged 0, failed 1"
    assert Episode.objects.get().title == "Edited in the CMS"
    code, out, err = run("import_episodes", "--force", changed)
    assert code == 0
    assert Episode.objects.values_list("title", "season").get()[1] == 13


def test_reimporting_the_source_after_a_cms_edit_keeps_the_edit():
    run("import_episodes", SEED_EPISODE)
    Episode.objects.update(title="Edited in the CMS")
    code, out, _ = run("import_episodes", SEED_EPISODE)
    assert (code, out.strip()) == (0, "created 0, updated 0, unchanged 1, failed 0")
    assert Episode.objects.get().title == "Edited in the CMS"


def test_dry_run_writes_nothing():
    code, out, _ = run("import_episodes", "--dry-run", SEED_EPISODE)
    assert (code, out.strip()) == (0, "dry run, nothing written: created 1, updated 0, unchanged 0, failed 0")
    assert not Episode.objects.exists() and not TranscriptLine.objects.exists()


def test_missing_guest_is_kept_and_warned_then_linked_later():
    code, _, err = run("import_episodes", SEED_EPISODE)
    assert code == 0
    assert f"{SEED_EPISODE}:4: guest 'sadatanwar' has no profile" in err
    assert EpisodeGuest.objects.get().guest is None
    run("import_guests", SEED_GUEST)
    assert EpisodeGuest.objects.get().guest == Guest.objects.get(short="sadatanwar")


def test_publish_flag_publishes_new_episodes():
    run("import_episodes", "--publish", SEED_EPISODE)
    assert Episode.objects.published().count() == 1


def test_guest_file_short_must_match_its_name(write_file):
    path = write_file("someone.md", "---\nshort: someone-else\ntitle: X\n---\n")
    code, _, err = run("import_guests", path)
    assert code == 1
    assert f"{path}:2: short 'someone-else' does not match the file name someone.md" in err


BAD_FILES = {
    "text-before.md": ("intro\n---\ntitle: x\n---\n", 1, "expected '---' on the first line"),
    "unclosed.md": ("---\ntitle: x\nseason: 1\n", 1, "no closing '---'"),
    "empty.md": ("", 1, "file is empty"),
    "syntax.md": ("---\ntitle: x\nguests: [a\nseason: 1\n---\n", 4, "YAML syntax error"),
    "list.md": ("---\n- a\n---\n", 2, "expected a mapping"),
    "season.md": ("---\ntitle: x\nseason: twelve\n---\n", 3, "season must be an integer, found the text 'twelve'"),
    "transcript.md": ("---\ntranscript: hello\n---\n", 2, "transcript must be a list"),
    "item.md": ("---\ntranscript:\n- line: ok\n- who: Alexey\n---\n", 4, "transcript[1] must have either 'header' or 'line'"),
    "sec.md": ("---\ntranscript:\n- line: ok\n  sec: '65'\n---\n", 4, "transcript[0].sec must be an integer"),
    "guests.md": ("---\nguests: sadat\n---\n", 2, "guests must be a list of guest ids"),
    "latin1.md": (b"---\ntitle: caf\xe9\n---\n", 2, "not UTF-8"),
    "bomb.md": ("---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n", 3, "aliases (*name) are not allowed"),
}


def test_each_bad_file_fails_alone_with_path_and_line(write_file, settings):
    settings.PODCASTS_MAX_FILE_BYTES = 1000
    paths = {name: write_file(f"in/{name}", text) for name, (text, _, _) in BAD_FILES.items()}
    write_file("in/big.md", "---\ntitle: " + "x" * 2000 + "\n---\n")
    write_file("in/zz-good.md", "---\ntitle: Good\n---\n")
    code, out, err = run("import_episodes", paths["empty.md"].parent)
    assert code == 1
    assert out.strip() == f"created 1, updated 0, unchanged 0, failed {len(BAD_FILES) + 1}"
    errors = err.strip().splitlines()
    assert len(errors) == len(BAD_FILES) + 1
    for name, (_, line, message) in BAD_FILES.items():
        matching = [e for e in errors if e.startswith(f"{paths[name]}:{line}: ")]
        assert matching and message in matching[0], (name, errors)
    assert any("big.md:1: file is 2,016 bytes, over the limit of 1,000 bytes" in e for e in errors)
    assert list(Episode.objects.values_list("slug", flat=True)) == ["zz-good"]


def test_a_bad_update_leaves_the_episode_exactly_as_it_was(write_file):
    run("import_episodes", SEED_EPISODE)
    before = hashlib.sha256(repr(list(TranscriptLine.objects.values_list())).encode()).hexdigest()
    broken = SEED_EPISODE.read_text().replace("  sec: 65\n", "  sec: sixty-five\n")
    code, _, err = run("import_episodes", write_file(SEED_EPISODE.name, broken))
    assert code == 1 and ":27: transcript[2].sec must be an integer" in err
    assert hashlib.sha256(repr(list(TranscriptLine.objects.values_list())).encode()).hexdigest() == before


def test_database_failure_midway_rolls_back_the_file(write_file, monkeypatch):
    from podcasts.files import importing

    def failing_insert(model, fields, rows):
        if model is TranscriptLine:
            from django.db import DatabaseError

            raise DatabaseError("disk full")
        return original(model, fields, rows)

    original = importing.insert_rows
    monkeypatch.setattr(importing, "insert_rows", failing_insert)
    code, _, err = run("import_episodes", SEED_EPISODE)
    assert code == 1 and "the database refused the file: disk full" in err
    assert not Episode.objects.exists()


def test_missing_path_is_a_command_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("import_episodes", "/nonexistent/episodes")
