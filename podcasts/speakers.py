"""Who is speaking: linking a transcript's `who:` text to a person's profile."""

from django.db.models import Q

from .models import Episode, Guest, Show, SpeakerAlias

AliasIndex = dict[tuple[str, int | None], Guest]  # (speaker, episode id or None for all) -> person


def load_aliases(episode_ids) -> AliasIndex:
    """The aliases that apply to these episodes, in one query: theirs and the global ones."""
    aliases = SpeakerAlias.objects.filter(Q(episode_id__in=episode_ids) | Q(episode__isnull=True)).select_related("guest")
    return {(alias.speaker, alias.episode_id): alias.guest for alias in aliases}


def speaker_people(episode: Episode, show: Show, aliases: AliasIndex | None = None) -> dict[str, Guest]:
    """Each `who:` value of ``episode`` that names a known person, mapped to that person.

    In order: an alias for this episode, a global alias, the show's host when
    `who:` is the host's transcript name, an episode guest whose first name it is.
    Expects ``transcript`` and ``episode_guests__guest`` to be prefetched; then it
    costs one query, or none when the ``aliases`` of many episodes were loaded at once.
    """
    whos = {line.speaker for line in episode.transcript.all() if line.speaker}
    if not whos:
        return {}
    if aliases is None:
        aliases = load_aliases([episode.pk])
    first_names = {}
    for row in episode.episode_guests.all():
        if row.guest and row.guest.name:
            first_names.setdefault(row.guest.name.split()[0].casefold(), row.guest)
    people = {}
    for who in whos:
        person = aliases.get((who, episode.pk)) or aliases.get((who, None))
        if person is None and show.host_id and who == show.host_speaker:
            person = show.host
        person = person or first_names.get(who.casefold())
        if person is not None:
            people[who] = person
    return people


def speaker_names(episode: Episode, show: Show) -> dict[str, str]:
    """The name to show for each `who:` value that names a person."""
    return {who: person.name or who for who, person in speaker_people(episode, show).items()}
