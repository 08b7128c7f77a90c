"""Lossless Markdown-with-YAML-front-matter documents.

A file is ``---``, a YAML mapping, ``---``, then a Markdown body. ``parse``
returns the values *and* a layout: the source text of every top-level entry
and, one level down, of every entry of a block mapping and every item of a
block sequence, each with a fingerprint of the value it spelled. ``dump``
walks new values against that layout: a value whose fingerprint still
matches is written back as its original text, anything else is written the
way PyYAML writes it (``sort_keys=False``, ``allow_unicode=True``, width 80).
Untouched files therefore come back byte for byte, and an edit changes only
the lines of the entry or item it touched.

Besides YAML syntax, ``parse`` refuses, with the line: aliases and merge keys,
duplicate keys, scalars no constructor can build (``2022-02-30``), and control
characters (``schema.control_character_problem``) in text and in the body.

The layout is plain JSON (lists and strings, no reliance on dict order) so
it can live in a database column. This module knows nothing of Django or of
what an episode is.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import math
import re
from dataclasses import dataclass, field

import yaml

from .schema import control_character_at, control_character_problem, describe

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

DELIMITER = "---"
BOM = "\ufeff"
LAYOUT_VERSION = 1


class FormatError(ValueError):
    """A file that cannot be read as front matter; ``line`` is 1-based."""

    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line = line
        self.message = message


@dataclass
class Document:
    data: dict
    body: str
    layout: dict
    _root_node: yaml.Node | None = field(default=None, repr=False, compare=False)
    _first_line: int = field(default=2, repr=False, compare=False)

    def line_of(self, path: tuple) -> int:
        """The file line where the value at ``path`` (keys and indexes) starts,
        or the deepest enclosing value that exists."""
        node = self._root_node
        line = node.start_mark.line if node is not None else 0
        for step in path:
            child = _child_node(node, step)
            if child is None:
                break
            key_node, node = child
            line = (key_node or node).start_mark.line
        return line + self._first_line


def fingerprint(value, depth: int = 0) -> str:
    """A short digest that changes whenever the YAML value changes.

    Mapping key order is ignored on purpose: the models keep values, not the
    order of an item's keys, and untouched items are written from their
    source text anyway. The first ``depth`` levels of collections are
    digested from their children's digests, so the layout, which holds those
    digests, never encodes a value twice."""
    if depth and isinstance(value, list):
        return _list_digest([fingerprint(item, depth - 1) for item in value])
    if depth and isinstance(value, dict):
        return _map_digest([(fingerprint(k), fingerprint(v, depth - 1)) for k, v in value.items()])
    return _digest(_canonical_repr(value))


def _list_digest(item_fps: list[str]) -> str:
    return _digest("L" + "".join(item_fps))


def _map_digest(pairs: list[tuple[str, str]]) -> str:
    return _digest("M" + "".join(sorted(key_fp + value_fp for key_fp, value_fp in pairs)))


def _canonical_repr(value) -> str:
    if isinstance(value, dict):
        try:
            return "{" + repr(sorted(value.items())) + "}"
        except TypeError:  # keys of types that do not sort together
            return repr(value)
    return repr(value)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


# ----------------------------------------------------------------- parsing


def parse(raw: bytes, *, max_bytes: int | None = None) -> Document:
    if max_bytes is not None and len(raw) > max_bytes:
        raise FormatError(1, f"file is {len(raw):,} bytes, over the limit of {max_bytes:,} bytes")
    text = _decode(raw)
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
    if crlf:
        text = text.replace("\r\n", "\n")
    opening, front, closing, body = _split(text)
    with _collector_paused():
        root = _compose(front)
        _check_nodes(root, front)
        data = _construct(root)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise FormatError(2, f"front matter is {kind}; expected a mapping of keys to values")
    for key in data:
        if not isinstance(key, str):
            raise FormatError(2, f"top-level key {key!r} is not text")
    _refuse_control_characters_in_body(body, (opening + front + closing).count("\n") + 1)
    layout = {
        "version": LAYOUT_VERSION,
        "bom": bom,
        "crlf": crlf,
        "open": opening,
        "close": closing,
        "root": _root_layout(root, data, front),
    }
    return Document(data=data, body=body, layout=layout, _root_node=root)


@contextlib.contextmanager
def _collector_paused():
    """Building a node graph allocates hundreds of thousands of objects that
    hold no cycles; pausing the cyclic collector meanwhile halves parse time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _decode(raw: bytes) -> str:
    if not raw:
        raise FormatError(1, "file is empty; expected '---' and a YAML front matter")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise FormatError(line, f"file is not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})") from None


_CLOSING = re.compile(r"^---[ \t\r\f\v]*(?:\n|\Z)", re.MULTILINE)


def _split(text: str) -> tuple[str, str, str, str]:
    first_end = text.find("\n")
    first = text if first_end < 0 else text[: first_end + 1]
    if first.rstrip() != DELIMITER:
        raise FormatError(1, f"expected '---' on the first line to open the front matter, found {first[:40].rstrip()!r}")
    start = len(first)
    closing = _CLOSING.search(text, start)
    if closing is None:
        raise FormatError(1, "the front matter opened on line 1 has no closing '---' line")
    return first, text[start : closing.start()], closing.group(), text[closing.end() :]


def _compose(front: str) -> yaml.Node | None:
    loader = Loader(front)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise FormatError(mark.line + 2, f"YAML syntax error: {error.problem or error.context}") from None
    except yaml.reader.ReaderError as error:  # a character YAML refuses; its position is an index into ``front``
        line = front.count("\n", 0, error.position) + 2
        raise FormatError(line, f"unacceptable character U+{error.character:04X}: {error.reason}") from None
    except yaml.YAMLError as error:
        raise FormatError(2, f"YAML error: {error}") from None
    finally:
        loader.dispose()


def _refuse_control_characters_in_body(body: str, first_line: int) -> None:
    """The body is stored and shown as text too: what a value may not hold, it may not either."""
    index = control_character_at(body)
    if index is not None:
        line = first_line + body.count("\n", 0, index)
        raise FormatError(line, f"the body {control_character_problem(body[index:])}")


class _Constructor(Loader):
    """The safe constructor, refusing what no file may hold, at the line that holds it.

    Merge keys (``<<: *x``, ``<<: {a: 1}``): a merge spreads one entry's keys into its
    mapping, where the layout, which pairs each entry's text with one key, would lose
    them. Control characters in text (keys too): YAML's reader refuses them raw and
    turns raw line breaks into newlines, so only a double-quoted escape (``"\\a"``,
    ``"\\0"``) can write one, and only double-quoted text needs the check."""

    def flatten_mapping(self, node):
        """PyYAML's applies merge keys; this refuses them, and keeps its one other duty."""
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise FormatError(key_node.start_mark.line + 2, "YAML merge keys (<<) are not allowed in front matter")
            if key_node.tag == "tag:yaml.org,2002:value":  # a '=' key is plain text
                key_node.tag = "tag:yaml.org,2002:str"

    def construct_yaml_str(self, node):
        if node.style == '"' and control_character_at(node.value) is not None:
            raise FormatError(node.start_mark.line + 2, f"{describe(node.value)} {control_character_problem(node.value)}")
        return self.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:str", _Constructor.construct_yaml_str)


def _construct(root: yaml.Node | None):
    if root is None:
        return None
    loader = _Constructor("")
    try:
        return loader.construct_document(root)
    except FormatError:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise FormatError(mark.line + 2, f"YAML value error: {error.problem or error.context}") from None
    except Exception as error:  # ValueError, KeyError, OverflowError ...: a constructor choked on a scalar, unmarked
        node = _unreadable_scalar(root)
        if node is None:
            raise
        raise FormatError(node.start_mark.line + 2, _unreadable_message(node, error)) from None
    finally:
        loader.dispose()


def _unreadable_scalar(root: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar no constructor can build (``2022-02-30``, ``!!float abc``, an
    integer of more digits than Python reads), found by building each scalar alone.
    Constructors raise plain exceptions without a position; this runs only then."""
    loader = Loader("")
    stack = [root]
    try:
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                try:
                    loader.construct_object(node)
                except Exception:
                    return node
            elif isinstance(node, yaml.MappingNode):
                stack.extend(child for pair in reversed(node.value) for child in reversed(pair))
            else:
                stack.extend(reversed(node.value))
    finally:
        loader.dispose()
    return None


_TAG_NAMES = {"timestamp": "a date", "int": "an integer", "float": "a number", "bool": "a boolean"}


def _unreadable_message(node: yaml.ScalarNode, error: Exception) -> str:
    tag = node.tag.rsplit(":", 1)[-1]
    value = repr(node.value[:40]) + (f" ({len(node.value):,} characters)" if len(node.value) > 40 else "")
    detail = f": {str(error).split(':')[0]}" if isinstance(error, ValueError) else ""  # the reason, not Python's advice
    return f"cannot read {value} as {_TAG_NAMES.get(tag, '!!' + tag)}{detail}"


def _check_nodes(root: yaml.Node | None, front: str) -> None:
    """Refuse aliases (a node reached twice) before any value is built, so an
    alias bomb costs one pass over its small node graph; and refuse duplicate
    keys where the layout is keyed (the top level and the mappings below it),
    which YAML would silently collapse to the last one."""
    if root is None:
        return
    if "*" in front and _has_alias(root):  # no alias can be written without a '*'
        raise FormatError(_first_alias_line(front), "YAML aliases (*name) are not allowed in front matter")
    if isinstance(root, yaml.MappingNode):
        _refuse_duplicate_keys(root)
        for _, value_node in root.value:
            if isinstance(value_node, yaml.MappingNode):
                _refuse_duplicate_keys(value_node)


def _has_alias(root: yaml.Node) -> bool:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for pair in node.value:
                stack.extend(pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _first_alias_line(front: str) -> int:
    for token in yaml.scan(front, Loader=Loader):
        if isinstance(token, yaml.AliasToken):
            return token.start_mark.line + 2
    return 2


def _refuse_duplicate_keys(node: yaml.MappingNode) -> None:
    keys = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.value in keys:
                raise FormatError(key_node.start_mark.line + 2, f"duplicate key {key_node.value!r}")
            keys.add(key_node.value)


def _child_node(node, step):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == step or key_node.value == str(step):
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return None, node.value[step]
    return None


def _is_block(node) -> bool:
    return isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value


def _content_end(node) -> int:
    """Where the node's own text ends: collections' end marks run on over
    trailing comments and blank lines, scalars' and flow nodes' do not."""
    if not _is_block(node):
        return node.end_mark.index
    last = node.value[-1]
    return _content_end(last[1] if isinstance(node, yaml.MappingNode) else last)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def _item_start(text: str, node) -> int:
    """Line start of a sequence item, including a dash on a line of its own."""
    index = node.start_mark.index
    back = index - 1
    while back >= 0 and text[back] in " \n":
        back -= 1
    if back >= 0 and text[back] == "-":
        index = back
    return _line_start(text, index)


def _root_layout(root, data: dict, front: str) -> dict:
    if not _is_block(root) or not isinstance(root, yaml.MappingNode):
        return {"kind": "raw", "fp": fingerprint(data, 2), "head": front}
    starts = [_line_start(front, key.start_mark.index) for key, _ in root.value]
    bounds = zip(starts, starts[1:] + [len(front)], strict=False)
    entries = [
        _fragment(front, key_node, value_node, key, value, start, end, depth=1)
        for (key_node, value_node), (key, value), (start, end) in zip(root.value, data.items(), bounds, strict=False)
    ]
    fp = _map_digest([(entry[0], entry[1]) for entry in entries])
    return {"kind": "map", "fp": fp, "head": front[: starts[0]], "entries": entries}


def _fragment(text, key_node, value_node, key, value, start, end, *, depth):
    """One entry or item: [key fp, value fp, text, gap, child block or None].

    ``gap`` is what follows the value up to the next sibling (blank lines,
    comments); it is kept even when the value is rewritten. A block
    collection at depth 1 is split into child fragments instead of text."""
    text_end = min(_line_end(text, _content_end(value_node)), end)
    key_fp = None if key_node is None else fingerprint(key)
    if depth and _is_block(value_node):
        child = _block_layout(text, value_node, value, start, text_end)
        child_fps = [item[1] for item in child["items"]]
        if child["kind"] == "seq":
            value_fp = _list_digest(child_fps)
        else:
            value_fp = _map_digest([(item[0], item[1]) for item in child["items"]])
        return [key_fp, value_fp, None, text[text_end:end], child]
    return [key_fp, fingerprint(value, depth), text[start:text_end], text[text_end:end], None]


def _block_layout(text, node, value, start, end) -> dict:
    if isinstance(node, yaml.MappingNode):
        kind = "map"
        pairs = node.value
        starts = [_line_start(text, k.start_mark.index) for k, _ in pairs]
        values = value.items()
        indent = pairs[0][0].start_mark.column
    else:
        kind = "seq"
        pairs = [(None, item) for item in node.value]
        starts = [_item_start(text, item) for item in node.value]
        values = [(None, item) for item in value]
        indent = text.find("-", starts[0]) - starts[0]
    bounds = zip(starts, starts[1:] + [end], strict=False)
    fragments = [
        _fragment(text, k_node, v_node, k, v, s, e, depth=0)
        for (k_node, v_node), (k, v), (s, e) in zip(pairs, values, bounds, strict=False)
    ]
    return {"kind": kind, "indent": indent, "head": text[start : starts[0]], "items": fragments}


# ----------------------------------------------------------------- dumping


def dump(data: dict, body: str, layout: dict | None = None) -> bytes:
    """The file for ``data`` and ``body``; with the layout of a parsed file,
    every value that did not change keeps its original text."""
    if layout is None:
        layout = {"bom": False, "crlf": False, "open": "---\n", "close": "---\n", "root": None}
    root = layout["root"]
    if root is None:
        front = _canonical(data) if data else ""
    elif root["kind"] == "raw":
        front = root["head"] if root["fp"] == fingerprint(data, 2) else _canonical(data)
    else:
        front = _dump_map_root(root, data)
    text = layout["open"] + front + layout["close"] + body
    if layout["crlf"]:
        text = text.replace("\n", "\r\n")
    if layout["bom"]:
        text = BOM + text
    return text.encode("utf-8")


def _canonical(value) -> str:
    return yaml.dump(value, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=80)


def _fragment_text(fragment) -> str:
    _, _, own, gap, child = fragment
    if child is None:
        return own + gap
    return child["head"] + "".join(_fragment_text(item) for item in child["items"]) + gap


def _dump_map_root(root: dict, data: dict) -> str:
    if root["fp"] == fingerprint(data, 2):
        return root["head"] + "".join(_fragment_text(entry) for entry in root["entries"])
    by_key = {entry[0]: entry for entry in root["entries"]}
    parts = [root["head"]]
    for key, value in data.items():
        entry = by_key.get(fingerprint(key))
        parts.append(_dump_entry(entry, key, value))
    return "".join(parts)


def _dump_entry(entry, key, value) -> str:
    if entry is None:
        return _canonical({key: value})
    _, value_fp, _, gap, child = entry
    if value_fp == fingerprint(value, 1):
        return _fragment_text(entry)
    if child is not None and value and _fits(child, value):
        return child["head"] + _dump_children(child, key, value) + gap
    return _canonical({key: value}) + gap


def _fits(block: dict, value) -> bool:
    return isinstance(value, dict) if block["kind"] == "map" else isinstance(value, list)


def _dump_children(block: dict, parent_key, value) -> str:
    parts = []
    if block["kind"] == "map":
        by_key = {item[0]: item for item in block["items"]}
        for key, item_value in value.items():
            fragment = by_key.get(fingerprint(key))
            if fragment is not None and fragment[1] == fingerprint(item_value):
                parts.append(_fragment_text(fragment))
            else:
                gap = fragment[3] if fragment is not None else ""
                parts.append(_nested({parent_key: {key: item_value}}, 2, block["indent"]) + gap)
        return "".join(parts)
    unused: dict[str, list] = {}
    for fragment in block["items"]:
        unused.setdefault(fragment[1], []).append(fragment)
    for item in value:
        spare = unused.get(fingerprint(item))
        if spare:
            parts.append(_fragment_text(spare.pop(0)))
        else:
            parts.append(_nested({parent_key: [item]}, 0, block["indent"]))
    return "".join(parts)


def _nested(wrapped: dict, natural_indent: int, indent: int) -> str:
    """PyYAML's text for one child, cut out of a dump of its parent so that
    line folding counts the real indentation, then moved to ``indent``."""
    lines = _canonical(wrapped).splitlines(keepends=True)[1:]
    if indent == natural_indent:
        return "".join(lines)
    if indent > natural_indent:
        pad = " " * (indent - natural_indent)
        return "".join(pad + line if line.strip() else line for line in lines)
    cut = natural_indent - indent
    return "".join(line[cut:] for line in lines)


# ------------------------------------------------- YAML values in JSON columns


def to_json(value):
    """Encode a YAML value for a JSON column: mappings become ``{"map": [[k, v], ...]}``
    (JSON objects would lose key order and non-text keys), other types that JSON lacks
    are tagged the same way, so every JSON object in the result is a tag."""
    if isinstance(value, dict):
        return {"map": [[to_json(k), to_json(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, float) and not math.isfinite(value):
        return {"float": repr(value)}
    if isinstance(value, bytes):
        return {"binary": value.hex()}
    if isinstance(value, (set, frozenset)):
        return {"set": [to_json(item) for item in value]}
    if isinstance(value, tuple):
        return {"tuple": [to_json(item) for item in value]}
    return value


_FROM_TAG = {
    "map": lambda pairs: {from_json(k): from_json(v) for k, v in pairs},
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "float": float,
    "binary": bytes.fromhex,
    "set": lambda items: {from_json(item) for item in items},
    "tuple": lambda items: tuple(from_json(item) for item in items),
}


def from_json(data):
    if isinstance(data, dict):
        ((tag, payload),) = data.items()
        return _FROM_TAG[tag](payload)
    if isinstance(data, list):
        return [from_json(item) for item in data]
    return data


def encode_pairs(values: dict) -> list:
    """Keys and YAML values as the ``[[key, value], ...]`` list an ``extra`` column holds (order kept)."""
    return [[key, to_json(value)] for key, value in values.items()]


def decode_pairs(pairs) -> dict:
    return {key: from_json(value) for key, value in pairs or ()}
