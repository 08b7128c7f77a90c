"""Replace episodes' headers with timestamps lists (``HH:MM:SS Title`` per line)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from podcasts.editorial.timestamps import apply_list_files
from podcasts.files.importing import UPDATED


class Command(BaseCommand):
    requires_system_checks = []  # data work: the feed readiness warnings are `check`'s, not every import's
    help = (
        "Apply timestamps lists (<slug>.txt, or sNNeMM-anything.txt for season NN, number MM) to their episodes: "
        "every header replaced, lines untouched. One transaction and one revision per file; unknown or ambiguous "
        "matches are skipped; path:line: errors and exit 1 for a malformed list."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="lists (.txt) or folders searched for *.txt")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, paths, dry_run, verbosity, **options):
        try:
            report = apply_list_files(paths, dry_run=dry_run)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        for result in report.results:
            if result.message:
                self.stderr.write(result.message)
            elif result.status == UPDATED and verbosity >= 1 or verbosity >= 2:
                self.stdout.write(f"{result.status}: {result.name}" + "".join(f" ({change})" for change in result.changes))
        self.stdout.write(("dry run, nothing written: " if dry_run else "") + report.summary())
        if report.failed:
            raise SystemExit(1)
