from podcasts.files import importing
from podcasts.management.base import ImportCommand


class Command(ImportCommand):
    help = "Import people files (<short>.md) and link the episodes that name them."
    kind = importing.GUESTS
    noun = "people files"
