"""Audit findings whose fix is determined, as changes to transcript rows: previewed, then
applied as one change (one version, one revision) per episode.

A fix is computed from the transcript as the audit sees it (``audit.Item``), so the
preview an editor confirms is what is applied: the page posts the version it showed,
and a newer one refuses the change. Rows are changed with targeted UPDATEs and a
DELETE (plus a renumbering of the positions after it), never by rewriting the list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max

from podcasts import audit, timecode
from podcasts.audit import EpisodeFacts, Item
from podcasts.models import Episode, Revision, TranscriptLine

from .revisions import record_revision
from .versions import bump_version


@dataclass(frozen=True)
class Change:
    position: int
    before: Item
    after: Item | None  # None: the item is deleted

    @property
    def changed_fields(self) -> dict:
        return {field: value for field, value in self.after._asdict().items() if getattr(self.before, field) != value}


@dataclass(frozen=True)
class Fix:
    rule: str
    position: int  # the finding's
    description: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Fixer:
    """How one rule's finding is fixed. ``safe``: applied by ``fix_episodes`` without an editor
    (the others are suggestions an editor looks at: a guessed time, headers dropped)."""

    fix: Callable[[EpisodeFacts, int], Fix | None]
    label: str
    safe: bool = True


# The fixes, one per rule -------------------------------------------------------------------


def rename(facts: EpisodeFacts, rule: str, position: int, old: str, new: str) -> Fix:
    changes = tuple(Change(at, facts.items[at], facts.items[at]._replace(speaker=new)) for at in facts.speaker_positions[old])
    return Fix(rule, position, f"rename {old!r} to {new!r} ({audit.lines_phrase(len(changes))})", changes)


def clean_speaker(facts: EpisodeFacts, position: int) -> Fix | None:
    speaker = facts.items[position].speaker
    return rename(facts, "speaker-punctuation", position, speaker, audit.clean_name(speaker))


def merge_near_duplicate(facts: EpisodeFacts, position: int) -> Fix | None:
    speaker = facts.items[position].speaker
    name = audit.near_duplicate_of(speaker, audit.speaker_counts(facts))
    return rename(facts, "speaker-near-duplicate", position, speaker, audit.clean_name(name)) if name else None


def delete(rule: str, facts: EpisodeFacts, position: int, why: str) -> Fix:
    item = facts.items[position]
    return Fix(rule, position, f"delete {audit.quoted(item.text, 40)} ({why})", (Change(position, item, None),))


def speaker_between(items, position: int) -> str | None:
    """The speaker of the lines right before and after ``position``, when they have the same one."""
    if 0 < position < len(items) - 1:
        before, after = items[position - 1], items[position + 1]
        if before.kind == after.kind == "line" and before.speaker and before.speaker == after.speaker:
            return before.speaker
    return None


def fill_speaker(facts: EpisodeFacts, position: int) -> Fix | None:
    items, item = facts.items, facts.items[position]
    if position + 1 < len(items) and items[position + 1].text == item.text:
        return delete("line-without-speaker", facts, position, "the next line repeats it")
    speaker = speaker_between(items, position)
    if speaker is None:
        return None
    change = Change(position, item, item._replace(speaker=speaker))
    return Fix("line-without-speaker", position, f"assign {speaker!r}, who speaks before and after", (change,))


def delete_name_line(facts: EpisodeFacts, position: int) -> Fix | None:
    return delete("speaker-name-line", facts, position, "a stray speaker name")


def time_between_neighbours(facts: EpisodeFacts, position: int) -> int:
    """A ``sec`` between the previous timed item's and the next one's (the previous one's
    when the next is earlier still)."""
    earlier = [item.sec for item in facts.items[:position] if item.sec is not None]
    later = [item.sec for item in facts.items[position + 1 :] if item.sec is not None]
    previous = earlier[-1] if earlier else 0
    following = later[0] if later else None
    return previous if following is None or following < previous else (previous + following) // 2


def retime(facts: EpisodeFacts, position: int, sec: int | None = None) -> Fix | None:
    item = facts.items[position]
    sec = time_between_neighbours(facts, position) if sec is None else sec
    after = item._replace(sec=sec, time=None if item.time is None else timecode.format(sec))
    return Fix("time-backwards", position, f"move to {timecode.format(sec)} (sec {sec})", (Change(position, item, after),))


def time_from_sec(facts: EpisodeFacts, position: int) -> Fix | None:
    item = facts.items[position]
    after = item._replace(time=timecode.format(item.sec))
    return Fix("time-sec-mismatch", position, f"set time to {after.time!r} (sec {item.sec})", (Change(position, item, after),))


def keep_last_header(facts: EpisodeFacts, position: int) -> Fix | None:
    end = position
    while end + 1 < len(facts.items) and facts.items[end + 1].kind == "header":
        end += 1
    changes = tuple(Change(at, facts.items[at], None) for at in range(position, end))
    kept = audit.quoted(facts.items[end].text, 40)
    return Fix("consecutive-headers", position, f"keep only the last header, {kept}", changes)


FIXERS = {
    "speaker-punctuation": Fixer(clean_speaker, "rename to the cleaned name"),
    "speaker-near-duplicate": Fixer(merge_near_duplicate, "merge into the name it misspells"),
    "line-without-speaker": Fixer(fill_speaker, "delete the copy, or assign the speaker around it"),
    "speaker-name-line": Fixer(delete_name_line, "delete the stray name"),
    "time-backwards": Fixer(retime, "move between its neighbours", safe=False),
    "time-sec-mismatch": Fixer(time_from_sec, "make time follow sec"),
    "consecutive-headers": Fixer(keep_last_header, "keep the last header", safe=False),
}
SAFE_RULES = tuple(rule for rule, fixer in FIXERS.items() if fixer.safe)


# Finding the fixes of an episode -----------------------------------------------------------


@dataclass(frozen=True)
class Transcript:
    """An episode's transcript as the rules read it, with the row id of each item."""

    episode: Episode
    facts: EpisodeFacts
    ids: list[int]

    @classmethod
    def load(cls, episode: Episode) -> Transcript:
        rows = list(episode.transcript.order_by("position").values_list("id", "kind", "text", "speaker", "sec", "time"))
        return cls(episode, EpisodeFacts(items=[Item(*row[1:]) for row in rows]), [row[0] for row in rows])


def fixes_for(facts: EpisodeFacts, rule: str, position: int | None = None) -> list[Fix]:
    """The fix of the finding of ``rule`` at ``position``, or of every finding of ``rule``
    (``position`` None) that has a determined fix."""
    check = audit.RULES_BY_ID[rule].check
    positions = [at for at, _ in check(facts) if at is not None and (position is None or at == position)]
    return [fix for at in positions if (fix := FIXERS[rule].fix(facts, at)) is not None]


def all_fixes(facts: EpisodeFacts, rules: Iterable[str] = FIXERS) -> dict[tuple[str, int], Fix]:
    """(rule, position) -> fix, for every finding of ``rules`` with a determined fix."""
    return {(fix.rule, fix.position): fix for rule in rules for fix in fixes_for(facts, rule)}


def combined_changes(fixes: Iterable[Fix]) -> list[Change]:
    """The changes of ``fixes`` by position; where two touch one row, the first wins."""
    by_position = {}
    for fix in fixes:
        for change in fix.changes:
            by_position.setdefault(change.position, change)
    return [by_position[position] for position in sorted(by_position)]


# Applying them -----------------------------------------------------------------------------


def apply_fixes(transcript: Transcript, fixes: list[Fix], *, version: int | None = None, user=None) -> int:
    """Apply ``fixes`` (computed from ``transcript``) in one transaction: the version first
    (with ``version``: only if the episode is still at it, else ``ConflictError``), the rows,
    then one revision. Returns the number of rows changed or deleted."""
    changes = combined_changes(fixes)
    if not changes:
        return 0
    with transaction.atomic():
        bump_version([transcript.episode.pk], expected=version)
        write_changes(transcript, changes)
        record_revision(transcript.episode, Revision.Reason.EDIT, user=user, note=fix_note(fixes))
    return len(changes)


@dataclass
class EpisodeFixes:
    episode: Episode
    fixes: list[Fix]
    rows: int


def fix_episodes(episodes, rules: Iterable[str] = SAFE_RULES, *, dry_run: bool = False, user=None) -> list[EpisodeFixes]:
    """Every fix of ``rules`` in each of ``episodes`` that has any, rule after rule (a rename
    first, so that a speaker assigned next is already the clean one); per episode one
    transaction and one revision. ``dry_run``: computed on the episode as it is, nothing written."""
    results = []
    for episode in episodes:
        facts = Transcript.load(episode).facts
        if not any(fixes_for(facts, rule) for rule in rules):
            continue  # and no fix can appear: fixes only appear after other fixes change rows
        with transaction.atomic():
            bump_version([episode.pk])
            found, rows = [], 0
            for rule in rules:
                transcript = Transcript.load(episode)
                fixes = fixes_for(transcript.facts, rule)
                if not dry_run:
                    rows += write_changes(transcript, combined_changes(fixes))
                else:
                    rows += len(combined_changes(fixes))
                found += fixes
            if found and not dry_run:
                record_revision(episode, Revision.Reason.EDIT, user=user, note=fix_note(found))
            else:
                transaction.set_rollback(True)  # nothing to record: the version stays too
        if found:
            results.append(EpisodeFixes(episode, found, rows))
    return results


def fix_note(fixes: list[Fix]) -> str:
    rules = Counter(fix.rule for fix in fixes)
    return "audit fix: " + ", ".join(f"{rule} ×{count}" if count > 1 else rule for rule, count in rules.items())


def write_changes(transcript: Transcript, changes: list[Change]) -> int:
    update_rows(transcript, [change for change in changes if change.after is not None])
    delete_rows(transcript, [change.position for change in changes if change.after is None])
    return len(changes)


def update_rows(transcript: Transcript, changes: list[Change]) -> None:
    """One UPDATE per distinct set of new values (a rename of 56 lines is one)."""
    ids_by_values = {}
    for change in changes:
        values = tuple(sorted(change.changed_fields.items()))
        ids_by_values.setdefault(values, []).append(transcript.ids[change.position])
    for values, ids in ids_by_values.items():
        if values:
            TranscriptLine.objects.filter(id__in=ids).update(**dict(values))


def delete_rows(transcript: Transcript, positions: list[int]) -> None:
    """Delete the items at ``positions`` and number the rest 0..n-1 again. The rows after the
    first gap move out of the way first, since (episode, position) is unique at every row."""
    if not positions:
        return
    lines = transcript.episode.transcript.all()
    offset = lines.aggregate(last=Max("position"))["last"] + 1
    lines.filter(id__in=[transcript.ids[at] for at in positions]).delete()
    deleted = set(positions)
    kept = [row_id for at, row_id in enumerate(transcript.ids) if at not in deleted]
    first = positions[0]
    moved = kept[first:]
    lines.filter(id__in=moved).update(position=F("position") + offset)
    TranscriptLine.objects.bulk_update(
        [TranscriptLine(id=row_id, position=first + index) for index, row_id in enumerate(moved)], ["position"], batch_size=500
    )


@dataclass
class SpeakerMerge:
    """A rename the audit suggests (``Alexey:`` to ``Alexey``), with how much it touches."""

    old: str
    new: str
    lines: int = 0
    episodes: int = 0


def suggested_merges(episodes) -> list[SpeakerMerge]:
    """The renames that the speaker-punctuation and speaker-near-duplicate fixes make in
    ``episodes``, each summed over them, most lines first."""
    merges = {}
    for episode in episodes:
        facts = Transcript.load(episode).facts
        for fix in [*fixes_for(facts, "speaker-punctuation"), *fixes_for(facts, "speaker-near-duplicate")]:
            change = fix.changes[0]
            merge = merges.setdefault(
                (change.before.speaker, change.after.speaker), SpeakerMerge(change.before.speaker, change.after.speaker)
            )
            merge.lines += len(fix.changes)
            merge.episodes += 1
    return sorted(merges.values(), key=lambda merge: (-merge.lines, merge.old))
