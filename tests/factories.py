"""Small factories for database tests: sequence slugs, only the fields a test names."""

import datetime
from itertools import count

from django.utils import timezone

from podcasts.models import Episode, EpisodeGuest, Guest, TranscriptLine

_numbers = count(1)

# Two sections and three timed lines: what published(), draft() and scheduled() give an episode by default.
TRANSCRIPT = [
    {"header": "Introduction"},
    {"line": "Welcome to the show.", "who": "Alexey", "sec": 65, "time": "1:05"},
    {"line": "Thanks for having me.", "who": "Ada", "sec": 92, "time": "1:32"},
    {"header": "Careers"},
    {"line": "How did it start?", "who": "Alexey", "sec": 130, "time": "2:10"},
]


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


def published(slug=None, *, ago=datetime.timedelta(days=1), **fields) -> Episode:
    """An episode published ``ago`` (a day by default), with ``TRANSCRIPT`` unless given one."""
    fields.setdefault("transcript", TRANSCRIPT)
    return make_episode(slug, status=Episode.Status.PUBLISHED, published_at=timezone.now() - ago, **fields)


def draft(slug=None, **fields) -> Episode:
    """A draft episode, with ``TRANSCRIPT`` unless given one."""
    fields.setdefault("transcript", TRANSCRIPT)
    return make_episode(slug, **fields)


def scheduled(slug=None, **fields) -> Episode:
    """An episode published a day from now: not public yet. ``TRANSCRIPT`` unless given one."""
    fields.setdefault("transcript", TRANSCRIPT)
    return make_episode(slug, status=Episode.Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=1), **fields)
