"""Bringing a revision back: its file is applied as an import would, as a new revision."""

from django.db import transaction

from podcasts.files import frontmatter
from podcasts.files.importing import apply_episode, apply_guest
from podcasts.models import Guest, Revision

from .revisions import record_revision, settled


def restore_revision(revision: Revision, user=None) -> Revision:
    """Bring a revision's file back as its episode's or guest's content; an episode's
    status stays. Raises ValueError when that episode or guest was deleted."""
    subject = revision.subject
    if subject is None:
        raise ValueError(f"{revision.file_name} was deleted; import this text as a file to bring it back.")
    doc = frontmatter.parse(settled(revision).text.encode("utf-8"))
    with transaction.atomic():
        (apply_guest if isinstance(subject, Guest) else apply_episode)(subject, doc)
        return record_revision(
            subject, Revision.Reason.RESTORE, user=user, note=f"restored revision of {revision.created_at:%Y-%m-%d %H:%M}"
        )
