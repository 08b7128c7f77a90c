"""A rule-based audit of episodes: the mistakes editors fix, found in seconds.

Each rule is a pure function over ``EpisodeFacts`` (plain values: the
transcript as ``Item`` tuples, the guest ids without a profile, ...), so it is
tested without a database. ``audit_episode`` reads the facts off a model
instance whose transcript and guests are prefetched; ``audit_episodes`` audits
a queryset in a few queries and adds the one rule that compares episodes.

The speaker rules favour precision: an ordinary name (``Juan Pablo``, a guest's
first name) must never be flagged, so every threshold below was tuned against
the real corpus until only real mistakes remained.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from typing import NamedTuple

from django.db.models import Prefetch

from . import timecode
from .files import frontmatter, schema
from .models import Episode, Show, TranscriptLine
from .speakers import AliasIndex, load_aliases, speaker_people

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    episode: str
    rule: str
    severity: str
    position: int | None  # 0-based index into the transcript; None for the episode as a whole
    message: str


class Item(NamedTuple):
    """One transcript item as the rules see it."""

    kind: str  # "header" or "line"
    text: str
    speaker: str | None = None
    sec: int | None = None
    time: str | None = None


@dataclass(frozen=True)
class EpisodeFacts:
    """What the rules read from an episode."""

    items: Sequence[Item] = ()
    description: str = ""
    intro: str = ""
    guests_without_profile: Sequence[str] = ()
    kept_as_written: Sequence[tuple[str, object]] = ()  # lenient scalar keys whose value had another type
    linked_speakers: Collection[str] | None = None  # None: not known (facts built by hand), its rule is skipped

    @cached_property
    def speaker_positions(self) -> dict[str, list[int]]:
        """Positions of the lines of each speaker, in order of first appearance."""
        positions = defaultdict(list)
        for position, item in enumerate(self.items):
            if item.kind == "line" and item.speaker is not None:
                positions[item.speaker].append(position)
        return dict(positions)


Problem = tuple[int | None, str]  # (position, message): a finding before it is named


# Text helpers ------------------------------------------------------------------------------

# Dashes, quotes and other punctuation; brackets are left alone ("Ana (host)" is a name).
STRAY_CATEGORIES = {"Po", "Pd", "Pi", "Pf"}
# A lowercase word ending a sentence; "vs." and initials are too short to count.
SENTENCE_END = re.compile(r"\b[a-z]{3,}[.!?…](?=\s|$)")


def is_stray(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in STRAY_CATEGORIES


def clean_name(name: str) -> str:
    """``name`` without whitespace and punctuation at either end."""
    start, end = 0, len(name)
    while start < end and is_stray(name[start]):
        start += 1
    while end > start and is_stray(name[end - 1]):
        end -= 1
    return name[start:end]


def sentence_count(text: str) -> int:
    return len(SENTENCE_END.findall(text))


def quoted(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def lines_phrase(count: int) -> str:
    return "1 line" if count == 1 else f"{count} lines"


# Speakers ----------------------------------------------------------------------------------

DIALOGUE_SPEAKER_WORDS = 6  # the longest real name in the corpus has 2 words; its shortest stray sentence 7
MAIN_SPEAKER_LINES = 20  # an episode whose busiest speaker has this many lines has settled speakers
RARE_SPEAKER_LINES = 2
NEAR_DUPLICATE_RATIO = 4  # a misspelling is this many times rarer than the name it misspells


def speaker_looks_like_dialogue(speaker: str) -> bool:
    words = speaker.split()
    return len(words) >= DIALOGUE_SPEAKER_WORDS or (len(words) >= 3 and sentence_count(speaker) > 0)


def has_repeated_tail(variant: str, name: str) -> bool:
    """``Alexeylexey``, ``Ruslanan``, ``Andreyy``: ``name`` followed by one of its own endings."""
    tail = variant[len(name) :]
    return len(name) >= 3 and variant.startswith(name) and bool(tail) and name.endswith(tail)


def misspells(variant: str, name: str) -> bool:
    """A typo-sized difference: one edit in a name of 4+ letters, two in one of 8+."""
    allowed = 2 if len(name) >= 8 else 1 if len(name) >= 4 else 0
    return 0 < edit_distance(variant, name) <= allowed


def near_duplicate_of(speaker: str, counts: Counter) -> str | None:
    """The more frequent speaker ``speaker`` is probably a mangled spelling of, if any.

    Names equal but for stray punctuation are left to ``speaker-punctuation``: there the
    frequent spelling may be the wrong one (``Theo:`` 71 lines, ``Theo`` 3)."""
    spelling = clean_name(speaker)
    variant = spelling.casefold()
    for name, count in counts.most_common():
        if count <= counts[speaker]:
            break
        other = clean_name(name)
        if not other or other == spelling:
            continue
        other = other.casefold()
        much_rarer = counts[speaker] * NEAR_DUPLICATE_RATIO <= count
        if variant == other or has_repeated_tail(variant, other) or (misspells(variant, other) and much_rarer):
            return name
    return None


def speaker_counts(episode: EpisodeFacts) -> Counter:
    return Counter({speaker: len(positions) for speaker, positions in episode.speaker_positions.items()})


def named_speakers(episode: EpisodeFacts) -> Iterator[tuple[str, list[int]]]:
    """Speakers with a name once punctuation is stripped (the others are lines without speaker)."""
    for speaker, positions in episode.speaker_positions.items():
        if clean_name(speaker):
            yield speaker, positions


def has_stray_punctuation(speaker: str) -> bool:
    return clean_name(speaker) != speaker and not speaker_looks_like_dialogue(speaker)


def misspelled_speakers(episode: EpisodeFacts) -> set[str]:
    """Speakers that speaker-punctuation, speaker-dialogue or speaker-near-duplicate flag:
    the rules below skip them, so that each wrong speaker gets one finding, with its fix."""
    counts = speaker_counts(episode)
    return {
        speaker
        for speaker in counts
        if has_stray_punctuation(speaker) or speaker_looks_like_dialogue(speaker) or near_duplicate_of(speaker, counts)
    }


def speaker_punctuation(episode: EpisodeFacts) -> Iterator[Problem]:
    for speaker, positions in named_speakers(episode):
        if has_stray_punctuation(speaker):
            name = clean_name(speaker)
            yield (
                positions[0],
                f"speaker {speaker!r} has stray punctuation or spaces ({lines_phrase(len(positions))}); rename to {name!r}",
            )


def speaker_dialogue(episode: EpisodeFacts) -> Iterator[Problem]:
    for speaker, positions in named_speakers(episode):
        if speaker_looks_like_dialogue(speaker):
            yield positions[0], f"speaker is a sentence, not a name ({lines_phrase(len(positions))}): {quoted(speaker)}"


def speaker_near_duplicate(episode: EpisodeFacts) -> Iterator[Problem]:
    counts = speaker_counts(episode)
    for speaker, positions in named_speakers(episode):
        name = None if speaker_looks_like_dialogue(speaker) else near_duplicate_of(speaker, counts)
        if name:
            yield (
                positions[0],
                f"speaker {speaker!r} ({lines_phrase(len(positions))}) looks like a misspelling of {name!r} "
                f"({lines_phrase(counts[name])})",
            )


def speaker_rare(episode: EpisodeFacts) -> Iterator[Problem]:
    counts = speaker_counts(episode)
    if not counts or counts.most_common(1)[0][1] < MAIN_SPEAKER_LINES:
        return
    main = ", ".join(repr(name) for name, count in counts.most_common(2))
    # A rare clean spelling of a name also written with punctuation ("Theo" beside "Theo:") is that name.
    spellings = Counter(clean_name(speaker) for speaker in counts)
    explained = misspelled_speakers(episode) | {speaker for speaker in counts if spellings[clean_name(speaker)] > 1}
    for speaker, positions in named_speakers(episode):
        if len(positions) <= RARE_SPEAKER_LINES and speaker not in explained:
            yield positions[0], f"speaker {speaker!r} has only {lines_phrase(len(positions))}, while {main} speak most"


def speaker_unlinked(episode: EpisodeFacts) -> Iterator[Problem]:
    if episode.linked_speakers is None:
        return
    misspelled = misspelled_speakers(episode)  # fixed by a rename, not by a link
    for speaker, positions in named_speakers(episode):
        if speaker not in episode.linked_speakers and speaker not in misspelled:
            yield positions[0], f"speaker {speaker!r} ({lines_phrase(len(positions))}) is linked to no person"


def line_without_speaker(episode: EpisodeFacts) -> Iterator[Problem]:
    items = episode.items
    for position, item in enumerate(items):
        following = items[position + 1] if position + 1 < len(items) else None
        if item.kind == "line" and not clean_name(item.speaker or "") and not is_name_line(item, following):
            # The corpus often has such a line right before the same text with a speaker: a leftover copy.
            hint = "; the next line repeats its text" if following and following.text == item.text else ""
            yield position, f"line has no speaker{hint}: {quoted(item.text, 40)}"


def is_name_line(item: Item, following: Item | None) -> bool:
    """A stray line holding only the name of the next line's speaker, at the same moment
    (``Dashel`` then Dashel's line): the speaker label of a pasted transcript left as text."""
    return (
        item.kind == "line"
        and following is not None
        and following.kind == "line"
        and bool(clean_name(item.text))
        and clean_name(item.text).casefold() == clean_name(following.speaker or "").casefold()
        and (item.sec is None or following.sec is None or item.sec == following.sec)
    )


def speaker_name_line(episode: EpisodeFacts) -> Iterator[Problem]:
    items = episode.items
    for position, (item, following) in enumerate(itertools.pairwise(items)):
        if is_name_line(item, following):
            yield position, f"line holds only the name of the next line's speaker: {quoted(item.text, 40)}"


# Headers -----------------------------------------------------------------------------------

DIALOGUE_HEADER_WORDS = 25  # real section titles stay under 16 words
SENTENCES_HEADER_WORDS = 12  # ... and never hold two sentences at this length


def consecutive_headers(episode: EpisodeFacts) -> Iterator[Problem]:
    """One finding per run of headers, however long: each is one fix (merge or delete)."""
    position = 0
    for kind, group in groupby(episode.items, key=lambda item: item.kind):
        run = list(group)
        if kind == "header" and len(run) > 1:
            repeated = len(run) - len({item.text for item in run})
            detail = f", {repeated} of them repeating an earlier one" if repeated else ""
            yield position, f"{len(run)} consecutive headers (sections without lines{detail})"
        position += len(run)


def header_dialogue(episode: EpisodeFacts) -> Iterator[Problem]:
    for position, item in enumerate(episode.items):
        if item.kind != "header":
            continue
        words = len(item.text.split())
        if words >= DIALOGUE_HEADER_WORDS or (words >= SENTENCES_HEADER_WORDS and sentence_count(item.text) >= 2):
            yield position, f"header looks like dialogue ({words} words): {quoted(item.text)}"


def header_last(episode: EpisodeFacts) -> Iterator[Problem]:
    if episode.items and episode.items[-1].kind == "header":
        yield len(episode.items) - 1, f"the transcript ends with a header: {quoted(episode.items[-1].text)}"


# Time --------------------------------------------------------------------------------------


def time_backwards(episode: EpisodeFacts) -> Iterator[Problem]:
    previous_position = previous_sec = None
    for position, item in enumerate(episode.items):
        if item.sec is None:
            continue
        if previous_sec is not None and item.sec < previous_sec:
            yield position, f"sec {item.sec} is before the previous timed item's {previous_sec} (at {previous_position})"
        previous_position, previous_sec = position, item.sec


def time_sec_mismatch(episode: EpisodeFacts) -> Iterator[Problem]:
    for position, item in enumerate(episode.items):
        if item.time is None or item.sec is None:
            continue
        try:
            seconds = timecode.parse(item.time)
        except ValueError:
            yield position, f"time {item.time!r} is not h:mm:ss or m:ss (sec is {item.sec})"
            continue
        if seconds != item.sec:
            yield position, f"time {item.time!r} is {seconds} s but sec is {item.sec}"


# The episode as a whole --------------------------------------------------------------------


def guest_missing(episode: EpisodeFacts) -> Iterator[Problem]:
    for short in episode.guests_without_profile:
        yield None, f"guest {short!r} has no profile; import its people file to link it"


def description_missing(episode: EpisodeFacts) -> Iterator[Problem]:
    if not episode.description.strip():
        yield None, "no description"


def intro_missing(episode: EpisodeFacts) -> Iterator[Problem]:
    if not episode.intro.strip():
        yield None, "no intro"


def value_kept_as_written(episode: EpisodeFacts) -> Iterator[Problem]:
    for key, value in episode.kept_as_written:
        yield None, f"{key} is kept as written because it is {schema.describe(value)}; its field stays empty"


def duplicate_numbers(episodes: Iterable[tuple[str, int | None, int | None]]) -> dict[str, str]:
    """Slug -> message for each episode that shares its (season, number) with another."""
    slugs_by_number = defaultdict(list)
    for slug, season, number in episodes:
        if season is not None and number is not None:
            slugs_by_number[season, number].append(slug)
    return {
        slug: f"season {season} episode {number} is also {', '.join(other for other in slugs if other != slug)}"
        for (season, number), slugs in slugs_by_number.items()
        if len(slugs) > 1
        for slug in slugs
    }


# The table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    description: str
    check: Callable[[EpisodeFacts], Iterable[Problem]] | None  # None: compares episodes, run by audit_episodes


RULES = (
    Rule("speaker-punctuation", ERROR, "speaker with punctuation or spaces at either end (`Alexey:`)", speaker_punctuation),
    Rule("speaker-dialogue", ERROR, "speaker that is a sentence of dialogue, not a name", speaker_dialogue),
    Rule(
        "speaker-near-duplicate",
        WARNING,
        "speaker that misspells a more frequent one (`Alexeylexey`, `Ruslanan`, `Andreyy`)",
        speaker_near_duplicate,
    ),
    Rule("speaker-rare", WARNING, "speaker with one or two lines where the main speakers have many", speaker_rare),
    Rule("speaker-unlinked", WARNING, "speaker linked to no person (guest, host or alias)", speaker_unlinked),
    Rule("line-without-speaker", WARNING, "line with no speaker", line_without_speaker),
    Rule(
        "speaker-name-line",
        WARNING,
        "stray line holding only the name of the next line's speaker (`Dashel` before Dashel's line)",
        speaker_name_line,
    ),
    Rule("consecutive-headers", WARNING, "run of headers with no line between them (one finding per run)", consecutive_headers),
    Rule("header-dialogue", ERROR, "header that is a paragraph of dialogue", header_dialogue),
    Rule("header-last", WARNING, "header as the last transcript item", header_last),
    Rule("time-backwards", ERROR, "`sec` smaller than the previous timed item's", time_backwards),
    Rule("time-sec-mismatch", ERROR, "`time` that is not h:mm:ss / m:ss or disagrees with `sec`", time_sec_mismatch),
    Rule("guest-missing", WARNING, "guest id with no guest profile", guest_missing),
    Rule("description-missing", WARNING, "episode without description", description_missing),
    Rule("intro-missing", WARNING, "episode without intro", intro_missing),
    Rule(
        "value-kept-as-written",
        WARNING,
        "known key kept as written: its value had an unexpected type",
        value_kept_as_written,
    ),
    Rule("duplicate-number", ERROR, "two episodes with the same season and episode number", None),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}
RULE_ORDER = {rule.id: index for index, rule in enumerate(RULES)}


# Running the rules -------------------------------------------------------------------------


def check_facts(slug: str, facts: EpisodeFacts) -> list[Finding]:
    return [
        Finding(slug, rule.id, rule.severity, position, message)
        for rule in RULES
        if rule.check
        for position, message in rule.check(facts)
    ]


def episode_facts(episode: Episode, show: Show, aliases: AliasIndex | None = None) -> EpisodeFacts:
    kept_keys = schema.EPISODE_SCALARS.keys()
    return EpisodeFacts(
        items=[Item(line.kind, line.text, line.speaker, line.sec, line.time) for line in episode.transcript.all()],
        description=episode.description,
        intro=episode.intro,
        guests_without_profile=[row.guest_short for row in episode.episode_guests.all() if row.guest_id is None],
        kept_as_written=[(key, frontmatter.from_json(value)) for key, value in episode.extra or () if key in kept_keys],
        linked_speakers=set(speaker_people(episode, show, aliases)),
    )


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.position is not None, f.position or 0, RULE_ORDER[f.rule]))


def audit_episode(episode: Episode, show: Show | None = None) -> list[Finding]:
    """The findings of every single-episode rule. With ``transcript`` and
    ``episode_guests__guest`` prefetched (see ``for_audit``) it costs two queries:
    the show (none when given) and the episode's speaker aliases."""
    return sorted_findings(check_facts(episode.slug, episode_facts(episode, show or Show.current())))


def for_audit(queryset):
    fields = ("episode_id", "position", "kind", "text", "speaker", "sec", "time")
    return queryset.defer("source_layout", "body").prefetch_related(
        Prefetch("transcript", queryset=TranscriptLine.objects.only(*fields)), "episode_guests__guest"
    )


def audit_episodes(queryset) -> dict[str, list[Finding]]:
    """Slug -> findings (possibly none) for each episode of ``queryset``, including
    clashes of season and number with any episode, selected or not."""
    show = Show.current()
    episodes = list(for_audit(queryset))
    aliases = load_aliases([episode.pk for episode in episodes])
    numbered = duplicate_numbers(
        Episode.objects.filter(season__isnull=False, number__isnull=False).values_list("slug", "season", "number")
    )
    duplicate = RULES_BY_ID["duplicate-number"]
    results = {}
    for episode in episodes:
        findings = check_facts(episode.slug, episode_facts(episode, show, aliases))
        if episode.slug in numbered:
            findings.append(Finding(episode.slug, duplicate.id, duplicate.severity, None, numbered[episode.slug]))
        results[episode.slug] = sorted_findings(findings)
    return results
