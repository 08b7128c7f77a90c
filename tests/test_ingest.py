"""New episodes from raw transcripts (``editorial.ingest``): the file the source site's tool
writes, its round trip, speaker mapping and aliases, and replace previews."""

import pytest

from podcasts.editorial import ingest
from podcasts.files import frontmatter
from podcasts.files.exporting import export_bytes
from podcasts.files.importing import EPISODES, import_file
from podcasts.files.transcript_formats import write_transcript
from podcasts.models import Episode, Guest, Revision, Show, SpeakerAlias

from .helpers import SEED_EPISODE, SEED_SLUG

pytestmark = pytest.mark.django_db

TOOL_KEYS = ["episode", "guests", "ids", "image", "links", "season", "short", "title", "transcript"]

RAW = b"""Podcast Introduction

[0:05]
SPEAKER 1
Welcome to our event.

[0:40]
Sadat Anwar:
Thanks for having me.

[1:02:03]
Speaker 3
A late word.
"""


def read(data: bytes, name: str = "raw.txt", **options) -> ingest.RawTranscript:
    return ingest.read_raw(name, data, ingest.ReadOptions(**options))


def new_episode_from(path) -> tuple[ingest.NewEpisode, ingest.RawTranscript, str]:
    """An episode file taken apart: its fields, its transcript as a raw text export, and
    the front matter the source site's tool wrote."""
    data = frontmatter.parse(path.read_bytes()).data
    new = ingest.NewEpisode(
        slug=path.stem,
        title=data["title"],
        short=data["short"],
        season=data["season"],
        number=data["episode"],
        guests=tuple(data["guests"]),
        ids=data["ids"],
        links=data["links"],
        image=data["image"],
    )
    raw = read(write_transcript("text", data["transcript"]), allow_backwards=True)
    front = path.read_text().split("---\n")[1]
    return new, raw, front


def front_matter_of(text: bytes) -> str:
    return text.decode().split("---\n")[1]


def test_a_new_episode_is_the_file_the_source_sites_tool_wrote(corpus_dir):
    """The corpus files the tool wrote and nobody reordered since (keys in sort_keys order) come
    back byte for byte from their fields and transcript, times going backwards included."""
    written_by_the_tool = []
    for path in sorted((corpus_dir / "episodes").glob("*.md")):
        keys = list(frontmatter.parse(path.read_bytes()).data)
        if keys == TOOL_KEYS:
            written_by_the_tool.append(path)
    assert len(written_by_the_tool) >= 10
    for path in written_by_the_tool:
        new, raw, front = new_episode_from(path)
        episode, text = ingest.create_from_raw(new, raw, "raw.txt", {})
        assert front_matter_of(text) == front, path.name
        assert export_bytes(Episode.objects.for_export().get(pk=episode.pk)) == text


def test_the_seed_is_a_new_episode_with_description_and_intro_added_later():
    """The seed's keys: the tool's, then description and intro, which the admin adds at the end."""
    new, raw, front = new_episode_from(SEED_EPISODE)
    episode, _ = ingest.create_from_raw(new, raw, "raw.txt", {})
    seed = frontmatter.parse(SEED_EPISODE.read_bytes()).data
    episode.description, episode.intro = seed["description"], seed["intro"]
    episode.save()
    assert front_matter_of(export_bytes(Episode.objects.for_export().get(pk=episode.pk))) == front


def test_transcript_to_new_episode_to_export_to_import_gives_the_same_file():
    new = ingest.NewEpisode(slug="s30e01-new", title="A title: with a colon", season=30, number=1, guests=("nobody",))
    episode, text = ingest.create_from_raw(new, read(RAW), "raw.txt", {"SPEAKER 1": "Alexey"})
    exported = export_bytes(Episode.objects.for_export().get(pk=episode.pk))
    assert exported == text
    # PyYAML quotes a time only where YAML 1.1 would read a number: '1:05', not 0:05
    assert text.decode().startswith(
        "---\nepisode: 1\nguests:\n- nobody\nimage: images/podcast/s30e01-new.jpg\nseason: 30\n"
        "short: 'A title: with a colon'\ntitle: 'A title: with a colon'\ntranscript:\n- header: Podcast Introduction\n"
        "- line: Welcome to our event.\n  sec: 5\n  time: 0:05\n  who: Alexey\n"
    )
    assert "  sec: 3723\n  time: '1:02:03'\n  who: Speaker 3\n" in text.decode()
    revision = episode.revisions.get()
    assert (revision.reason, revision.text, revision.note) == (
        Revision.Reason.IMPORT,
        text.decode(),
        "new episode from transcript raw.txt (text)",
    )
    Episode.objects.all().delete()
    assert import_file(EPISODES, "s30e01-new.md", exported).status == "created"
    assert export_bytes(Episode.objects.for_export().get()) == text
    assert import_file(EPISODES, "s30e01-new.md", exported).status == "unchanged"


def test_a_taken_slug_or_a_bad_one_writes_nothing():
    ingest.create_from_raw(ingest.NewEpisode(slug="taken", title="T"), read(RAW), "raw.txt", {})
    with pytest.raises(ingest.IngestError, match="raw.txt:1: there is an episode 'taken' already"):
        ingest.create_from_raw(ingest.NewEpisode(slug="taken", title="Other"), read(RAW), "raw.txt", {})
    with pytest.raises(ingest.IngestError, match="raw.txt:1: the slug 'a/b' cannot name an episode file"):
        ingest.create_from_raw(ingest.NewEpisode(slug="a/b", title="T"), read(RAW), "raw.txt", {})
    assert list(Episode.objects.values_list("title", flat=True)) == ["T"]


def test_preview_of_a_new_episode_writes_nothing_and_has_the_audit():
    preview = ingest.preview_new(ingest.NewEpisode(slug="s30e01-new", title="T"), read(RAW), "raw.txt", {})
    assert not Episode.objects.exists() and not Revision.objects.exists()
    assert preview.items[1] == {"line": "Welcome to our event.", "sec": 5, "time": "0:05", "who": "SPEAKER 1"}
    assert {"speaker-unlinked", "description-missing"} <= {finding.rule for finding in preview.findings}


# Speakers ---------------------------------------------------------------------------------


def test_the_suggested_mapping_uses_aliases_then_the_host_and_guests_names_in_any_case(seeded_episode):
    show = Show.load()
    host = Guest.objects.create(short="alexeygrigorev", name="Alexey Grigorev")
    show.host = host
    show.save()
    sadat = Guest.objects.get(short="sadatanwar")
    SpeakerAlias.objects.create(speaker="Speaker 3", guest=sadat)
    raw = read(RAW.replace(b"SPEAKER 1", b"ALEXEY"))
    assert raw.speakers == {"ALEXEY": 1, "Sadat Anwar": 1, "Speaker 3": 1}
    mapping = ingest.suggested_mapping(raw, [sadat], show, seeded_episode)
    assert mapping == {"ALEXEY": "Alexey", "Sadat Anwar": "Sadat", "Speaker 3": "Sadat"}
    assert ingest.speaker_choices([sadat], show) == ["Alexey", "Sadat", "Sadat Anwar"]


def test_without_a_host_profile_the_hosts_name_is_still_suggested():
    assert ingest.suggested_mapping(read(RAW.replace(b"SPEAKER 1", b"alexey")), [], Show.current()) == {
        "alexey": "Alexey",
        "Sadat Anwar": "Sadat Anwar",
        "Speaker 3": "Speaker 3",
    }


def test_remembered_speakers_become_aliases_for_the_next_transcript(seeded_episode):
    sadat = Guest.objects.get(short="sadatanwar")
    mapping = {"SPEAKER 1": "Alexey", "Sadat Anwar": "Sadat", "Speaker 3": "Nobody known"}
    ingest.remember_aliases(mapping, {"Sadat Anwar", "Speaker 3"}, [sadat], Show.current())  # Speaker 3: nobody
    assert [(alias.speaker, alias.episode, alias.guest) for alias in SpeakerAlias.objects.all()] == [("Sadat Anwar", None, sadat)]


def test_mapping_renames_and_an_empty_name_leaves_the_line_without_speaker():
    items = ingest.mapped_items(read(RAW), {"SPEAKER 1": "Alexey", "Speaker 3": " "})
    assert [item.get("who") for item in items] == [None, "Alexey", "Sadat Anwar", None]


# Replacing --------------------------------------------------------------------------------


VTT = b"""WEBVTT

00:00:00.000 --> 00:00:40.000 align:start position:10%
<v Speaker 1>Welcome to our event.

00:01:05.000 --> 00:01:30.000
<v Speaker 2>Thanks for having me.
"""


def test_the_replace_preview_shows_the_diff_and_the_audit_and_writes_nothing(seeded_episode):
    before = export_bytes(Episode.objects.for_export().get())
    raw = read(VTT, "raw.vtt")
    preview = ingest.preview_replace(seeded_episode, raw, "raw.vtt", {"Speaker 1": "Alexey"}, version=seeded_episode.version)
    assert export_bytes(Episode.objects.for_export().get()) == before
    assert Episode.objects.get().version == seeded_episode.version
    assert "+- line: Welcome to our event." in preview.diff
    assert "+  who: Speaker 2" in preview.diff
    assert any(line.startswith("-- line: This week, we'll talk about") for line in preview.diff)
    assert [item for item in preview.items if "line" in item] == [
        {"line": "Welcome to our event.", "sec": 0, "time": "0:00", "who": "Alexey"},
        {"line": "Thanks for having me.", "sec": 65, "time": "1:05", "who": "Speaker 2"},
    ]
    assert "consecutive-headers" in {finding.rule for finding in preview.findings}  # sections after 1:05 have no lines now
    assert preview.file_text.startswith("---\nepisode: 1\n")


def test_apply_replace_is_one_version_one_revision_and_remembers_aliases(seeded_episode):
    sadat = Guest.objects.get(short="sadatanwar")
    raw = read(VTT, "raw.vtt")
    ingest.apply_replace(seeded_episode, raw, "raw.vtt", {"Speaker 2": "Sadat"}, {"Speaker 2"}, version=seeded_episode.version)
    episode = Episode.objects.get()
    assert episode.version == seeded_episode.version + 1
    assert episode.revisions.filter(reason=Revision.Reason.EDIT).count() == 1
    assert SpeakerAlias.objects.get().guest == sadat
    assert ingest.suggested_mapping(raw, [sadat], Show.current(), episode)["Speaker 2"] == "Sadat"


def test_bad_input_names_the_file_and_line():
    with pytest.raises(ingest.IngestError) as refused:
        read(b"[1:00]\nA\nHi\n\n[0:59]\nB\nHo\n", "raw.txt")
    assert refused.value.message == (
        "raw.txt:5: time 0:59 goes back before the previous time 1:00 (allow times going backwards to take it as it is)"
    )
    raw = read(b"[1:00]\nA\nHi\n\n[0:59]\nB\nHo\n", "raw.txt", allow_backwards=True)
    assert [(warning.line, warning.message) for warning in raw.backwards] == [
        (5, "time 0:59 goes back before the previous time 1:00")
    ]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.PODCASTS_MAX_FILE_BYTES = 100
    with pytest.raises(ingest.IngestError, match=r"^big.txt:1: the file is 101 bytes, over the limit of 100 bytes$"):
        read(b"x" * 101, "big.txt")


def test_staged_transcripts_belong_to_their_uploader_and_are_applied_once(editor, publisher):
    staged = ingest.stage("../../etc/raw.vtt", VTT, editor)
    assert ingest.staged_file(staged.pk, publisher) is None
    assert ingest.staged_file(staged.pk, editor) == ("raw.vtt", VTT)
    assert ingest.discard(staged.pk, editor) and not ingest.discard(staged.pk, editor)
    assert ingest.staged_file(staged.pk, editor) is None


def test_the_seed_slug_is_taken(seeded_episode):
    with pytest.raises(ingest.IngestError, match="there is an episode"):
        ingest.create_from_raw(ingest.NewEpisode(slug=SEED_SLUG, title="T"), read(RAW), "raw.txt", {})
