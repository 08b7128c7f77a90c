"""Import in the browser (preview, then apply) and export downloads."""

import datetime
import io
import uuid
import zipfile

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from podcasts.files import uploads
from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision, StagedFile, StagedUpload

from .helpers import SEED_EPISODE

pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:podcasts_episode_import"


def upload(client, *files):
    return client.post(reverse(IMPORT_URL), {"files": list(files)})


def apply(client, preview, **fields):
    """Post the preview's *Apply* form as the browser would."""
    return client.post(reverse(IMPORT_URL), {"upload": preview.context["apply_form"].initial["upload"], **fields})


def md(name, text):
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/markdown")


def test_preview_writes_nothing_then_apply_imports(editor_client, editor):
    response = upload(editor_client, md(SEED_EPISODE.name, SEED_EPISODE.read_bytes()), md("bad.md", "---\nseason: x\n---\n"))
    html = response.content.decode()
    assert not Episode.objects.exists()
    assert "new, 229 transcript items" in html
    assert "bad.md:2: season must be an integer" in html
    response = apply(editor_client, response)
    assert "Import: created 1, updated 0, unchanged 0, failed 1" in [str(m) for m in response.context["messages"]]
    episode = Episode.objects.get()
    revision = episode.revisions.get()
    assert (revision.reason, revision.user, revision.note) == (Revision.Reason.IMPORT, editor, SEED_EPISODE.name)
    entry = LogEntry.objects.get(object_id=str(episode.pk))
    assert (entry.action_flag, entry.user, entry.get_change_message()) == (ADDITION, editor, "Imported from an uploaded file.")


def test_zip_upload_and_update_preview_lists_changes(editor_client, seeded_episode):
    changed = SEED_EPISODE.read_text().replace("who: Sadat\n", "who: Sadat Anwar\n", 1).replace("season: 12", "season: 13")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"episodes/{SEED_EPISODE.name}", changed)
        zipped.writestr("notes.txt", "ignored")
    html = upload(editor_client, md("batch.zip", archive.getvalue())).content.decode()
    assert "season changed" in html
    assert "transcript: 1 items changed" in html
    assert Episode.objects.get().season == 12


def test_cms_edits_are_refused_unless_forced(editor_client, seeded_episode):
    Episode.objects.update(title="Edited in the CMS")
    changed = SEED_EPISODE.read_text().replace("season: 12", "season: 13")
    response = upload(editor_client, md(SEED_EPISODE.name, changed))
    assert "refused" in response.content.decode()
    apply(editor_client, response, force="on")
    assert Episode.objects.values_list("season", "title").get()[0] == 13


def test_download_md_and_zip_match_the_export(editor_client, seeded_episode):
    response = editor_client.get(reverse("admin:podcasts_episode_download", args=[seeded_episode.pk]))
    assert response.content == SEED_EPISODE.read_bytes()
    assert response["Content-Disposition"] == f'attachment; filename="{SEED_EPISODE.name}"'
    response = editor_client.post(
        reverse("admin:podcasts_episode_changelist"), {"action": "download_zip", "_selected_action": [seeded_episode.pk]}
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == [SEED_EPISODE.name]
        assert archive.read(SEED_EPISODE.name) == export_bytes(Episode.objects.for_export().get())


def zipped(*members) -> bytes:
    """A zip of (name, bytes or text) members."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as writer:
        for name, content in members:
            writer.writestr(name, content)
    return archive.getvalue()


@pytest.mark.parametrize("upload_id", ["nope", "..", "../podcasts-import", "", str(uuid.uuid4())])
def test_an_upload_id_that_names_no_staged_upload_is_a_clear_message(editor_client, tmp_path, upload_id):
    response = editor_client.post(reverse(IMPORT_URL), {"upload": upload_id}, follow=True)
    assert "That upload has expired or was applied already" in response.content.decode()
    assert not Episode.objects.exists()


def test_staged_files_live_in_the_database_and_are_gone_once_applied(editor_client):
    preview = upload(editor_client, md(SEED_EPISODE.name, SEED_EPISODE.read_bytes()))
    staged = StagedUpload.objects.get()
    assert [(file.name, bytes(file.content)) for file in staged.files.all()] == [(SEED_EPISODE.name, SEED_EPISODE.read_bytes())]
    apply(editor_client, preview)
    assert not StagedUpload.objects.exists() and not StagedFile.objects.exists()
    second = apply(editor_client, preview)  # the same form posted again: nothing left to apply
    assert second.status_code == 302
    assert Episode.objects.count() == 1 and Revision.objects.count() == 1


def test_only_the_uploader_can_apply_an_upload(editor_client, client, publisher):
    preview = upload(editor_client, md(SEED_EPISODE.name, SEED_EPISODE.read_bytes()))
    client.force_login(publisher)
    response = apply(client, preview)
    assert response.status_code == 302 and not Episode.objects.exists()
    assert StagedUpload.objects.exists()  # still the editor's to apply


def test_an_abandoned_upload_expires_after_a_day_and_is_dropped_by_the_next(editor_client):
    preview = upload(editor_client, md(SEED_EPISODE.name, SEED_EPISODE.read_bytes()))
    StagedUpload.objects.update(created_at=timezone.now() - StagedUpload.LIFETIME - datetime.timedelta(minutes=1))
    response = apply(editor_client, preview)
    assert response.status_code == 302 and not Episode.objects.exists()
    upload(editor_client, md("other.md", "---\ntitle: Other\n---\n"))
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["other.md"]


def test_the_same_file_name_twice_in_one_upload_names_both_and_imports_neither(editor_client):
    text = SEED_EPISODE.read_bytes()
    archive = zipped((f"a/{SEED_EPISODE.name}", text), (f"b/{SEED_EPISODE.name}", text))
    html = upload(editor_client, md("batch.zip", archive)).content.decode()
    assert f"batch.zip/b/{SEED_EPISODE.name}:1: {SEED_EPISODE.name} is also at batch.zip/a/{SEED_EPISODE.name}" in html
    assert not StagedFile.objects.exists()


def test_zip_limits_are_messages_not_errors(editor_client, settings):
    settings.PODCASTS_MAX_UPLOAD_BYTES = 3000
    settings.PODCASTS_MAX_FILE_BYTES = 2000
    archive = zipped(("one.md", "---\ntitle: One\n---\n" + "x" * 1500), ("two.md", "---\ntitle: Two\n---\n" + "y" * 1500))
    bomb = zipped(("big.md", "z" * 100_000))
    html = upload(editor_client, md("batch.zip", archive), md("bomb.zip", bomb), md("notes.txt", "hello")).content.decode()
    assert "batch.zip/two.md:1: the upload unpacks to more than 3,000 bytes" in html
    assert "bomb.zip/big.md:1: file is 100,000 bytes, over the limit of 2,000 bytes" in html
    assert "notes.txt:1: not an episode file" in html
    assert list(StagedFile.objects.values_list("name", flat=True)) == ["one.md"]


def test_too_many_members_encrypted_and_unreadable_members_are_messages(editor_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_MEMBERS", 3)
    many = zipped(*[(f"e{number}.md", "---\n---\n") for number in range(4)])
    encrypted = bytearray(zipped(("secret.md", "---\n---\n")))
    encrypted[6] |= 0x1  # the local header's flag bits: "encrypted"
    encrypted[encrypted.rindex(b"PK\x01\x02") + 8] |= 0x1  # and the central directory's
    html = upload(
        editor_client, md("many.zip", many), md("secret.zip", bytes(encrypted)), md("broken.zip", b"PK\x03\x04 not a zip")
    ).content.decode()
    assert "many.zip:1: the zip holds 4 files; at most 3 are read" in html
    assert "secret.zip/secret.md:1: the zip member is encrypted" in html
    assert "broken.zip:1: not a readable zip file" in html
    assert not StagedFile.objects.exists()


FIRST_SADAT = "Thank you very much. Super happy to be here and talk to the community."


def test_preview_shows_the_changed_items_side_by_side(editor_client, seeded_episode):
    changed = SEED_EPISODE.read_text().replace(FIRST_SADAT, "Thanks, happy to be here.", 1)
    response = upload(editor_client, md(SEED_EPISODE.name, changed))
    [(result, _)] = response.context["rows"]
    [detail] = result.details
    assert (detail.place, detail.old.text, detail.new.text) == ("transcript item 3", FIRST_SADAT, "Thanks, happy to be here.")
    assert (detail.old.speaker, detail.old.time, detail.new.speaker, detail.new.time) == ("Sadat", "1:32", "Sadat", "1:32")
    html = response.content.decode()
    assert '<td class="old">Thank you very much. Super happy' in html and '<td class="new">Thanks, happy to be here.</td>' in html


def cms_edit(episode, title: str, position: int, text: str) -> None:
    """An edit made in the CMS since the import (no revision needed: the export differs from the file)."""
    Episode.objects.filter(pk=episode.pk).update(title=title)
    episode.transcript.filter(position=position).update(text=text)


def test_a_cms_edited_episode_lists_the_edits_a_force_would_discard_and_merge_keeps_the_others(editor_client, seeded_episode):
    cms_edit(seeded_episode, "Edited in the CMS", 50, "A line fixed in the CMS.")
    seeded_episode.transcript.filter(position=3).update(speaker="Sadat Anwar")  # the item the file changes too
    changed = SEED_EPISODE.read_text().replace("season: 12", "season: 13").replace(FIRST_SADAT, "Thanks!", 1)
    response = upload(editor_client, md(SEED_EPISODE.name, changed))
    [(result, _)] = response.context["rows"]
    assert result.merge_possible
    assert [change.place for change in result.merge_keeps] == ["title", "transcript item 50"]
    assert [(change.place, change.new.speaker) for change in result.merge_loses] == [("transcript item 3", "Sadat Anwar")]
    html = response.content.decode()
    assert "a forced import discards these 3 CMS edits." in html
    assert "A line fixed in the CMS." in html
    response = apply(editor_client, response, merge="on")
    episode = Episode.objects.get()
    assert (episode.season, episode.title) == (13, "Edited in the CMS")
    lines = dict(episode.transcript.values_list("position", "text"))
    assert (lines[3], lines[50]) == ("Thanks!", "A line fixed in the CMS.")
    assert episode.transcript.get(position=3).speaker == "Sadat"  # the file's item won over the CMS's speaker
    assert episode.revisions.first().text == changed  # the import revision is the file: the base of the next merge
    [(result, episode_id)] = response.context["rows"]
    assert (result.status, episode_id) == ("updated", episode.pk)
    assert f'<a href="{reverse("admin:podcasts_episode_change", args=[episode.pk])}">{SEED_EPISODE.name}</a>' in (
        response.content.decode()
    )


def test_merge_after_merge_uses_the_latest_import_as_its_base(editor_client, seeded_episode):
    cms_edit(seeded_episode, "Edited in the CMS", 50, "A line fixed in the CMS.")
    first = SEED_EPISODE.read_text().replace("season: 12", "season: 13")
    apply(editor_client, upload(editor_client, md(SEED_EPISODE.name, first)), merge="on")
    second = first.replace(FIRST_SADAT, "Thanks!", 1)
    response = upload(editor_client, md(SEED_EPISODE.name, second))
    [(result, _)] = response.context["rows"]
    assert [change.place for change in result.merge_keeps] == ["title", "transcript item 50"] and not result.merge_loses
    apply(editor_client, response, merge="on")
    episode = Episode.objects.get()
    assert (episode.title, episode.transcript.get(position=3).text) == ("Edited in the CMS", "Thanks!")


def test_without_the_last_imported_file_merge_is_refused_not_guessed(editor_client, seeded_episode):
    cms_edit(seeded_episode, "Edited in the CMS", 50, "A line fixed in the CMS.")
    Revision.objects.all().delete()
    changed = SEED_EPISODE.read_text().replace("season: 12", "season: 13")
    response = upload(editor_client, md(SEED_EPISODE.name, changed))
    [(result, _)] = response.context["rows"]
    assert not result.merge_possible and "only a forced import can apply it" in response.content.decode()
    apply(editor_client, response, merge="on")
    assert Episode.objects.get().season == 12
