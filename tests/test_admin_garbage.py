"""Garbage posted to every editorial endpoint is a message or a 4xx, never a 500, and changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from podcasts.editorial.transcript import fingerprint
from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision

pytestmark = pytest.mark.django_db

HUGE = "9" * 40
GARBAGE = [
    {},
    {"version": "x", "op": "up:x", "count": "-1"},
    {"version": HUGE, "op": "delete:999", "count": "3"},
    {"version": "0", "op": "delete:" + HUGE, "count": HUGE},
    {"version": "0", "op": "nonsense:1", "count": "1", "id-0": "abc", "kind-0": "bogus", "time-0": "99:99:99"},
    {"version": "0", "op": "save", "count": "2", "id-0": HUGE, "kind-0": "header", "id-1": "-5", "kind-1": "line"},
    {"old": "", "new": "", "rename": "1", "episodes": ["x", HUGE]},
    {"speaker": "Alexey", "guest": HUGE, "link": "1", "everywhere": "maybe"},
    {"upload": "../../etc", "force": "yes"},
    {"files": "not a file"},
    {"published_at_0": "2026-02-30", "published_at_1": "25:61"},
    {"loaded_version": HUGE, "title": "x" * 10_000, "season": HUGE, "number": "-" + HUGE, "extra": "{not json"},
    {"version": HUGE, "timestamps": "00:00:00 Intro", "apply": "1"},
    {"version": "0", "timestamps": ["99:99:99 x", "\x00"], "apply": "1", "clip": ["x", HUGE]},
    {"rule": "time-backwards", "position": HUGE, "version": "0", "sec": "-3"},
    {"rule": "consecutive-headers", "version": "0", "old": "Alexey", "new": "Alexey", "confirmed": "True"},
    {"action": "fix_selected", "_selected_action": ["x", HUGE], "fix_rule": "consecutive-headers", "apply": "on"},
    {"action": "fix_selected", "fix_rule": "nonsense", "apply": "maybe"},
    {"pattern": "(", "regex": "on", "places": ["nowhere"], "replacement": "\x00", "step": "apply", "matches": ["x", HUGE]},
    {"pattern": "(a|aa)+$", "regex": "on", "replacement": "b", "step": "apply", "matches": "1:" + HUGE},
    {"action": "fill_audio_from_url", "_selected_action": [HUGE, "x"]},
]


def endpoints(episode):
    pk = episode.pk
    return [
        reverse("admin:podcasts_episode_import"),
        reverse("admin:podcasts_episode_new_from_transcript"),
        reverse("admin:podcasts_episode_replace_transcript", args=[pk]),
        reverse("admin:podcasts_episode_all_speakers"),
        reverse("admin:podcasts_episode_find_replace"),
        reverse("admin:podcasts_episode_transcript", args=[pk]),
        reverse("admin:podcasts_episode_speakers", args=[pk]),
        reverse("admin:podcasts_episode_clips", args=[pk]),
        reverse("admin:podcasts_episode_timestamps", args=[pk]),
        reverse("admin:podcasts_episode_publish", args=[pk]),
        reverse("admin:podcasts_episode_fix", args=[pk]),
        reverse("admin:podcasts_episode_change", args=[pk]),
        reverse("admin:podcasts_episode_changelist"),
        reverse("admin:podcasts_guest_changelist"),
    ]


@pytest.mark.parametrize("data", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_posts_never_fail_or_change_the_episode(admin_user, seeded_episode, data):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    before = export_bytes(Episode.objects.for_export().get())
    revisions = Revision.objects.count()
    for url in endpoints(seeded_episode):
        for payload in (data, {**data, "action": "publish_selected", "_selected_action": ["x", HUGE]}):
            response = client.post(url, payload)
            assert response.status_code < 500, (url, payload, response.status_code)
    assert export_bytes(Episode.objects.for_export().get()) == before
    assert Revision.objects.count() == revisions
    # A POST to a revision's page restores it, whatever else it holds: it must not fail either.
    assert client.post(reverse("admin:podcasts_revision_compare", args=[Revision.objects.first().pk]), data).status_code == 302


@pytest.mark.parametrize(
    "url_name",
    [
        "transcript",
        "speakers",
        "clips",
        "revisions",
        "download",
        "preview",
        "publish",
        "replace_transcript",
        "timestamps",
        "timestamps_download",
        "fix",
    ],
)
@pytest.mark.parametrize("object_id", ["999999", HUGE, "x"])
def test_pages_of_an_unknown_episode_are_404(admin_client, url_name, object_id):
    response = admin_client.get(reverse(f"admin:podcasts_episode_{url_name}", args=[object_id]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "items",
    [
        {"t{pk}:x": "x"},  # an item without the state it was loaded in
        {"t{pk}:a.b.c": "x"},  # a state it never had: someone else's change, a conflict
        {"t{pk}:{base}": "{text}", "m{pk}": "99:99:99"},
        {"t{pk}:{base}": "{text}", "op": "merge:{pk}"},
        {"op": "up:99999999"},
        {"op": "explode:{pk}"},
        {"action": "delete"},
        {"action": "delete", "item": "99999"},
    ],
)
def test_transcript_garbage_saves_nothing(editor_client, seeded_episode, items):

    before = export_bytes(Episode.objects.for_export().get())
    first = seeded_episode.transcript.get(position=0)
    fill = {"pk": first.pk, "base": fingerprint(first), "text": first.text}
    data = {key.format(**fill): value.format(**fill) for key, value in items.items()}
    url = reverse("admin:podcasts_episode_transcript", args=[seeded_episode.pk])
    response = editor_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert export_bytes(Episode.objects.for_export().get()) == before
    assert Episode.objects.get().version == seeded_episode.version


def test_control_characters_are_refused_in_every_editable_text(editor_client, seeded_episode):
    from .helpers import browser_form_data

    change = reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])
    data = browser_form_data(editor_client.get(change).content.decode(), "episode_form")
    response = editor_client.post(change, {**data, "title": "bell\x07", "_save": "Save"})
    assert "This text contains the control character U+0007" in response.content.decode()
    transcript = reverse("admin:podcasts_episode_transcript", args=[seeded_episode.pk])

    line = seeded_episode.transcript.get(position=2)
    items = {f"t{line.pk}:{fingerprint(line)}": "hi\x1b[31m", "save": "1"}
    html = editor_client.post(transcript, items, follow=True).content.decode()
    assert "item 2: the text contains the control character U+001B" in html
    speakers = reverse("admin:podcasts_episode_speakers", args=[seeded_episode.pk])
    response = editor_client.post(speakers, {"rename": "1", "old": "Sadat", "new": "Sadat\x00"})
    assert "control character U+0000" in response.content.decode()
    assert Episode.objects.get().title == seeded_episode.title
    speakers = set(seeded_episode.transcript.exclude(speaker=None).values_list("speaker", flat=True))
    assert not any("\x00" in speaker for speaker in speakers) and "Sadat" in speakers
