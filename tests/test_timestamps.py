"""Timestamps lists (``HH:MM:SS Title``): parsing, where headers land, the command, the corpus."""

import re

import pytest

from podcasts.editorial.timestamps import apply_timestamps, parse_list, place, timestamps_list
from podcasts.files.exporting import export_bytes
from podcasts.files.importing import EPISODES, import_file
from podcasts.files.transcript_formats import TranscriptFormatError
from podcasts.models import Episode, Revision

from .factories import make_episode
from .helpers import run

pytestmark = pytest.mark.django_db

# Lines at 10, (none), 40, 40, 90, then one without sec after the last timed line.
LINES = [
    {"line": "Hello.", "who": "Alexey", "sec": 10, "time": "0:10"},
    {"line": "An untimed line.", "who": "Alexey"},
    {"line": "At forty.", "who": "Ada", "sec": 40, "time": "0:40"},
    {"line": "Also at forty.", "who": "Alexey", "sec": 40, "time": "0:40"},
    {"line": "At ninety.", "who": "Ada", "sec": 90, "time": "1:30"},
    {"line": "Untimed, last.", "who": "Ada"},
]


def outline(items) -> list[str]:
    return [f"# {item.text}" if item.is_header else item.text for item in items]


def stamps(text: str):
    return parse_list(text.encode())


def test_a_list_reads_hh_mm_ss_h_mm_ss_and_m_ss_and_skips_blank_lines():
    parsed = stamps("00:00:00 Intro\r\n\n1:02:03  Later: part 2 \n7:05 Short\n75:00 Minutes past 59\n")
    assert [(stamp.sec, stamp.title, stamp.line) for stamp in parsed] == [
        (0, "Intro", 1),
        (3723, "Later: part 2", 3),
        (425, "Short", 4),
        (4500, "Minutes past 59", 5),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("00:00:00 Intro\nIntro at the start\n", 2, "'Intro' is not a time like 1:05 or 1:02:03; write each line as"),
        ("00:00:00 Intro\n\n00:01:61 Bad seconds\n", 3, "'00:01:61' is not a time like 1:05"),
        ("00:00:00\n", 1, "'00:00:00' is not a time and a title"),
        ("\n\n", 1, "the list holds no timestamps"),
        ("00:00:00 Intro\n00:00:05 Bell\x07\n", 2, "control character"),
    ],
)
def test_a_malformed_line_is_an_error_with_its_line(text, line, message):
    with pytest.raises(TranscriptFormatError) as error:
        stamps(text)
    assert error.value.line == line
    assert message in error.value.message


def test_each_header_lands_before_the_first_line_at_or_after_its_time():
    episode = make_episode(transcript=[{"header": "Old"}, *LINES])
    list_text = "0:00 Start\n0:10 At ten\n0:30 Thirty\n0:40 Forty\n1:00 Sixty\n2:00 After"
    placement = place(list(episode.transcript.all()), stamps(list_text))
    assert outline(placement.items) == [
        "# Start",  # a time before the first line lands before it
        "# At ten",  # at or after: the line's very second
        "Hello.",
        "# Thirty",  # a line without sec counts as the next timed line's (40): both land before it
        "# Forty",
        "An untimed line.",
        "At forty.",
        "Also at forty.",  # the first line at 40 takes the header, not the second
        "# Sixty",
        "At ninety.",
        "Untimed, last.",
        "# After",  # after the last line: at the end, after the untimed lines that close the episode
    ]
    assert [header.text for header in placement.removed] == ["Old"]
    assert [landing.line.text if landing.line else None for landing in placement.landings] == [
        "Hello.", "Hello.", "An untimed line.", "An untimed line.", "At ninety.", None,
    ]  # fmt: skip
    assert placement.changed


def test_a_list_out_of_order_still_puts_each_header_at_its_time():
    episode = make_episode(transcript=LINES)
    placement = place(list(episode.transcript.all()), stamps("1:00 Sixty\n0:05 Five\n0:05 Also five"))
    assert outline(placement.items)[:3] == ["# Five", "# Also five", "Hello."]  # one place: list order
    assert outline(placement.items)[6:8] == ["# Sixty", "At ninety."]


def test_lines_are_never_touched_and_keep_their_rows(write_file):
    episode = make_episode(transcript=[{"header": "Old"}, *LINES])
    before = {line.pk: (line.text, line.speaker, line.sec, line.time) for line in episode.transcript.filter(kind="line")}
    placement = apply_timestamps(episode, stamps("0:20 New\n1:30 Ninety"), version=episode.version, note="test")
    episode = Episode.objects.get()
    after = {line.pk: (line.text, line.speaker, line.sec, line.time) for line in episode.transcript.filter(kind="line")}
    assert after == before and placement.changed
    assert outline(episode.transcript.all()) == [
        "Hello.", "# New", "An untimed line.", "At forty.", "Also at forty.", "# Ninety", "At ninety.", "Untimed, last.",
    ]  # fmt: skip
    assert list(episode.transcript.values_list("position", flat=True)) == list(range(8))
    revision = episode.revisions.get()
    assert (revision.reason, revision.note, episode.version) == (Revision.Reason.EDIT, "test", 2)
    assert "- header: New\n" in revision.text and "Old" not in revision.text


def test_a_stale_version_is_refused_and_writes_nothing():
    from podcasts.editorial.versions import ConflictError

    episode = make_episode(transcript=LINES)
    with pytest.raises(ConflictError):
        apply_timestamps(episode, stamps("0:20 New"), version=episode.version - 1, note="test")
    assert not episode.transcript.filter(kind="header").exists() and not Revision.objects.exists()


def test_the_headers_an_episode_has_change_nothing():
    episode = make_episode(transcript=[{"header": "Start"}, LINES[0], {"header": "Mid"}, *LINES[1:]])
    current = list(episode.transcript.all())
    exported = timestamps_list(current)
    assert exported == "00:00:00 Start\n00:00:40 Mid\n"
    placement = apply_timestamps(episode, stamps(exported), version=episode.version, note="test")
    assert not placement.changed and all(landing.kept for landing in placement.landings) and not placement.removed
    assert Episode.objects.get().version == episode.version and not Revision.objects.exists()


def test_the_export_gives_a_header_after_the_last_line_a_later_time():
    episode = make_episode(transcript=[*LINES, {"header": "The end"}])
    assert timestamps_list(list(episode.transcript.all())) == "00:01:31 The end\n"


def test_the_command_matches_by_slug_or_season_and_number(write_file):
    make_episode("mlops", season=2, number=4, transcript=LINES)
    make_episode("twin-a", season=3, number=1, transcript=LINES)
    make_episode("twin-b", season=3, number=1, transcript=LINES)
    good = write_file("lists/s02e04-whatever.txt", "00:00:00 Intro\n00:00:40 Forty\n")
    write_file("lists/s03e01-twins.txt", "00:00:00 Intro\n")
    write_file("lists/s09e09-nobody.txt", "00:00:00 Intro\n")
    write_file("lists/notes.md", "not a list")
    code, out, err = run("apply_timestamps", good.parent)
    assert code == 0
    assert out.splitlines() == [
        f"updated: {good} (mlops: 2 headers added, 0 removed)",
        "updated 1, unchanged 0, skipped 2, failed 0",
    ]
    assert "s03e01-twins.txt: skipped: season 3, number 1 is twin-a, twin-b: which one is a guess" in err
    assert "s09e09-nobody.txt: skipped: no episode 's09e09-nobody', nor any of season 9, number 9" in err
    assert outline(Episode.objects.get(slug="mlops").transcript.all())[:2] == ["# Intro", "Hello."]
    assert not Episode.objects.get(slug="twin-a").transcript.filter(kind="header").exists()
    code, out, err = run("apply_timestamps", good, write_file("mlops.txt", "00:00:00 Other\n"))
    assert out.splitlines()[-1] == "updated 0, unchanged 0, skipped 2, failed 0"  # two lists for one episode: neither
    assert "is for mlops too" in err


def test_a_malformed_list_is_path_line_exit_1_and_the_others_still_apply(write_file):
    make_episode("first", transcript=LINES)
    make_episode("second", transcript=LINES)
    bad = write_file("first.txt", "00:00:00 Intro\n00:00:xx Broken\n")
    good = write_file("second.txt", "00:00:00 Intro\n")
    code, out, err = run("apply_timestamps", bad, good)
    assert code == 1
    assert err.strip() == f"{bad}:2: '00:00:xx' is not a time like 1:05 or 1:02:03; write each line as HH:MM:SS Title"
    assert out.splitlines()[-1] == "updated 1, unchanged 0, skipped 0, failed 1"
    assert not Episode.objects.get(slug="first").transcript.filter(kind="header").exists()


def test_dry_run_writes_nothing(write_file):
    episode = make_episode("only", transcript=LINES)
    code, out, _ = run("apply_timestamps", write_file("only.txt", "00:00:00 Intro\n"), "--dry-run")
    assert out.splitlines()[-1] == "dry run, nothing written: updated 1, unchanged 0, skipped 0, failed 0"
    assert Episode.objects.get().version == episode.version and not Revision.objects.exists()


HEADER_ITEM = re.compile(r"^- header:.*\n(?:[ ].*\n)*", re.MULTILINE)
FROM_THEIR_LISTS = 68  # of the corpus's 147 lists; the other 79 episodes' headers were edited by hand since


def test_corpus_lists_give_back_their_episodes_transcripts_and_touch_only_headers(corpus_dir, tmp_path):
    lists = corpus_dir / "timestamps"
    run("import_episodes", corpus_dir / "episodes")
    code, out, err = run("apply_timestamps", lists)
    assert code == 0
    assert err.strip() == f"{lists}/s18e03-ai-for-ecology-biodiversity-and-conservation.txt: skipped: " + (
        "ai-for-ecology-biodiversity-and-conservation has no transcript lines to put headers among"
    )
    assert out.splitlines()[-1] == f"updated 78, unchanged {FROM_THEIR_LISTS}, skipped 1, failed 0"
    run("export_episodes", "--out", tmp_path)
    differing = 0
    for exported in tmp_path.glob("*.md"):
        source = (corpus_dir / "episodes" / exported.name).read_text()
        differing += exported.read_text() != source
        assert HEADER_ITEM.sub("", exported.read_text()) == HEADER_ITEM.sub("", source), exported.name
    assert differing == 78
    updated = {line.split(" (")[0].rsplit("/", 1)[-1] for line in out.splitlines() if line.startswith("updated: ")}
    unchanged = sorted(
        {path.name for path in lists.glob("*.txt")} - updated - {"s18e03-ai-for-ecology-biodiversity-and-conservation.txt"}
    )
    assert len(unchanged) == FROM_THEIR_LISTS
    for name in unchanged:
        season, number = map(int, re.match(r"s(\d+)e(\d+)", name).groups())
        slug = Episode.objects.get(season=season, number=number).slug
        source = (corpus_dir / "episodes" / f"{slug}.md").read_bytes()
        # Without its headers, then given them back from the list: the very file, byte for byte,
        # so new header items are written as the source's tools wrote them.
        assert import_file(EPISODES, f"{slug}.md", HEADER_ITEM.sub("", source.decode()).encode()).status == "updated"
        episode = Episode.objects.for_export().get(slug=slug)
        apply_timestamps(episode, parse_list((lists / name).read_bytes()), version=episode.version, note=name)
        assert export_bytes(Episode.objects.for_export().get(slug=slug)) == source, name
