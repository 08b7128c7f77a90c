"""Every refusal at once: the crafted files of tests/bad_input/ imported in one run.

Each bad file is refused alone with the line of what is wrong, before anything is
written, and the run goes on: the good file imports and nothing else does. On
PostgreSQL this is also what keeps the COPY of an episode's rows from meeting a value
its column refuses (over-long text, NUL, an integer out of range), which would escape
as a raw driver error.
"""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.urls import reverse

from podcasts.files import importing, schema
from podcasts.models import Episode, EpisodeGuest, Guest, Link, PlatformId, QuotableClip, Revision, TranscriptLine

from .helpers import ROOT, fails_after, run

BAD_INPUT = ROOT / "tests" / "bad_input"
INT_RANGE = "between 0 and 2,147,483,647"
TWICE = "; a name may come once in a run, so no file of that name is imported"

# file under tests/bad_input/ -> (line, message)
EXPECTED = {
    # A value that aborted the whole run with a traceback.
    "dateadded-not-a-real-date.md": (3, "cannot read '2022-02-30' as a date: day is out of range for month"),
    "timestamp-tag-abc.md": (3, "cannot read 'abc' as a date"),
    "float-tag-abc.md": (3, "cannot read 'abc' as a number: could not convert string to float"),
    "season-4301-digits.md": (
        3,
        f"cannot read {'1' * 40!r} (4,301 characters) as an integer: "
        "Exceeds the limit (4300 digits) for integer string conversion",
    ),
    "sec-20-digits.md": (5, f"transcript[1].sec must be {INT_RANGE}, found the number 99999999999999999999"),
    # A value the COPY of PostgreSQL refused with a raw driver error (SQLite took some of them).
    "season-over-int-range.md": (3, "season must be between -2,147,483,648 and 2,147,483,647, found the number 2147483648"),
    "sec-over-int-range.md": (4, f"transcript[0].sec must be {INT_RANGE}, found the number 2147483648"),
    "clip-end-over-int-range.md": (6, f"quotableClips[0].endOffset must be {INT_RANGE}, found the number 2147483648"),
    "time-21-characters.md": (5, "transcript[0].time is 21 characters long; at most 20 fit"),
    "ids-platform-101-characters.md": (4, "ids: the platform name is 101 characters long; at most 100 fit"),
    "guest-id-201-characters.md": (4, "guests[1] is 201 characters long; at most 200 fit"),
    "link-url-1001-characters.md": (3, "links.spotify is 1001 characters long; at most 1000 fit"),
    "line-with-nul.md": (4, r"the text 'a\x00b' contains the control character U+0000"),
    # Merge keys, which silently lost keys in the export.
    "merge-key-inline.md": (3, "YAML merge keys (<<) are not allowed in front matter"),
    "merge-key-in-item.md": (4, "YAML merge keys (<<) are not allowed in front matter"),
    "merge-key-alias.md": (4, "YAML aliases (*name) are not allowed in front matter"),
    # Control characters, escaped or raw, in a value, a key or the body.
    "control-escape-in-title.md": (2, r"the text 'Ring \x07 the bell' contains the control character U+0007"),
    "control-escape-in-key.md": (3, r"the text 'con\x1btext' contains the control character U+001B"),
    "control-escape-in-who.md": (4, r"the text 'Alex\x0bey' contains the control character U+000B"),
    "control-raw-in-front-matter.md": (3, "unacceptable character U+0007: control characters are not allowed"),
    "control-in-body.md": (6, "the body contains the control character U+001B"),
    "control-lone-cr-in-body.md": (4, "the body contains the control character U+000D"),
    # Negative moments.
    "sec-negative.md": (6, f"transcript[1].sec must be {INT_RANGE}, found the number -5"),
    "clip-start-negative.md": (4, f"quotableClips[0].startOffset must be {INT_RANGE}, found the number -1"),
    # One name twice in a run: neither wins.
    "twice/a/same-name.md": (1, f"the name 'same-name' is also at {BAD_INPUT / 'twice/b/same-name.md'}{TWICE}"),
    "twice/b/same-name.md": (1, f"the name 'same-name' is also at {BAD_INPUT / 'twice/a/same-name.md'}{TWICE}"),
    # A symbolic link out of the folder: not read, so nothing of it is shown.
    "link-outside.md": (1, "is a symbolic link to a file outside the folders and files given; it is not read"),
    # Refusals that existed before.
    "text-before-front-matter.md": (1, "expected '---' on the first line to open the front matter, found 'intro'"),
    "unclosed.md": (1, "the front matter opened on line 1 has no closing '---' line"),
    "empty.md": (1, "file is empty; expected '---' and a YAML front matter"),
    "yaml-syntax.md": (4, "YAML syntax error: did not find expected ',' or ']'"),
    "not-a-mapping.md": (2, "front matter is a list; expected a mapping of keys to values"),
    "duplicate-key.md": (4, "duplicate key 'title'"),
    "season-text.md": (3, "season must be an integer, found the text 'twelve'"),
    "transcript-text.md": (2, "transcript must be a list, found the text 'hello'"),
    "item-neither.md": (4, "transcript[1] must have either 'header' or 'line', found neither"),
    "item-key-not-text.md": (4, "transcript[0]: the key 1 must be text"),
    "sec-quoted.md": (4, "transcript[0].sec must be an integer, found the text '65'"),
    "guests-not-a-list.md": (2, "guests must be a list of guest ids, found the text 'sadat'"),
    "alias-bomb.md": (3, "YAML aliases (*name) are not allowed in front matter"),
    "unsafe-tag.md": (
        2,
        "YAML value error: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object:os.system'",
    ),
    "two words.md": (
        1,
        "file name 'two words' cannot be used as an id: it must not contain slashes, spaces, '?', '#', '%' or control characters",
    ),
}
# Made by the test: git keeps no named pipe, and ruff reads every *.md it is given as UTF-8.
MADE_HERE = {
    "pipe.md": (1, "is a named pipe, not a regular file; it is not read"),
    "not-utf-8.md": (3, "file is not UTF-8 (byte 0xe9 at offset 24)"),
}
DEVICE = ("/dev/zero", "is a character device, not a regular file; it is not read")
GOOD = "---\ntitle: Good\nguests: [nobody]\ntranscript:\n- line: Hello.\n  sec: 0\n---\n"


def test_every_crafted_file_has_its_expected_message():
    found = {str(path.relative_to(BAD_INPUT)) for path in BAD_INPUT.rglob("*.md")}
    assert found == EXPECTED.keys()


@pytest.mark.django_db
def test_one_run_refuses_each_bad_file_with_its_line_and_imports_the_good_one(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "good.md").write_text(GOOD)
    os.mkfifo(extra / "pipe.md")
    (extra / "not-utf-8.md").write_bytes(b"---\ntitle: ok\nintro: caf\xe9\n---\n")
    with fails_after(60):
        code, out, err = run("import_episodes", BAD_INPUT, extra, DEVICE[0])
    expected = [f"{BAD_INPUT / name}:{line}: {message}" for name, (line, message) in EXPECTED.items()]
    expected += [f"{extra / name}:{line}: {message}" for name, (line, message) in MADE_HERE.items()]
    expected.append(f"{DEVICE[0]}:1: {DEVICE[1]}")
    errors = [line for line in err.splitlines() if not line.endswith("(warning)")]
    assert sorted(errors) == sorted(expected)
    assert code == 1
    assert out == f"created 1, updated 0, unchanged 0, failed {len(expected)}\n"
    assert list(Episode.objects.values_list("slug", flat=True)) == ["good"]
    assert [model.objects.count() for model in (EpisodeGuest, TranscriptLine, Revision)] == [1, 1, 1]
    assert [model.objects.count() for model in (PlatformId, Link, QuotableClip, Guest)] == [0, 0, 0, 0]


FILES_ONLY = {name: expected for name, expected in EXPECTED.items() if "/" not in name and name != "link-outside.md"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", FILES_ONLY)
def test_import_file_refuses_each_bad_file_without_raising(name):
    """The admin preview calls ``import_file`` with the uploaded bytes: a bad file is its message, never a 500."""
    line, message = FILES_ONLY[name]
    result = importing.import_file(importing.EPISODES, name, (BAD_INPUT / name).read_bytes(), dry_run=True)
    assert (result.status, result.message) == (importing.FAILED, f"{name}:{line}: {message}")
    assert not Episode.objects.exists()


def test_admin_preview_of_an_unreadable_date_is_a_message(editor_client):
    name = "dateadded-not-a-real-date.md"
    upload = SimpleUploadedFile(name, (BAD_INPUT / name).read_bytes(), content_type="text/markdown")
    response = editor_client.post(reverse("admin:podcasts_episode_import"), {"files": [upload]})
    assert response.status_code == 200
    assert f"{name}:3: cannot read &#x27;2022-02-30&#x27; as a date" in response.content.decode()


def column_limits():
    """(the schema's Value, the column it fills) for every value a file gives a column."""
    for scalars, model in ((schema.EPISODE_SCALARS, Episode), (schema.GUEST_SCALARS, Guest)):
        for spec in scalars.values():
            yield spec.value, model._meta.get_field(spec.attribute)
    yield schema.GUEST_ID, EpisodeGuest._meta.get_field("guest_short")
    yield schema.PLATFORM, PlatformId._meta.get_field("platform")
    yield schema.PLATFORM, Link._meta.get_field("platform")
    yield schema.PLATFORM_VALUES["ids"], PlatformId._meta.get_field("value")
    yield schema.PLATFORM_VALUES["links"], Link._meta.get_field("url")
    for key, column in {"header": "text", "line": "text", "who": "speaker", "sec": "sec", "time": "time"}.items():
        yield schema.TRANSCRIPT_KEYS[key], TranscriptLine._meta.get_field(column)
    for key, column in {"name": "name", "startOffset": "start_offset", "url": "url", "endOffset": "end_offset"}.items():
        yield schema.CLIP_KEYS[key], QuotableClip._meta.get_field(column)


@pytest.mark.parametrize("value, field", [pytest.param(*pair, id=str(pair[1])) for pair in column_limits()])
def test_the_schema_limits_are_the_columns(value, field):
    assert value.max_length == field.max_length
    if isinstance(field, models.IntegerField):  # PostgreSQL's range, the narrowest (SQLite's is 64 bits)
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        assert value.minimum in (low, 0) and schema.INT_MAX == high
