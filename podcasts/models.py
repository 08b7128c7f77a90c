"""Episodes, guests and their parts, as editors see them.

Every field the episode and people files hold has a typed home here. What the
files hold beyond that is kept too: keys no field names (``extra``), the order
keys were written in (``front_matter_keys``) and the source text of every
value (``source_layout``), so an export writes the file back byte for byte.
"""

import datetime
import json
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from . import timecode
from .files.frontmatter import decode_pairs, encode_pairs
from .files.schema import CLIP_KEYS, file_key_problem


def validate_file_key(value):
    problem = file_key_problem(value)
    if problem:
        raise ValidationError(f"{value!r} {problem}.")


class LayoutField(models.TextField):
    """The source layout of a file (see ``frontmatter``), stored as JSON text.

    Never queried, only read back whole: plain text spares PostgreSQL from
    converting ~60 KB per episode to and from jsonb on every import."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(value)

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _is_pairs(value) -> bool:
    return isinstance(value, list) and all(
        isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) for pair in value
    )


class SourceDocument(models.Model):
    """Bookkeeping shared by everything that is imported from and exported to a file."""

    body = models.TextField(blank=True, help_text="Markdown after the front matter, exactly as written.")
    front_matter_keys = models.JSONField(
        default=list, blank=True, editable=False, help_text="Front matter keys in the order the file wrote them."
    )
    extra = models.JSONField(
        default=list,
        blank=True,
        help_text="Front matter keys that no field holds, with their values, in file order.",
    )
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    source_layout = LayoutField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def clean(self):
        if not _is_pairs(self.extra):
            raise ValidationError({"extra": 'Write a list of [key, value] pairs, e.g. [["context", "Some text"]].'})


class Guest(SourceDocument):
    short = models.CharField(
        max_length=200,
        unique=True,
        validators=[validate_file_key],
        help_text="The id episodes use to name this person; also the file name.",
    )
    name = models.CharField(max_length=500, blank=True, help_text="Written as `title:` in the file.")
    picture = models.CharField(max_length=500, blank=True)
    github = models.CharField(max_length=500, blank=True)
    twitter = models.CharField(max_length=500, blank=True)
    linkedin = models.CharField(max_length=500, blank=True)
    web = models.CharField(max_length=500, blank=True)
    bio_short = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "short"]

    def __str__(self):
        return self.name or self.short

    def get_absolute_url(self):
        return reverse("podcasts:guest", kwargs={"short": self.short})


# Fixed for good: every episode GUID derived from a slug depends on it.
EPISODE_GUID_NAMESPACE = uuid.UUID("6d7235c8-aefd-5b9e-b851-3d1fb3b5400b")  # uuid5(NAMESPACE_URL, "podcast-cms:episode")
# The Podcasting 2.0 namespace for `podcast:guid` (podcast-namespace, docs/tags/guid.md).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


class EpisodeQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one definition of what the public may see."""
        return self.filter(status=Episode.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def for_export(self):
        return self.prefetch_related(*Episode.PARTS)


class Episode(SourceDocument):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.CharField(max_length=200, unique=True, validators=[validate_file_key], help_text="The file name without `.md`.")
    title = models.CharField(max_length=500, blank=True)
    short_title = models.CharField(max_length=500, blank=True, help_text="Written as `short:` in the file.")
    season = models.IntegerField(null=True, blank=True)
    number = models.IntegerField(null=True, blank=True, help_text="Written as `episode:` in the file.")
    image = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True, help_text="One or two sentences for search results and feeds.")
    intro = models.TextField(blank=True, help_text="Longer introduction; may contain simple HTML such as <br>.")
    topics = models.JSONField(default=list, blank=True)
    date_added = models.DateField(null=True, blank=True, help_text="Written as `dateadded:` in the file.")
    date = models.DateField(null=True, blank=True)
    duration = models.CharField(max_length=50, blank=True, help_text="ISO 8601 duration as written, e.g. PT01H03M37S.")
    guests = models.ManyToManyField(Guest, through="EpisodeGuest", related_name="episodes", blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, help_text="A future time schedules publication.")
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised on every save; guards against lost updates."
    )
    # The audio file (`audio:` in the file): the feed's <enclosure>. Its length in time is `duration`.
    audio_url = models.CharField(max_length=1000, blank=True, help_text="Absolute http(s) address of the audio file.")
    audio_length = models.PositiveBigIntegerField(null=True, blank=True, help_text="Size of the audio file in bytes.")
    audio_type = models.CharField(max_length=100, blank=True, help_text="MIME type of the audio file, e.g. audio/mpeg.")
    guid = models.CharField(
        max_length=500,
        blank=True,
        help_text="The feed's permanent id of this episode, when it already had one elsewhere (`guid:` in the file); "
        "empty: derived from the slug.",
    )

    objects = EpisodeQuerySet.as_manager()

    # The related rows an episode file is made of (reverse relation names), in file order.
    PARTS = ("episode_guests", "platform_ids", "links", "clips", "transcript")

    class Meta:
        ordering = ["-season", "-number", "slug"]
        indexes = [models.Index(fields=["season", "number"]), models.Index(fields=["status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="published_episode_has_time"
            ),
        ]
        permissions = [("publish_episode", "Can publish and unpublish episodes")]

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return reverse("podcasts:episode", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            raise ValidationError({"published_at": "A published episode needs a publication time."})

    @property
    def youtube_id(self) -> str:
        """The YouTube video id from `ids:` (reads the prefetched ``platform_ids``), or ""."""
        return next((row.value for row in self.platform_ids.all() if row.platform == "youtube"), "")

    def youtube_url(self, sec: int | None = None) -> str:
        """The episode's video on YouTube, at ``sec`` when given; "" without a video.

        The id goes in as the file writes it, not URL-encoded: that is how the source site
        builds its clip URLs (one corpus id, ``NfAJAr7FvyY&t``, carries a stray ``&t``
        that YouTube ignores, and that encoding would turn into a wrong id)."""
        if not self.youtube_id:
            return ""
        url = f"https://www.youtube.com/watch?v={self.youtube_id}"
        return url if sec is None else f"{url}&t={sec}"

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at is not None and self.published_at <= timezone.now()

    @property
    def feed_guid(self) -> str:
        """The ``<guid>`` podcast apps know this episode by, for ever: the file's `guid:`, else
        a UUIDv5 of the slug. Neither depends on the site's address or the database, so a
        re-import, a rebuilt database or a new site URL keeps every episode's GUID."""
        return self.guid or str(uuid.uuid5(EPISODE_GUID_NAMESPACE, self.slug))

    @property
    def released_at(self) -> datetime.datetime | None:
        """When the episode came out, for the feed's `pubDate` and the page's `datePublished`:
        the file's `date`, else its `dateadded` (midnight UTC), else when it went public."""
        day = self.date or self.date_added
        if day:
            return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
        return self.published_at

    def feed_problems(self) -> list[str]:
        """What a podcast app needs of this episode in the feed and it lacks."""
        problems = []
        if not (self.audio_url.lower().startswith(("http://", "https://")) and self.audio_length is not None and self.audio_type):
            problems.append("no enclosure (an http(s) audio URL, its length in bytes and its type)")
        if not self.description.strip():
            problems.append("no description")
        if not timecode.parse_duration(self.duration):
            problems.append("no duration (an ISO 8601 `duration:` such as PT1H2M3S)")
        return problems

    def audio_item(self) -> dict:
        """The `audio:` mapping of the file: the parts that are set, in a fixed order."""
        item = {"url": self.audio_url, "length": self.audio_length, "type": self.audio_type}
        return {key: value for key, value in item.items() if value not in ("", None)}


class EpisodeGuest(models.Model):
    """An episode's guest, in file order. ``guest_short`` is what the file says;
    ``guest`` is filled in when a profile with that id exists."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="episode_guests")
    guest_short = models.CharField(max_length=200)
    guest = models.ForeignKey(Guest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["episode", "position"], name="unique_guest_position")]

    def __str__(self):
        return self.guest_short


class PlatformId(models.Model):
    """An episode's id on a platform (`ids:`), e.g. its YouTube video id."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="platform_ids")
    platform = models.CharField(max_length=100)
    value = models.CharField(max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["episode", "platform"], name="unique_platform_id")]

    def __str__(self):
        return f"{self.platform}: {self.value}"


class Link(models.Model):
    """A listen link (`links:`); `TODO` is a valid placeholder for one still to come."""

    PLACEHOLDER = "TODO"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="links")
    platform = models.CharField(max_length=100)
    url = models.CharField(max_length=1000)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["episode", "platform"], name="unique_link_platform")]

    def __str__(self):
        return f"{self.platform}: {self.url}"

    @property
    def is_placeholder(self):
        return self.url.strip() == self.PLACEHOLDER


class QuotableClip(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="clips")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=1000)
    start_offset = models.IntegerField(help_text="Seconds from the start.")
    end_offset = models.IntegerField(help_text="Seconds from the start.")
    url = models.CharField(max_length=1000, blank=True)
    extra = models.JSONField(null=True, blank=True, help_text="Keys of the clip that no field holds.")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["episode", "position"], name="unique_clip_position")]

    def __str__(self):
        return self.name

    @classmethod
    def from_item(cls, item: dict, *, episode_id: int, position: int) -> "QuotableClip":
        """A clip from its ``quotableClips:`` entry; keys no field holds go to ``extra``."""
        unknown = {key: value for key, value in item.items() if key not in CLIP_KEYS}
        return cls(
            episode_id=episode_id,
            position=position,
            name=item["name"],
            start_offset=item["startOffset"],
            end_offset=item["endOffset"],
            url=item["url"],
            extra=encode_pairs(unknown) if unknown else None,
        )

    def as_item(self) -> dict:
        """The ``quotableClips:`` entry, keys in the corpus order."""
        item = {"name": self.name, "startOffset": self.start_offset, "url": self.url, "endOffset": self.end_offset}
        return {**item, **decode_pairs(self.extra)}


class TranscriptLine(models.Model):
    """One transcript item: a section header, or a line of speech."""

    class Kind(models.TextChoices):
        HEADER = "header", "Header"
        LINE = "line", "Line"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="transcript")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LINE)
    text = models.TextField(blank=True)
    speaker = models.TextField(null=True, blank=True, help_text="`who:` as written; empty when the file has none.")
    sec = models.IntegerField(null=True, blank=True, help_text="Seconds from the start.")
    time = models.CharField(max_length=20, null=True, blank=True, help_text="The same moment as written, e.g. 1:05.")
    extra = models.JSONField(null=True, blank=True, help_text="Keys of the item that no field holds.")

    class Meta:
        ordering = ["episode", "position"]
        constraints = [models.UniqueConstraint(fields=["episode", "position"], name="unique_transcript_position")]
        indexes = [models.Index(fields=["speaker"])]

    def __str__(self):
        return f"{self.position}: {self.text[:60]}"

    @property
    def is_header(self):
        return self.kind == self.Kind.HEADER


class Show(models.Model):
    """The podcast itself: one record, read by the feed and the public pages."""

    title = models.CharField(max_length=200, default="DataTalks.Club Podcast")
    description = models.TextField(default="Conversations about data science, machine learning and careers in data.")
    language = models.CharField(max_length=20, default="en", help_text="RFC 5646 code, e.g. en or en-us.")
    artwork = models.CharField(max_length=500, blank=True, help_text="URL or site path of the square cover image.")
    site_url = models.URLField(default="http://127.0.0.1:8000", help_text="Public address; feeds and canonical links use it.")
    owner_name = models.CharField(max_length=200, default="DataTalks.Club")
    owner_email = models.EmailField(blank=True)
    host = models.ForeignKey(Guest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    host_speaker = models.CharField(
        max_length=200, default="Alexey", help_text="How transcripts name the host in `who:`; linked to the host's profile."
    )
    categories = models.CharField(max_length=500, default="Technology", help_text="Apple Podcasts categories, comma-separated.")
    explicit = models.BooleanField(default=False)
    author = models.CharField(max_length=200, blank=True, help_text="Who makes the show, as directories list it (itunes:author).")
    podcast_guid = models.UUIDField(
        null=True,
        blank=True,
        help_text="The show's Podcasting 2.0 id (podcast:guid). Empty: derived from the feed's address. "
        "Fill it in before the site moves, or with the id the show had at its previous host.",
    )

    class Meta:
        verbose_name = "show"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_show")]

    def __str__(self):
        return self.title

    @classmethod
    def load(cls) -> "Show":
        """The record to edit, created with its defaults on first use."""
        show, _ = cls.objects.get_or_create(pk=1)
        return show

    @classmethod
    def current(cls) -> "Show":
        """The record with its host, in one query, for reading. A fresh install has none
        yet: its defaults are used without writing one, since a public GET changes nothing."""
        return cls.objects.select_related("host").filter(pk=1).first() or cls(pk=1)

    def absolute_url(self, path_or_url: str) -> str:
        """A site path (``/podcast/x/``, ``images/x.jpg``) at the public address; a full URL
        stays, and so does an empty one."""
        if not path_or_url or path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return self.site_url.rstrip("/") + "/" + path_or_url.lstrip("/")

    @property
    def category_list(self) -> list[str]:
        return [name.strip() for name in self.categories.split(",") if name.strip()]

    @property
    def feed_url(self) -> str:
        return self.absolute_url(reverse("podcasts:feed"))

    @property
    def feed_guid(self) -> str:
        """``podcast:guid``: the stored one, else the Podcasting 2.0 rule's UUIDv5 of the feed's
        address without its scheme and trailing slashes."""
        if self.podcast_guid:
            return str(self.podcast_guid)
        address = self.feed_url.split("://", 1)[-1].rstrip("/")
        return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, address))

    def feed_problems(self) -> list[str]:
        """What podcast directories (Apple Podcasts, Spotify) require of the show that it lacks."""
        required = {
            "artwork": "no artwork (a square JPEG or PNG of 1400 to 3000 px)",
            "owner_name": "no owner name",
            "owner_email": "no owner email (directories send the ownership check there)",
            "author": "no author",
            "categories": "no category",
            "language": "no language",
        }
        problems = [message for field, message in required.items() if not getattr(self, field).strip()]
        if urlsplit(self.site_url).hostname in ("127.0.0.1", "localhost", None):
            problems.append(f"the site URL {self.site_url} is not a public address")
        return problems


class SpeakerAlias(models.Model):
    """Links a `who:` value to a person: for every episode (``episode`` empty) or,
    as an exception, for one. The exported `who:` text never changes."""

    speaker = models.CharField(max_length=500, help_text="The `who:` text exactly as written.")
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, null=True, blank=True, related_name="speaker_aliases", help_text="Empty: all episodes."
    )
    guest = models.ForeignKey(Guest, on_delete=models.CASCADE, related_name="speaker_aliases")

    class Meta:
        ordering = ["speaker"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(fields=["speaker", "episode"], name="unique_alias_per_episode"),
            models.UniqueConstraint(fields=["speaker"], condition=Q(episode__isnull=True), name="unique_global_alias"),
        ]

    def __str__(self):
        scope = self.episode.slug if self.episode_id else "all episodes"
        return f"{self.speaker} → {self.guest} ({scope})"


class Revision(models.Model):
    """An episode or guest as its exported file, at one moment: the safety net behind
    every save and import. It outlives what it records: deleting the episode or guest
    leaves its revisions, named by ``file_name``, with their full text."""

    class Reason(models.TextChoices):
        IMPORT = "import", "Import"
        EDIT = "edit", "Edit"
        RESTORE = "restore", "Restore"

    episode = models.ForeignKey(Episode, on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions")
    guest = models.ForeignKey(Guest, on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions")
    file_name = models.CharField(max_length=220, help_text="The file this text is, e.g. <slug>.md.")
    text = models.TextField(help_text="The file as an export would write it.")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # An edit burst (``editorial.revisions``): one revision takes an editor's changes of a few
    # minutes; until it is settled its ``text`` lags behind the episode (``stale``).
    stale = models.BooleanField(default=False, help_text="The text is to be taken from the episode before it is read.")
    edits = models.PositiveIntegerField(default=1, help_text="Changes this revision holds.")
    last_edit_at = models.DateTimeField(null=True, blank=True)
    episode_version = models.PositiveIntegerField(null=True, blank=True, help_text="The episode's version this text is of.")
    summary = models.TextField(blank=True, help_text="What changed since the previous revision; computed when first read.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["episode", "-created_at"]), models.Index(fields=["guest", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(episode__isnull=True) | Q(guest__isnull=True), name="revision_of_one_thing")
        ]

    def __str__(self):
        return f"{self.file_name} {self.get_reason_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def subject(self):
        """The episode or guest this is a revision of; None once it was deleted."""
        return self.episode or self.guest

    @property
    def period(self) -> str:
        """When it was made; for an edit burst, from its first change to its last."""
        start = f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
        if self.last_edit_at and self.edits > 1:
            return f"{start}–{timezone.localtime(self.last_edit_at):%H:%M} ({self.edits} changes)"
        return start


class StagedUploadQuerySet(models.QuerySet):
    def active(self, now=None):
        """Uploads still waiting to be applied: abandoned ones expire after ``StagedUpload.LIFETIME``."""
        return self.filter(created_at__gt=(now or timezone.now()) - StagedUpload.LIFETIME)


class StagedUpload(models.Model):
    """Files an editor uploaded for an import preview, kept until they apply it.

    In the database, so that no request parameter ever names a path, and so that the
    preview and the apply may land on different web servers. Only its uploader can
    apply it; it is deleted once applied, and expires after a day if abandoned."""

    LIFETIME = datetime.timedelta(days=1)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = StagedUploadQuerySet.as_manager()

    def __str__(self):
        return f"upload {self.id} by {self.user}"


class StagedFile(models.Model):
    """One file of a staged upload: its name (no folder) and its bytes."""

    upload = models.ForeignKey(StagedUpload, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["upload", "name"], name="unique_staged_file_name")]

    def __str__(self):
        return self.name


class PublicContentVersion(models.Model):
    """The version of everything the public site shows: one row, whose ``version`` every
    change replaces (``public.caching.invalidate_public_pages``).

    In the database rather than in a cache so that every web worker, every host and every
    management command read the same one, whatever cache backend each of them has."""

    version = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_public_content_version")]

    def __str__(self):
        return f"public content {self.version} since {self.changed_at:%Y-%m-%d %H:%M:%S}"
