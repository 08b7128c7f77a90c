"""Item-level changes and the three-way merge of a new file with the CMS edits since the last import."""

from podcasts.files.changes import Shown, changes, hunks, merge


def line(text, who="Alexey", sec=0):
    return {"line": text, "sec": sec, "time": f"0:{sec:02}", "who": who}


BASE = {
    "title": "A",
    "transcript": [{"header": "Intro"}, line("one", sec=1), line("two", sec=2), line("three", sec=3), line("four", sec=4)],
}


def test_changes_list_each_changed_value_and_item_side_by_side():
    new = {
        "title": "B",
        "transcript": [{"header": "Intro"}, line("one!", sec=1), line("two", sec=2), line("four", sec=4), line("five", sec=5)],
        "description": "new",
    }
    found = changes(BASE, new)
    assert [(change.place, change.old, change.new) for change in found] == [
        ("title", Shown("A"), Shown("B")),
        ("transcript item 1", Shown("one", "Alexey", "0:01", "line"), Shown("one!", "Alexey", "0:01", "line")),
        ("transcript item 3", Shown("three", "Alexey", "0:03", "line"), None),
        ("transcript item 4", None, Shown("five", "Alexey", "0:05", "line")),
        ("description", None, Shown("new")),
    ]


def test_cms_edits_the_file_does_not_touch_are_kept_and_the_others_lost():
    ours = {  # the CMS: a new title, line one reworded, line three's speaker fixed
        "title": "CMS title",
        "transcript": [
            {"header": "Intro"},
            line("one, reworded", sec=1),
            line("two", sec=2),
            line("three", who="Ada", sec=3),
            line("four", sec=4),
        ],
    }
    theirs = {  # the file: line three reworded (the same item as the CMS's), line five added, a description
        "title": "A",
        "transcript": [
            {"header": "Intro"},
            line("one", sec=1),
            line("two", sec=2),
            line("three, from the file", sec=3),
            line("four", sec=4),
            line("five", sec=5),
        ],
        "description": "From the file",
    }
    merged = merge(BASE, "body\n", ours, "body\n", theirs, "new body\n")
    assert merged.data == {
        "title": "CMS title",
        "transcript": [
            {"header": "Intro"},
            line("one, reworded", sec=1),
            line("two", sec=2),
            line("three, from the file", sec=3),  # both changed it: the file wins
            line("four", sec=4),
            line("five", sec=5),
        ],
        "description": "From the file",
    }
    assert merged.body == "new body\n"
    assert [change.place for change in merged.kept] == ["title", "transcript item 1"]
    assert [(change.place, change.old.speaker, change.new.speaker) for change in merged.lost] == [
        ("transcript item 3", "Alexey", "Ada")
    ]


def test_the_same_edit_on_both_sides_is_not_lost_and_a_cms_only_body_stays():
    ours = {**BASE, "title": "Same"}
    merged = merge(BASE, "old\n", ours, "cms body\n", {**BASE, "title": "Same"}, "old\n")
    assert (merged.data["title"], merged.body, merged.lost) == ("Same", "cms body\n", [])
    assert [change.place for change in merged.kept] == ["body"]


def test_insertions_at_one_place_on_both_sides_are_a_conflict_the_file_wins():
    ours = {**BASE, "transcript": [*BASE["transcript"], {"header": "CMS end"}]}
    theirs = {**BASE, "transcript": [*BASE["transcript"], {"header": "File end"}]}
    merged = merge(BASE, "", ours, "", theirs, "")
    assert merged.data["transcript"][-1] == {"header": "File end"} and len(merged.data["transcript"]) == 6
    assert [change.new.text for change in merged.lost] == ["CMS end"]


def test_hunks_stay_fast_and_exact_on_long_runs_of_identical_items():
    old = [line("same")] * 20_000
    new = [*old[:10_000], line("changed"), *old[10_001:]]
    assert [(h.old_start, h.old_end, h.new_start, h.new_end) for h in hunks(old, new)] == [(10_000, 10_001, 10_000, 10_001)]
