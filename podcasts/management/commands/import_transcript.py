"""Replace an episode's transcript with a raw one (text, .docx, WebVTT, SubRip, JSON)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from podcasts.editorial.transcript import replace_transcript
from podcasts.files.importing import read_given_file
from podcasts.files.transcript_formats import FORMATS, TranscriptFormatError, read_transcript
from podcasts.models import Episode


def speaker_pair(text: str) -> tuple[str, str]:
    old, separator, new = text.partition("=")
    if not separator or not old.strip() or not new.strip():
        raise CommandError(f"--speaker {text!r}: write it as 'Speaker 1=Alexey'")
    return old.strip(), new.strip()


class Command(BaseCommand):
    help = (
        "Replace an episode's transcript with a raw transcript file; the episode's headers stay, by time. "
        "One transaction and one revision; path:line: errors and exit 1 for a file that cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the episode")
        parser.add_argument("file", type=Path, help="the raw transcript")
        parser.add_argument("--format", choices=sorted(FORMATS), help="the file's format (default: detected)")
        parser.add_argument(
            "--speaker", action="append", type=speaker_pair, default=[], metavar="OLD=NEW", help="rename a speaker"
        )
        parser.add_argument("--keep-cues", action="store_true", help="do not merge consecutive cues of one speaker")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, slug, file, **options):
        episode = Episode.objects.filter(slug=slug).first()
        if episode is None:
            raise CommandError(f"no episode {slug!r}: import its episode file first")
        data = read_given_file(file)
        if not isinstance(data, bytes):
            self.stderr.write(data.message)
            raise SystemExit(1)
        try:
            raw = read_transcript(file.name, data, fmt=options["format"], merge_same_speaker=not options["keep_cues"])
        except TranscriptFormatError as error:
            self.stderr.write(f"{file}:{error.line}: {error.message}")
            raise SystemExit(1) from None
        with transaction.atomic():
            items = replace_transcript(
                episode,
                raw.items,
                speakers=dict(options["speaker"]),
                version=episode.version,
                note=f"transcript replaced from {file.name} ({FORMATS[raw.format]})",
            )
            if options["dry_run"]:
                transaction.set_rollback(True)
        headers = sum(item.kind == "header" for item in items)
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{slug}: {len(items) - headers} lines read as {FORMATS[raw.format]}, {headers} headers")
