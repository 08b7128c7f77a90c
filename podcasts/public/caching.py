"""Whole-page caching for the public site, with validators and invalidation.

Every cached page key holds the current *version* of the public content. Any
change to what the pages show drops the version (``invalidate_public_pages``),
which orphans every cached page at once; orphans simply age out. The version
also expires by itself when the next scheduled episode goes public, so
scheduled publishing needs no cron job and no page outlives its moment.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from podcasts.models import Episode, EpisodeGuest, Guest, Link, PlatformId, QuotableClip, Show, SpeakerAlias, TranscriptLine

STATE_KEY = "public-pages:state"
PAGE_TIMEOUT = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 60 * 60 * 24)
WATCHED_MODELS = (Episode, Guest, EpisodeGuest, TranscriptLine, Link, PlatformId, QuotableClip, Show, SpeakerAlias)
# Deleting an episode's parts happens only with the episode (import, admin save) or
# through editing.claim_version, which invalidate on commit themselves; a delete
# receiver on them would make every bulk delete fetch its rows to send signals.
DELETE_WATCHED_MODELS = (Episode, Guest, Show, SpeakerAlias)


def invalidate_public_pages() -> None:
    """Forget every cached public page. Cheap: call it after any change, bulk updates included."""
    cache.delete(STATE_KEY)


def content_changed(sender, **kwargs) -> None:
    # Once now, and again after the commit: a page rendered between the two from
    # the not yet committed data would otherwise be cached as current.
    invalidate_public_pages()
    transaction.on_commit(invalidate_public_pages)


def connect_signals() -> None:
    for model in WATCHED_MODELS:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"public-pages-save-{model.__name__}")
    for model in DELETE_WATCHED_MODELS:
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"public-pages-delete-{model.__name__}")


def _next_publication(now):
    scheduled = Episode.objects.filter(status=Episode.Status.PUBLISHED, published_at__gt=now)
    return scheduled.aggregate(next=Min("published_at"))["next"]


def current_state() -> dict:
    """The version pages are cached under, when it began, and when it ends by itself."""
    now = timezone.now()
    state = cache.get(STATE_KEY)
    if state is None or (state["ends_at"] is not None and state["ends_at"] <= now):
        state = {"version": uuid.uuid4().hex, "since": now, "ends_at": _next_publication(now)}
        cache.set(STATE_KEY, state, timeout=None)
    return state


def cached_public_page(view):
    """Serve a GET from the cache when the public content has not changed since it was
    rendered, with ``ETag`` and ``Last-Modified``; answer 304 to a matching conditional request.

    Only 200 responses are kept; the key is the full path, query string included,
    because nothing else (no cookie, no host) changes what public pages show."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        state = current_state()
        key = "public-page:{}:{}".format(state["version"], hashlib.sha256(request.get_full_path().encode()).hexdigest())
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
                "last_modified": state["since"].timestamp(),
            }
            cache.set(key, entry, PAGE_TIMEOUT)
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        # Stored but revalidated on every use: an edit shows at once, an unchanged page costs a 304.
        patch_cache_control(response, public=True, no_cache=True)
        return get_conditional_response(request, etag=entry["etag"], last_modified=int(entry["last_modified"]), response=response)

    return cached_view
