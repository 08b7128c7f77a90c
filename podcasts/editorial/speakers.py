"""Renaming speakers and linking them to people."""

from django.db import transaction

from podcasts.models import Revision, SpeakerAlias, TranscriptLine

from .revisions import record_revisions
from .versions import bump_version


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
        if affected:
            bump_version(affected)  # before the lines change: an open edit burst keeps the state it ended at
        changed = lines.update(speaker=new)
        if affected:
            record_revisions(affected, Revision.Reason.EDIT, user=user, note=f"speaker {old!r} renamed to {new!r}")
    return changed


def link_speaker(speaker: str, guest, *, episode=None) -> SpeakerAlias:
    """Link a `who:` value to a person in ``episode`` only, or everywhere (None)."""
    alias, _ = SpeakerAlias.objects.update_or_create(speaker=speaker, episode=episode, defaults={"guest": guest})
    return alias
