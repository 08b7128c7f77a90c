"""Uploaded images served through the storage API, for a site without a web server or
bucket in front of ``MEDIA_URL`` (whitenoise serves static files only)."""

import mimetypes

from django.http import FileResponse, Http404

from podcasts.models import Episode, Guest

CACHE_SECONDS = 24 * 3600


def media_file(request, name: str):
    """An image that a published episode or a person the site shows holds. The name is
    looked up among the rows, and the file opened is the one the row names: no request
    ever reaches a file no page links to (a draft's image, a hidden guest's photo)."""
    if "\x00" in name:  # PostgreSQL refuses NUL in a query
        raise Http404("No such image.")
    episode = Episode.objects.published().filter(image_file=name).first()
    guest = None if episode else Guest.objects.public().filter(picture_file=name).first()
    stored = episode.image_file if episode else guest.picture_file if guest else None
    if not stored:
        raise Http404("No such image.")
    content_type, _ = mimetypes.guess_type(stored.name)
    response = FileResponse(stored.open("rb"), content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
