"""An episode's audio file: its size and type, read from the server that hosts it.

The feed's ``<enclosure>`` needs the file's length in bytes and its MIME type; a
``HEAD`` request to the audio URL gives both without downloading the file.
"""

import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message

from django.db import transaction

from podcasts.models import Episode, Revision

from .revisions import record_revision
from .versions import bump_version

TIMEOUT_SECONDS = 10
MEDIA_TYPES = ("audio/", "video/")  # what an enclosure may be (video podcasts too)


class AudioProbeError(Exception):
    """Why the audio file's size and type could not be read, in an editor's words."""


@dataclass(frozen=True)
class AudioDetails:
    length: int
    mime_type: str


class _KeepHeadOnRedirect(urllib.request.HTTPRedirectHandler):
    """Follow redirects (podcast hosts send audio through analytics prefixes) as ``HEAD``:
    urllib would follow them as ``GET``, downloading the whole file."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new


_opener = urllib.request.build_opener(_KeepHeadOnRedirect)


def probe(url: str, *, timeout: float = TIMEOUT_SECONDS) -> AudioDetails:
    """The length and MIME type the server gives for ``url`` in answer to ``HEAD``."""
    if not url.startswith(("http://", "https://")):
        raise AudioProbeError(f"{url or 'the audio URL'} is not an http(s) address")
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "podcast-cms"})
    try:
        with _opener.open(request, timeout=timeout) as response:
            headers: Message = response.headers
    except urllib.error.HTTPError as error:
        raise AudioProbeError(f"{url} answered {error.code} {error.reason}") from None
    except TimeoutError:
        raise AudioProbeError(f"{url} did not answer within {timeout:g} seconds") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise AudioProbeError(f"{url} could not be reached: {reason}") from None
    mime_type = headers.get_content_type() if headers.get("Content-Type") else ""
    if not mime_type.startswith(MEDIA_TYPES):
        raise AudioProbeError(f"{url} is {mime_type or 'of no stated type'}, not an audio file")
    length = headers.get("Content-Length", "")
    if not length.isdigit():
        raise AudioProbeError(f"{url} gives no length (Content-Length)")
    return AudioDetails(int(length), mime_type)


def fill_audio_details(episode: Episode, *, user=None, timeout: float = TIMEOUT_SECONDS) -> AudioDetails:
    """Store the size and type the audio URL's server gives, as one change and one revision."""
    details = probe(episode.audio_url, timeout=timeout)
    with transaction.atomic():
        bump_version([episode.pk])  # before the row changes: an open edit burst keeps the state it ended at
        Episode.objects.filter(pk=episode.pk).update(audio_length=details.length, audio_type=details.mime_type)
        record_revision(episode, Revision.Reason.EDIT, user=user, note="audio length and type read from the audio URL")
    return details
