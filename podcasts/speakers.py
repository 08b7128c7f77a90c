"""Who is speaking: linking a transcript's `who:` text to a person's profile."""

from django.db.models import Q

from .models import Episode, Guest, Show, SpeakerAlias


def speaker_people(episode: Episode, show: Show | None = None) -> dict[str, Guest]:
    """Each `who:` value of ``episode`` that names a known person, mapped to that person.

    In order: an alias for this episode, a global alias, the show's host when
    `who:` is the host's transcript name, an episode guest whose first name it is.
    Expects ``transcript`` and ``episode_guests__guest`` to be prefetched (as the
    episode page does); then it costs two queries, or one when ``show`` (with its
    host) is given.
    """
    whos = {line.speaker for line in episode.transcript.all() if line.speaker}
    if not whos:
        return {}
    show = show or load_show()
    people: dict[str, Guest] = {}
    first_names = {}
    for row in episode.episode_guests.all():
        if row.guest and row.guest.name:
            first_names.setdefault(row.guest.name.split()[0].casefold(), row.guest)
    for who in whos:
        if show.host_id and who == show.host_speaker:
            people[who] = show.host
        elif who.casefold() in first_names:
            people[who] = first_names[who.casefold()]
    aliases = SpeakerAlias.objects.filter(Q(episode=episode) | Q(episode__isnull=True), speaker__in=whos).select_related("guest")
    global_aliases = {alias.speaker: alias.guest for alias in aliases if alias.episode_id is None}
    episode_aliases = {alias.speaker: alias.guest for alias in aliases if alias.episode_id is not None}
    return people | global_aliases | episode_aliases


def load_show() -> Show:
    """The show record with its host, in one query. A fresh install has none yet: its
    defaults are used without writing one, since a public GET changes nothing."""
    return Show.objects.select_related("host").filter(pk=1).first() or Show(pk=1)
