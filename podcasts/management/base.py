"""The shared shape of the import and export commands; each command names its kind."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from podcasts.files import exporting, importing
from podcasts.models import Episode


def named_episodes(slugs: list[str]):
    """The episodes with these slugs (all when none is given), by slug; an unknown slug is an error."""
    episodes = Episode.objects.order_by("slug")
    if slugs:
        episodes = episodes.filter(slug__in=slugs)
        unknown = sorted(set(slugs) - set(episodes.values_list("slug", flat=True)))
        if unknown:
            raise CommandError(f"no such episode: {', '.join(unknown)}")
    return episodes


class ImportCommand(BaseCommand):
    requires_system_checks = []  # data work: the feed readiness warnings are `check`'s, not every import's
    kind: importing.Kind
    noun = "files"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help=f"{self.noun} (.md) or folders searched for *.md")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--force", action="store_true", help="overwrite edits made in the CMS since the last import")
        parser.add_argument(
            "--merge",
            action="store_true",
            help="keep the CMS edits since the last import that touch nothing the file changes (three-way merge)",
        )

    def import_options(self, options) -> dict:
        return {"force": options["force"], "merge": options["merge"], "dry_run": options["dry_run"]}

    def handle(self, *args, **options):
        try:
            report = importing.import_paths(self.kind, options["paths"], **self.import_options(options))
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        write_report(self, report, options)


def write_report(command: BaseCommand, report: importing.ImportReport, options) -> None:
    """Failures and warnings on stderr, the summary line on stdout; exit 1 if anything failed."""
    for result in report.results:
        if result.status == importing.FAILED:
            command.stderr.write(result.message)
        elif options["verbosity"] >= 2:
            command.stdout.write(f"{result.status}: {result.name}")
        for warning in result.warnings:
            command.stderr.write(command.style.WARNING(f"{warning} (warning)"))
    prefix = "dry run, nothing written: " if options["dry_run"] else ""
    command.stdout.write(prefix + report.summary())
    if report.failed:
        raise SystemExit(1)


class ExportCommand(BaseCommand):
    requires_system_checks = []  # data work: the feed readiness warnings are `check`'s, not every import's
    model: type

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--out", type=Path, help="folder to write <id>.md files into")
        target.add_argument("--check", type=Path, metavar="DIR", help="compare with the files in DIR; exit 1 if any differ")
        parser.add_argument("keys", nargs="*", help="only these ids (default: all)")

    def handle(self, *args, **options):
        queryset = exporting.export_queryset(self.model, options["keys"])
        if options["out"]:
            counts = exporting.export_to_dir(queryset, options["out"])
            self.stdout.write(f"written {counts.written}, unchanged {counts.unchanged}")
            return
        if not options["check"].is_dir():
            raise CommandError(f"{options['check']}: no such folder")
        compared, differences = exporting.compare_with_dir(queryset, options["check"])
        for difference in differences:
            self.stdout.write(f"differs: {difference.name}\n{difference.diff}")
        self.stdout.write(f"compared {compared}, differ {len(differences)}")
        if differences:
            raise SystemExit(1)
