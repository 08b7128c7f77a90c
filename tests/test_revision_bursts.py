"""Edit bursts: an editor's in-place changes within a few minutes are one revision, whose
text is taken from the episode lazily, yet always as the burst left it."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from podcasts.editorial.audio import fill_audio_details
from podcasts.editorial.clips import clips_from_headers, replace_clips
from podcasts.editorial.find_replace import Query, find, replace
from podcasts.editorial.publishing import publish
from podcasts.editorial.restoring import restore_revision
from podcasts.editorial.revisions import BURST, record_revision, settle_stale
from podcasts.editorial.speakers import rename_speaker
from podcasts.editorial.transcript import Item, save_transcript
from podcasts.editorial.versions import bump_version
from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision, TranscriptLine

from .helpers import change_form_data

pytestmark = pytest.mark.django_db


def edit_in_place(episode, user, position, **fields):
    """One change as the in-place editor makes it: bump as the editor, change a row, record."""
    with transaction.atomic():
        bump_version([episode.pk], editor=user)
        TranscriptLine.objects.filter(episode=episode, position=position).update(**fields)
        return record_revision(episode, Revision.Reason.EDIT, user=user, note="edited in place")


def current_items(episode) -> list[Item]:
    return [Item(line.id, line.kind, line.text, line.speaker, line.sec, line.time) for line in episode.transcript.all()]


def exported(episode) -> str:
    return export_bytes(Episode.objects.for_export().get(pk=episode.pk)).decode("utf-8")


def latest(episode) -> Revision:
    return Revision.objects.filter(episode=episode).first()


def test_a_burst_is_one_revision_whose_text_is_taken_when_read(seeded_episode, editor):
    imported = latest(seeded_episode)
    for position, text in ((3, "First edit."), (4, "Second edit."), (10, "Third edit.")):
        revision = edit_in_place(seeded_episode, editor, position, text=text)
    assert Revision.objects.filter(episode=seeded_episode).count() == 2
    burst = Revision.objects.get(pk=revision.pk)
    assert (burst.stale, burst.text, burst.edits, burst.note) == (True, "", 3, "edited in place")  # no export yet
    settle_stale()
    burst.refresh_from_db()
    assert not burst.stale and burst.text == exported(seeded_episode)
    assert "Third edit." in burst.text and imported.pk != burst.pk


def test_a_burst_costs_the_same_queries_whatever_the_transcript_length(seeded_episode, editor, django_assert_num_queries):
    edit_in_place(seeded_episode, editor, 3, text="Opens the burst.")
    with django_assert_num_queries(8):
        edit_in_place(seeded_episode, editor, 4, text="Joins it.")
    TranscriptLine.objects.bulk_create(
        TranscriptLine(episode=seeded_episode, position=1000 + n, text="x", speaker="A") for n in range(1000)
    )
    with django_assert_num_queries(8):
        edit_in_place(seeded_episode, editor, 5, text="Still joins it.")


def test_reading_mid_burst_keeps_it_open(seeded_episode, editor, editor_client):
    edit_in_place(seeded_episode, editor, 3, text="One.")
    editor_client.get(reverse("admin:podcasts_episode_revisions", args=[seeded_episode.pk]))
    assert not latest(seeded_episode).stale
    edit_in_place(seeded_episode, editor, 4, text="Two.")
    burst = latest(seeded_episode)
    assert burst.edits == 2 and Revision.objects.filter(episode=seeded_episode).count() == 2
    settle_stale()
    burst.refresh_from_db()
    assert burst.text == exported(seeded_episode) and "Two." in burst.text


def test_another_editor_closes_the_burst_at_its_own_state(seeded_episode, editor, publisher):
    first = edit_in_place(seeded_episode, editor, 3, text="Editor's.")
    before = exported(seeded_episode)
    second = edit_in_place(seeded_episode, publisher, 4, text="Publisher's.")
    assert second.pk != first.pk
    first.refresh_from_db()
    assert not first.stale and first.text == before
    third = edit_in_place(seeded_episode, editor, 5, text="Editor again.")
    assert third.pk not in (first.pk, second.pk)  # the editor's burst was closed by someone else's change


def test_a_burst_ends_after_the_window(seeded_episode, editor):
    first = edit_in_place(seeded_episode, editor, 3, text="Early.")
    Revision.objects.filter(pk=first.pk).update(created_at=first.created_at - BURST - datetime.timedelta(seconds=1))
    before = exported(seeded_episode)
    second = edit_in_place(seeded_episode, editor, 4, text="Late.")
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.text == before and first.edits == 1


def test_changes_without_editor_stay_one_revision_each(seeded_episode, editor):
    items = current_items(seeded_episode)
    save_transcript(seeded_episode, items[1:], version=seeded_episode.version, user=editor)
    save_transcript(seeded_episode, items[2:], version=seeded_episode.version + 1, user=editor)
    reasons = list(Revision.objects.filter(episode=seeded_episode).values_list("stale", "edits"))
    assert reasons == [(False, 1)] * 3


def closes_with_its_state(episode, editor, other_change):
    """Open a burst, apply ``other_change``; the burst's text must be the state before it."""
    burst = edit_in_place(episode, editor, 3, text="Burst text.")
    before = exported(episode)
    other_change(Episode.objects.get(pk=episode.pk))
    burst.refresh_from_db()
    assert not burst.stale and burst.text == before
    return burst


def test_admin_save_settles_the_burst_first(seeded_episode, editor, editor_client):
    def admin_save(episode):
        data = {**change_form_data(editor_client, episode), "title": "Saved in the form"}
        assert editor_client.post(reverse("admin:podcasts_episode_change", args=[episode.pk]), data).status_code == 302

    closes_with_its_state(seeded_episode, editor, admin_save)
    episode = Episode.objects.get()
    assert episode.title == "Saved in the form" and latest(episode).text == exported(episode)


def test_transcript_save_settles_the_burst_first(seeded_episode, editor, publisher):
    closes_with_its_state(
        seeded_episode, editor, lambda e: save_transcript(e, current_items(e)[5:], version=e.version, user=publisher)
    )


def test_clips_settle_the_burst_first(seeded_episode, editor):
    closes_with_its_state(seeded_episode, editor, lambda e: replace_clips(e, clips_from_headers(e)[:2], version=e.version))


def test_rename_settles_the_burst_first(seeded_episode, editor):
    closes_with_its_state(seeded_episode, editor, lambda e: rename_speaker("Sadat", "Sadat Anwar"))


def test_publish_settles_and_closes_the_burst(seeded_episode, editor):
    burst = closes_with_its_state(seeded_episode, editor, lambda e: publish([e.pk]))
    assert edit_in_place(seeded_episode, editor, 4, text="After publishing.").pk != burst.pk


def test_import_settles_the_burst_first(seeded_episode, editor, write_file):
    def force_import(episode):
        text = exported(episode).replace("Burst text.", "Imported text.")
        path = write_file(f"{episode.slug}.md", text)
        call_command("import_episodes", str(path), "--force", stdout=open("/dev/null", "w"))

    closes_with_its_state(seeded_episode, editor, force_import)
    assert "Imported text." in latest(seeded_episode).text


def test_restore_settles_the_burst_first(seeded_episode, editor):
    imported = latest(seeded_episode)
    closes_with_its_state(seeded_episode, editor, lambda e: restore_revision(imported, user=editor))
    assert exported(seeded_episode) == imported.text


def test_restoring_the_open_burst_itself_reads_its_text(seeded_episode, editor):
    burst = edit_in_place(seeded_episode, editor, 3, text="Keep me.")
    restored = restore_revision(burst, user=editor)
    assert "Keep me." in restored.text and restored.text == exported(seeded_episode)


def test_deleting_the_episode_keeps_the_burst_text(seeded_episode, editor):
    burst = edit_in_place(seeded_episode, editor, 3, text="Last words.")
    before = exported(seeded_episode)
    Episode.objects.all().delete()
    burst.refresh_from_db()
    assert burst.episode is None and burst.text == before


def test_history_shows_the_burst_with_its_summary(seeded_episode, editor, editor_client):
    edit_in_place(seeded_episode, editor, 3, text="One.")
    edit_in_place(seeded_episode, editor, 5, speaker="Alexey:")
    html = editor_client.get(reverse("admin:podcasts_episode_revisions", args=[seeded_episode.pk])).content.decode()
    assert "(2 changes)" in html
    assert "edited line 3; speaker &#x27;Alexey&#x27; → &#x27;Alexey:&#x27; on line 5" in html
    assert "first revision" in html


def test_find_replace_settles_the_burst_first(seeded_episode, editor):
    query = Query("Sadat", places=("speaker",))
    closes_with_its_state(seeded_episode, editor, lambda e: replace(query, "Sadat Anwar", [m.key for m in find(query).matches]))


def test_the_list_of_all_revisions_reads_an_open_burst(seeded_episode, editor, editor_client):
    burst = edit_in_place(seeded_episode, editor, 3, text="Listed.")
    html = editor_client.get(reverse("admin:podcasts_revision_changelist")).content.decode()
    burst.refresh_from_db()
    assert not burst.stale and burst.text == exported(seeded_episode)
    assert "edited line 3" in html and "first revision" in html


def test_the_detail_of_an_open_burst_diffs_its_latest_state(seeded_episode, editor, editor_client):
    burst = edit_in_place(seeded_episode, editor, 3, text="Seen in the diff.")
    diff = editor_client.get(reverse("admin:podcasts_revision_compare", args=[burst.pk])).context["diff"]
    assert "+- line: Seen in the diff." in diff


def test_audio_details_settle_the_burst_first(seeded_episode, editor, audio_host):  # noqa: F811
    Episode.objects.update(audio_url=f"{audio_host}/episode.mp3")
    closes_with_its_state(seeded_episode, editor, lambda e: fill_audio_details(e))
    assert "48000123" in latest(seeded_episode).text
