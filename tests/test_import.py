"""import_episodes / import_guests: typed models, idempotence, refusals, bad input."""

import copy
import datetime
import difflib
import hashlib
import logging
import os
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from podcasts.files import frontmatter, importing
from podcasts.files.importing import describe_changes
from podcasts.models import Episode, EpisodeGuest, Guest, Link, PlatformId, QuotableClip, TranscriptLine

from .helpers import SEED_EPISODE, SEED_GUEST, SEED_SLUG, fails_after, run

pytestmark = pytest.mark.django_db


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


def test_merge_keeps_the_cms_edits_the_file_does_not_touch_and_exports_them(write_file, tmp_path):
    run("import_guests", SEED_GUEST)
    run("import_episodes", SEED_EPISODE)
    Episode.objects.update(title="Edited in the CMS")
    changed = write_file(SEED_EPISODE.name, SEED_EPISODE.read_text().replace("season: 12", "season: 13"))
    code, out, err = run("import_episodes", "--merge", changed)
    assert (code, err, out.strip()) == (0, "", "created 0, updated 1, unchanged 0, failed 0")
    assert Episode.objects.values_list("title", "season").get() == ("Edited in the CMS", 13)
    run("export_episodes", "--out", tmp_path)
    exported = (tmp_path / SEED_EPISODE.name).read_text().splitlines()
    source = SEED_EPISODE.read_text().splitlines()
    assert [line for line in difflib.unified_diff(source, exported, n=0, lineterm="") if line[:1] in "+-"][2:] == [
        "-season: 12",
        "+season: 13",
        "-title: 'Transitioning from Software Engineer to Data Science Manager: Search, ML &",
        "-  Leadership'",
        "+title: Edited in the CMS",
    ]


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


def assert_refused(command, path, line, message):
    """``command`` on ``path`` fails alone: exit 1, one ``path:line: message`` on stderr, nothing written."""
    before = Episode.objects.count(), Guest.objects.count(), TranscriptLine.objects.count()
    code, out, err = run(command, path)
    assert (code, err) == (1, f"{path}:{line}: {message}\n")
    assert out == "created 0, updated 0, unchanged 0, failed 1\n"
    assert (Episode.objects.count(), Guest.objects.count(), TranscriptLine.objects.count()) == before


def clip(**changes) -> str:
    """One quotableClips item in block style; a key given as None is left out."""
    fields = {"name": "Welcome", "startOffset": "0", "url": "https://www.youtube.com/watch?v=abc&t=0", "endOffset": "65"}
    lines = [f"{key}: {value}" for key, value in (fields | changes).items() if value is not None]
    return "- " + "\n  ".join(lines) + "\n"


REFUSED_EPISODES = {
    "ids-not-a-mapping": (
        "---\ntitle: x\nids: xyTfqIWeKf8\n---\n",
        3,
        "ids must be a mapping of platform to text, found the text 'xyTfqIWeKf8'",
    ),
    "ids-a-list": ("---\nids:\n- xyTfqIWeKf8\n---\n", 2, "ids must be a mapping of platform to text, found a list"),
    "ids-number": (
        "---\ntitle: x\nids:\n  youtube: xyTfqIWeKf8\n  anchor: 12345\n---\n",
        5,
        "ids.anchor must be text, found the number 12345",
    ),
    "ids-null": ("---\nids:\n  youtube:\n---\n", 3, "ids.youtube must be text, found nothing (null)"),
    "links-not-a-mapping": (
        "---\nlinks: https://open.spotify.com/x\n---\n",
        2,
        "links must be a mapping of platform to text, found the text 'https://open.spotify.com/x'",
    ),
    "links-a-list": (
        "---\ntitle: x\nlinks:\n- https://open.spotify.com/x\n---\n",
        3,
        "links must be a mapping of platform to text, found a list",
    ),
    "links-boolean": (
        "---\nlinks:\n  spotify: https://open.spotify.com/x\n  apple: no\n---\n",
        4,
        "links.apple must be text, found the boolean False (quote it to keep it as text)",
    ),
    "links-nested": (
        "---\nlinks:\n  youtube:\n    url: https://youtu.be/x\n---\n",
        3,
        "links.youtube must be text, found a dict",
    ),
    "clips-not-a-list": ("---\nquotableClips: Welcome\n---\n", 2, "quotableClips must be a list, found the text 'Welcome'"),
    "clips-a-mapping": ("---\nquotableClips:\n  name: Welcome\n---\n", 2, "quotableClips must be a list, found a dict"),
    "clip-not-a-mapping": (
        "---\nquotableClips:\n" + clip() + "- Careers\n---\n",
        7,
        "quotableClips[1] must be a mapping, found the text 'Careers'",
    ),
    "clip-no-name": ("---\nquotableClips:\n" + clip(name=None) + "---\n", 3, "quotableClips[0] has no name"),
    "clip-no-startOffset": ("---\nquotableClips:\n" + clip(startOffset=None) + "---\n", 3, "quotableClips[0] has no startOffset"),
    "clip-no-endOffset": (
        "---\nquotableClips:\n" + clip() + clip(endOffset=None) + "---\n",
        7,
        "quotableClips[1] has no endOffset",
    ),
    "clip-no-url": ("---\nquotableClips:\n" + clip(url=None) + "---\n", 3, "quotableClips[0] has no url"),
    "clip-startOffset-text": (
        "---\nquotableClips:\n" + clip(startOffset="soon") + "---\n",
        4,
        "quotableClips[0].startOffset must be an integer, found the text 'soon'",
    ),
    "clip-endOffset-float": (
        "---\nquotableClips:\n" + clip(endOffset="65.5") + "---\n",
        6,
        "quotableClips[0].endOffset must be an integer, found the number 65.5",
    ),
    "clip-name-number": (
        "---\nquotableClips:\n" + clip() + clip(name="2024") + "---\n",
        7,
        "quotableClips[1].name must be text, found the number 2024",
    ),
    "clip-url-null": (
        "---\nquotableClips:\n" + clip(url="") + "---\n",
        5,
        "quotableClips[0].url must be text, found nothing (null)",
    ),
    "title-501": ("---\nseason: 1\ntitle: " + "x" * 501 + "\n---\n", 3, "title is 501 characters long; at most 500 fit"),
    "short-501": ("---\ntitle: x\nshort: " + "é" * 501 + "\n---\n", 3, "short is 501 characters long; at most 500 fit"),
    "image-501": ("---\nimage: " + "x" * 501 + "\n---\n", 2, "image is 501 characters long; at most 500 fit"),
    "duration-51": (
        "---\ntitle: x\nseason: 1\nduration: " + "P" * 51 + "\n---\n",
        4,
        "duration is 51 characters long; at most 50 fit",
    ),
    "season-over-the-column": (
        "---\nseason: 2147483648\n---\n",
        2,
        "season must be between -2,147,483,648 and 2,147,483,647, found the number 2147483648",
    ),
    "episode-far-below-the-column": (
        "---\nepisode: -" + "9" * 40 + "\n---\n",
        2,
        "episode must be between -2,147,483,648 and 2,147,483,647, found a number of 40 digits",
    ),
    "sec-negative": (
        "---\ntranscript:\n- line: x\n  sec: -1\n---\n",
        4,
        "transcript[0].sec must be between 0 and 2,147,483,647, found the number -1",
    ),
    "sec-over-the-column": (
        "---\ntranscript:\n- line: x\n  sec: 2147483648\n---\n",
        4,
        "transcript[0].sec must be between 0 and 2,147,483,647, found the number 2147483648",
    ),
    "time-21": (
        "---\ntranscript:\n- line: x\n  time: '" + "1" * 21 + "'\n---\n",
        4,
        "transcript[0].time is 21 characters long; at most 20 fit",
    ),
    "item-key-number": ("---\ntranscript:\n- line: x\n  2: two\n---\n", 4, "transcript[0]: the key 2 must be text"),
    "clip-startOffset-negative": (
        "---\nquotableClips:\n" + clip(startOffset="-5") + "---\n",
        4,
        "quotableClips[0].startOffset must be between 0 and 2,147,483,647, found the number -5",
    ),
    "clip-name-1001": (
        "---\nquotableClips:\n" + clip(name="n" * 1001) + "---\n",
        3,
        "quotableClips[0].name is 1001 characters long; at most 1000 fit",
    ),
    "clip-url-1001": (
        "---\nquotableClips:\n" + clip(url="u" * 1001) + "---\n",
        5,
        "quotableClips[0].url is 1001 characters long; at most 1000 fit",
    ),
    "ids-platform-101": (
        "---\nids:\n  " + "p" * 101 + ": x\n---\n",
        3,
        "ids: the platform name is 101 characters long; at most 100 fit",
    ),
    "ids-value-501": ("---\nids:\n  youtube: " + "v" * 501 + "\n---\n", 3, "ids.youtube is 501 characters long; at most 500 fit"),
    "links-platform-101": (
        "---\nlinks:\n  " + "p" * 101 + ": x\n---\n",
        3,
        "links: the platform name is 101 characters long; at most 100 fit",
    ),
    "links-url-1001": (
        "---\nlinks:\n  apple: " + "u" * 1001 + "\n---\n",
        3,
        "links.apple is 1001 characters long; at most 1000 fit",
    ),
    "guest-id-201": ("---\nguests:\n- ok\n- " + "g" * 201 + "\n---\n", 4, "guests[1] is 201 characters long; at most 200 fit"),
}


@pytest.mark.parametrize("name", REFUSED_EPISODES)
def test_episode_with_a_value_the_models_cannot_hold_is_refused(write_file, name):
    text, line, message = REFUSED_EPISODES[name]
    assert_refused("import_episodes", write_file(f"{name}.md", text), line, message)


# Line 2 title, 4 ids.youtube, 5 links, 8 the clip, 9 its startOffset, 11 its endOffset.
GOOD_EPISODE = (
    "---\ntitle: Talk\nids:\n  youtube: abc\nlinks:\n  spotify: https://open.spotify.com/x\n"
    + "quotableClips:\n"
    + clip()
    + "transcript:\n- header: Welcome\n- line: Hello.\n  who: Alexey\n  sec: 3\n---\n"
)


def episode_state():
    episode = Episode.objects.get()
    return (
        Episode.objects.values().get(),
        [list(getattr(episode, part).values_list()) for part in Episode.PARTS],
        episode.revisions.count(),
    )


@pytest.mark.parametrize(
    "old, new, line, message",
    [
        ("  youtube: abc\n", "  youtube: 123\n", 4, "ids.youtube must be text, found the number 123"),
        (
            "links:\n  spotify: https://open.spotify.com/x\n",
            "links: spotify\n",
            5,
            "links must be a mapping of platform to text, found the text 'spotify'",
        ),
        (
            "  startOffset: 0\n",
            "  startOffset: soon\n",
            9,
            "quotableClips[0].startOffset must be an integer, found the text 'soon'",
        ),
        ("  endOffset: 65\n", "", 8, "quotableClips[0] has no endOffset"),
        ("title: Talk\n", "title: " + "x" * 501 + "\n", 2, "title is 501 characters long; at most 500 fit"),
        ("  sec: 3\n", "  sec: -3\n", 16, "transcript[1].sec must be between 0 and 2,147,483,647, found the number -3"),
        ("- header: Welcome\n", '- header: "Wel\\0come"\n', 13, r"the text 'Wel\x00come' contains the control character U+0000"),
    ],
)
def test_a_refused_update_leaves_the_existing_episode_untouched(write_file, old, new, line, message):
    path = write_file("talk.md", GOOD_EPISODE)
    assert run("import_episodes", path)[:2] == (0, "created 1, updated 0, unchanged 0, failed 0\n")
    before = episode_state()
    assert GOOD_EPISODE.count(old) == 1
    assert_refused("import_episodes", write_file("talk.md", GOOD_EPISODE.replace(old, new)), line, message)
    assert episode_state() == before


def test_text_at_the_length_limits_is_accepted(write_file):
    path = write_file("long.md", "---\ntitle: " + "é" * 500 + "\nduration: " + "P" * 50 + "\n---\n")
    assert run("import_episodes", path)[:2] == (0, "created 1, updated 0, unchanged 0, failed 0\n")
    assert Episode.objects.values_list("title", "duration").get() == ("é" * 500, "P" * 50)


REFUSED_NAMES = {
    ".hidden.md": "must not be empty or start with a dot",
    ".md": "must not be empty or start with a dot",
    "two words.md": "must not contain slashes, spaces, '?', '#', '%' or control characters",
    "100%.md": "must not contain slashes, spaces, '?', '#', '%' or control characters",
    "episode#2.md": "must not contain slashes, spaces, '?', '#', '%' or control characters",
    "why?.md": "must not contain slashes, spaces, '?', '#', '%' or control characters",
    "x" * 201 + ".md": "must be at most 200 characters",
}


@pytest.mark.parametrize("command", ["import_episodes", "import_guests"])
@pytest.mark.parametrize("name", REFUSED_NAMES)
def test_file_name_that_cannot_be_an_id_is_refused(write_file, command, name):
    """The name is the identity (``<slug>.md``, ``<short>.md``) and ends up in URLs: refused before the file is parsed."""
    path = write_file(name, "---\ntitle: Fine\n---\n")
    key = name.removesuffix(".md")
    assert_refused(command, path, 1, f"file name {key!r} cannot be used as an id: it {REFUSED_NAMES[name]}")


@pytest.mark.parametrize("key", ["title", "picture", "github", "twitter", "linkedin", "web"])
def test_guest_text_over_500_characters_is_refused(write_file, key):
    fields = {"short": "ada", "title": "Ada Lovelace", key: "x" * 501}
    text = "---\n" + "".join(f"{name}: {value}\n" for name, value in fields.items()) + "---\n"
    line = 2 + list(fields).index(key)  # after the opening '---'
    assert_refused("import_guests", write_file("ada.md", text), line, f"{key} is 501 characters long; at most 500 fit")


def test_values_at_their_columns_limits_are_accepted(write_file):
    """The largest of each, on PostgreSQL through the COPY of the episode's rows."""
    text = (
        "---\nseason: -2147483648\nepisode: 2147483647\nguests:\n- " + "g" * 200
        + "\nids:\n  " + "p" * 100 + ": " + "v" * 500
        + "\nlinks:\n  spotify: " + "u" * 1000
        + "\nquotableClips:\n" + clip(name="n" * 1000, startOffset="0", url="w" * 1000, endOffset="2147483647")
        + "transcript:\n- line: Hi.\n  sec: 2147483647\n  time: '" + "9" * 20 + "'\n---\n"
    )  # fmt: skip
    assert run("import_episodes", write_file("limits.md", text))[:2] == (0, "created 1, updated 0, unchanged 0, failed 0\n")
    assert Episode.objects.values_list("season", "number").get() == (-(2**31), 2**31 - 1)
    assert len(EpisodeGuest.objects.get().guest_short) == 200
    assert [len(text) for text in PlatformId.objects.values_list("platform", "value").get()] == [100, 500]
    assert len(Link.objects.get().url) == 1000
    assert QuotableClip.objects.values_list("start_offset", "end_offset").get() == (0, 2**31 - 1)
    assert TranscriptLine.objects.values_list("sec", "time").get() == (2**31 - 1, "9" * 20)


def test_an_unexpected_error_is_the_files_message_and_the_run_goes_on(write_file, monkeypatch, caplog):
    """The safety net under every check: a bug while importing one file is that file's failure, logged whole."""
    broken = write_file("in/broken.md", "---\ntitle: Broken\n---\n")
    write_file("in/good.md", "---\ntitle: Good\n---\n")
    original = importing.record_revision

    def record_revision(obj, reason, **options):
        if obj.slug == "broken":
            raise RuntimeError("a bug")
        return original(obj, reason, **options)

    monkeypatch.setattr(importing, "record_revision", record_revision)
    with caplog.at_level(logging.ERROR, logger="podcasts.files.importing"):
        code, out, err = run("import_episodes", broken.parent)
    assert (code, out) == (1, "created 1, updated 0, unchanged 0, failed 1\n")
    assert err == f"{broken}:1: could not be imported: unexpected RuntimeError, logged with its traceback\n"
    assert list(Episode.objects.values_list("slug", flat=True)) == ["good"]
    [record] = caplog.records
    assert record.getMessage() == f"importing {broken} failed" and "RuntimeError: a bug" in caplog.text


# ------------------------------------------------------- paths on the command line

GOOD = "---\ntitle: Good\n---\n"


def test_one_name_twice_in_a_run_imports_neither(write_file):
    first, second = write_file("a/x.md", "---\ntitle: First\n---\n"), write_file("b/x.md", "---\ntitle: Second\n---\n")
    write_file("b/y.md", GOOD)
    code, out, err = run("import_episodes", first.parent, second.parent)
    assert (code, out) == (1, "created 1, updated 0, unchanged 0, failed 2\n")
    rule = "a name may come once in a run, so no file of that name is imported"
    assert err.splitlines() == [
        f"{first}:1: the name 'x' is also at {second}; {rule}",
        f"{second}:1: the name 'x' is also at {first}; {rule}",
    ]
    assert list(Episode.objects.values_list("slug", flat=True)) == ["y"]


def test_one_file_named_by_several_paths_is_imported_once(write_file, monkeypatch):
    path = write_file("in/x.md", GOOD)
    monkeypatch.chdir(path.parent.parent)
    assert run("import_episodes", "in", "./in/", path, "in/x.md")[:3] == (0, "created 1, updated 0, unchanged 0, failed 0\n", "")


def test_symbolic_links_may_lead_only_among_the_paths_given(tmp_path, write_file):
    secret = write_file("private/id_rsa.md", "-----BEGIN OPENSSH PRIVATE KEY-----\n")
    other = write_file("other/talk.md", GOOD)
    folder = write_file("in/x.md", GOOD).parent
    links = {"alias.md": folder / "x.md", "leak.md": secret, "talk.md": other, "gone.md": folder / "gone", "loop.md": None}
    for name, target in links.items():
        (folder / name).symlink_to(target or folder / name)
    direct = tmp_path / "direct.md"
    direct.symlink_to(secret)
    code, out, err = run("import_episodes", folder, direct, other.parent)
    outside = "is a symbolic link to a file outside the folders and files given; it is not read"
    assert err.splitlines() == [
        f"{folder / 'gone.md'}:1: cannot be read: No such file or directory",
        f"{folder / 'leak.md'}:1: {outside}",
        f"{folder / 'loop.md'}:1: cannot be read: Too many levels of symbolic links",
        f"{direct}:1: {outside}",
    ]
    assert "BEGIN" not in err
    assert (code, out) == (1, "created 3, updated 0, unchanged 0, failed 4\n")  # talk.md twice is one file, once
    assert sorted(Episode.objects.values_list("slug", flat=True)) == ["alias", "talk", "x"]


def test_a_named_pipe_or_a_device_given_directly_is_not_opened(tmp_path):
    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)
    with fails_after(30):
        code, out, err = run("import_episodes", pipe, "/dev/zero")
    assert err.splitlines() == [
        f"{pipe}:1: is a named pipe, not a regular file; it is not read",
        "/dev/zero:1: is a character device, not a regular file; it is not read",
    ]
    assert (code, out) == (1, "created 0, updated 0, unchanged 0, failed 2\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions")
def test_an_unreadable_file_is_its_message(write_file):
    path = write_file("secret.md", GOOD)
    path.chmod(0)
    code, out, err = run("import_episodes", path)
    assert (code, out) == (1, "created 0, updated 0, unchanged 0, failed 1\n")
    assert err == f"{path}:1: cannot be read: Permission denied\n"


# ------------------------------------------------------------- change summary


def lines(*texts) -> list[dict]:
    return [{"line": text, "who": "Alexey"} for text in texts]


def transcript_changes(old: list, new: list) -> list[str]:
    return describe_changes({"transcript": old}, {"transcript": new})


@pytest.mark.parametrize(
    "old, new, changes",
    [
        (lines("a", "b", "c"), lines("a", "b", "c"), []),
        (lines("a", "b", "c"), lines("a", "B", "c"), ["transcript: 1 items changed"]),
        (lines("a", "b", "c"), lines("a", "b", "x", "c"), ["transcript: 1 items added"]),
        (lines("a", "b", "c"), lines("a", "c"), ["transcript: 1 items removed"]),
        (lines("a", "b", "c", "d"), lines("a", "c", "d", "b"), ["transcript: 1 items added, 1 items removed"]),
        (lines("a", "b", "b", "c"), lines("a", "b", "c"), ["transcript: 1 items removed"]),
        ([], lines("a", "a"), ["transcript: 2 items added"]),
        (lines("a", "b"), [], ["transcript: 2 items removed"]),
    ],
)
def test_change_summary(old, new, changes):
    assert transcript_changes(old, new) == changes


def test_change_summary_of_20000_identical_lines():
    """Identical items made the diff quadratic (77 s); ``bench/change_summary.py`` times it."""
    same = lines(*["Yeah."] * 20_000)
    assert transcript_changes(same, same) == []
    one_changed = [*same[:10_000], *lines("No."), *same[10_001:]]
    assert transcript_changes(same, one_changed) == ["transcript: 1 items changed"]
    both_ends = [{"header": "Start"}, *same[1:-1], *lines("End.")]
    assert transcript_changes(same, both_ends) == ["transcript: 2 items changed"]
    assert transcript_changes(same, [{"header": "Start"}, *same]) == ["transcript: 1 items added"]


def reference_summary(old: list, new: list) -> list[str]:
    """The summary as ``difflib.SequenceMatcher`` made it, for transcripts of distinct lines."""
    matcher = difflib.SequenceMatcher(None, list(map(frontmatter.fingerprint, old)), list(map(frontmatter.fingerprint, new)))
    counts = Counter()
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed, added = old_end - old_start, new_end - new_start
        if tag == "replace":
            counts["changed"] += min(removed, added)
            removed, added = removed - min(removed, added), added - min(removed, added)
        if tag != "equal":
            counts["removed"] += removed
            counts["added"] += added
    summary = ", ".join(f"{counts[word]} items {word}" for word in ("added", "removed", "changed") if counts[word])
    return [f"transcript: {summary}"] if summary else []


EDITS = {
    "one changed": lambda items: items[5].update(line="Changed."),
    "two changed apart": lambda items: (items[3].update(who="Sadat Anwar"), items[200].update(sec=1)),
    "one removed": lambda items: items.pop(40),
    "one inserted": lambda items: items.insert(7, {"header": "A new section"}),
    "one moved": lambda items: items.append(items.pop(10)),
    "first and last changed": lambda items: (items[0].update(header="New"), items[-1].update(line="Bye.")),
    "a run replaced": lambda items: items.__setitem__(slice(50, 60), lines("x", "y", "z")),
}


@pytest.mark.parametrize("edit", EDITS)
def test_change_summary_of_real_edits_is_what_sequence_matcher_said(edit):
    old = frontmatter.parse(SEED_EPISODE.read_bytes()).data["transcript"]
    new = copy.deepcopy(old)
    EDITS[edit](new)
    assert transcript_changes(old, new) == reference_summary(old, new) != []
