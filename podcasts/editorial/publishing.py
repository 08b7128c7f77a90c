"""Publishing: a published episode with a publication time is public from that time on.

Every way of publishing in the admin (the action, the Publish page, the status field of
the change form) asks again when ``audit_errors`` finds any, and every one of them
shows the state as ``publication_label`` words it.
"""

from django.db import transaction
from django.utils import timezone

from podcasts import audit
from podcasts.models import Episode

from .versions import bump_version


def publish(episode_ids, *, at=None) -> int:
    """Publish the drafts among ``episode_ids`` now, or at ``at``: a future time
    schedules, since the public queryset compares with the clock and no job has to run."""
    return _set_status(episode_ids, Episode.Status.DRAFT, Episode.Status.PUBLISHED, at or timezone.now())


def unpublish(episode_ids) -> int:
    return _set_status(episode_ids, Episode.Status.PUBLISHED, Episode.Status.DRAFT, None)


def audit_errors(episode_ids) -> dict[str, list[audit.Finding]]:
    """The audit's errors of each of these episodes that has any, by slug: what a publisher
    confirms before publishing."""
    findings = audit.audit_episodes(Episode.objects.filter(pk__in=episode_ids))
    errors = {slug: [finding for finding in found if finding.severity == audit.ERROR] for slug, found in findings.items()}
    return {slug: found for slug, found in errors.items() if found}


def publication_label(episode: Episode) -> str:
    """ "Draft", "Scheduled for 2026-12-01 09:00 UTC" or "Published 2026-11-20 10:00 UTC",
    in the site's time zone, named."""
    if episode.status != Episode.Status.PUBLISHED or episode.published_at is None:
        return "Draft"
    when = f"{timezone.localtime(episode.published_at):%Y-%m-%d %H:%M %Z}"
    return f"Published {when}" if episode.is_public else f"Scheduled for {when}"


def _set_status(episode_ids, old: str, new: str, published_at) -> int:
    with transaction.atomic():
        ids = list(Episode.objects.filter(pk__in=episode_ids, status=old).values_list("pk", flat=True))
        if ids:
            bump_version(ids)  # first: it closes an open edit burst
        Episode.objects.filter(pk__in=ids).update(status=new, published_at=published_at)
    return len(ids)
