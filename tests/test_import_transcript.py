"""import_transcript: a raw transcript replaces an episode's, keeping its headers by time."""

import pytest

from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision, SpeakerAlias

from .helpers import SEED_SLUG, run

pytestmark = pytest.mark.django_db

VTT = """WEBVTT

00:00:00.000 --> 00:00:40.000
<v Speaker 1>Welcome to our event.

00:01:05.000 --> 00:01:30.000
<v Speaker 2>Thanks for having me.

00:01:30.000 --> 00:01:40.000
<v Speaker 2>It is a pleasure.
"""


def transcript(episode) -> list[tuple]:
    return [(line.kind, line.text, line.speaker, line.sec) for line in episode.transcript.all()]


def test_a_vtt_replaces_the_lines_keeps_the_headers_by_time_and_maps_speakers(seeded_episode, write_file):
    headers = list(seeded_episode.transcript.filter(kind="header").values_list("text", flat=True)[:2])
    path = write_file("raw.vtt", VTT)
    code, out, err = run("import_transcript", SEED_SLUG, path, "--speaker", "Speaker 1=Alexey", "--speaker", "Speaker 2=Sadat")
    assert (code, err) == (0, "")
    header_count = seeded_episode.transcript.filter(kind="header").count()
    assert out.strip() == (
        f"{SEED_SLUG}: 2 lines read as WebVTT, {header_count} headers; speakers: Speaker 1 (1) -> Alexey, Speaker 2 (1) -> Sadat"
    )
    episode = Episode.objects.get()
    items = transcript(episode)
    # The seed opens with two headers (at 0 and at 65 s): each goes before the first line at or after its second.
    assert items[:4] == [
        ("header", headers[0], None, None),
        ("line", "Welcome to our event.", "Alexey", 0),
        ("header", headers[1], None, None),
        ("line", "Thanks for having me. It is a pleasure.", "Sadat", 65),
    ]
    assert all(kind == "header" for kind, *_ in items[4:])  # sections after the last new line come last
    revision = episode.revisions.filter(reason=Revision.Reason.EDIT).get()
    assert revision.note == "transcript replaced from raw.vtt (WebVTT)"
    assert episode.version == seeded_episode.version + 1


def test_dry_run_writes_nothing(seeded_episode, write_file):
    before = transcript(seeded_episode)
    code, out, _ = run("import_transcript", SEED_SLUG, write_file("raw.vtt", VTT), "--dry-run")
    assert code == 0 and out.startswith("dry run, nothing written: ")
    assert transcript(Episode.objects.get()) == before and not Revision.objects.filter(reason=Revision.Reason.EDIT).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", "", "empty.txt:1: "),
        (
            "backwards.srt",
            "1\n00:00:20,000 --> 00:00:25,000\nA: one\n\n2\n00:00:10,000 --> 00:00:12,000\nA: two\n",
            "backwards.srt:6: ",
        ),
        ("binary.txt", b"\x00\xff\xfe garbage", "binary.txt:1: "),
        ("broken.docx", b"not a zip", "broken.docx:1: "),
    ],
)
def test_a_file_that_cannot_be_read_is_path_line_and_exit_1_with_nothing_written(
    seeded_episode, write_file, name, content, message
):
    before = transcript(seeded_episode)
    code, _, err = run("import_transcript", SEED_SLUG, write_file(name, content))
    assert code == 1 and err.startswith(str(write_file(name, content).parent / message))
    assert transcript(Episode.objects.get()) == before


def test_unknown_episode_and_malformed_speaker_are_command_errors(seeded_episode, write_file):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no episode 'nope'"):
        run("import_transcript", "nope", write_file("raw.vtt", VTT))
    with pytest.raises(CommandError, match="write it as 'Speaker 1=Alexey'"):
        run("import_transcript", SEED_SLUG, write_file("raw.vtt", VTT), "--speaker", "Speaker 1")


TEXT = """Podcast Introduction

[0:15]
Speaker 1
Welcome to our event.

[1:30]
SADAT ANWAR
Thanks for having me.
"""


def test_new_creates_the_episode_as_the_source_sites_tool_writes_it(seeded_episode, write_file):
    path = write_file("raw.txt", TEXT)
    args = ["--new", "--title", "A New Episode", "--season", "30", "--episode", "1", "--guest", "sadatanwar"]
    code, out, err = run("import_transcript", "s30e01-new", path, *args, "--youtube", "abc_-1", "--speaker", "Speaker 1=Alexey")
    assert (code, err) == (0, "")
    assert out.strip() == (
        "s30e01-new: new episode, 2 lines read as text, 1 headers; speakers: Speaker 1 (1) -> Alexey, SADAT ANWAR (1) -> Sadat"
    )
    episode = Episode.objects.get(slug="s30e01-new")
    assert export_bytes(Episode.objects.for_export().get(pk=episode.pk)).decode() == (
        "---\nepisode: 1\nguests:\n- sadatanwar\nids:\n  youtube: abc_-1\nimage: images/podcast/s30e01-new.jpg\n"
        "links:\n  youtube: https://www.youtube.com/watch?v=abc_-1\nseason: 30\nshort: A New Episode\n"
        "title: A New Episode\ntranscript:\n- header: Podcast Introduction\n"
        "- line: Welcome to our event.\n  sec: 15\n  time: 0:15\n  who: Alexey\n"
        "- line: Thanks for having me.\n  sec: 90\n  time: '1:30'\n  who: Sadat\n---\n"
    )
    assert episode.revisions.get().note == "new episode from transcript raw.txt (text)"


def test_new_needs_a_title_and_a_free_slug_and_a_dry_run_writes_nothing(seeded_episode, write_file):
    from django.core.management.base import CommandError

    path = write_file("raw.txt", TEXT)
    with pytest.raises(CommandError, match="--new needs a --title"):
        run("import_transcript", "s30e01-new", path, "--new")
    code, _, err = run("import_transcript", SEED_SLUG, path, "--new", "--title", "T")
    assert code == 1 and err.strip() == f"raw.txt:1: there is an episode {SEED_SLUG!r} already: replace its transcript instead"
    code, out, _ = run("import_transcript", "s30e01-new", path, "--new", "--title", "T", "--dry-run")
    assert code == 0 and out.startswith("dry run, nothing written: s30e01-new: new episode, 2 lines read as text")
    assert list(Episode.objects.values_list("slug", flat=True)) == [SEED_SLUG]


def test_remembered_speakers_map_the_next_transcript(seeded_episode, write_file):
    path = write_file("raw.txt", TEXT.replace("SADAT ANWAR", "Guest"))
    run("import_transcript", SEED_SLUG, path, "--speaker", "Guest=Sadat", "--remember")
    assert [(alias.speaker, alias.guest.short) for alias in SpeakerAlias.objects.all()] == [("Guest", "sadatanwar")]
    code, out, _ = run("import_transcript", "s30e01-new", path, "--new", "--title", "T", "--guest", "sadatanwar")
    assert code == 0 and out.strip().endswith("speakers: Speaker 1 (1), Guest (1) -> Sadat")


def test_times_going_backwards_are_refused_unless_allowed_then_each_is_a_warning(seeded_episode, write_file):
    path = write_file("raw.txt", "[1:00]\nA\nHi\n\n[0:59]\nB\nHo\n")
    code, _, err = run("import_transcript", SEED_SLUG, path)
    assert code == 1
    assert (
        err.strip()
        == f"{path}:5: time 0:59 goes back before the previous time 1:00 (allow times going backwards to take it as it is)"
    )
    code, _, err = run("import_transcript", SEED_SLUG, path, "--allow-backwards")
    assert code == 0 and err.strip() == f"{path}:5: warning: time 0:59 goes back before the previous time 1:00"
    assert [line.sec for line in Episode.objects.get().transcript.filter(kind="line")] == [60, 59]


def test_a_file_over_the_limit_is_refused_unread(seeded_episode, write_file, settings):
    settings.PODCASTS_MAX_FILE_BYTES = 1000
    path = write_file("huge.txt", "[0:01]\nA\n" + "x" * 1000)
    code, _, err = run("import_transcript", SEED_SLUG, path)
    assert code == 1 and err.strip() == f"{path}:1: file is 1,009 bytes, over the limit of 1,000 bytes"
