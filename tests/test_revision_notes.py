"""A revision's generated summary of what changed, and the admin's diffs between revisions."""

import pytest
import yaml
from django.urls import reverse

from podcasts.editorial.revision_notes import change_summary
from podcasts.editorial.revisions import record_revision
from podcasts.files import frontmatter
from podcasts.models import Episode, Revision

pytestmark = pytest.mark.django_db

BASE = [
    {"header": "Intro"},
    {"line": "Hello.", "who": "Alexey:", "time": "0:01", "sec": 1},
    {"line": "Hi.", "who": "Guest", "time": "0:02", "sec": 2},
    {"header": "Career"},
    {"line": "I started.", "who": "Alexey:", "time": "0:03", "sec": 3},
    {"line": "Then what?", "who": "Guest", "time": "0:04", "sec": 4},
    {"line": "Then this.", "who": "Alexey:", "time": "0:05", "sec": 5},
]


def doc(transcript, title="Title", body="Body\n"):
    text = "---\n" + yaml.safe_dump({"title": title, "transcript": transcript}, sort_keys=False) + "---\n" + body
    return frontmatter.parse(text.encode())


def summary(new, **kwargs):
    return change_summary(doc(BASE), doc(new, **kwargs))


def test_speaker_renamed_on_every_line():
    new = [{**item, "who": "Alexey"} if item.get("who") == "Alexey:" else item for item in BASE]
    assert summary(new) == "speaker 'Alexey:' → 'Alexey' on lines 1, 4 and 6"


def test_header_renamed_lines_deleted_and_title_changed():
    new = [BASE[0], BASE[1], BASE[2], {"header": "Career path"}, BASE[4]]
    assert summary(new, title="New") == "renamed header 3 ('Career' → 'Career path'); deleted 2 lines; title changed"


def test_edits_conversions_times_moves_and_additions():
    new = [
        BASE[0],
        {**BASE[1], "line": "Hello there."},
        {"header": "Hi."},
        BASE[3],
        BASE[5],
        BASE[4],
        {**BASE[6], "time": "0:06", "sec": 6},
        {"line": "Bye.", "who": "Guest"},
    ]
    assert summary(new, body="Other\n") == (
        "edited line 1; turned line 2 into a header; changed the time of line 6; moved 1 item; added 1 line; body changed"
    )


def test_many_changes_are_counted_not_listed():
    old = [{"line": f"Line {n}.", "who": "A"} for n in range(10)]
    new = [{"line": f"Line {n}!", "who": "A"} for n in range(10)]
    assert change_summary(doc(old), doc(new)) == "edited 10 lines"


def test_no_change_and_first_revision():
    assert change_summary(doc(BASE), doc(BASE)) == "no change"
    assert change_summary(None, doc(BASE)) == "first revision"


def test_identical_lines_are_compared_in_near_linear_time():
    old = [{"line": "Yes.", "who": "A"} for _ in range(5_000)]
    new = [{"line": "No.", "who": "A"}, *old[1:]]
    assert change_summary(doc(old), doc(new)) == "edited line 0"


def test_detail_page_diffs_against_the_previous_revision_by_default(editor_client, seeded_episode, editor):
    imported = seeded_episode.revisions.get()
    Episode.objects.update(title="Edited title")

    edited = record_revision(Episode.objects.get(), Revision.Reason.EDIT, user=editor, note="test")
    response = editor_client.get(reverse("admin:podcasts_revision_compare", args=[edited.pk]))
    html = response.content.decode()
    assert "What changed:</strong> title changed" in html
    diff = response.context["diff"]
    assert diff[:2] == [f"--- import of {imported.period}", "+++ this revision"]
    assert "+title: Edited title" in diff and not any(line.startswith("-  who") for line in diff)
    first = editor_client.get(reverse("admin:podcasts_revision_compare", args=[imported.pk])).context
    assert first["diff_title"] == "From nothing (first revision) to this revision"
    against = editor_client.get(reverse("admin:podcasts_revision_compare", args=[imported.pk]), {"against": edited.pk})
    assert against.context["diff_title"] == f"From this revision to edit of {edited.period}"


def test_any_two_revisions_compare_oldest_first(editor_client, seeded_episode, editor):

    imported = seeded_episode.revisions.get()
    Episode.objects.update(title="Second")
    second = record_revision(Episode.objects.get(), Revision.Reason.EDIT, user=editor)
    seeded_episode.transcript.filter(position=3).update(speaker="Someone")
    third = record_revision(Episode.objects.get(), Revision.Reason.EDIT, user=editor)
    response = editor_client.get(reverse("admin:podcasts_revision_pair"), {"old": third.pk, "new": imported.pk})
    diff = response.context["diff"]
    assert "+title: Second" in diff and "-  who: Sadat" in diff and "+  who: Someone" in diff
    history = editor_client.get(reverse("admin:podcasts_episode_revisions", args=[seeded_episode.pk])).content.decode()
    assert f'name="new" value="{third.pk}" checked' in history and f'name="old" value="{second.pk}" checked' in history
    bad = editor_client.get(reverse("admin:podcasts_revision_pair"), {"old": "x", "new": third.pk})
    assert "Choose two revisions" in bad.content.decode()
