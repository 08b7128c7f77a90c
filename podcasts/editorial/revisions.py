"""Revisions: an episode or guest as its exported file, stored at every change.

Every path that changes an episode or guest (admin save, transcript edit,
rename, clips, import, restore) records one through this module.

**Edit bursts.** An editor working in place changes an episode many times a minute;
each of those changes is not a revision of its own. A change made with
``bump_version(..., editor=user)`` joins that editor's *open* revision of the episode
(the latest one, opened by such a change less than ``BURST`` ago, with no other change
of the episode since), or opens one. It costs no export: the revision is only marked
``stale``, and its text is taken from the episode when it is read (``settle_stale``) or,
at the latest, by ``bump_version`` just before any other change touches the episode,
so that its text is the episode as the burst left it. Any other change (another editor,
an admin save, a publish, an import, a restore) closes the burst.

Each revision's ``summary`` says what changed since the previous one; it is computed
from the two texts when first read (``summarize``), not on every write.
"""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from podcasts.files import frontmatter
from podcasts.files.exporting import export_bytes, file_name
from podcasts.models import Episode, Guest, Revision

from .revision_notes import change_summary

BURST = datetime.timedelta(minutes=5)  # from a burst's first change: later changes open a new revision


def record_revision(subject: Episode | Guest, reason: str, *, user=None, note: str = "", text: str | None = None) -> Revision:
    """Store ``subject`` as the file an export writes now, or as ``text`` when the caller
    has it already (an import stores the very file it read). An episode is read again
    with its parts, since the caller's copy may predate the change. A change that joined
    an edit burst (``bump_version(..., editor=user)``) returns the burst's revision."""
    if isinstance(subject, Episode):
        burst = _current_burst(subject.pk, reason, user) if text is None else None
        if burst is not None:
            if note and not burst.note:
                Revision.objects.filter(pk=burst.pk).update(note=_fit_note(note))
            return burst
        settle(Revision.objects.filter(episode=subject, stale=True))  # a change that did not bump first: best effort
        if text is None:
            subject = Episode.objects.for_export().get(pk=subject.pk)
    revision = _revision(subject, reason, user, note, text)
    if isinstance(subject, Episode):
        revision.episode_version = Episode.objects.values_list("version", flat=True).get(pk=subject.pk)
    revision.save()
    return revision


def record_revisions(episode_ids, reason: str, *, user=None, note: str = "") -> list[Revision]:
    """``record_revision`` for many episodes, in a constant number of queries."""
    episodes = Episode.objects.for_export().filter(pk__in=episode_ids)
    revisions = []
    for episode in episodes:
        revision = _revision(episode, reason, user, note)
        revision.episode_version = episode.version
        revisions.append(revision)
    return Revision.objects.bulk_create(revisions)


def before_change(episode_ids, *, editor=None) -> None:
    """Called by ``bump_version`` once the versions are raised, before the episodes' rows
    change: an open burst revision that this change does not join takes the state it ends
    at. With ``editor``, the change joins that editor's open revision, or opens one."""
    stale = {revision.episode_id: revision for revision in Revision.objects.filter(episode_id__in=episode_ids, stale=True)}
    if editor is not None:
        for episode_id, version in Episode.objects.filter(pk__in=episode_ids).values_list("pk", "version"):
            latest = stale.get(episode_id) or Revision.objects.filter(episode_id=episode_id).first()
            if _joins(latest, editor, version):
                stale.pop(episode_id, None)
                Revision.objects.filter(pk=latest.pk).update(
                    stale=True, summary="", edits=F("edits") + 1, last_edit_at=timezone.now(), episode_version=version
                )
            else:
                settle([stale.pop(episode_id)] if episode_id in stale else [])
                _open_burst(episode_id, editor, version)
    settle(stale.values())


def settle(revisions) -> None:
    """Give each stale revision the episode's current text. The caller holds the episodes'
    rows (``bump_version`` has just updated them; ``settle_stale`` locks them)."""
    revisions = [revision for revision in revisions if revision.stale]
    if not revisions:
        return
    episodes = Episode.objects.for_export().in_bulk([revision.episode_id for revision in revisions])
    for revision in revisions:
        revision.text = export_bytes(episodes[revision.episode_id]).decode("utf-8")
        revision.stale, revision.summary = False, ""
    Revision.objects.bulk_update(revisions, ["text", "stale", "summary"])


def settle_stale(*, episode_ids=None) -> None:
    """Before revisions are read: bring the stale ones (of these episodes, or all) up to date.
    Their episodes' rows are locked meanwhile, so no change is exported half-made."""
    stale = Revision.objects.filter(stale=True)
    if episode_ids is not None:
        stale = stale.filter(episode_id__in=episode_ids)
    if not stale.exists():
        return
    with transaction.atomic():
        list(Episode.objects.select_for_update().filter(pk__in=stale.values("episode_id")).values_list("pk"))
        settle(list(stale))


def settle_before_delete(sender, instance, **kwargs) -> None:
    """``pre_delete`` of an episode: its revisions outlive it, an open burst with its last text."""
    settle(Revision.objects.filter(episode_id=instance.pk, stale=True))


def settled(revision: Revision) -> Revision:
    """``revision`` with its text up to date: an open edit burst is settled first."""
    if revision.stale:
        settle_stale(episode_ids=[revision.episode_id])
        revision.refresh_from_db()
    return revision


def summarize(revisions) -> None:
    """Fill in (and store) the summary of each of ``revisions`` (settled ones, their text
    may be deferred) that has none yet. Each text is parsed once, also when it is the
    previous revision of another."""
    missing = [revision for revision in revisions if not revision.summary]
    parsed = {}

    def data(pk):
        if pk not in parsed:
            parsed[pk] = _parse(Revision.objects.values_list("text", flat=True).get(pk=pk))
        return parsed[pk]

    for revision in missing:
        before = previous_revision(revision)
        revision.summary = change_summary(data(before.pk) if before else None, data(revision.pk))
    Revision.objects.bulk_update(missing, ["summary"])


def previous_revision(revision: Revision) -> Revision | None:
    """The revision of the same episode or guest just before this one."""
    earlier = Q(created_at__lt=revision.created_at) | Q(created_at=revision.created_at, pk__lt=revision.pk)
    return subject_revisions(revision).filter(earlier).defer("text").first()


def subject_revisions(revision: Revision):
    """All revisions of the episode or guest this one is of (only itself once that was deleted)."""
    if revision.episode_id:
        return Revision.objects.filter(episode_id=revision.episode_id)
    if revision.guest_id:
        return Revision.objects.filter(guest_id=revision.guest_id)
    return Revision.objects.filter(pk=revision.pk)


def _parse(text: str):
    try:
        return frontmatter.parse(text.encode("utf-8"))
    except frontmatter.FormatError:
        return None


def _joins(latest: Revision | None, editor, version: int) -> bool:
    """Whether a change made now by ``editor``, raising the episode to ``version``, joins ``latest``."""
    return (
        latest is not None
        and latest.last_edit_at is not None
        and latest.user_id == editor.pk
        and latest.episode_version == version - 1
        and timezone.now() - latest.created_at < BURST
    )


def _open_burst(episode_id: int, editor, version: int) -> None:
    now = timezone.now()
    slug = Episode.objects.values_list("slug", flat=True).get(pk=episode_id)
    Revision.objects.create(
        episode_id=episode_id,
        file_name=f"{slug}.md",
        text="",
        reason=Revision.Reason.EDIT,
        user=editor,
        stale=True,
        created_at=now,
        last_edit_at=now,
        episode_version=version,
    )


def _current_burst(episode_id: int, reason: str, user) -> Revision | None:
    """The burst revision the change being recorded joined in ``before_change``, if any."""
    if reason != Revision.Reason.EDIT or user is None:
        return None
    version = Episode.objects.filter(pk=episode_id).values("version")[:1]
    return (
        Revision.objects.filter(episode_id=episode_id, stale=True, user=user, last_edit_at__isnull=False)
        .filter(episode_version=version)
        .defer("text")
        .first()
    )


def _fit_note(note: str) -> str:
    limit = Revision._meta.get_field("note").max_length
    return note if len(note) <= limit else "…" + note[-(limit - 1) :]  # an import's note is its path: keep the end


def _revision(subject, reason, user, note, text=None) -> Revision:
    owner = {"episode": subject} if isinstance(subject, Episode) else {"guest": subject}
    return Revision(
        **owner,
        file_name=file_name(subject),
        text=export_bytes(subject).decode("utf-8") if text is None else text,
        reason=reason,
        user=user,
        note=_fit_note(note),
    )
