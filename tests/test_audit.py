"""The episode audit: each rule on plain data, the database entry points, the command, the corpus."""

import json

import pytest
from django.core.management import CommandError, call_command

from podcasts.audit import RULES, RULES_BY_ID, EpisodeFacts, Item, audit_episode, audit_episodes, duplicate_numbers
from podcasts.models import Episode, Guest, Show, SpeakerAlias, TranscriptLine

from .factories import make_episode
from .helpers import SEED_EPISODE, SEED_SLUG, run


def line(text="Some words.", who="Alexey", sec=None, time=None) -> Item:
    return Item("line", text, who, sec, time)


def header(text="A section") -> Item:
    return Item("header", text)


def conversation(*others: tuple[str, int]) -> list[Item]:
    """A settled two-person episode (Alexey 30 lines, Ruslan 40), then ``others`` as (speaker, lines)."""
    speakers = [("Alexey", 30), ("Ruslan", 40), *others]
    return [line(f"{who} says {n}.", who) for who, lines in speakers for n in range(lines)]


def flagged(rule: str, items=(), **facts) -> list[tuple]:
    """(position, message) of each finding of ``rule``."""
    return list(RULES_BY_ID[rule].check(EpisodeFacts(items=list(items), **facts)))


def positions(rule: str, items=(), **facts) -> list:
    return [position for position, _ in flagged(rule, items, **facts)]


def test_rule_table_has_stable_ids_severities_and_descriptions():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.id == rule.id.lower() and " " not in rule.id and "_" not in rule.id
        assert rule.severity in ("error", "warning")
        assert rule.description and "\n" not in rule.description


# Speakers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("speaker", ["Alexey:", "Alexey.", " Alexey", "Alexey ", "- Alexey", "Alexey…", "“Alexey”"])
def test_speaker_punctuation_flags_stray_characters_at_either_end(speaker):
    ((position, message),) = flagged("speaker-punctuation", [header(), line(who="Alexey"), line(who=speaker)])
    assert position == 2
    assert "rename to 'Alexey'" in message


@pytest.mark.parametrize("speaker", ["Alexey", "Juan Pablo", "José", "Loïc", "Ana (host)", "CJ", "Jean-Luc"])
def test_speaker_punctuation_leaves_names_alone(speaker):
    assert flagged("speaker-punctuation", [line(who=speaker)]) == []


def test_speaker_punctuation_leaves_sentences_to_speaker_dialogue():
    sentence = "Quantifying the value changes the conversation drastically."
    assert flagged("speaker-punctuation", [line(who=sentence)]) == []
    assert positions("speaker-dialogue", [line(who=sentence)]) == [0]


def test_speaker_dialogue_flags_a_sentence_once_with_its_line_count():
    sentence = "I think I was doing some pet project and wanted some help around Docker or AWS Lambda."
    items = [line(who="Alexey"), line("Its line.", who=sentence), line("Another.", who=sentence)]
    ((position, message),) = flagged("speaker-dialogue", items)
    assert position == 1
    assert message.startswith("speaker is a sentence, not a name (2 lines): 'I think I was")


@pytest.mark.parametrize("speaker", ["Yeah, I wrote them.", "It's really hard actually.", "One two three four five six"])
def test_speaker_dialogue_flags_short_sentences_too(speaker):
    assert positions("speaker-dialogue", [line(who=speaker)]) == [0]


@pytest.mark.parametrize("speaker", ["Juan Pablo", "Alexey", "Mary Ann de la Cruz", "Dr. Jane Smith", "Alexey (host)"])
def test_speaker_dialogue_leaves_names_alone(speaker):
    assert flagged("speaker-dialogue", [line(who=speaker)]) == []


@pytest.mark.parametrize(
    "variant, name",
    [
        ("Alexeylexey", "'Alexey' (30 lines)"),
        ("Ruslanan", "'Ruslan' (40 lines)"),
        ("Rusla", "'Ruslan' (40 lines)"),
        ("Ruslen", "'Ruslan' (40 lines)"),
        ("ruslan", "'Ruslan' (40 lines)"),
    ],
)
def test_speaker_near_duplicate_flags_a_mangled_frequent_name(variant, name):
    ((position, message),) = flagged("speaker-near-duplicate", conversation((variant, 1)))
    assert position == 70
    assert message == f"speaker {variant!r} (1 line) looks like a misspelling of {name}"


def test_speaker_near_duplicate_flags_repeated_tails_however_often_they_occur():
    items = [line(who="Andrey")] * 3 + [line(who="Andreyy")] * 2 + [line(who="Aditya")] * 3 + [line(who="Adityaitya")] * 2
    assert positions("speaker-near-duplicate", items) == [3, 8]


@pytest.mark.parametrize(
    "others",
    [
        [("Maria", 25), ("Mario", 20)],  # two people, both speaking a lot
        [("Dan", 1), ("Dat", 40)],  # too short to tell a typo from another name
        [("Juan", 3), ("Juan Pablo", 40)],
        [("Theo", 3), ("Theo:", 40)],  # the frequent spelling is the wrong one: speaker-punctuation's case
        [("Jessi", 30)],
    ],
)
def test_speaker_near_duplicate_leaves_distinct_names_alone(others):
    assert flagged("speaker-near-duplicate", conversation(*others)) == []


def test_speaker_rare_flags_a_speaker_with_one_or_two_lines_beside_busy_ones():
    ((position, message),) = flagged("speaker-rare", conversation(("Bob", 2)))
    assert position == 70
    assert message == "speaker 'Bob' has only 2 lines, while 'Ruslan', 'Alexey' speak most"


@pytest.mark.parametrize(
    "items",
    [
        conversation(("Jessi", 3)),  # a third voice with a few lines is a person
        [line(who="Alexey")] * 10 + [line(who="Bob")],  # a short episode has no main speakers yet
        conversation(("Ruslanan", 1)),  # speaker-near-duplicate names the cause
        conversation(("It did appeal to everyone, but to a lot of people.", 1)),  # speaker-dialogue does
        conversation(("Theo", 1), ("Theo:", 30)),  # the same name as a busy one
    ],
)
def test_speaker_rare_leaves_others_alone(items):
    assert flagged("speaker-rare", items) == []


def test_speaker_unlinked_flags_a_speaker_nobody_links_to():
    items = [line(who="Alexey"), line(who="Juan Pablo"), line(who="Ruslanan"), line(who="Ruslan"), line(who="Ruslan")]
    assert flagged("speaker-unlinked", items, linked_speakers={"Alexey", "Ruslan"}) == [
        (1, "speaker 'Juan Pablo' (1 line) is linked to no person")
    ]  # 'Ruslanan' wants a rename, not a link


def test_speaker_unlinked_is_skipped_without_speaker_linking():
    assert flagged("speaker-unlinked", [line(who="Juan Pablo")], linked_speakers=None) == []
    assert flagged("speaker-unlinked", [line(who="Juan Pablo")], linked_speakers={"Juan Pablo"}) == []


def test_line_without_speaker_flags_each_line_and_spots_leftover_copies():
    items = [line("Hello.", who=None), line("Hello.", who="Alexey"), line("Hi.", who=""), line("Yo.", who=" :"), header()]
    assert flagged("line-without-speaker", items) == [
        (0, "line has no speaker; the next line repeats its text: 'Hello.'"),
        (2, "line has no speaker: 'Hi.'"),
        (3, "line has no speaker: 'Yo.'"),
    ]


def test_line_without_speaker_leaves_headers_and_named_lines_alone():
    assert flagged("line-without-speaker", [header(), line(who="Alexey")]) == []


# Headers -----------------------------------------------------------------------------------


def test_consecutive_headers_make_one_finding_per_run():
    items = [header("Intro"), header("Intro"), line(), header("A")] + [header(f"H{n}") for n in range(300)] + [line()]
    assert flagged("consecutive-headers", items) == [
        (0, "2 consecutive headers (sections without lines, 1 of them repeating an earlier one)"),
        (3, "301 consecutive headers (sections without lines)"),
    ]


def test_consecutive_headers_leaves_sections_with_lines_alone():
    assert flagged("consecutive-headers", [header(), line(), header(), line(), header()]) == []


def test_header_dialogue_flags_a_paragraph():
    paragraph = (
        "I would say a little bit. You get to know a lot of people and you get to talk to a lot of people. "
        "I think people see you as the organizer, and that makes it easier to start a conversation with anyone."
    )
    ((position, message),) = flagged("header-dialogue", [line(), header(paragraph)])
    assert position == 1
    assert message.startswith("header looks like dialogue (43 words): 'I would say")


def test_header_dialogue_flags_two_sentences_of_speech():
    assert positions("header-dialogue", [header("We started small. Then we grew to a real team of twenty people.")]) == [0]


@pytest.mark.parametrize(
    "title",
    [
        "Analytics vs. Data Science: descriptive analysis vs. forecasting",
        "Why Move to AI? Using ChatGPT to Plan a Career Pivot",
        "Minimal ML Ops Components: Dev/test/prod environments, monitoring, model registry, data versioning, feature stores",
        "The Interview Process: Navigating a 7 Year Career Break.",
    ],
)
def test_header_dialogue_leaves_real_section_titles_alone(title):
    assert flagged("header-dialogue", [header(title)]) == []


def test_header_last_flags_a_trailing_header():
    assert flagged("header-last", [line(), header("Outro")]) == [(1, "the transcript ends with a header: 'Outro'")]


def test_header_last_leaves_a_transcript_ending_in_a_line_alone():
    assert flagged("header-last", [header(), line()]) == []
    assert flagged("header-last", []) == []


# Time --------------------------------------------------------------------------------------


def test_time_backwards_flags_a_line_before_the_previous_timed_one():
    items = [line(sec=10), header(), line(sec=50), line(sec=None), line(sec=40), line(sec=45)]
    assert flagged("time-backwards", items) == [(4, "sec 40 is before the previous timed item's 50 (at 2)")]


def test_time_backwards_leaves_equal_and_rising_times_alone():
    assert flagged("time-backwards", [line(sec=10), line(sec=10), line(sec=11), line()]) == []


def test_time_sec_mismatch_flags_disagreement_and_unreadable_times():
    items = [line(sec=66, time="1:05"), line(sec=2787, time="37:567"), line(sec=586, time="9:\n46")]
    assert flagged("time-sec-mismatch", items) == [
        (0, "time '1:05' is 65 s but sec is 66"),
        (1, "time '37:567' is not h:mm:ss or m:ss (sec is 2787)"),
        (2, "time '9:\\n46' is not h:mm:ss or m:ss (sec is 586)"),
    ]


def test_time_sec_mismatch_reads_both_clock_forms():
    items = [
        line(sec=65, time="1:05"),
        line(sec=3723, time="1:02:03"),
        line(sec=65, time="01:05"),
        line(sec=5),
        line(time="0:07"),
    ]
    assert flagged("time-sec-mismatch", items) == []


# The episode as a whole --------------------------------------------------------------------


def test_guest_missing():
    assert flagged("guest-missing", guests_without_profile=["nobody"]) == [
        (None, "guest 'nobody' has no profile; import its people file to link it")
    ]
    assert flagged("guest-missing", guests_without_profile=[]) == []


def test_description_and_intro_missing():
    assert flagged("description-missing", description="  ") == [(None, "no description")]
    assert flagged("intro-missing", intro="") == [(None, "no intro")]
    assert flagged("description-missing", description="About data.") == []
    assert flagged("intro-missing", intro="Welcome.") == []


def test_value_kept_as_written():
    assert flagged("value-kept-as-written", kept_as_written=[("dateadded", "soon")]) == [
        (None, "dateadded is kept as written because it is the text 'soon'; its field stays empty")
    ]
    assert flagged("value-kept-as-written", kept_as_written=[]) == []


def test_duplicate_numbers():
    numbered = [("a", 1, 1), ("b", 1, 1), ("c", 1, 2), ("d", 2, 1), ("e", None, None), ("f", None, None)]
    assert duplicate_numbers(numbered) == {"a": "season 1 episode 1 is also b", "b": "season 1 episode 1 is also a"}
    assert duplicate_numbers([("a", 1, 1), ("b", 1, 2)]) == {}


# The database ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_episodes_reads_models_and_compares_numbers(write_file):
    path = write_file(
        "odd.md",
        "---\nseason: 3\nepisode: 7\ndateadded: soon\nguests: [nobody]\ntranscript:\n"
        "- line: hi\n  who: 'Alexey:'\n  sec: 5\n  time: '0:06'\n- header: Bye\n---\n",
    )
    assert run("import_episodes", path)[0] == 0
    make_episode("twin", season=3, number=7, description="d", intro="i", transcript=[{"line": "x", "who": "Alexey"}])
    make_episode("other", season=3, number=8, description="d", intro="i", transcript=[{"line": "x", "who": "Alexey"}])
    Show.objects.create(pk=1, host=Guest.objects.create(short="alexeygrigorev", name="Alexey Grigorev"))

    results = audit_episodes(Episode.objects.all())

    assert {(f.rule, f.severity, f.position) for f in results["odd"]} == {
        ("description-missing", "warning", None),
        ("intro-missing", "warning", None),
        ("guest-missing", "warning", None),
        ("value-kept-as-written", "warning", None),
        ("duplicate-number", "error", None),
        ("speaker-punctuation", "error", 0),
        ("time-sec-mismatch", "error", 0),
        ("header-last", "warning", 1),
    }
    assert [(f.rule, f.message) for f in results["twin"]] == [("duplicate-number", "season 3 episode 7 is also odd")]
    assert results["other"] == []


@pytest.mark.django_db
def test_audit_episode_on_the_seed_links_the_guest_and_reports_the_host_until_linked(seeded_episode):
    episode = Episode.objects.prefetch_related("transcript", "episode_guests__guest").get()
    assert [(f.rule, f.position, f.message) for f in audit_episode(episode)] == [
        ("consecutive-headers", 0, "2 consecutive headers (sections without lines)"),
        ("speaker-unlinked", 2, "speaker 'Alexey' (87 lines) is linked to no person"),  # 'Sadat' links to the guest
        ("time-backwards", 144, "sec 2416 is before the previous timed item's 2474 (at 143)"),
    ]
    SpeakerAlias.objects.create(speaker="Alexey", guest=Guest.objects.get(short="sadatanwar"))  # any person will do
    assert [f.rule for f in audit_episode(seeded_episode)] == ["consecutive-headers", "time-backwards"]


@pytest.mark.django_db
def test_audit_never_writes_the_show(seeded_episode):
    audit_episode(seeded_episode)
    audit_episodes(Episode.objects.all())
    assert not Show.objects.exists()


def several_episodes(count: int) -> None:
    Guest.objects.create(short="ruslan", name="Ruslan Shchuchkin")
    for _ in range(count):
        make_episode(
            season=1,
            number=1,
            guests=["ruslan", "nobody"],
            transcript=[{"header": "Intro"}, {"line": "Hi.", "who": "Alexey", "sec": 1, "time": "0:01"}]
            + [{"line": f"Line {n}.", "who": "Ruslan"} for n in range(30)],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 12])
def test_audit_takes_the_same_queries_for_any_number_of_episodes(count, django_assert_num_queries):
    """The show, episodes, transcripts, guests with profiles, speaker aliases and numbers."""
    several_episodes(count)
    with django_assert_num_queries(7):
        results = audit_episodes(Episode.objects.all())
    assert len(results) == count
    assert {f.rule for found in results.values() for f in found} == {
        "speaker-rare",
        "speaker-unlinked",
        "description-missing",
        "intro-missing",
        "guest-missing",
        "duplicate-number",
    }


# The command -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_json_prints_one_object_per_finding(seeded_episode):
    make_episode("bare", transcript=[{"line": "Hi.", "who": "Alexey."}, {"header": "Bye"}])
    code, out, err = run("audit_episodes", "--json", "bare")
    assert (code, err) == (0, "")
    findings = [json.loads(text) for text in out.splitlines()]
    assert all(list(finding) == ["episode", "rule", "severity", "position", "message"] for finding in findings)
    assert [(f["episode"], f["rule"], f["severity"], f["position"]) for f in findings] == [
        ("bare", "description-missing", "warning", None),
        ("bare", "intro-missing", "warning", None),
        ("bare", "speaker-punctuation", "error", 0),
        ("bare", "header-last", "warning", 1),
    ]
    _, everything, _ = run("audit_episodes", "--json")
    assert {json.loads(text)["episode"] for text in everything.splitlines()} == {"bare", SEED_SLUG}


@pytest.mark.django_db
def test_command_prints_a_line_per_finding_and_a_summary():
    make_episode("bare", description="d", transcript=[{"line": "Hi.", "who": "Alexey."}])
    make_episode("fine", description="d", intro="i", transcript=[{"line": "Hi.", "who": "Alexey"}])
    Show.objects.create(pk=1, host=Guest.objects.create(short="alexeygrigorev", name="Alexey Grigorev"))
    code, out, _ = run("audit_episodes")
    assert code == 0
    assert out.splitlines() == [
        "bare: warning intro-missing: no intro",
        "bare:0: error speaker-punctuation: speaker 'Alexey.' has stray punctuation or spaces (1 line); rename to 'Alexey'",
        "2 findings (1 errors, 1 warnings) in 1 of 2 episodes",
    ]


@pytest.mark.django_db
def test_command_refuses_unknown_slugs():
    make_episode("known")
    with pytest.raises(CommandError, match="no such episode: nope"):
        call_command("audit_episodes", "known", "nope")


# The corpus --------------------------------------------------------------------------------

ORDINARY_NAMES = {"Alexey", "Juan Pablo", "Juan", "Ruslan", "Aditya", "Theo", "Jessi", "Christopher", "José", "Loïc", "Swyx"}
MISTAKE_RULES = ("speaker-punctuation", "speaker-dialogue", "speaker-near-duplicate", "speaker-rare")


@pytest.mark.django_db
def test_corpus_speaker_rules_flag_mistakes_and_no_ordinary_names(corpus_dir):
    assert run("import_guests", corpus_dir / "people")[0] == 0
    assert run("import_episodes", corpus_dir / "episodes")[0] == 0
    assert Show.current().host.short == "alexeygrigorev"  # adopted by the people import

    results = audit_episodes(Episode.objects.all())

    speakers = {
        (slug, position): speaker
        for slug, position, speaker in TranscriptLine.objects.values_list("episode__slug", "position", "speaker")
    }
    flagged_by = {rule: set() for rule in (*MISTAKE_RULES, "speaker-unlinked")}
    for slug, findings in results.items():
        for finding in findings:
            if finding.rule in flagged_by:
                flagged_by[finding.rule].add((slug, speakers[slug, finding.position]))
    mistakes = {speaker for rule in MISTAKE_RULES for _, speaker in flagged_by[rule]}
    assert not mistakes & ORDINARY_NAMES

    assert {speaker for _, speaker in flagged_by["speaker-punctuation"]} == {"Alexey:", "Theo:"}
    assert {speaker for _, speaker in flagged_by["speaker-near-duplicate"]} == {"Alexeylexey", "Ruslanan", "Adityaitya"}
    dialogue = {speaker for _, speaker in flagged_by["speaker-dialogue"]}
    assert "Quantifying the value changes the conversation drastically." in dialogue
    assert all(len(speaker.split()) >= 7 for speaker in dialogue)
    # The host and guests' first names link; what remains names nobody among the episode's people.
    unlinked = {speaker for _, speaker in flagged_by["speaker-unlinked"]}
    assert not unlinked & {"Alexey", "Ruslan", "Aditya", "Jessi", "Christopher", "Misra"}
    assert unlinked <= {"Juan Pablo", "Swyx", "Chris", "Johanna", "Daniel", "Elena", "Theo"}

    header_findings = [(slug, f.position) for slug, found in results.items() for f in found if f.rule == "header-dialogue"]
    assert header_findings == [("s23e09-starting-data-conference-data-makers-fest-story", 69)]


@pytest.mark.django_db
def test_the_seed_shares_season_and_number_with_a_corpus_episode(corpus_dir):
    """Real data: the seed is s12e01, and so is one corpus episode under another name."""
    run("import_episodes", corpus_dir / "episodes", SEED_EPISODE)
    results = audit_episodes(Episode.objects.all())
    clashing = {slug for slug, findings in results.items() if any(f.rule == "duplicate-number" for f in findings)}
    assert clashing == {SEED_SLUG, "from-software-engineering-to-leading-data-science-teams"}
