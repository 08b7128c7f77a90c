"""Raw transcripts into episodes: a new episode from a transcript, or a replaced transcript.

Both read the file (``files.transcript_formats``), rename its speakers through a mapping
the editor confirmed (``Speaker 1`` -> ``Alexey``), may remember that mapping as speaker
aliases for the next transcript, and can be previewed: the same change made inside a
transaction that is rolled back, so the preview shows exactly what applying writes.

A new episode is written as the file the source site's own tool writes (``new_episode_file``:
its keys in PyYAML's ``sort_keys`` order, PyYAML style) and imported from that text like any
episode file, so its export is that file byte for byte, and stays so.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.db import transaction

from podcasts import audit
from podcasts.files import frontmatter, schema
from podcasts.files.exporting import export_bytes, file_name
from podcasts.files.importing import apply_episode
from podcasts.files.transcript_formats import FORMATS, RawTranscript, TranscriptFormatError, read_transcript
from podcasts.models import Episode, Guest, Revision, Show, StagedFile, StagedUpload
from podcasts.speakers import load_aliases, name_key

from .revisions import record_revision
from .speakers import link_speaker
from .transcript import replace_transcript

PASTED_NAME = "pasted.txt"


class IngestError(ValueError):
    """Nothing was written; ``message`` names the file and line: ``raw.vtt:6: ...``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReadOptions:
    fmt: str | None = None  # None: detected
    merge_same_speaker: bool = True
    allow_backwards: bool = False


def read_raw(name: str, data: bytes, options: ReadOptions) -> RawTranscript:
    """The transcript in file ``name``, or ``IngestError`` saying where it cannot be read."""
    limit = settings.PODCASTS_MAX_FILE_BYTES
    if len(data) > limit:
        raise IngestError(f"{name}:1: the file is {len(data):,} bytes, over the limit of {limit:,} bytes")
    try:
        return read_transcript(
            name,
            data,
            fmt=options.fmt,
            merge_same_speaker=options.merge_same_speaker,
            allow_backwards=options.allow_backwards,
        )
    except TranscriptFormatError as error:
        hint = " (allow times going backwards to take it as it is)" if "goes back before" in error.message else ""
        raise IngestError(f"{name}:{error.line}: {error.message}{hint}") from None


# Speakers ---------------------------------------------------------------------------------


def speaker_name(person: Guest | Show, show: Show) -> str:
    """How a transcript names a person in `who:`: the host's transcript name (``person`` is the
    host or the show itself), a guest's first name."""
    if person is show or (show.host_id and person.pk == show.host_id):
        return show.host_speaker
    return person.name.split()[0] if person.name.strip() else person.short


def _people_names(guests: list[Guest], show: Show) -> list[tuple[str, Guest | None]]:
    """The names a raw speaker may become, each with the person it names: the host's transcript
    name (the host may have no profile yet: None), each guest's first and full name."""
    names: list[tuple[str, Guest | None]] = [(show.host_speaker, show.host)]
    for guest in guests:
        if guest.name.strip():
            names += [(guest.name.split()[0], guest), (guest.name, guest)]
    return names


def speaker_targets(guests: list[Guest], show: Show) -> dict[str, Guest | None]:
    """``_people_names`` by ``name_key`` (case and accents ignored); the first naming wins."""
    targets: dict[str, Guest | None] = {}
    for name, person in _people_names(guests, show):
        targets.setdefault(name_key(name), person)
    return targets


def suggested_mapping(raw: RawTranscript, guests: list[Guest], show: Show, episode: Episode | None = None) -> dict[str, str]:
    """For each raw speaker, the `who:` to write: through an alias remembered earlier
    (``JOHN DOE`` -> ``John``), else the host's or a guest's name it spells in another
    case (``ALEXEY`` -> ``Alexey``), else the speaker as found (``Alexey:`` arrives as ``Alexey``)."""
    episode_id = episode.pk if episode is not None else None
    aliases = load_aliases([episode_id] if episode_id else [])
    targets = speaker_targets(guests, show)
    mapping = {}
    for who in raw.speakers:
        person = aliases.get((who, episode_id)) or aliases.get((who, None))
        if person is None and name_key(who) in targets:
            person = targets[name_key(who)] or show  # the show: its host has no profile yet
        mapping[who] = who if person is None else speaker_name(person, show)
    return mapping


def speaker_choices(guests: list[Guest], show: Show) -> list[str]:
    """What the mapping step offers: the host's transcript name and each guest's first and full name."""
    return list(dict.fromkeys(name for name, _ in _people_names(guests, show)))


def remember_aliases(mapping: dict[str, str], remembered: set[str], guests: list[Guest], show: Show) -> None:
    """Link each raw speaker in ``remembered`` to the person its new name names, for every
    episode: the next transcript that says ``JOHN DOE`` maps him at once. A new name that
    names nobody (no host profile, not a guest's name) has nothing to remember."""
    targets = speaker_targets(guests, show)
    for raw_name in sorted(remembered):
        person = targets.get(name_key(mapping.get(raw_name, raw_name)))
        if person is not None and raw_name != mapping.get(raw_name):
            link_speaker(raw_name, person)


def mapped_items(raw: RawTranscript, mapping: dict[str, str]) -> list[dict]:
    """The raw items with each ``who`` renamed; an empty new name leaves the line without speaker."""
    items = []
    for item in raw.items:
        if "who" in item:
            who = mapping.get(item["who"], item["who"]).strip()
            item = {key: value for key, value in item.items() if key != "who"} | ({"who": who} if who else {})
        items.append(item)
    return items


# Previews ---------------------------------------------------------------------------------


@dataclass
class Preview:
    """What applying would do: the items, the episode file after it, its diff with the file
    before (for a replace), and the audit findings of the result."""

    items: list[dict]
    file_text: str
    diff: list[str] = field(default_factory=list)
    findings: list[audit.Finding] = field(default_factory=list)


def _findings(episode_pk: int) -> list[audit.Finding]:
    return next(iter(audit.audit_episodes(Episode.objects.filter(pk=episode_pk)).values()))


# Replacing a transcript -------------------------------------------------------------------


def replace_from_raw(
    episode: Episode, raw: RawTranscript, source: str, mapping: dict[str, str], *, version: int, user=None
) -> list:
    """Replace the episode's transcript (``editorial.transcript.replace_transcript``: one
    version bump, one revision, the episode's headers kept by time)."""
    return replace_transcript(
        episode,
        mapped_items(raw, mapping),
        speakers={},
        version=version,
        user=user,
        note=f"transcript replaced from {source} ({FORMATS[raw.format]})",
    )


def preview_replace(episode: Episode, raw: RawTranscript, source: str, mapping: dict[str, str], *, version: int) -> Preview:
    before = export_bytes(Episode.objects.for_export().get(pk=episode.pk)).decode("utf-8")
    with transaction.atomic():
        replace_from_raw(episode, raw, source, mapping, version=version)
        after_episode = Episode.objects.for_export().get(pk=episode.pk)
        after = export_bytes(after_episode).decode("utf-8")
        items = frontmatter.parse(after.encode("utf-8")).data.get("transcript", [])
        findings = _findings(episode.pk)
        transaction.set_rollback(True)
    name = file_name(episode)
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), f"{name} (now)", f"{name} (after)", lineterm="")
    return Preview(items, after, list(diff), findings)


# A new episode ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewEpisode:
    """What a new episode's file holds besides its transcript. ``image`` defaults to the
    site's ``images/podcast/<slug>.jpg``; ``short`` to the title."""

    slug: str
    title: str
    short: str = ""
    season: int | None = None
    number: int | None = None
    guests: tuple[str, ...] = ()  # guest ids (``short``), in order
    ids: dict = field(default_factory=dict)  # platform -> id, e.g. {"youtube": "xyTfqIWeKf8"}
    links: dict = field(default_factory=dict)  # platform -> URL
    image: str = ""

    @staticmethod
    def youtube(video_id: str) -> tuple[dict, dict]:
        """``ids`` and ``links`` for a YouTube video, as the source site writes them."""
        if not video_id:
            return {}, {}
        return {"youtube": video_id}, {"youtube": f"https://www.youtube.com/watch?v={video_id}"}


def new_episode_file(episode: NewEpisode, items: list[dict]) -> bytes:
    """The episode file the source site's tool writes: ``yaml.dump`` with ``sort_keys``, so
    the keys are alphabetical (``episode, guests, ids, image, links, season, short, title,
    transcript``) and so are each item's (``line, sec, time, who``); empty values left out.
    Keys added later in the admin (``description``, ``intro``) follow them, as in the seed."""
    values = {
        "episode": episode.number,
        "guests": list(episode.guests),
        "ids": dict(sorted(episode.ids.items())),
        "image": episode.image or f"images/podcast/{episode.slug}.jpg",
        "links": dict(sorted(episode.links.items())),
        "season": episode.season,
        "short": episode.short or episode.title,
        "title": episode.title,
        "transcript": [dict(sorted(item.items())) for item in items],
    }
    data = {key: value for key, value in sorted(values.items()) if value not in (None, "", [], {})}
    return frontmatter.dump(data, "")


def create_from_raw(
    new: NewEpisode, raw: RawTranscript, source: str, mapping: dict[str, str], *, user=None
) -> tuple[Episode, bytes]:
    """Create the episode from its file (``new_episode_file``), imported as an episode file
    is: the file is its source, stored as its first revision. ``IngestError`` when the slug
    is taken or a value cannot be held; nothing is written then."""
    problem = schema.file_key_problem(new.slug)
    if problem:
        raise IngestError(f"{source}:1: the slug {new.slug!r} cannot name an episode file: it {problem}")
    text = new_episode_file(new, mapped_items(raw, mapping))
    doc = frontmatter.parse(text)
    try:
        schema.check_episode(doc.data)
    except schema.SchemaError as error:
        raise IngestError(f"{source}:1: {schema.name_of(error.path)}: {error.message}") from None
    with transaction.atomic():
        if Episode.objects.select_for_update().filter(slug=new.slug).exists():
            raise IngestError(f"{source}:1: there is an episode {new.slug!r} already: replace its transcript instead")
        episode = Episode(slug=new.slug, source_sha256=hashlib.sha256(text).hexdigest())
        apply_episode(episode, doc)
        note = f"new episode from transcript {source} ({FORMATS[raw.format]})"
        record_revision(episode, Revision.Reason.IMPORT, user=user, note=note, text=text.decode("utf-8"))
    return episode, text


def preview_new(new: NewEpisode, raw: RawTranscript, source: str, mapping: dict[str, str]) -> Preview:
    with transaction.atomic():
        episode, text = create_from_raw(new, raw, source, mapping)
        findings = _findings(episode.pk)
        transaction.set_rollback(True)
    return Preview(frontmatter.parse(text).data.get("transcript", []), text.decode("utf-8"), findings=findings)


# Staging uploads --------------------------------------------------------------------------


def stage(name: str, data: bytes, user) -> StagedUpload:
    """Keep an uploaded or pasted transcript in the database between preview and apply
    (like ``files.uploads``): no request names a path, any web server can apply it.
    ``name`` is only shown and used to detect the format: its last part, cut to fit."""
    with transaction.atomic():
        StagedUpload.objects.exclude(pk__in=StagedUpload.objects.active().values("pk")).delete()
        staged = StagedUpload.objects.create(user=user)
        StagedFile.objects.create(upload=staged, name=(PurePath(name).name or PASTED_NAME)[-255:], content=data)
    return staged


def staged_file(upload_id, user) -> tuple[str, bytes] | None:
    """The name and bytes of ``user``'s staged transcript; None once applied or expired."""
    staged = StagedFile.objects.filter(upload__in=StagedUpload.objects.active().filter(pk=upload_id, user=user)).first()
    return (staged.name, bytes(staged.content)) if staged else None


def discard(upload_id, user) -> bool:
    """Take the staged transcript out (inside the apply's transaction): only one apply wins."""
    _, deleted = StagedUpload.objects.filter(pk=upload_id, user=user).delete()
    return bool(deleted.get(StagedUpload._meta.label))


# Applying ---------------------------------------------------------------------------------


def episode_guests(episode: Episode) -> list[Guest]:
    return [row.guest for row in episode.episode_guests.select_related("guest") if row.guest is not None]


def apply_replace(
    episode: Episode, raw: RawTranscript, source: str, mapping: dict[str, str], remembered=(), *, version: int, user=None
) -> list:
    """Replace the transcript and remember the chosen speakers' aliases, in one transaction."""
    with transaction.atomic():
        items = replace_from_raw(episode, raw, source, mapping, version=version, user=user)
        remember_aliases(mapping, set(remembered), episode_guests(episode), Show.current())
    return items


def apply_new(new: NewEpisode, raw: RawTranscript, source: str, mapping: dict[str, str], remembered=(), *, user=None) -> Episode:
    """Create the episode and remember the chosen speakers' aliases, in one transaction."""
    with transaction.atomic():
        episode, _ = create_from_raw(new, raw, source, mapping, user=user)
        remember_aliases(mapping, set(remembered), list(Guest.objects.filter(short__in=new.guests)), Show.current())
    return episode
