"""The admin's "New episode from transcript" and "Replace transcript": upload or paste,
preview (format, items, speakers and their mapping, diff, audit), apply once."""

import io

import docx
import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Guest, Revision, Show, SpeakerAlias, StagedUpload

from .helpers import browser_form_data

pytestmark = pytest.mark.django_db
NEW_URL = "admin:podcasts_episode_new_from_transcript"

TEXT = """[0:15]
Speaker 1
Welcome to the show.

Career Start

[1:30]
SADAT ANWAR
Thanks for having me.
"""


def make_docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def replace_url(episode) -> str:
    return reverse("admin:podcasts_episode_replace_transcript", args=[episode.pk])


def upload(client, url, name, content, **fields):
    data = content.encode() if isinstance(content, str) else content
    return client.post(url, {"file": SimpleUploadedFile(name, data), **fields})


def submit(client, url, response, button: str, **changes):
    """Post the preview form as the browser would, with ``changes`` typed in, pressing ``button``."""
    data = browser_form_data(response.content.decode(), "ingest-preview") | {button: "1"}
    return client.post(url, data | {key.replace("_", "-"): value for key, value in changes.items()})


NEW_EPISODE = {"episode-slug": "s30e01-new", "episode-title": "A New Episode", "episode-season": "30", "episode-number": "1"}


def test_a_new_episode_from_a_text_transcript(editor_client, editor, seeded_episode):
    sadat = Guest.objects.get(short="sadatanwar")
    show = Show.load()
    show.host = Guest.objects.create(short="alexeygrigorev", name="Alexey Grigorev")
    show.save()
    url = reverse(NEW_URL)
    assert "New episode from transcript" in editor_client.get(reverse("admin:podcasts_episode_changelist")).content.decode()
    response = upload(editor_client, url, "raw.txt", TEXT, **NEW_EPISODE, **{"episode-guests": [sadat.pk]})
    html = response.content.decode()
    assert Episode.objects.count() == 1  # the preview wrote nothing
    assert "raw.txt: read as <strong>text</strong>, 3 items" in html
    rows = response.context["speaker_rows"]
    assert [(name.initial, who.initial, lines) for name, who, _, lines in rows] == [
        ("Speaker 1", "Speaker 1", 1),
        ("SADAT ANWAR", "Sadat", 1),  # a guest's name in capitals: his first name, as transcripts write it
    ]
    assert response.context["speaker_choices"] == ["Alexey", "Sadat", "Sadat Anwar"]
    assert "speaker-unlinked" in html  # the audit of the result: Speaker 1 is nobody
    response = submit(editor_client, url, response, "preview", who_0="Alexey", remember_1="on")
    preview = response.context["preview"]
    assert [item.get("who") for item in preview.items] == ["Alexey", None, "Sadat"]
    assert "speaker-unlinked" not in {finding.rule for finding in preview.findings}
    assert Episode.objects.count() == 1
    previewed = response
    response = submit(editor_client, url, previewed, "apply")
    episode = Episode.objects.get(slug="s30e01-new")
    assert response.url == reverse("admin:podcasts_episode_change", args=[episode.pk])
    text = export_bytes(Episode.objects.for_export().get(pk=episode.pk)).decode()
    assert text.startswith("---\nepisode: 1\nguests:\n- sadatanwar\nimage: images/podcast/s30e01-new.jpg\nseason: 30\n")
    assert "- header: Career Start\n- line: Thanks for having me.\n  sec: 90\n  time: '1:30'\n  who: Sadat\n" in text
    assert episode.revisions.get().reason == Revision.Reason.IMPORT and episode.revisions.get().user == editor
    assert [(alias.speaker, alias.guest) for alias in SpeakerAlias.objects.all()] == [("SADAT ANWAR", sadat)]
    entry = LogEntry.objects.get(object_id=str(episode.pk))
    assert entry.action_flag == ADDITION and "raw.txt" in entry.get_change_message()
    assert not StagedUpload.objects.exists()
    again = submit(editor_client, url, previewed, "apply")  # applied once only
    assert again.status_code == 302 and again.url == url and Episode.objects.count() == 2


def test_a_pasted_transcript_and_a_taken_slug(editor_client, seeded_episode):
    url = reverse(NEW_URL)
    response = editor_client.post(url, {"text": TEXT, **NEW_EPISODE, "episode-slug": seeded_episode.slug})
    assert "An episode with this slug exists already" in response.content.decode()
    response = editor_client.post(url, {"text": TEXT, **NEW_EPISODE})
    assert "pasted.txt: read as <strong>text</strong>" in response.content.decode()


def test_replace_transcript_from_a_word_document_keeps_headers_and_shows_diff_and_audit(editor_client, seeded_episode):
    episode = seeded_episode
    page = editor_client.get(reverse("admin:podcasts_episode_change", args=[episode.pk])).content.decode()
    assert replace_url(episode) in page
    word = make_docx(["[0:00]", "Speaker 1", "Welcome.", "", "[1:05]", "Speaker 2", "Thanks."])
    response = upload(editor_client, replace_url(episode), "raw.docx", word)
    html = response.content.decode()
    assert "read as <strong>Word document</strong>" in html
    assert "-- line: This week, we&#x27;ll talk about changing careers" in html  # the diff
    assert "consecutive-headers" in html  # the audit: later sections have no lines left
    assert export_bytes(Episode.objects.for_export().get()) == export_bytes(Episode.objects.for_export().get(pk=episode.pk))
    response = submit(editor_client, replace_url(episode), response, "apply", who_0="Alexey", who_1="Sadat")
    assert response.status_code == 302
    episode = Episode.objects.get()
    items = [(line.kind, line.text, line.speaker, line.sec) for line in episode.transcript.all()]
    assert items[:4] == [
        ("header", "Podcast Introduction", None, None),
        ("line", "Welcome.", "Alexey", 0),
        ("header", "Episode Overview: From Software Engineer to Data Science Manager", None, None),
        ("line", "Thanks.", "Sadat", 65),
    ]
    assert episode.version == seeded_episode.version + 1
    assert episode.revisions.filter(reason=Revision.Reason.EDIT).count() == 1
    assert LogEntry.objects.get(action_flag=CHANGE).get_change_message() == "Replaced the transcript from raw.docx."


def test_replace_against_a_newer_version_writes_nothing(editor_client, seeded_episode):
    response = upload(editor_client, replace_url(seeded_episode), "raw.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>Hi\n")
    Episode.objects.filter(pk=seeded_episode.pk).update(version=seeded_episode.version + 5)
    before = export_bytes(Episode.objects.for_export().get())
    response = submit(editor_client, replace_url(seeded_episode), response, "apply")
    assert "saved by someone else" in response.content.decode()
    assert export_bytes(Episode.objects.for_export().get()) == before


def test_backwards_times_are_refused_unless_accepted_then_shown(editor_client, seeded_episode):
    backwards = "[1:00]\nA\nHi\n\n[0:59]\nB\nHo\n"
    response = upload(editor_client, replace_url(seeded_episode), "raw.txt", backwards)
    assert "raw.txt:5: time 0:59 goes back before the previous time 1:00" in response.content.decode()
    assert not StagedUpload.objects.exists()
    response = upload(editor_client, replace_url(seeded_episode), "raw.txt", backwards, allow_backwards="on")
    html = response.content.decode()
    assert '<li class="warning">raw.txt:5: time 0:59 goes back before the previous time 1:00</li>' in html
    assert "time-backwards" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt:1: the file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00", "binary.txt:1: not UTF-8 text (byte 0x89); is this a binary file?"),
        ("broken.docx", b"not a zip", "broken.docx:1: not a Word document: a .docx is a zip archive"),
    ],
)
def test_bad_files_are_a_message_naming_file_and_line_and_nothing_is_staged(
    editor_client, seeded_episode, name, content, message
):
    response = upload(editor_client, replace_url(seeded_episode), name, content)
    assert message in response.content.decode()
    assert not StagedUpload.objects.exists()


def test_a_50_mb_upload_is_refused_naming_the_file(editor_client, seeded_episode):
    big = b"[0:01]\nA\n" + b"x" * (50 * 1024 * 1024)
    response = upload(editor_client, replace_url(seeded_episode), "huge.txt", big)
    assert f"huge.txt:1: the file is {len(big):,} bytes, over the limit of" in response.content.decode()
    assert not StagedUpload.objects.exists()


def test_the_preview_belongs_to_its_uploader(editor_client, client, publisher, seeded_episode):
    response = upload(editor_client, replace_url(seeded_episode), "raw.txt", TEXT)
    client.force_login(publisher)
    response = submit(client, replace_url(seeded_episode), response, "apply")
    assert response.status_code == 302 and response.url == replace_url(seeded_episode)
    assert Episode.objects.get().revisions.filter(reason=Revision.Reason.EDIT).count() == 0


def test_garbage_posts_are_messages(editor_client, seeded_episode):
    url = replace_url(seeded_episode)
    assert editor_client.post(url, {"upload": "not-a-uuid"}).status_code == 302
    response = editor_client.post(url, {"upload": "", "file": "", "text": ""})
    assert response.status_code == 302
    response = editor_client.post(url, {"text": "", "format": "nope"})
    assert "Select a valid choice" in response.content.decode()


def test_a_garbled_mapping_is_a_message_and_nothing_is_written(editor_client, seeded_episode):
    url = replace_url(seeded_episode)
    response = upload(editor_client, url, "raw.txt", TEXT)
    data = browser_form_data(response.content.decode(), "ingest-preview")
    for garbage in ({"count": "99999999999999999999"}, {"count": "-1"}, {"who-0": "x" * 600}, {"who-0": "A\x07"}):
        response = editor_client.post(url, data | garbage | {"apply": "1"})
        assert "Nothing was written: the speakers sent were not valid" in response.content.decode()
    assert seeded_episode.revisions.filter(reason=Revision.Reason.EDIT).count() == 0


def test_who_may_use_the_pages(editor_client, seeded_episode, django_user_model):
    urls = [reverse(NEW_URL), replace_url(seeded_episode)]
    client = Client()
    for url in urls:
        assert "/admin/login/" in client.get(url)["Location"]
    assert "<title>New episode from transcript" in editor_client.get(urls[0]).content.decode()
    assert "<title>Replace transcript: Transitioning" in editor_client.get(urls[1]).content.decode()
    client.force_login(django_user_model.objects.create_user("viewer", is_staff=True))
    assert [client.get(url).status_code for url in urls] == [403, 403]
