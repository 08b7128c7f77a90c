"""Revisions: an episode or guest as its exported file, stored at every change.

Every path that changes an episode or guest (admin save, transcript edit,
rename, clips, import, restore) records one through this module.
"""

from podcasts.files.exporting import export_bytes, file_name
from podcasts.models import Episode, Guest, Revision


def record_revision(subject: Episode | Guest, reason: str, *, user=None, note: str = "", text: str | None = None) -> Revision:
    """Store ``subject`` as the file an export writes now, or as ``text`` when the caller
    has it already (an import stores the very file it read). An episode is read again
    with its parts, since the caller's copy may predate the change."""
    if isinstance(subject, Episode) and text is None:
        subject = Episode.objects.for_export().get(pk=subject.pk)
    revision = _revision(subject, reason, user, note, text)
    revision.save()
    return revision


def record_revisions(episode_ids, reason: str, *, user=None, note: str = "") -> list[Revision]:
    """``record_revision`` for many episodes, in a constant number of queries."""
    episodes = Episode.objects.for_export().filter(pk__in=episode_ids)
    return Revision.objects.bulk_create(_revision(episode, reason, user, note) for episode in episodes)


def _revision(subject, reason, user, note, text=None) -> Revision:
    owner = {"episode": subject} if isinstance(subject, Episode) else {"guest": subject}
    limit = Revision._meta.get_field("note").max_length
    return Revision(
        **owner,
        file_name=file_name(subject),
        text=export_bytes(subject).decode("utf-8") if text is None else text,
        reason=reason,
        user=user,
        note=note if len(note) <= limit else "…" + note[-(limit - 1) :],  # an import's note is its path: keep the end
    )
