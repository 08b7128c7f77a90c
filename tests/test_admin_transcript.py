"""The transcript editor: one form for all items, operations, optimistic versioning."""

import pytest
from django.urls import reverse

from podcasts.editorial.transcript import Item, apply_operation
from podcasts.models import Episode, Revision, TranscriptLine

pytestmark = pytest.mark.django_db


def editor_url(episode):
    return reverse("admin:podcasts_episode_transcript", args=[episode.pk])


def form_data(response) -> dict:
    """The transcript form as the browser would submit it, unchanged."""
    rows = response.context["rows"]
    data = {"version": response.context["version"], "count": len(rows)}
    for index, item in rows:
        data[f"id-{index}"] = item.id or ""
        data[f"kind-{index}"] = item.kind
        data[f"text-{index}"] = item.text
        if item.kind == "line":
            data[f"speaker-{index}"] = item.speaker or ""
            data[f"time-{index}"] = item.time or ""
    return data


def test_editor_shows_every_item_with_headers_distinct(editor_client, seeded_episode):
    response = editor_client.get(editor_url(seeded_episode))
    html = response.content.decode()
    count = seeded_episode.transcript.count()
    assert f"<p>{count} items." in html
    assert html.count('class="header"') == seeded_episode.transcript.filter(kind="header").count()
    assert 'value="Alexey" list="speakers"' in html
    assert "Sadat Anwar" in html  # the guest's name is offered as a speaker


def test_edit_speaker_text_and_time_in_one_save(editor_client, seeded_episode):
    data = form_data(editor_client.get(editor_url(seeded_episode)))
    data.update({"speaker-3": "Sadat Anwar", "text-2": "Changed words.", "time-2": "1:07", "op": "save"})
    response = editor_client.post(editor_url(seeded_episode), data)
    assert response.status_code == 302
    lines = {line.position: line for line in seeded_episode.transcript.all()}
    assert lines[3].speaker == "Sadat Anwar"
    assert (lines[2].text, lines[2].time, lines[2].sec) == ("Changed words.", "1:07", 67)
    assert lines[5].speaker == "Alexey" and lines[5].sec == 97  # untouched items keep their values
    episode = Episode.objects.get()
    assert episode.version == seeded_episode.version + 1
    assert episode.revisions.filter(reason=Revision.Reason.EDIT).count() == 1


@pytest.mark.parametrize(
    "operation, index, check",
    [
        ("delete", 2, lambda before, after: len(after) == len(before) - 1 and after[2] == before[3]),
        ("up", 3, lambda before, after: after[2] == before[3] and after[3] == before[2]),
        ("down", 2, lambda before, after: after[3] == before[2]),
        ("insert-header", 3, lambda before, after: after[3] == ("header", "New section", None) and after[4] == before[3]),
        ("to-header", 2, lambda before, after: after[2] == ("header", before[2][1], None)),
        ("swap", 2, lambda before, after: after[2] == ("line", before[2][2], before[2][1])),
        ("merge-next", 0, lambda before, after: after[0] == ("header", f"{before[0][1]} {before[1][1]}", None)),
    ],
)
def test_operations(editor_client, seeded_episode, operation, index, check):
    before = list(seeded_episode.transcript.values_list("kind", "text", "speaker"))
    data = form_data(editor_client.get(editor_url(seeded_episode)))
    response = editor_client.post(editor_url(seeded_episode), {**data, "op": f"{operation}:{index}"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{index}")
    after = list(TranscriptLine.objects.filter(episode=seeded_episode).values_list("kind", "text", "speaker"))
    assert check(before, after)


def test_merge_refuses_a_header_followed_by_a_line(editor_client, seeded_episode):
    data = form_data(editor_client.get(editor_url(seeded_episode)))
    response = editor_client.post(editor_url(seeded_episode), {**data, "op": "merge-next:1"})
    assert "Only a header followed by another header can be merged" in response.content.decode()
    assert seeded_episode.transcript.get(position=1).kind == "header"
    assert Episode.objects.get().version == seeded_episode.version


def test_second_editor_gets_a_conflict_and_keeps_their_input(editor_client, seeded_episode):
    stale = form_data(editor_client.get(editor_url(seeded_episode)))
    first = {**stale, "speaker-3": "First Editor", "op": "save"}
    assert editor_client.post(editor_url(seeded_episode), first).status_code == 302
    second = {**stale, "speaker-5": "Second Editor", "op": "save"}
    response = editor_client.post(editor_url(seeded_episode), second)
    html = response.content.decode()
    assert "saved by someone else" in html
    assert 'value="Second Editor"' in html  # the losing editor's input is still on the page
    speakers = set(seeded_episode.transcript.values_list("speaker", flat=True))
    assert "First Editor" in speakers and "Second Editor" not in speakers


def test_bad_time_is_refused_with_a_message(editor_client, seeded_episode):
    data = form_data(editor_client.get(editor_url(seeded_episode)))
    response = editor_client.post(editor_url(seeded_episode), {**data, "time-2": "soon", "op": "save"})
    html = response.content.decode()
    assert "Nothing was saved: &#x27;soon&#x27; is not a time like 1:05" in html
    assert 'name="time-2" value="soon"' in html
    assert seeded_episode.transcript.get(position=2).time == "1:05"


def test_editor_renders_300_items(editor_client, seeded_episode, django_assert_max_num_queries):
    lines = [TranscriptLine(episode=seeded_episode, position=1000 + n, text=f"line {n}", speaker="Alexey") for n in range(300)]
    TranscriptLine.objects.bulk_create(lines)
    with django_assert_max_num_queries(20):
        response = editor_client.get(editor_url(seeded_episode))
    assert response.content.decode().count('class="line"') >= 300


def test_keys_no_field_holds_survive_a_transcript_save(editor_client, seeded_episode):
    seeded_episode.transcript.filter(position=2).update(extra=[["mood", "happy"]])
    data = form_data(editor_client.get(editor_url(seeded_episode)))
    editor_client.post(editor_url(seeded_episode), {**data, "op": "insert-header:0"})
    assert seeded_episode.transcript.get(position=3).extra == [["mood", "happy"]]
    assert seeded_episode.transcript.filter(extra__isnull=False).count() == 1


ITEMS = [Item(1, "header", "Intro"), Item(2, "line", "Hello.", "Alexey", 65, "1:05"), Item(3, "line", "Hi!", "Ada", 70, "1:10")]


def test_to_line_turns_a_header_into_a_line_keeping_its_id_and_text():
    after = apply_operation(ITEMS, "to-line", 0)
    assert after[0] == Item(1, "line", "Intro")
    assert after[1:] == ITEMS[1:]


@pytest.mark.parametrize("operation, target", [("up", 0), ("down", 2)])
def test_moving_past_either_end_changes_nothing(operation, target):
    assert apply_operation(ITEMS, operation, target) == ITEMS


@pytest.mark.parametrize(
    "operation, target, message",
    [
        ("delete", 3, "There is no item 3."),
        ("delete", -1, "There is no item -1."),
        ("swap", 0, "Only a line has a speaker to swap with its text."),
        ("merge-next", 2, "Only a header followed by another header can be merged with it."),
        ("explode", 1, "Unknown operation 'explode'."),
    ],
)
def test_operation_that_cannot_apply_is_refused_and_changes_nothing(operation, target, message):
    items = list(ITEMS)
    with pytest.raises(ValueError) as refused:
        apply_operation(items, operation, target)
    assert str(refused.value) == message
    assert items == ITEMS
