"""Report what the audit finds in episodes, for people (one line each) or for tools (--json)."""

import json
from collections import Counter
from dataclasses import asdict

from django.core.management.base import BaseCommand

from podcasts.audit import ERROR, WARNING, audit_episodes
from podcasts.management.base import named_episodes


class Command(BaseCommand):
    requires_system_checks = []  # data work: the feed readiness warnings are `check`'s, not every import's
    help = "Audit episodes (all, or the slugs given) and print one line per finding; exit 0 either way."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these episodes (default: all)")
        parser.add_argument("--json", action="store_true", help="print one JSON object per finding, nothing else")

    def handle(self, *args, slugs, **options):
        episodes = named_episodes(slugs)
        results = audit_episodes(episodes)
        findings = [finding for slug in sorted(results) for finding in results[slug]]
        if options["json"]:
            for finding in findings:
                self.stdout.write(to_json(finding))
            return
        for finding in findings:
            self.stdout.write(describe(finding), self.style.ERROR if finding.severity == ERROR else self.style.WARNING)
        severities = Counter(finding.severity for finding in findings)
        with_findings = sum(1 for found in results.values() if found)
        self.stdout.write(
            f"{len(findings)} findings ({severities[ERROR]} errors, {severities[WARNING]} warnings) "
            f"in {with_findings} of {len(results)} episodes"
        )


def to_json(finding) -> str:
    return json.dumps(asdict(finding), ensure_ascii=False)


def describe(finding) -> str:
    """``slug:position: severity rule: message``; the position is left out for the episode as a whole."""
    where = finding.episode if finding.position is None else f"{finding.episode}:{finding.position}"
    return f"{where}: {finding.severity} {finding.rule}: {finding.message}"
