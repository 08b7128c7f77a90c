"""The optimistic lock on episodes: every change names the version it was made against.

Each save of an episode, by an editor, an import or a restore, raises its
``version`` through ``bump_version``; a change made against an older version
loses with ``ConflictError`` instead of overwriting someone else's work.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from podcasts.models import Episode
from podcasts.public import caching

from . import revisions

CONFLICT_MESSAGE = "This episode was saved by someone else after you opened it. Your changes were not applied."


class ConflictError(Exception):
    """The episode changed since the editor loaded it."""


def bump_version(episode_ids, *, expected: int | None = None, editor=None) -> None:
    """Raise every episode's version in one UPDATE; with ``expected``, only if the
    (single) episode is still at that version, else ``ConflictError``.

    Call it inside the change's transaction BEFORE the episode's rows change: it settles
    the open revision of an edit burst at the state the burst left (``revisions.before_change``).
    ``editor``: the user whose in-place edit this is; the change joins their edit burst
    (one revision for a few minutes of changes, no export per change)."""
    episodes = Episode.objects.filter(pk__in=episode_ids)
    if expected is not None:
        episodes = episodes.filter(version=expected)
    if episodes.update(version=F("version") + 1, updated_at=timezone.now()) != len(episode_ids):
        raise ConflictError(CONFLICT_MESSAGE)
    revisions.before_change(episode_ids, editor=editor)
    caching.content_changed(Episode)  # bulk updates send no signals


def check_version(episode_id: int, loaded: int) -> None:
    """``ConflictError`` unless the episode is still at version ``loaded``. Inside a
    transaction the row stays locked until it ends, so the save that follows wins."""
    with transaction.atomic():
        current = Episode.objects.select_for_update().values_list("version", flat=True).get(pk=episode_id)
    if current != loaded:
        raise ConflictError(CONFLICT_MESSAGE)
