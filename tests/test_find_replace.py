"""Find and replace across transcripts: search options, the admin page, preview, one
revision per changed episode, undo through revisions, and a runaway expression stopped."""

import pytest
from django.urls import reverse

from podcasts.editorial import find_replace
from podcasts.editorial.find_replace import Query, SearchTooSlow, find, replace
from podcasts.editorial.restoring import restore_revision
from podcasts.files.exporting import export_bytes
from podcasts.models import Episode, Revision, TranscriptLine

from .factories import make_episode
from .helpers import SEED_EPISODE

pytestmark = pytest.mark.django_db
PAGE = "admin:podcasts_episode_find_replace"

KUBEFLOW = [
    {"header": "Kube flow and Airflow"},
    {"line": "We use kube flow, and Kube Flow pipelines.", "who": "Alexey", "sec": 1, "time": "0:01"},
    {"line": "Kube flowers are not it.", "who": "Kube flow", "sec": 2, "time": "0:02"},
]


@pytest.fixture
def episodes(db):
    return make_episode("first", transcript=KUBEFLOW), make_episode("second", transcript=KUBEFLOW[1:2])


def spans(query):
    return [(m.episode_id, m.position, m.place, m.matched) for m in find(query).matches]


def test_plain_search_ignores_case_and_covers_text_speakers_and_headers(episodes):
    first, second = episodes
    assert spans(Query("kube flow")) == [
        (first.pk, 0, "header", "Kube flow"),
        (first.pk, 1, "line", "kube flow"),
        (first.pk, 1, "line", "Kube Flow"),
        (first.pk, 2, "line", "Kube flow"),
        (first.pk, 2, "speaker", "Kube flow"),
        (second.pk, 0, "line", "kube flow"),
        (second.pk, 0, "line", "Kube Flow"),
    ]


def test_case_whole_words_places_and_regular_expressions(episodes):
    first, _ = episodes
    assert [m.matched for m in find(Query("Kube Flow", case_sensitive=True)).matches] == ["Kube Flow", "Kube Flow"]
    assert ("line", "Kube flow") not in [(m.place, m.matched) for m in find(Query("kube flow", whole_word=True)).matches]
    assert spans(Query("kube flow", places=("speaker",))) == [(first.pk, 2, "speaker", "Kube flow")]
    assert [m.matched for m in find(Query(r"kube\s+flow(?=,)", is_regex=True)).matches] == ["kube flow", "kube flow"]
    with pytest.raises(ValueError, match="Not a valid regular expression"):
        Query("(unclosed", is_regex=True).compile()


def test_a_runaway_expression_is_stopped(monkeypatch, episodes):
    TranscriptLine.objects.filter(position=1).update(text="a" * 40 + "!")
    monkeypatch.setattr(find_replace, "TIME_BUDGET", 0.1)
    with pytest.raises(SearchTooSlow):
        find(Query("(a|aa)+$", is_regex=True))


def test_the_page_says_a_runaway_expression_was_stopped(monkeypatch, editor_client, episodes):
    TranscriptLine.objects.filter(position=1).update(text="a" * 40 + "!")
    monkeypatch.setattr(find_replace, "TIME_BUDGET", 0.1)
    response = editor_client.get(reverse(PAGE), {"pattern": "(a|aa)+$", "regex": "on", "places": ["line"]})
    assert "The search was stopped after" in response.content.decode()


def test_page_lists_matches_in_context_grouped_by_episode(editor_client, episodes):
    html = editor_client.get(reverse(PAGE), {"pattern": "kube flow", "places": ["line", "header"]}).content.decode()
    assert "6 matches in 2 episodes" in html
    assert "We use <mark>kube flow</mark>, and Kube Flow pipelines." in html
    assert html.index(">first</a>") < html.index(">second</a>")
    transcript = reverse("admin:podcasts_episode_transcript", args=[episodes[0].pk])
    assert f'href="{transcript}#item-2"' in html
    assert "Find and replace" in editor_client.get(reverse("admin:podcasts_episode_changelist")).content.decode()


def post(client, keys, step, **fields):
    data = {"pattern": "kube flow", "places": ["line", "speaker", "header"], "replacement": "Kubeflow"}
    return client.post(reverse(PAGE), {**data, **fields, "matches": keys, "step": step})


def test_preview_shows_the_resulting_lines_and_saves_nothing(editor_client, episodes):
    first, second = episodes
    keys = [m.key for m in find(Query("kube flow")).matches if m.value.startswith("We use")]
    html = post(editor_client, keys, "preview").content.decode()
    assert "- We use kube flow, and Kube Flow pipelines." in html
    assert "+ We use Kubeflow, and Kubeflow pipelines." in html
    assert "Replacing 4 matches" in html and "in 2 episodes" in html
    assert not TranscriptLine.objects.filter(text__contains="Kubeflow").exists()
    assert Revision.objects.count() == 0


def test_replace_only_the_chosen_matches_one_revision_per_episode(editor_client, editor, episodes):
    first, second = episodes
    chosen = [m.key for m in find(Query("kube flow")).matches if m.episode_id == first.pk and m.place != "line"]
    response = post(editor_client, chosen, "apply")
    assert response.status_code == 302
    items = list(first.transcript.values_list("text", "speaker"))
    assert items == [
        ("Kubeflow and Airflow", None),
        ("We use kube flow, and Kube Flow pipelines.", "Alexey"),
        ("Kube flowers are not it.", "Kubeflow"),
    ]
    assert second.transcript.get().text == "We use kube flow, and Kube Flow pipelines."
    revision = Revision.objects.get()
    assert (revision.episode, revision.user, revision.note) == (first, editor, "replaced 'kube flow' with 'Kubeflow'")
    assert Episode.objects.get(pk=first.pk).version == first.version + 1
    assert Episode.objects.get(pk=second.pk).version == second.version


def test_regex_groups_and_an_emptied_speaker(episodes):
    first, _ = episodes
    query = Query(r"(\w+) flow", is_regex=True, places=("line",))
    keys = [m.key for m in find(query).matches if m.episode_id == first.pk and m.position == 1]
    replace(query, r"\1-flow", keys)
    assert first.transcript.get(position=1).text == "We use kube-flow, and Kube-flow pipelines."
    speaker = Query("Kube flow", places=("speaker",))
    replace(speaker, "", [m.key for m in find(speaker).matches])
    assert first.transcript.get(position=2).speaker is None  # no `who:` key rather than `who: ''`


def test_undo_through_the_revision_before(editor_client, editor, seeded_episode):
    query = Query("data science", whole_word=True)
    matches = find(query).matches
    assert len(matches) > 5
    replace(query, "DS", [m.key for m in matches], user=editor)
    exported = export_bytes(Episode.objects.for_export().get()).decode()
    assert "DS" in exported and exported != SEED_EPISODE.read_text()
    before = Revision.objects.filter(episode=seeded_episode, reason=Revision.Reason.IMPORT).get()
    restore_revision(before, user=editor)
    assert export_bytes(Episode.objects.for_export().get()) == SEED_EPISODE.read_bytes()


def test_a_match_changed_since_the_preview_is_left_alone(editor_client, episodes):
    first, _ = episodes
    keys = [m.key for m in find(Query("kube flow")).matches if m.episode_id == first.pk and m.place == "header"]
    TranscriptLine.objects.filter(episode=first, position=0).update(text="Renamed meanwhile")
    assert post(editor_client, keys, "apply").status_code == 302
    assert first.transcript.get(position=0).text == "Renamed meanwhile" and not Revision.objects.exists()


def test_bad_posts_are_messages(editor_client, episodes):
    bad_key = post(editor_client, ["1:elsewhere:0"], "apply").content.decode()
    assert "is not a match" in bad_key
    bad_group = post(editor_client, [find(Query("kube flow")).matches[0].key], "apply", regex="on", replacement=r"\9")
    assert "Not a valid replacement" in bad_group.content.decode()
    assert not Revision.objects.exists()
