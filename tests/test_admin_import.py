"""Import in the browser (preview, then apply) and export downloads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision

from .helpers import SEED_EPISODE

pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:podcasts_episode_import"


def upload(client, *files):
    return client.post(reverse(IMPORT_URL), {"files": list(files)})


def md(name, text):
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/markdown")


def test_preview_writes_nothing_then_apply_imports(editor_client):
    response = upload(editor_client, md(SEED_EPISODE.name, SEED_EPISODE.read_bytes()), md("bad.md", "---\nseason: x\n---\n"))
    html = response.content.decode()
    assert not Episode.objects.exists()
    assert "new, 229 transcript items" in html
    assert "bad.md:2: season must be an integer" in html
    token = response.context["apply_form"].initial["token"]
    response = editor_client.post(reverse(IMPORT_URL), {"token": token})
    assert "Import: created 1, updated 0, unchanged 0, failed 1" in [str(m) for m in response.context["messages"]]
    episode = Episode.objects.get()
    assert episode.revisions.get().reason == Revision.Reason.IMPORT


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
    token = response.context["apply_form"].initial["token"]
    editor_client.post(reverse(IMPORT_URL), {"token": token, "force": "on"})
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


def test_expired_token_is_a_clear_message(editor_client):
    response = editor_client.post(reverse(IMPORT_URL), {"token": "nope"}, follow=True)
    assert "That upload has expired" in response.content.decode()
