"""Audit findings for admin lists and pages, cached per episode version."""

from django.core.cache import cache

from podcasts import audit
from podcasts.models import Episode

FINDINGS_SECONDS = 24 * 3600


def audit_findings(episodes) -> dict[int, list]:
    """Episode pk -> audit findings, cached per episode version so lists stay fast.

    Findings that depend on other records (a guest profile imported later) refresh
    when the episode next changes."""
    keys = {episode.pk: f"audit:{episode.pk}:{episode.version}:{episode.updated_at.timestamp()}" for episode in episodes}
    cached = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in cached]
    if missing:
        slugs = dict(Episode.objects.filter(pk__in=missing).values_list("slug", "pk"))
        fresh = {slugs[slug]: found for slug, found in audit.audit_episodes(Episode.objects.filter(pk__in=missing)).items()}
        cache.set_many({keys[pk]: found for pk, found in fresh.items()}, timeout=FINDINGS_SECONDS)
        cached.update({keys[pk]: found for pk, found in fresh.items()})
    return {pk: cached.get(key, []) for pk, key in keys.items()}
