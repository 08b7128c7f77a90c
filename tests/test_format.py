"""The file format on its own: parse and dump, no database."""

import copy
import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podcasts.files import frontmatter
from podcasts.files.frontmatter import FormatError

from .helpers import SEED_EPISODE, SEED_GUEST


def round_trip(raw: bytes) -> bytes:
    doc = frontmatter.parse(raw)
    return frontmatter.dump(doc.data, doc.body, doc.layout)


def changed_lines(old: bytes, new: bytes) -> list[str]:
    diff = difflib.unified_diff(old.decode().splitlines(), new.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@pytest.mark.parametrize("path", [SEED_EPISODE, SEED_GUEST], ids=lambda p: p.name)
def test_fixture_files_round_trip_byte_for_byte(path):
    raw = path.read_bytes()
    assert round_trip(raw) == raw


def test_parse_gives_typed_values_and_body():
    doc = frontmatter.parse(SEED_EPISODE.read_bytes())
    assert doc.data["season"] == 12 and doc.data["episode"] == 1
    assert doc.data["transcript"][2] == {
        "line": doc.data["transcript"][2]["line"],
        "sec": 65,
        "time": "1:05",
        "who": "Alexey",
    }
    assert doc.body.startswith("\nLinks:\n")
    assert not doc.body.endswith("\n")


@pytest.mark.parametrize(
    "raw",
    [
        "---\ntitle: 'Single'\nshort: \"Double\"\nplain: text here\n---\nbody\n",
        "---\n# a comment before the first key\ntitle: x  # trailing comment\n\n\nguests: [a, b]\n---\n",
        "---\ntitle: x\nlinks:\n    youtube: TODO   # indented four\n    apple: TODO\n---\nno final newline",
        "---\ntranscript:\n  - line: indented items\n    who: A\n  -\n    header: dash on its own line\n---\n",
        "---\nintro: |\n  literal\n\n  block\n\nnext: >-\n  folded\n  text\n---\n",
        '---\nlong: "' + "word " * 40 + '"\n---\n',
        "---\n---\n",
    ],
    ids=["quoting", "comments-blanks-flow", "indent-no-newline", "indented-seq", "block-scalars", "long-line", "empty"],
)
def test_unusual_layouts_round_trip(raw):
    raw = raw.encode()
    if raw == b"---\n---\n":
        with pytest.raises(FormatError, match="front matter is empty"):
            frontmatter.parse(raw)
        return
    assert round_trip(raw) == raw


def test_bom_and_crlf_survive():
    raw = "\ufeff---\r\ntitle: 'x'\r\nguests:\r\n- a\r\n---\r\nBody\r\n".encode()
    doc = frontmatter.parse(raw)
    assert doc.data == {"title": "x", "guests": ["a"]}
    assert doc.body == "Body\n"
    assert frontmatter.dump(doc.data, doc.body, doc.layout) == raw
    doc.data["guests"].append("b")
    assert (
        frontmatter.dump(doc.data, doc.body, doc.layout)
        == "\ufeff---\r\ntitle: 'x'\r\nguests:\r\n- a\r\n- b\r\n---\r\nBody\r\n".encode()
    )


def test_editing_one_transcript_item_changes_only_its_lines():
    raw = SEED_EPISODE.read_bytes()
    doc = frontmatter.parse(raw)
    data = copy.deepcopy(doc.data)
    data["transcript"][3]["who"] = "Sadat Anwar"
    assert changed_lines(raw, frontmatter.dump(data, doc.body, doc.layout)) == ["-  who: Sadat", "+  who: Sadat Anwar"]


def test_editing_a_field_changes_only_that_field():
    raw = SEED_EPISODE.read_bytes()
    doc = frontmatter.parse(raw)
    data = copy.deepcopy(doc.data)
    data["title"] = "A shorter title"
    data["links"]["apple"] = "TODO"
    changes = changed_lines(raw, frontmatter.dump(data, doc.body, doc.layout))
    assert changes[0].startswith("-  apple: https://podcasts.apple.com/")
    assert changes[1:] == [
        "+  apple: TODO",
        "-title: 'Transitioning from Software Engineer to Data Science Manager: Search, ML &",
        "-  Leadership'",
        "+title: A shorter title",
    ]


def test_inserted_deleted_and_moved_items_keep_the_others_verbatim():
    raw = SEED_EPISODE.read_bytes()
    doc = frontmatter.parse(raw)
    data = copy.deepcopy(doc.data)
    items = data["transcript"]
    items.insert(5, {"header": "A new section"})
    moved = items.pop(10)
    items.append(moved)
    moved_text = ["- line: Research assistant, I guess?", "  sec: 190", "  time: '3:10'", "  who: Alexey"]
    dumped = frontmatter.dump(data, doc.body, doc.layout)
    changes = changed_lines(raw, dumped)
    assert changes == ["+- header: A new section"] + ["-" + line for line in moved_text] + ["+" + line for line in moved_text]
    assert frontmatter.parse(dumped).data == data


def test_new_and_removed_keys():
    raw = b"---\ntitle: x\n\ndescription: old\n# about intro\nintro: y\n---\n"
    doc = frontmatter.parse(raw)
    data = {"title": "x", "intro": "y", "topics": ["a"]}
    # A comment travels with the entry above it: it is that entry's gap.
    assert frontmatter.dump(data, doc.body, doc.layout) == b"---\ntitle: x\n\nintro: y\ntopics:\n- a\n---\n"


def test_dump_without_layout_is_pyyaml_style():
    text = frontmatter.dump({"title": "x: y", "guests": ["a"]}, "\nBody").decode()
    assert text == "---\ntitle: 'x: y'\nguests:\n- a\n---\n\nBody"


@pytest.mark.parametrize(
    "raw, line, message",
    [
        (b"", 1, "file is empty"),
        (b"intro\n---\ntitle: x\n---\n", 1, "expected '---' on the first line"),
        (b"---\ntitle: x\n", 1, "no closing '---'"),
        (b"---\ntitle: x\nguests: [a\nseason: 1\n---\n", 4, "YAML syntax error"),
        (b"---\n- a\n- b\n---\n", 2, "expected a mapping"),
        (b"---\njust text\n---\n", 2, "expected a mapping"),
        (b"---\ntitle: x\ntitle: y\n---\n", 3, "duplicate key 'title'"),
        (b"---\ntitle: ok\nintro: caf\xe9\n---\n", 3, "not UTF-8"),
        (b"---\n1: x\n---\n", 2, "top-level key 1 is not text"),
        (b"---\nwhen: !!python/object:os.system x\n---\n", 2, "YAML value error"),
    ],
)
def test_bad_files_raise_with_line(raw, line, message):
    with pytest.raises(FormatError) as caught:
        frontmatter.parse(raw)
    assert caught.value.line == line
    assert message in caught.value.message


def test_size_limit_is_checked_before_parsing():
    with pytest.raises(FormatError, match="over the limit of 100 bytes"):
        frontmatter.parse(b"---\ntitle: " + b"x" * 200 + b"\n---\n", max_bytes=100)


def test_alias_bomb_is_refused_without_expanding():
    lines = ["---", 'a0: ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 40)]
    lines[1] = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
    raw = ("\n".join(lines) + "\n---\n").encode()
    with pytest.raises(FormatError, match=r"aliases \(\*name\) are not allowed"):
        frontmatter.parse(raw)


def test_line_of_points_into_the_transcript():
    doc = frontmatter.parse(SEED_EPISODE.read_bytes())
    assert doc.line_of(("transcript", 2, "sec")) == 27
    assert doc.line_of(("season",)) == 14
    assert doc.line_of(("no-such-key",)) == 2


def test_json_codec_keeps_types_and_order():
    import datetime

    value = {"z": 1, "a": [datetime.date(2024, 1, 2), {"k": None}], 3: float("inf"), "when": datetime.datetime(2024, 1, 2, 3, 4)}
    encoded = frontmatter.to_json(value)
    assert frontmatter.from_json(encoded) == value
    assert list(frontmatter.from_json(encoded)) == ["z", "a", 3, "when"]


# ----------------------------------------------------------- property test

text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"), max_size=120)
scalar = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), text, st.dates())
item = st.dictionaries(st.sampled_from(["line", "who", "sec", "time", "header", "x-extra"]), scalar, min_size=1, max_size=4)
front = st.dictionaries(
    st.text(st.characters(categories=("Ll",)), min_size=1, max_size=12),
    st.one_of(scalar, st.lists(scalar, max_size=4), st.lists(item, max_size=5), st.dictionaries(text, text, max_size=3)),
    min_size=1,
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(data=front, body=text, edited=front)
def test_dump_parse_dump_is_a_fixed_point(data, body, edited):
    first = frontmatter.dump(data, body)
    doc = frontmatter.parse(first)
    assert doc.data == data
    assert doc.body == body
    assert frontmatter.dump(doc.data, doc.body, doc.layout) == first
    # An edit written through the layout reads back as the edited values.
    doc2 = frontmatter.parse(frontmatter.dump(edited, body, doc.layout))
    assert doc2.data == edited
