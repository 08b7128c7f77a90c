"""Quotable clips proposed from the transcript's headers, and replacing an episode's clips."""

from django.db import transaction

from podcasts import transcripts
from podcasts.models import Episode, QuotableClip, Revision

from .revisions import record_revision
from .versions import bump_version


def clips_from_headers(episode: Episode) -> list[QuotableClip]:
    """A clip (not saved) per header, from when its section starts (``transcripts.header_times``)
    to the next section's start. Back-to-back headers each keep their own (zero-length) clip."""
    items = list(episode.transcript.all())
    starts = [(header.text, start) for header, start in transcripts.header_times(items) if start is not None]
    last_sec = max((item.sec for item in items if item.sec is not None), default=0)
    clips = []
    for number, (name, start) in enumerate(starts):
        end = starts[number + 1][1] if number + 1 < len(starts) else last_sec
        clips.append(QuotableClip(name=name, start_offset=start, end_offset=max(end, start), url=episode.youtube_url(start)))
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
