"""Who is speaking: the `who:` values of a transcript, and the people they name.

Reading, but for one write: a fresh install's host (``adopt_host``), set by the people
import. Renaming and linking are editorial changes (``editorial.speakers``).
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import Count, Min, Q

from .models import Episode, Guest, Show, SpeakerAlias, TranscriptLine

AliasIndex = dict[tuple[str, int | None], Guest]  # (speaker, episode id or None for all) -> person


def load_aliases(episode_ids) -> AliasIndex:
    """The aliases that apply to these episodes, in one query: theirs and the global ones."""
    aliases = SpeakerAlias.objects.filter(Q(episode_id__in=episode_ids) | Q(episode__isnull=True)).select_related("guest")
    return {(alias.speaker, alias.episode_id): alias.guest for alias in aliases}


def speaker_people(episode: Episode, show: Show, aliases: AliasIndex | None = None) -> dict[str, Guest]:
    """Each `who:` value of ``episode`` that names a known person, mapped to that person.

    In order: an alias for this episode, a global alias, the show's host when
    `who:` is the host's transcript name, an episode guest whose first or full name it is
    (``name_key``: case and accents ignored).
    Expects ``transcript`` and ``episode_guests__guest`` to be prefetched; then it
    costs one query, or none when the ``aliases`` of many episodes were loaded at once.
    """
    whos = {line.speaker for line in episode.transcript.all() if line.speaker}
    if not whos:
        return {}
    if aliases is None:
        aliases = load_aliases([episode.pk])
    guest_names = {}
    for row in episode.episode_guests.all():
        if row.guest and row.guest.name:
            for name in (row.guest.name.split()[0], row.guest.name):
                guest_names.setdefault(name_key(name), row.guest)
    people = {}
    for who in whos:
        person = aliases.get((who, episode.pk)) or aliases.get((who, None))
        if person is None and show.host_id and who == show.host_speaker:
            person = show.host
        person = person or guest_names.get(name_key(who))
        if person is not None:
            people[who] = person
    return people


def is_named(speaker: str, person_name: str) -> bool:
    """Whether ``speaker`` is the first or full name of ``person_name`` (``name_key``)."""
    words = person_name.split()
    return bool(words) and name_key(speaker) in {name_key(words[0]), name_key(person_name)}


def adopt_host() -> Guest | None:
    """On a fresh install, the show's host: when the show has none yet, the one person whose
    first or full name is ``Show.host_speaker`` (``Alexey``) becomes it, and is returned. The
    host's people file lives with the guests', so importing the people links the host; with
    two such people neither is chosen (an editor sets the host in the admin)."""
    show = Show.current()
    if show.host_id:
        return None
    namesakes = [person for person in Guest.objects.only("pk", "name") if is_named(show.host_speaker, person.name)]
    if len(namesakes) != 1:
        return None
    show.host = namesakes[0]
    show.save()
    return show.host


def name_key(name: str) -> str:
    """A name as transcripts may spell it: case and accents ignored (``Dania`` is ``Dânia``)."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold().translate(UNDOTTED))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


UNDOTTED = str.maketrans({"ı": "i"})  # Turkish dotless i has no accent to drop (Mısra is Misra)


def speaker_names(episode: Episode, show: Show) -> dict[str, str]:
    """The name to show for each `who:` value that names a person."""
    return {who: person.name or who for who, person in speaker_people(episode, show).items()}


@dataclass
class SpeakerCount:
    speaker: str | None
    lines: int
    first_position: int


def speaker_counts(episode: Episode) -> list[SpeakerCount]:
    """Each `who:` value of the episode's lines (None: no speaker), busiest first."""
    rows = (
        episode.transcript.filter(kind=TranscriptLine.Kind.LINE)
        .values("speaker")
        .annotate(lines=Count("id"), first=Min("position"))
        .order_by("-lines", "first")
    )
    return [SpeakerCount(row["speaker"], row["lines"], row["first"]) for row in rows]


def speaker_choices(episode: Episode, show: Show) -> list[str]:
    """What an editor may want in `who:`: the episode's speakers, its guests' full and
    first names, and the host's transcript name. Reads prefetched ``episode_guests__guest``."""
    names = list(episode.transcript.exclude(speaker=None).values_list("speaker", flat=True).distinct())
    for row in episode.episode_guests.all():
        if row.guest is not None and row.guest.name:
            names += [row.guest.name, row.guest.name.split()[0]]
    names.append(show.host_speaker)
    return sorted(set(names))
