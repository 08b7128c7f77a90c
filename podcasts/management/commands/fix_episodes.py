"""Apply every safe audit fix (``editorial.fixes.SAFE_RULES``) to episodes: one transaction
and one revision per episode changed."""

from django.core.management.base import BaseCommand

from podcasts.editorial.fixes import FIXERS, SAFE_RULES, fix_episodes
from podcasts.management.base import named_episodes


class Command(BaseCommand):
    requires_system_checks = []  # data work: the feed readiness warnings are `check`'s, not every import's
    help = "Apply the audit's safe fixes to episodes (all, or the slugs given) and print what changed."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these episodes (default: all)")
        parser.add_argument(
            "--rule",
            action="append",
            choices=sorted(FIXERS),
            help=f"only this rule (repeatable; default: {', '.join(SAFE_RULES)})",
        )
        parser.add_argument("--dry-run", action="store_true", help="report the fixes, write nothing")

    def handle(self, *args, slugs, rule, dry_run, **options):
        episodes = named_episodes(slugs)
        rules = [name for name in FIXERS if name in rule] if rule else SAFE_RULES
        results = fix_episodes(episodes.only("pk", "slug"), rules, dry_run=dry_run)
        for result in results:
            for fix in result.fixes:
                self.stdout.write(f"{result.episode.slug}:{fix.position}: {fix.rule}: {fix.description}")
        fixes = sum(len(result.fixes) for result in results)
        rows = sum(result.rows for result in results)
        verb = "would fix" if dry_run else "fixed"
        self.stdout.write(f"{verb} {fixes} findings ({rows} rows) in {len(results)} episodes")
