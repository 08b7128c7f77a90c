"""The transcript editor: changes item by item (in place, or the plain form's Save), row
actions, per-item conflicts, search, problem markers, long transcripts."""

import difflib
import re

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podcasts.editorial.versions import bump_version
from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision, TranscriptLine

from .helpers import browser_form_data, run

pytestmark = pytest.mark.django_db
IN_PLACE = {"HX-Request": "true"}


def editor_url(episode, query=""):
    return reverse("admin:podcasts_episode_transcript", args=[episode.pk]) + query


def page_form(client, episode, query="") -> dict:
    """The editor's form as a browser without script submits it, unchanged."""
    html = client.get(editor_url(episode, query)).content.decode()
    return {name: values[0] for name, values in browser_form_data(html, "transcript-form").items()}


def row_of(client, episode, position) -> dict:
    """One row's fields as the page's script sends them."""
    pk = str(episode.transcript.get(position=position).pk)
    form = page_form(client, episode, f"?item={position}")
    return {name: value for name, value in form.items() if re.fullmatch(rf"[sm]{pk}|t{pk}:.*", name)}


def text_key(data: dict, pk: int) -> str:
    """The name of item ``pk``'s text field in ``data`` (it carries the state the item was loaded in)."""
    return next(name for name in data if name.startswith(f"t{pk}:"))


def items(episode):
    return list(TranscriptLine.objects.filter(episode=episode).values_list("kind", "text", "speaker", "time"))


def test_editor_shows_every_item_with_at_most_three_fields_a_line(editor_client, seeded_episode):
    html = editor_client.get(editor_url(seeded_episode)).content.decode()
    rows = re.findall(r"<tr id=item-\d+[^>]*>.*?(?=<tr|</tbody>)", html, re.S)
    assert len(rows) == seeded_episode.transcript.count()
    headers = [row for row in rows if " class=h" in row]
    assert len(headers) == seeded_episode.transcript.filter(kind="header").count()
    for row in rows:
        controls = re.findall(r"<(?:input(?! type=hidden)|textarea|button|select|a )", row)
        assert len(controls) == (1 if row in headers else 3)
    assert '<option value="Sadat Anwar">' in html  # the guest's name is offered as a speaker
    assert "Alt+Shift+S" in html and "Split it at the cursor" in html  # shortcuts documented


def test_plain_form_saves_speaker_text_and_time(editor_client, seeded_episode):
    data = page_form(editor_client, seeded_episode)
    line2, line3 = seeded_episode.transcript.get(position=2), seeded_episode.transcript.get(position=3)
    data.update({f"s{line3.pk}": "Sadat Anwar", text_key(data, line2.pk): "Changed words.", f"m{line2.pk}": "1:07", "save": "1"})
    response = editor_client.post(editor_url(seeded_episode), data, follow=True)
    assert "Saved." in response.content.decode()
    lines = {line.position: line for line in seeded_episode.transcript.all()}
    assert lines[3].speaker == "Sadat Anwar" and lines[3].pk == line3.pk  # rows keep their ids
    assert (lines[2].text, lines[2].time, lines[2].sec) == ("Changed words.", "1:07", 67)
    assert lines[5].speaker == "Alexey" and lines[5].sec == 97
    assert Episode.objects.get().version == seeded_episode.version + 1
    assert seeded_episode.revisions.filter(reason=Revision.Reason.EDIT).count() == 1


def test_a_save_without_a_change_stores_nothing_and_raises_no_version(editor_client, seeded_episode):
    revisions = Revision.objects.count()
    response = editor_client.post(
        editor_url(seeded_episode), {**page_form(editor_client, seeded_episode), "save": "1"}, follow=True
    )
    assert "Nothing to save" in response.content.decode()
    assert Episode.objects.get().version == seeded_episode.version
    assert Revision.objects.count() == revisions


def test_an_in_place_change_answers_with_its_row_only(editor_client, seeded_episode):
    row = row_of(editor_client, seeded_episode, 2)
    pk = seeded_episode.transcript.get(position=2).pk
    response = editor_client.post(editor_url(seeded_episode), {**row, text_key(row, pk): "New words."}, headers=IN_PLACE)
    html = response.content.decode()
    assert html.count("<tr") == 1 and "id=item-2>" in html and ">New words.</textarea>" in html
    assert seeded_episode.transcript.get(position=2).text == "New words."


def test_in_place_changes_by_one_editor_are_one_revision_exported_when_read(editor_client, seeded_episode):
    for position, words in ((2, "First words."), (4, "Second words.")):
        row = row_of(editor_client, seeded_episode, position)
        pk = seeded_episode.transcript.get(position=position).pk
        editor_client.post(editor_url(seeded_episode), {**row, text_key(row, pk): words}, headers=IN_PLACE)
    burst = Revision.objects.filter(episode=seeded_episode).first()
    assert Revision.objects.filter(episode=seeded_episode).count() == 2  # the import's and the burst's
    assert (burst.edits, burst.stale) == (2, True)  # no export per change
    history = editor_client.get(reverse("admin:podcasts_episode_revisions", args=[seeded_episode.pk])).content.decode()
    burst.refresh_from_db()
    assert not burst.stale and "First words." in burst.text and "Second words." in burst.text
    assert "edited line 2" in burst.summary and "→ 'Second words.')" in burst.summary  # position 4 is a header
    assert "edited line 2" in history


def test_clearing_a_speaker_removes_the_who_key(editor_client, seeded_episode):
    line = seeded_episode.transcript.get(position=3)
    editor_client.post(
        editor_url(seeded_episode), {**row_of(editor_client, seeded_episode, 3), f"s{line.pk}": ""}, headers=IN_PLACE
    )
    assert seeded_episode.transcript.get(position=3).speaker is None
    exported = export_bytes(Episode.objects.for_export().get()).decode()
    assert "who: ''" not in exported


def operate(client, episode, position, op, **extra):
    line = episode.transcript.get(position=position)
    data = {**row_of(client, episode, position), "op": f"{op}:{line.pk}", **extra}
    return client.post(editor_url(episode), data, headers=IN_PLACE)


@pytest.mark.parametrize(
    "operation, position, extra, check",
    [
        ("delete", 2, {}, lambda before, after: after == before[:2] + before[3:]),
        ("up", 3, {}, lambda before, after: after[2:4] == [before[3], before[2]]),
        ("down", 2, {}, lambda before, after: after[2:4] == [before[3], before[2]]),
        (
            "insert-header",
            3,
            {},
            lambda before, after: after[3] == ("header", "New section", None, None) and after[4:] == before[3:],
        ),
        ("to-header", 2, {}, lambda before, after: after[2] == ("header", before[2][1], None, None)),
        ("to-line", 0, {}, lambda before, after: after[0] == ("line", before[0][1], None, None)),
        ("swap", 2, {}, lambda before, after: after[2] == ("line", before[2][2], before[2][1], before[2][3])),
        ("merge", 1, {}, lambda before, after: after[0] == ("header", f"{before[0][1]} {before[1][1]}", None, None)),
        (
            "split",
            2,
            {"at": "6"},
            lambda before, after: (
                [after[2][1], after[3][1]] == [before[2][1][:6].rstrip(), before[2][1][6:].lstrip()]
                and after[3][2:] == before[2][2:]
            ),
        ),
    ],
)
def test_row_actions(editor_client, seeded_episode, operation, position, extra, check):
    before = items(seeded_episode)
    response = operate(editor_client, seeded_episode, position, operation, **extra)
    assert response.status_code == 200 and "errornote" not in response.content.decode()
    assert check(before, items(seeded_episode))
    positions = list(TranscriptLine.objects.filter(episode=seeded_episode).values_list("position", flat=True))
    assert positions == list(range(len(positions)))


def test_a_move_names_the_neighbor_its_row_replaces(editor_client, seeded_episode):
    neighbor = seeded_episode.transcript.get(position=2).pk
    response = operate(editor_client, seeded_episode, 3, "up", neighbor=neighbor)
    assert response["X-Replaced"] == str(neighbor)
    assert re.findall(r"id=item-(\d+)", response.content.decode()) == ["2", "3"]


def test_merging_two_identical_headers_keeps_one(editor_client, seeded_episode):
    first = seeded_episode.transcript.get(position=0)
    seeded_episode.transcript.filter(position=1).update(text=first.text)
    operate(editor_client, seeded_episode, 1, "merge")
    assert seeded_episode.transcript.get(position=0).text == first.text


@pytest.mark.parametrize(
    "operation, position, message",
    [
        ("merge", 2, "only two headers, or two lines of the same speaker, can be merged"),
        ("merge", 0, "the first item has nothing before it to merge with"),
        ("swap", 0, "only a line has a speaker to swap with its text"),
        ("split", 2, "put the cursor inside the text"),
    ],
)
def test_a_row_action_that_cannot_apply_changes_nothing(editor_client, seeded_episode, operation, position, message):
    before = items(seeded_episode)
    html = operate(editor_client, seeded_episode, position, operation).content.decode()
    assert f"Nothing was saved: {message}" in html
    assert items(seeded_episode) == before and Episode.objects.get().version == seeded_episode.version


def test_editors_of_different_items_both_save(editor_client, seeded_episode):
    stale = page_form(editor_client, seeded_episode)
    first, second = seeded_episode.transcript.get(position=3), seeded_episode.transcript.get(position=5)
    editor_client.post(editor_url(seeded_episode), {**stale, f"s{first.pk}": "First Editor", "save": "1"})
    response = editor_client.post(
        editor_url(seeded_episode), {**stale, f"s{second.pk}": "Second Editor", "save": "1"}, follow=True
    )
    assert "Saved." in response.content.decode()
    assert seeded_episode.transcript.get(position=3).speaker == "First Editor"
    assert seeded_episode.transcript.get(position=5).speaker == "Second Editor"


def test_the_same_item_is_a_conflict_showing_both_and_a_second_save_keeps_mine(editor_client, seeded_episode):
    line = seeded_episode.transcript.get(position=2)
    stale = row_of(editor_client, seeded_episode, 2)
    editor_client.post(editor_url(seeded_episode), {**stale, text_key(stale, line.pk): "Theirs."}, headers=IN_PLACE)
    html = editor_client.post(
        editor_url(seeded_episode), {**stale, text_key(stale, line.pk): "Mine."}, headers=IN_PLACE
    ).content.decode()
    assert ">Mine.</textarea>" in html and "<q>Theirs.</q>" in html and "Take theirs" in html
    assert seeded_episode.transcript.get(position=2).text == "Theirs."
    again = {name: values[0] for name, values in browser_form_data(f"<form id=row>{html}</form>", "row").items()}
    editor_client.post(editor_url(seeded_episode), {**again, text_key(again, line.pk): "Mine."}, headers=IN_PLACE)
    assert seeded_episode.transcript.get(position=2).text == "Mine."


def test_the_plain_form_shows_a_conflict_with_the_input_kept(editor_client, seeded_episode):
    line = seeded_episode.transcript.get(position=2)
    stale = page_form(editor_client, seeded_episode)
    seeded_episode.transcript.filter(pk=line.pk).update(text="Theirs.")
    html = editor_client.post(
        editor_url(seeded_episode), {**stale, text_key(stale, line.pk): "Mine.", "save": "1"}
    ).content.decode()
    assert "Someone else changed an item you edited" in html
    assert ">Mine.</textarea>" in html and "<q>Theirs.</q>" in html


def test_a_rename_or_publish_elsewhere_leaves_pending_edits_valid(editor_client, seeded_episode):
    line = seeded_episode.transcript.get(position=2)
    stale = row_of(editor_client, seeded_episode, 2)
    speakers = reverse("admin:podcasts_episode_speakers", args=[seeded_episode.pk])
    editor_client.post(speakers, {"rename": "1", "old": line.speaker, "new": "Renamed"})
    bump_version([seeded_episode.pk])  # as a publish does
    editor_client.post(editor_url(seeded_episode), {**stale, text_key(stale, line.pk): "Still saved."}, headers=IN_PLACE)
    line.refresh_from_db()
    assert (line.text, line.speaker) == ("Still saved.", "Renamed")


def test_a_bad_time_is_refused_with_the_input_kept(editor_client, seeded_episode):
    line = seeded_episode.transcript.get(position=2)
    data = {**page_form(editor_client, seeded_episode), f"m{line.pk}": "soon", "save": "1"}
    html = editor_client.post(editor_url(seeded_episode), data).content.decode()
    assert "Nothing was saved: &#x27;soon&#x27; is not a time like 1:05" in html
    assert f'name=m{line.pk} value="soon"' in html
    assert seeded_episode.transcript.get(position=2).time == "1:05"


def test_the_plain_form_applies_an_action_to_an_item_by_number(editor_client, seeded_episode):
    before = items(seeded_episode)
    response = editor_client.post(
        editor_url(seeded_episode), {**page_form(editor_client, seeded_episode), "action": "delete", "item": "2"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#item-2")
    assert items(seeded_episode) == before[:2] + before[3:]


def test_keys_no_field_holds_stay_with_their_item(editor_client, seeded_episode):
    seeded_episode.transcript.filter(position=2).update(extra=[["mood", "happy"]])
    operate(editor_client, seeded_episode, 0, "insert-header")
    assert seeded_episode.transcript.get(position=3).extra == [["mood", "happy"]]
    assert seeded_episode.transcript.filter(extra__isnull=False).count() == 1


def test_find_filters_by_text_speaker_and_problems(editor_client, seeded_episode):
    seeded_episode.transcript.filter(position=5).update(speaker="Alexey:")  # speaker-punctuation

    def shown(query):
        html = editor_client.get(editor_url(seeded_episode, query)).content.decode()
        return [int(n) for n in re.findall(r"<tr id=item-(\d+)", html)]

    assert shown("?q=career+journey") == [5]
    assert set(shown("?speaker=Sadat")) == set(
        seeded_episode.transcript.filter(speaker="Sadat").values_list("position", flat=True)
    )
    problems = shown("?problems=on")
    assert 5 in problems and len(problems) < seeded_episode.transcript.count()
    html = editor_client.get(editor_url(seeded_episode, "?problems=on")).content.decode()
    assert re.search(r"<tr id=item-5 data-problem>.*?<p class=error>[^<]*punctuation", html, re.S)


def test_audit_links_open_the_editor_on_the_row(editor_client, seeded_episode):
    html = editor_client.get(reverse("admin:podcasts_episode_change", args=[seeded_episode.pk])).content.decode()
    link = re.search(r'href="([^"]*/transcript/\?item=(\d+)#item-\2)"', html)
    assert link
    assert f"<tr id=item-{link[2]} " in editor_client.get(link[1]).content.decode()


def add_lines(episode, count):
    start = episode.transcript.count()
    TranscriptLine.objects.bulk_create(
        TranscriptLine(
            episode=episode, position=start + n, text=f"line {n}", speaker="Alexey", sec=n, time=f"{n // 60}:{n % 60:02}"
        )
        for n in range(count)
    )


def change_queries(client, episode, position) -> int:
    row = row_of(client, episode, position)
    pk, text = episode.transcript.get(position=position).pk, f"edited at {episode.transcript.count()} items"
    with CaptureQueriesContext(connection) as queries:
        client.post(editor_url(episode), {**row, text_key(row, pk): text}, headers=IN_PLACE)
    assert episode.transcript.get(position=position).text == text
    return len(queries)


def test_queries_per_change_do_not_grow_with_the_items(editor_client, seeded_episode):
    change_queries(editor_client, seeded_episode, 5)  # the first request of a session looks up more (content types)
    small = change_queries(editor_client, seeded_episode, 2)
    add_lines(seeded_episode, 2000)
    assert change_queries(editor_client, seeded_episode, 2) == small
    with CaptureQueriesContext(connection) as queries:
        operate(editor_client, seeded_episode, 3, "insert-header")
    add_lines(seeded_episode, 2000)
    with CaptureQueriesContext(connection) as more:
        operate(editor_client, seeded_episode, 3, "insert-header")
    assert len(more) == len(queries)


def test_ten_thousand_items_open_in_pages_and_every_change_saves(editor_client, seeded_episode):
    add_lines(seeded_episode, 10_000)
    total = seeded_episode.transcript.count()
    html = editor_client.get(editor_url(seeded_episode)).content.decode()
    assert html.count("<tr id=") == 500 and f"{total} items" in html and "page 1 of 21" in html
    last = total - 1
    html = editor_client.get(editor_url(seeded_episode, f"?item={last}")).content.decode()
    assert re.search(rf"<tr id=item-{last}[ >]", html)
    data = page_form(editor_client, seeded_episode, f"?item={last}")
    pk = seeded_episode.transcript.get(position=last).pk
    response = editor_client.post(
        editor_url(seeded_episode, f"?item={last}"), {**data, text_key(data, pk): "The end.", "save": "1"}
    )
    assert response.status_code == 302
    assert seeded_episode.transcript.get(position=last).text == "The end."


def test_export_after_an_editing_session_differs_only_in_the_edited_items(editor_client, corpus_dir):
    source = corpus_dir / "episodes" / "developer-personal-brand-learn-in-public.md"
    run("import_episodes", source)
    episode = Episode.objects.get()
    line = episode.transcript.filter(kind="line").order_by("position")[10]
    row = row_of(editor_client, episode, line.position)
    editor_client.post(editor_url(episode), {**row, text_key(row, line.pk): "Edited."}, headers=IN_PLACE)
    editor_client.post(editor_url(episode), {**page_form(editor_client, episode), "save": "1"})  # an unchanged Save on top
    exported = export_bytes(Episode.objects.for_export().get()).decode()
    hunks = [
        text for text in difflib.unified_diff(source.read_text().splitlines(), exported.splitlines(), n=0) if text[:2] == "@@"
    ]
    assert len(hunks) == 1  # one place in the file changed
    before, after = (next(yaml.safe_load_all(text))["transcript"] for text in (source.read_text(), exported))
    assert after[line.position] == {**before[line.position], "line": "Edited."}
    assert after[: line.position] + after[line.position + 1 :] == before[: line.position] + before[line.position + 1 :]
