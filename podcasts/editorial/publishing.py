"""Publishing: a published episode with a publication time is public from that time on."""

from django.db import transaction
from django.utils import timezone

from podcasts.models import Episode

from .versions import bump_version


def publish(episode_ids, *, at=None) -> int:
    """Publish the drafts among ``episode_ids`` now, or at ``at``: a future time
    schedules, since the public queryset compares with the clock and no job has to run."""
    return _set_status(episode_ids, Episode.Status.DRAFT, Episode.Status.PUBLISHED, at or timezone.now())


def unpublish(episode_ids) -> int:
    return _set_status(episode_ids, Episode.Status.PUBLISHED, Episode.Status.DRAFT, None)


def _set_status(episode_ids, old: str, new: str, published_at) -> int:
    with transaction.atomic():
        ids = list(Episode.objects.filter(pk__in=episode_ids, status=old).values_list("pk", flat=True))
        if ids:
            bump_version(ids)  # first: it closes an open edit burst
        Episode.objects.filter(pk__in=ids).update(status=new, published_at=published_at)
    return len(ids)
