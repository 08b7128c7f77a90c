"""What the episode and people files may hold, and where each key lives.

Plain Python: the import and export services read these tables to map front
matter onto models and back. ``check_episode`` and ``check_guest`` raise
``SchemaError`` with the path of the first value the models cannot hold.
``control_character_problem`` is the rule for text that ``frontmatter.parse``
applies to every value and body, and forms to their input.

Two kinds of scalar keys:

* strict keys (``season``, ``episode`` …) must have their type, or the file
  is refused: a wrong type there is a mistake nothing downstream can use;
* lenient keys (``title``, ``dateadded`` …) take a value of another type too
  (``dateadded: "soon"``): it is kept exactly as written with the unknown
  keys, the typed field stays empty, and the audit reports it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass


class SchemaError(ValueError):
    def __init__(self, path: tuple, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def file_key_problem(key: str) -> str | None:
    """Why ``key`` cannot name a file and a URL, or None. Real names carry dots
    and parentheses (``x.md.md``, ``ella(wati)sahnan``); those are fine."""
    if not key or key.startswith("."):
        return "must not be empty or start with a dot"
    if any(char in "/\\?#%" or char.isspace() or not char.isprintable() for char in key):
        return "must not contain slashes, spaces, '?', '#', '%' or control characters"
    if len(key) > 200:
        return "must be at most 200 characters"
    return None


_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|\r(?!\n)")


def control_character_at(text: str) -> int | None:
    """The index of the first control character ``text`` may not hold, or None.

    Refused: C0 characters but tab and newline, and a carriage return that does
    not end a CRLF line. They are invisible where editors read the text, PyYAML
    can only write them as escapes, and PostgreSQL refuses NUL outright."""
    if text.isprintable():  # most values, at C speed: no control character (and no line break)
        return None
    match = _CONTROL_CHARACTER.search(text)
    return None if match is None else match.start()


def control_character_problem(text: str) -> str | None:
    """What is wrong with ``text``, worded to follow its name ("title contains the
    control character U+0007"), or None. Imports and admin forms say the same."""
    index = control_character_at(text)
    return None if index is None else f"contains the control character U+{ord(text[index]):04X}"


def is_text(value) -> bool:
    return isinstance(value, str)


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_date(value) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def is_text_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


TYPE_NAMES = {is_text: "text", is_int: "an integer", is_date: "a date (YYYY-MM-DD)", is_text_list: "a list of text"}


@dataclass(frozen=True)
class Scalar:
    attribute: str
    accepts: Callable[[object], bool]
    strict: bool = False
    max_length: int | None = None


EPISODE_SCALARS = {
    "title": Scalar("title", is_text, max_length=500),
    "short": Scalar("short_title", is_text, max_length=500),
    "season": Scalar("season", is_int, strict=True),
    "episode": Scalar("number", is_int, strict=True),
    "image": Scalar("image", is_text, max_length=500),
    "description": Scalar("description", is_text),
    "intro": Scalar("intro", is_text),
    "topics": Scalar("topics", is_text_list, strict=True),
    "dateadded": Scalar("date_added", is_date),
    "date": Scalar("date", is_date),
    "duration": Scalar("duration", is_text, max_length=50),
}
EPISODE_COLLECTIONS = ("guests", "ids", "links", "quotableClips", "transcript")

GUEST_SCALARS = {
    "short": Scalar("short", is_text, strict=True, max_length=200),
    "title": Scalar("name", is_text, max_length=500),
    "picture": Scalar("picture", is_text, max_length=500),
    "github": Scalar("github", is_text, max_length=500),
    "twitter": Scalar("twitter", is_text, max_length=500),
    "linkedin": Scalar("linkedin", is_text, max_length=500),
    "web": Scalar("web", is_text, max_length=500),
    "bio_short": Scalar("bio_short", is_text),
}

TRANSCRIPT_KEYS = {"header": is_text, "line": is_text, "who": is_text, "sec": is_int, "time": is_text}
CLIP_KEYS = {"name": is_text, "startOffset": is_int, "url": is_text, "endOffset": is_int}


def split_scalars(data: dict, scalars: dict[str, Scalar]) -> tuple[dict, dict]:
    """(values for typed fields by attribute, values kept as written by key).

    Raises SchemaError for a strict key of the wrong type or an over-long text."""
    typed, kept = {}, {}
    for key, value in data.items():
        spec = scalars.get(key)
        if spec is None:
            continue
        if spec.accepts(value):
            if spec.max_length and len(value) > spec.max_length:
                raise SchemaError((key,), f"{key} is {len(value)} characters long; at most {spec.max_length} fit")
            typed[spec.attribute] = value
        elif spec.strict:
            raise SchemaError((key,), f"{key} must be {TYPE_NAMES[spec.accepts]}, found {describe(value)}")
        else:
            kept[key] = value
    return typed, kept


def check_episode(data: dict) -> None:
    split_scalars(data, EPISODE_SCALARS)
    if "guests" in data:
        _check_text_list(data["guests"], "guests", "guest ids")
    for key in ("ids", "links"):
        if key in data:
            _check_text_mapping(data[key], key)
    if "quotableClips" in data:
        _check_items(data["quotableClips"], "quotableClips", CLIP_KEYS, required=("name", "startOffset", "endOffset", "url"))
    if "transcript" in data:
        _check_transcript(data["transcript"])


def check_guest(data: dict) -> None:
    split_scalars(data, GUEST_SCALARS)


def _check_text_list(value, key, what):
    if not isinstance(value, list):
        raise SchemaError((key,), f"{key} must be a list of {what}, found {describe(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise SchemaError((key, index), f"{key}[{index}] must be text, found {describe(item)}")


def _check_text_mapping(value, key):
    if not isinstance(value, dict):
        raise SchemaError((key,), f"{key} must be a mapping of platform to text, found {describe(value)}")
    for platform, item in value.items():
        if not isinstance(platform, str):
            raise SchemaError((key, platform), f"{key}: the platform name must be text, found {describe(platform)}")
        if not isinstance(item, str):
            raise SchemaError((key, platform), f"{key}.{platform} must be text, found {describe(item)}")


def _check_items(value, key, types, required=()):
    if not isinstance(value, list):
        raise SchemaError((key,), f"{key} must be a list, found {describe(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise SchemaError((key, index), f"{key}[{index}] must be a mapping, found {describe(item)}")
        for name in required:
            if name not in item:
                raise SchemaError((key, index), f"{key}[{index}] has no {name}")
        for name, accepts in types.items():
            if name in item and not accepts(item[name]):
                raise SchemaError(
                    (key, index, name), f"{key}[{index}].{name} must be {TYPE_NAMES[accepts]}, found {describe(item[name])}"
                )


def _check_transcript(value):
    _check_items(value, "transcript", TRANSCRIPT_KEYS)
    for index, item in enumerate(value):
        if ("header" in item) == ("line" in item):
            found = "both" if "header" in item else "neither"
            raise SchemaError(("transcript", index), f"transcript[{index}] must have either 'header' or 'line', found {found}")


def describe(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {value!r} (quote it to keep it as text)"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return f"a {type(value).__name__}"
