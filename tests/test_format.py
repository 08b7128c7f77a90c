"""The file format on its own: parse and dump, no database."""

import copy
import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podcasts.files import frontmatter, schema
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
        # Scalars no constructor can build: plain exceptions without a position, located here.
        (b"---\ntitle: x\ndateadded: 2022-02-30\n---\n", 3, "cannot read '2022-02-30' as a date: day is out of range"),
        (b"---\ntranscript:\n- line: x\n  when: 2024-13-01 10:00:00\n---\n", 4, "cannot read '2024-13-01 10:00:00' as a date"),
        (b"---\na: 1\nb: !!timestamp abc\n---\n", 3, "cannot read 'abc' as a date"),
        (b"---\nb: !!float abc\n---\n", 2, "cannot read 'abc' as a number: could not convert string to float"),
        (b"---\nb: [1, !!int 0x]\n---\n", 2, "cannot read '0x' as an integer"),
        (b"---\nb:\n  c: !!bool maybe\n---\n", 3, "cannot read 'maybe' as a boolean"),
        (b"---\nseason: " + b"9" * 4301 + b"\n---\n", 2, "(4,301 characters) as an integer: Exceeds the limit (4300 digits)"),
        # Merge keys, like aliases: the layout would lose the keys they spread.
        (b"---\ntitle: x\n<<: {intro: y}\n---\n", 3, "YAML merge keys (<<) are not allowed in front matter"),
        (b"---\nlinks:\n  a: x\n  <<: {b: y}\n---\n", 4, "YAML merge keys (<<) are not allowed"),
        (b"---\ntranscript:\n- line: x\n- ? !!merge m\n  : {who: A}\n---\n", 4, "YAML merge keys (<<) are not allowed"),
        (b"---\nbase: &b {who: A}\nitem: {<<: *b}\n---\n", 3, "YAML aliases (*name) are not allowed"),
        # Control characters: escaped in a value or a key, raw anywhere, in the body.
        (b'---\ntitle: "a\\ab"\n---\n', 2, r"the text 'a\x07b' contains the control character U+0007"),
        (b'---\ntranscript:\n- line: x\n  who: "\\0"\n---\n', 4, "contains the control character U+0000"),
        (b'---\n"a\\x1b[2J": 1\n---\n', 2, "contains the control character U+001B"),
        (b'---\ntitle: "one\\rtwo"\n---\n', 2, "contains the control character U+000D"),
        (b"---\ntitle: x\nintro: |\n  a\n  b\x08\n---\n", 5, "unacceptable character U+0008: control characters are not allowed"),
        (b"---\ntitle: x\n---\none\ntwo\x00\n", 5, "the body contains the control character U+0000"),
        (b"---\r\ntitle: x\r\n---\r\none\rtwo\r\n", 4, "the body contains the control character U+000D"),
    ],
)
def test_bad_files_raise_with_line(raw, line, message):
    with pytest.raises(FormatError) as caught:
        frontmatter.parse(raw)
    assert caught.value.line == line
    assert message in caught.value.message


def test_tab_newline_and_crlf_are_the_control_characters_text_may_hold():
    raw = b'---\ntitle: "a\\tb\\nc\\r\\nd"\nintro: "\\x85 \\u2028"\n---\nmixed\r\nline endings\n\ttab\n'
    doc = frontmatter.parse(raw)
    assert doc.data == {"title": "a\tb\nc\r\nd", "intro": "\x85 \u2028"}
    assert doc.body == "mixed\r\nline endings\n\ttab\n"
    assert round_trip(raw) == raw


@pytest.mark.parametrize(
    "text, problem",
    [
        ("plain", None),
        ("tab\tnewline\ncrlf\r\nend", None),
        ("é ☃ \x85 \x7f \u2028", None),  # not C0: no control character of this rule
        ("bell\a", "contains the control character U+0007"),
        ("\x00", "contains the control character U+0000"),
        ("lone\rcr", "contains the control character U+000D"),
        ("ends in cr\r", "contains the control character U+000D"),
        ("ok\r\n\x1f", "contains the control character U+001F"),
    ],
)
def test_control_character_problem(text, problem):
    assert schema.control_character_problem(text) == problem


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

REFUSED = "".join(chr(code) for code in range(32) if chr(code) not in "\t\n")  # control characters parse refuses
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=REFUSED + "\ufeff"), max_size=120)
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
