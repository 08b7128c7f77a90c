"""Quotable clips proposed from the transcript's headers, and replacing an episode's clips."""

from collections import Counter

from django.db import transaction

from podcasts import transcripts
from podcasts.models import Episode, QuotableClip, Revision

from .revisions import record_revision
from .versions import bump_version


def clips_from_headers(episode: Episode) -> list[QuotableClip]:
    """A clip (not saved) per section (``transcripts.sections``: headers on one second are
    one section), from its start to the next section's, the last to the last timed line.
    A section that would last no time is left out, and one named as the section before it
    extends that clip: no zero-length clip, no name twice in a row. A name that comes back
    later is numbered (``Intro (2)``), since ``chapters.json`` shows every clip by name."""
    items = list(episode.transcript.all())
    last_sec = max((item.sec for item in items if item.sec is not None), default=0)
    starts = [(header.text, start) for header, start in transcripts.sections(items)]
    clips, seen = [], Counter()
    for number, (name, start) in enumerate(starts):
        end = starts[number + 1][1] if number + 1 < len(starts) else last_sec
        if clips and clips[-1].name == name:
            clips[-1].end_offset = end
        elif end > start:
            seen[name] += 1
            label = name if seen[name] == 1 else f"{name} ({seen[name]})"
            clips.append(QuotableClip(name=label, start_offset=start, end_offset=end, url=episode.youtube_url(start)))
    return clips


def replace_clips(episode: Episode, clips: list[QuotableClip], *, version: int, user=None) -> None:
    """Make ``clips`` (not saved yet) the episode's clips, in order."""
    for position, clip in enumerate(clips):
        clip.episode, clip.position = episode, position
    with transaction.atomic():
        bump_version([episode.pk], expected=version)
        episode.clips.all().delete()
        QuotableClip.objects.bulk_create(clips)
        if "quotableClips" not in episode.front_matter_keys:
            Episode.objects.filter(pk=episode.pk).update(front_matter_keys=[*episode.front_matter_keys, "quotableClips"])
        record_revision(episode, Revision.Reason.EDIT, user=user, note="clips regenerated from headers")
