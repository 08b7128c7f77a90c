"""Audit findings for admin lists and pages, cached per episode version, and grouped by rule
with their fixes for the episode page."""

from dataclasses import dataclass

from django.core.cache import cache

from podcasts import audit
from podcasts.editorial import fixes
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


@dataclass
class FindingGroup:
    """The findings of one rule in an episode, each with its fix (None: no determined fix)."""

    rule: audit.Rule
    findings: list[tuple[audit.Finding, fixes.Fix | None]]

    @property
    def fixable(self) -> int:
        return sum(fix is not None for _, fix in self.findings)


def finding_groups(episode, findings: list) -> list[FindingGroup]:
    """``findings`` grouped by rule (in the order of ``audit.RULES``), each with its fix."""
    fixable_rules = {finding.rule for finding in findings} & fixes.FIXERS.keys()
    found_fixes = fixes.all_fixes(fixes.Transcript.load(episode).facts, fixable_rules) if fixable_rules else {}
    groups = {}
    for finding in findings:
        group = groups.setdefault(finding.rule, FindingGroup(audit.RULES_BY_ID[finding.rule], []))
        group.findings.append((finding, found_fixes.get((finding.rule, finding.position))))
    return [groups[rule.id] for rule in audit.RULES if rule.id in groups]
