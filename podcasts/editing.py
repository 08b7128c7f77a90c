"""Editorial changes to episodes (and guests): each one versioned, in one transaction, with a revision.

Every function here is what the admin calls; none of them knows about
requests or forms. ``version`` is the optimistic lock: a change names the
version it was made against, and loses (``ConflictError``) if someone else
saved in between, so nothing is overwritten silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from . import caching, frontmatter, transcripts
from .exporting import export_bytes, file_name
from .importing import apply_episode, apply_guest, insert_rows
from .models import Episode, Guest, QuotableClip, Revision, TranscriptLine


class ConflictError(Exception):
    """The episode changed since the editor loaded it."""


def claim_version(episode_ids, expected: int | None = None) -> None:
    """Raise every episode's version in one UPDATE; with ``expected``, only if
    the (single) episode is still at that version."""
    episodes = Episode.objects.filter(pk__in=episode_ids)
    if expected is not None:
        episodes = episodes.filter(version=expected)
    if episodes.update(version=F("version") + 1, updated_at=timezone.now()) != len(episode_ids):
        raise ConflictError("This episode was saved by someone else after you opened it. Your changes were not applied.")
    caching.content_changed(Episode)  # bulk updates send no signals


def record_revisions(episode_ids, reason: str, user=None, note: str = "") -> list[Revision]:
    """Store each episode's exported file as a revision, in a constant number of queries."""
    episodes = Episode.objects.for_export().filter(pk__in=episode_ids)
    return Revision.objects.bulk_create(
        Revision(
            episode=episode,
            file_name=file_name(episode),
            text=export_bytes(episode).decode("utf-8"),
            reason=reason,
            user=user,
            note=note,
        )
        for episode in episodes
    )


def record_revision(episode: Episode, reason: str, user=None, note: str = "") -> Revision:
    return record_revisions([episode.pk], reason, user, note)[0]


def record_guest_revision(guest: Guest, reason: str, user=None, note: str = "") -> Revision:
    return Revision.objects.create(
        guest=guest, file_name=file_name(guest), text=export_bytes(guest).decode("utf-8"), reason=reason, user=user, note=note
    )


# ------------------------------------------------------------------ speakers


@dataclass
class SpeakerCount:
    speaker: str | None
    lines: int
    first_position: int


def speaker_counts(episode: Episode) -> list[SpeakerCount]:
    rows = (
        episode.transcript.filter(kind=TranscriptLine.Kind.LINE)
        .values("speaker")
        .annotate(lines=Count("id"), first=Min("position"))
        .order_by("-lines", "first")
    )
    return [SpeakerCount(row["speaker"], row["lines"], row["first"]) for row in rows]


def rename_speaker(old: str, new: str, *, episode_ids=None, user=None) -> int:
    """Rename (or merge into an existing name) ``old`` to ``new`` on every line of
    the given episodes (default: all), in one UPDATE. Returns the lines changed."""
    new = new.strip()
    if not new:
        raise ValueError("The new speaker name is empty.")
    with transaction.atomic():
        lines = TranscriptLine.objects.filter(speaker=old, kind=TranscriptLine.Kind.LINE)
        if episode_ids is not None:
            lines = lines.filter(episode_id__in=episode_ids)
        affected = list(lines.order_by().values_list("episode_id", flat=True).distinct())
        changed = lines.update(speaker=new)
        if affected:
            claim_version(affected)
            record_revisions(affected, Revision.Reason.EDIT, user, f"speaker {old!r} renamed to {new!r}")
    return changed


# ---------------------------------------------------------------- transcript


@dataclass
class Item:
    """One transcript item as the editor submits it; ``id`` is None for a new one."""

    id: int | None
    kind: str
    text: str
    speaker: str | None = None
    sec: int | None = None
    time: str | None = None


_TIME = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)$")


def parse_time(text: str) -> int:
    """Seconds in ``h:mm:ss`` or ``m:ss``; ValueError otherwise."""
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a time like 1:05 or 1:02:03")
    hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def format_time(sec: int) -> str:
    hours, rest = divmod(sec, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def save_transcript(episode: Episode, items: list[Item], *, version: int, user=None) -> None:
    """Replace the transcript with ``items`` (in order) if ``version`` is current.

    Keys of an item that no field holds travel with its id."""
    with transaction.atomic():
        claim_version([episode.pk], expected=version)
        extras = dict(episode.transcript.filter(extra__isnull=False).values_list("id", "extra"))
        episode.transcript.all().delete()
        insert_rows(
            TranscriptLine,
            ("episode", "position", "kind", "text", "speaker", "sec", "time", "extra"),
            [
                (episode.pk, position, item.kind, item.text, item.speaker, item.sec, item.time, extras.get(item.id))
                for position, item in enumerate(items)
            ],
        )
        record_revision(episode, Revision.Reason.EDIT, user, "transcript edited")


def current_items(episode: Episode) -> list[Item]:
    return [Item(line.id, line.kind, line.text, line.speaker, line.sec, line.time) for line in episode.transcript.all()]


def apply_operation(items: list[Item], operation: str, target: int) -> list[Item]:
    """One editor operation on the item at index ``target``; returns the new list."""
    items = list(items)
    item = items[target]
    if operation == "delete":
        del items[target]
    elif operation == "up" and target > 0:
        items[target - 1], items[target] = items[target], items[target - 1]
    elif operation == "down" and target < len(items) - 1:
        items[target + 1], items[target] = items[target], items[target + 1]
    elif operation == "insert-header":
        items.insert(target, Item(None, TranscriptLine.Kind.HEADER, "New section"))
    elif operation == "to-header":
        items[target] = Item(item.id, TranscriptLine.Kind.HEADER, item.text)
    elif operation == "to-line":
        items[target] = Item(item.id, TranscriptLine.Kind.LINE, item.text, item.speaker, item.sec, item.time)
    elif operation == "merge-next":
        following = items[target + 1] if target + 1 < len(items) else None
        if item.kind != TranscriptLine.Kind.HEADER or following is None or following.kind != TranscriptLine.Kind.HEADER:
            raise ValueError("Only a header followed by another header can be merged with it.")
        items[target] = Item(item.id, item.kind, f"{item.text} {following.text}".strip())
        del items[target + 1]
    elif operation == "swap":
        if item.kind != TranscriptLine.Kind.LINE:
            raise ValueError("Only a line has a speaker to swap with its text.")
        items[target] = Item(item.id, item.kind, item.speaker or "", item.text, item.sec, item.time)
    elif operation not in ("up", "down"):
        raise ValueError(f"Unknown operation {operation!r}.")
    return items


# --------------------------------------------------------------------- clips


def clips_from_headers(episode: Episode) -> list[dict]:
    """A clip per header, from when its section starts (``transcripts.header_times``) to
    the next section's start. Back-to-back headers each keep their own (zero-length) clip."""
    items = list(episode.transcript.all())
    starts = [(header.text, start) for header, start in transcripts.header_times(items) if start is not None]
    last_sec = max((item.sec for item in items if item.sec is not None), default=0)
    video = episode.youtube_id
    clips = []
    for number, (name, start) in enumerate(starts):
        end = starts[number + 1][1] if number + 1 < len(starts) else last_sec
        url = f"https://www.youtube.com/watch?v={video}&t={start}" if video else ""
        clips.append({"name": name, "startOffset": start, "url": url, "endOffset": max(end, start)})
    return clips


def current_clips(episode: Episode) -> list[dict]:
    return [
        {"name": clip.name, "startOffset": clip.start_offset, "url": clip.url, "endOffset": clip.end_offset}
        for clip in episode.clips.all()
    ]


def replace_clips(episode: Episode, clips: list[dict], *, version: int, user=None) -> None:
    with transaction.atomic():
        claim_version([episode.pk], expected=version)
        episode.clips.all().delete()
        QuotableClip.objects.bulk_create(
            QuotableClip(
                episode=episode,
                position=position,
                name=clip["name"],
                start_offset=clip["startOffset"],
                end_offset=clip["endOffset"],
                url=clip["url"],
            )
            for position, clip in enumerate(clips)
        )
        if "quotableClips" not in episode.front_matter_keys:
            Episode.objects.filter(pk=episode.pk).update(front_matter_keys=[*episode.front_matter_keys, "quotableClips"])
        record_revision(episode, Revision.Reason.EDIT, user, "clips regenerated from headers")


# ---------------------------------------------------------------- publishing


def publish(episode_ids, *, at=None) -> int:
    """Publish the drafts among ``episode_ids`` now, or at ``at``: a future time
    schedules, since the public queryset compares with the clock and no job has to run."""
    with transaction.atomic():
        ids = list(Episode.objects.filter(pk__in=episode_ids, status=Episode.Status.DRAFT).values_list("pk", flat=True))
        Episode.objects.filter(pk__in=ids).update(status=Episode.Status.PUBLISHED, published_at=at or timezone.now())
        if ids:
            claim_version(ids)
    return len(ids)


def unpublish(episode_ids) -> int:
    with transaction.atomic():
        ids = list(Episode.objects.filter(pk__in=episode_ids, status=Episode.Status.PUBLISHED).values_list("pk", flat=True))
        Episode.objects.filter(pk__in=ids).update(status=Episode.Status.DRAFT, published_at=None)
        if ids:
            claim_version(ids)
    return len(ids)


# ----------------------------------------------------------------- revisions


def restore_revision(revision: Revision, user=None) -> Revision:
    """Bring a revision's file back as its episode's or guest's content, as a new
    revision; an episode's status stays. Raises ValueError when that was deleted."""
    subject = revision.subject
    if subject is None:
        raise ValueError(f"{revision.file_name} was deleted; import this text as a file to bring it back.")
    doc = frontmatter.parse(revision.text.encode("utf-8"))
    note = f"restored revision of {revision.created_at:%Y-%m-%d %H:%M}"
    with transaction.atomic():
        if isinstance(subject, Guest):
            apply_guest(subject, doc)
            return record_guest_revision(subject, Revision.Reason.RESTORE, user, note)
        apply_episode(subject, doc)
        return record_revision(subject, Revision.Reason.RESTORE, user, note)
