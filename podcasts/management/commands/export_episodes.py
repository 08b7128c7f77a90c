from podcasts.management.base import ExportCommand
from podcasts.models import Episode


class Command(ExportCommand):
    help = "Write episodes as <slug>.md files, or --check a folder against what would be written."
    model = Episode
