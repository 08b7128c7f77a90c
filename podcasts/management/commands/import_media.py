from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from podcasts.files import media
from podcasts.management.base import write_report


class Command(BaseCommand):
    requires_system_checks = []  # data work: the feed readiness warnings are `check`'s, not every import's
    help = (
        "Store the images that episode files (image:) and people files (picture:) name, read from the "
        "source site's folder (the one holding images/, or images/ itself)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="the source site's folder, or its images/ folder")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, **options):
        try:
            report = media.import_media(options["folder"], dry_run=options["dry_run"])
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        write_report(self, report, options)
