"""Whole-page caching for the public site, with validators and invalidation.

Every cached page's key holds the current *version* of the public content, which
lives in the database, so that every web worker, every host and every management
command agree on it whatever cache backend each of them has. It is read with one
indexed query per request and is made of two parts:

* ``PublicContentVersion.version``, which ``invalidate_public_pages`` replaces after
  every change, as soon as it commits (``content_changed``);
* the moment the latest public episode went public, which moves by itself when a
  scheduled episode's time comes: scheduled publishing needs no cron job and no page
  outlives its moment.

A new version orphans every cached page at once; orphans simply age out. Only the
query parameters a page declares reach it and its key, normalized, so ``?r=1`` makes
no new entry and ``?page=02`` shares ``?page=2``'s.
"""

import datetime
import hashlib
import uuid
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from podcasts.models import (
    Episode,
    EpisodeGuest,
    Guest,
    Link,
    PlatformId,
    PublicContentVersion,
    QuotableClip,
    Show,
    SpeakerAlias,
    TranscriptLine,
)

PAGE_TIMEOUT = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60 * 60 * 24)
WATCHED_MODELS = (Episode, Guest, EpisodeGuest, TranscriptLine, Link, PlatformId, QuotableClip, Show, SpeakerAlias)
# Deleting an episode's parts happens only with the episode (import, admin save) or
# through editorial.versions.bump_version, which invalidate on commit themselves; a delete
# receiver on them would make every bulk delete fetch its rows to send signals.
DELETE_WATCHED_MODELS = (Episode, Guest, Show, SpeakerAlias)


def invalidate_public_pages() -> None:
    """Forget every cached public page, in every process, now: give the public content
    a new version (one UPDATE)."""
    fields = {"version": uuid.uuid4(), "changed_at": timezone.now()}
    if not PublicContentVersion.objects.filter(pk=1).update(**fields):
        PublicContentVersion.objects.get_or_create(pk=1, defaults=fields)  # a fresh database has no row yet


class PendingChanges:
    """Changes to the public content that a connection's transaction has not committed yet.

    Its new version is written once, right after the commit (a call per change registers
    it; the first call does the work): writing it inside the transaction would lock the
    row until the commit, so that every writer waited for every other. A rolled-back
    transaction leaves its object pending: the next commit (or read) writes one version
    more than needed, which is harmless."""

    def __init__(self):
        self.changes = 0  # changes made since this object was created
        self.versioned = 0  # of those, how many a version written inside the transaction covers
        self.committed = False

    def __call__(self):
        if not self.committed:
            self.committed = True
            invalidate_public_pages()

    @classmethod
    def of(cls, connection) -> "PendingChanges | None":
        pending = getattr(connection, "public_pages_pending", None)
        return None if pending is None or pending.committed else pending


def content_changed(sender=None, **kwargs) -> None:
    """What the public pages show changed (a signal receiver; bulk updates call it too):
    a new version once the change commits, so no other process sees it before the data."""
    connection = transaction.get_connection()
    pending = PendingChanges.of(connection)
    if pending is None:
        pending = connection.public_pages_pending = PendingChanges()
    pending.changes += 1
    transaction.on_commit(pending)  # in autocommit mode, at once


def connect_signals() -> None:
    for model in WATCHED_MODELS:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"public-pages-save-{model.__name__}")
    for model in DELETE_WATCHED_MODELS:
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"public-pages-delete-{model.__name__}")


def current_version(now: datetime.datetime) -> tuple[str, datetime.datetime]:
    """The version pages are cached under, and when it began: one query.

    Read in a transaction that changed what pages show (a test, mostly), the pages need
    a version of their own: written now, it commits or rolls back with the changes."""
    connection = transaction.get_connection()
    pending = PendingChanges.of(connection)
    if pending is not None and pending.changes > pending.versioned:
        pending.versioned = pending.changes
        invalidate_public_pages()
    with connection.cursor() as cursor:
        cursor.execute(version_sql(connection), [Episode.Status.PUBLISHED, connection.ops.adapt_datetimefield_value(now)])
        row = cursor.fetchone()
    if row is None:  # a fresh database: the first request makes the row
        invalidate_public_pages()
        return current_version(now)
    version, changed_at, published = row[0], as_moment(row[1]), row[2] and as_moment(row[2])
    if published is None:
        return str(version), changed_at
    return f"{version}:{published.isoformat()}", max(changed_at, published)


def version_sql(connection) -> str:
    """The version row and the latest moment an episode went public (``Episode.objects.published``
    spelled in SQL), in one statement. Written out because every request runs it: compiling
    the same queryset took a millisecond, most of a cached page's cost."""
    name = connection.ops.quote_name
    episodes, status, published_at = name(Episode._meta.db_table), name("status"), name("published_at")
    latest = (
        f"SELECT {published_at} FROM {episodes} WHERE {status} = %s AND {published_at} <= %s ORDER BY {published_at} DESC LIMIT 1"
    )
    versions = name(PublicContentVersion._meta.db_table)
    return f"SELECT {name('version')}, {name('changed_at')}, ({latest}) FROM {versions} WHERE id = 1"


def as_moment(value) -> datetime.datetime:
    """A datetime column as a raw cursor gives it: aware on PostgreSQL; naive UTC on SQLite
    (text where SQLite cannot tell the column's type)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def page_number(value: str) -> str:
    """``2``, ``02`` and ``+2`` are one page; anything else reaches the view as it came
    (``last``, or a 404, which is never cached)."""
    try:
        return str(int(value))
    except ValueError:
        return value


def used_query(query: QueryDict, normalizers: dict[str, Callable[[str], str]]) -> str:
    """The query string of the parameters a page reads, each normalized, in a fixed
    order; those that end up empty are left out."""
    values = ((name, normalize(query.get(name, ""))) for name, normalize in sorted(normalizers.items()))
    return urlencode([(name, value) for name, value in values if value])


def cached_public_page(view, **parameters: Callable[[str], str]):
    """Serve a GET from the cache when the public content has not changed since it was
    rendered, with ``ETag`` and ``Last-Modified``; answer 304 to a matching conditional request.

    ``parameters`` names the query parameters the view reads, each with the function
    that normalizes its value; the view sees those and no other. The key is the path and
    those parameters, because nothing else (no cookie, no host) changes what public pages
    show. Only 200 responses are kept."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        query = used_query(request.GET, parameters)
        request.GET = QueryDict(query)
        version, since = current_version(timezone.now())
        address = f"{request.path}?{query}"
        key = f"public-page:{version}:{hashlib.sha256(address.encode()).hexdigest()}"
        entry = cache.get(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200 or response.streaming:
                return response
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": f'"{hashlib.sha256(response.content).hexdigest()[:32]}"',
                "last_modified": since.timestamp(),
            }
            cache.set(key, entry, PAGE_TIMEOUT)
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        # Stored but revalidated on every use: an edit shows at once, an unchanged page costs a 304.
        patch_cache_control(response, public=True, no_cache=True)
        return get_conditional_response(request, etag=entry["etag"], last_modified=int(entry["last_modified"]), response=response)

    return cached_view
