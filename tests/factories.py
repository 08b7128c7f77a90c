"""Small factories for database tests: sequence slugs, only the fields a test names."""

from itertools import count

from podcasts.models import Episode, EpisodeGuest, Guest, TranscriptLine

_numbers = count(1)


def make_episode(slug: str | None = None, *, transcript=(), guests=(), **fields) -> Episode:
    """An episode with ``transcript`` items as dicts (``{"line": ..., "who": ...}`` or
    ``{"header": ...}``) and ``guests`` as ids, linked when a Guest with that id exists."""
    episode = Episode.objects.create(slug=slug or f"episode-{next(_numbers)}", **fields)
    TranscriptLine.objects.bulk_create(
        TranscriptLine(
            episode=episode,
            position=position,
            kind="header" if "header" in item else "line",
            text=item.get("header", item.get("line")),
            speaker=item.get("who"),
            sec=item.get("sec"),
            time=item.get("time"),
        )
        for position, item in enumerate(transcript)
    )
    profiles = {guest.short: guest for guest in Guest.objects.filter(short__in=guests)}
    EpisodeGuest.objects.bulk_create(
        EpisodeGuest(episode=episode, guest_short=short, guest=profiles.get(short), position=position)
        for position, short in enumerate(guests)
    )
    return episode
