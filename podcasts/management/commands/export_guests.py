from podcasts.management.base import ExportCommand
from podcasts.models import Guest


class Command(ExportCommand):
    help = "Write guests as <short>.md files, or --check a folder against what would be written."
    model = Guest
