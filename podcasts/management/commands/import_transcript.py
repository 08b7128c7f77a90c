"""A raw transcript (text, .docx, WebVTT, SubRip, JSON) as an episode's transcript, or as a new episode."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from podcasts.editorial import ingest
from podcasts.files.importing import read_given_file
from podcasts.files.transcript_formats import FORMATS
from podcasts.models import Episode, Guest, Show


def speaker_pair(text: str) -> tuple[str, str]:
    old, separator, new = text.partition("=")
    if not separator or not old.strip() or not new.strip():
        raise CommandError(f"--speaker {text!r}: write it as 'Speaker 1=Alexey'")
    return old.strip(), new.strip()


class Command(BaseCommand):
    requires_system_checks = []  # data work: the feed readiness warnings are `check`'s, not every import's
    help = (
        "Replace an episode's transcript with a raw transcript file (the episode's headers stay, by time), "
        "or with --new create the episode from it. One transaction and one revision; "
        "path:line: errors and exit 1 for a file that cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the episode")
        parser.add_argument("file", type=Path, help="the raw transcript")
        parser.add_argument("--format", choices=sorted(FORMATS), help="the file's format (default: detected)")
        parser.add_argument(
            "--speaker", action="append", type=speaker_pair, default=[], metavar="OLD=NEW", help="rename a speaker"
        )
        parser.add_argument("--remember", action="store_true", help="remember each --speaker as an alias of its person")
        parser.add_argument("--keep-cues", action="store_true", help="do not merge consecutive cues of one speaker")
        parser.add_argument("--allow-backwards", action="store_true", help="accept times going backwards (each one is a warning)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        new = parser.add_argument_group("a new episode")
        new.add_argument("--new", action="store_true", help="create the episode SLUG from the transcript")
        new.add_argument("--title")
        new.add_argument("--short", default="", help="short title (default: the title)")
        new.add_argument("--season", type=int)
        new.add_argument("--episode", type=int, help="its number in the season")
        new.add_argument("--guest", action="append", default=[], metavar="ID", help="a guest's id, in order")
        new.add_argument("--youtube", default="", metavar="VIDEO_ID")

    def handle(self, *args, slug, file, **options):
        episode = Episode.objects.filter(slug=slug).first()
        if options["new"] and not options["title"]:
            raise CommandError("--new needs a --title")
        if episode is None and not options["new"]:
            raise CommandError(f"no episode {slug!r}: import its episode file first, or create it with --new")
        data = read_given_file(file)
        if not isinstance(data, bytes):
            self._fail(data.message)
        read_options = ingest.ReadOptions(options["format"], not options["keep_cues"], options["allow_backwards"])
        try:
            raw = ingest.read_raw(str(file), data, read_options)
            with transaction.atomic():
                summary = self._apply(episode, slug, raw, file.name, options)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ingest.IngestError as error:
            self._fail(error.message)
        for warning in raw.backwards:
            self.stderr.write(f"{file}:{warning.line}: warning: {warning.message}")
        prefix = "dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{slug}: {summary}")

    def _apply(self, episode, slug, raw, source, options) -> str:
        """Create or replace; returns what was done. Speakers without --speaker get the
        suggested names (a remembered alias, the host's or a guest's name in another case)."""
        show = Show.current()
        remembered = {old for old, _ in options["speaker"]} if options["remember"] else ()
        read_as = f"{sum('line' in item for item in raw.items)} lines read as {FORMATS[raw.format]}"
        if options["new"]:
            ids, links = ingest.NewEpisode.youtube(options["youtube"])
            new = ingest.NewEpisode(
                slug,
                options["title"],
                options["short"],
                options["season"],
                options["episode"],
                tuple(options["guest"]),
                ids,
                links,
            )
            mapping = ingest.suggested_mapping(raw, list(Guest.objects.filter(short__in=new.guests)), show)
            mapping |= dict(options["speaker"])
            created = ingest.apply_new(new, raw, source, mapping, remembered)
            headers = created.transcript.filter(kind="header").count()
            return f"new episode, {read_as}, {headers} headers; {self._speakers(raw, mapping)}"
        mapping = ingest.suggested_mapping(raw, ingest.episode_guests(episode), show, episode) | dict(options["speaker"])
        items = ingest.apply_replace(episode, raw, source, mapping, remembered, version=episode.version)
        headers = sum(item.kind == "header" for item in items)
        return f"{read_as}, {headers} headers; {self._speakers(raw, mapping)}"

    @staticmethod
    def _speakers(raw, mapping) -> str:
        found = [
            f"{who} ({count})" + (f" -> {mapping[who]}" if mapping.get(who, who) != who else "")
            for who, count in raw.speakers.items()
        ]
        return f"speakers: {', '.join(found) or 'none'}"

    def _fail(self, message: str):
        self.stderr.write(message)
        raise SystemExit(1)
