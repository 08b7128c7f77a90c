from podcasts.files import importing
from podcasts.management.base import ImportCommand


class Command(ImportCommand):
    help = "Import episode files (<slug>.md); one transaction per file, one summary line."
    kind = importing.EPISODES
    noun = "episode files"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--publish", action="store_true", help="publish episodes this run creates (default: drafts)")

    def import_options(self, options):
        return {**super().import_options(options), "publish": options["publish"]}
