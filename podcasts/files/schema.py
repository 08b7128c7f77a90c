"""What the episode and people files may hold, and where each key lives.

Plain Python: the import and export services read these tables to map front
matter onto models and back. ``check_episode`` and ``check_guest`` raise
``SchemaError`` with the path of the first value the models cannot hold, so
that a file is refused with the line of that value before anything is written:
a value of the wrong type, a text longer than its column or an integer outside
its column's range. The limits are the models' (``tests/test_bad_input.py``
holds them to it). ``control_character_problem`` is the rule for text that
``frontmatter.parse`` applies to every value and body, and forms to their input.

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

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # an IntegerField column on PostgreSQL; SQLite's wider one must refuse the same


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
class Value:
    """What a value must be to fit its column: a type, and for text a length, for an integer a range."""

    accepts: Callable[[object], bool]
    max_length: int | None = None
    minimum: int = INT_MIN
    maximum: int = INT_MAX

    def check(self, value, path: tuple) -> None:
        """Raise SchemaError unless ``value`` has the type and fits the column."""
        if not self.accepts(value):
            raise SchemaError(path, f"{name_of(path)} must be {TYPE_NAMES[self.accepts]}, found {describe(value)}")
        if isinstance(value, str) and self.max_length is not None and len(value) > self.max_length:
            raise SchemaError(path, f"{name_of(path)} is {len(value)} characters long; at most {self.max_length} fit")
        if is_int(value) and not self.minimum <= value <= self.maximum:
            between = f"between {self.minimum:,} and {self.maximum:,}"
            raise SchemaError(path, f"{name_of(path)} must be {between}, found {describe(value)}")


TEXT = Value(is_text)
INTEGER = Value(is_int)
SECONDS = Value(is_int, minimum=0)  # a moment of the episode: a negative one is a typo


@dataclass(frozen=True)
class Scalar:
    attribute: str
    value: Value
    strict: bool = False


EPISODE_SCALARS = {
    "title": Scalar("title", Value(is_text, max_length=500)),
    "short": Scalar("short_title", Value(is_text, max_length=500)),
    "season": Scalar("season", INTEGER, strict=True),
    "episode": Scalar("number", INTEGER, strict=True),
    "image": Scalar("image", Value(is_text, max_length=500)),
    "description": Scalar("description", TEXT),
    "intro": Scalar("intro", TEXT),
    "topics": Scalar("topics", Value(is_text_list), strict=True),
    "dateadded": Scalar("date_added", Value(is_date)),
    "date": Scalar("date", Value(is_date)),
    "duration": Scalar("duration", Value(is_text, max_length=50)),
    "guid": Scalar("guid", Value(is_text, max_length=500)),
}
EPISODE_COLLECTIONS = ("guests", "ids", "links", "quotableClips", "transcript", "audio")
# `audio:`, the episode's audio file: each key with its value and the field that holds it.
AUDIO_KEYS = {
    "url": (Value(is_text, max_length=1000), "audio_url"),
    "length": (Value(is_int, minimum=0, maximum=2**63 - 1), "audio_length"),  # bytes: a PositiveBigIntegerField
    "type": (Value(is_text, max_length=100), "audio_type"),
}
GUEST_ID = Value(is_text, max_length=200)  # an item of guests:
PLATFORM = Value(is_text, max_length=100)  # a key of ids: and links:
PLATFORM_VALUES = {"ids": Value(is_text, max_length=500), "links": Value(is_text, max_length=1000)}

GUEST_SCALARS = {
    "short": Scalar("short", Value(is_text, max_length=200), strict=True),
    "title": Scalar("name", Value(is_text, max_length=500)),
    "picture": Scalar("picture", Value(is_text, max_length=500)),
    "github": Scalar("github", Value(is_text, max_length=500)),
    "twitter": Scalar("twitter", Value(is_text, max_length=500)),
    "linkedin": Scalar("linkedin", Value(is_text, max_length=500)),
    "web": Scalar("web", Value(is_text, max_length=500)),
    "bio_short": Scalar("bio_short", TEXT),
}

TRANSCRIPT_KEYS = {"header": TEXT, "line": TEXT, "who": TEXT, "sec": SECONDS, "time": Value(is_text, max_length=20)}
CLIP_KEYS = {
    "name": Value(is_text, max_length=1000),
    "startOffset": SECONDS,
    "url": Value(is_text, max_length=1000),
    "endOffset": SECONDS,
}


def split_scalars(data: dict, scalars: dict[str, Scalar]) -> tuple[dict, dict]:
    """(values for typed fields by attribute, values kept as written by key).

    Raises SchemaError for a strict key of the wrong type, or a value that does not fit."""
    typed, kept = {}, {}
    for key, value in data.items():
        spec = scalars.get(key)
        if spec is None:
            continue
        if spec.strict or spec.value.accepts(value):
            spec.value.check(value, (key,))
            typed[spec.attribute] = value
        else:
            kept[key] = value
    return typed, kept


def check_episode(data: dict) -> None:
    split_scalars(data, EPISODE_SCALARS)
    if "guests" in data:
        _check_list(data["guests"], "guests", GUEST_ID, "guest ids")
    for key, value in PLATFORM_VALUES.items():
        if key in data:
            _check_platform_mapping(data[key], key, value)
    if "quotableClips" in data:
        _check_items(data["quotableClips"], "quotableClips", CLIP_KEYS, required=tuple(CLIP_KEYS))
    if "transcript" in data:
        _check_transcript(data["transcript"])
    if "audio" in data:
        _check_audio(data["audio"])


def check_guest(data: dict) -> None:
    split_scalars(data, GUEST_SCALARS)


def _check_list(value, key, item_value: Value, what):
    if not isinstance(value, list):
        raise SchemaError((key,), f"{key} must be a list of {what}, found {describe(value)}")
    for index, item in enumerate(value):
        item_value.check(item, (key, index))


def _check_platform_mapping(value, key, item_value: Value):
    if not isinstance(value, dict):
        raise SchemaError((key,), f"{key} must be a mapping of platform to text, found {describe(value)}")
    for platform, item in value.items():
        if not isinstance(platform, str):
            raise SchemaError((key, platform), f"{key}: the platform name must be text, found {describe(platform)}")
        if len(platform) > PLATFORM.max_length:
            message = f"{key}: the platform name is {len(platform)} characters long; at most {PLATFORM.max_length} fit"
            raise SchemaError((key, platform), message)
        item_value.check(item, (key, platform))


def _check_items(value, key, values: dict[str, Value], required=()):
    if not isinstance(value, list):
        raise SchemaError((key,), f"{key} must be a list, found {describe(value)}")
    for index, item in enumerate(value):
        path = (key, index)
        if not isinstance(item, dict):
            raise SchemaError(path, f"{name_of(path)} must be a mapping, found {describe(item)}")
        for name in required:
            if name not in item:
                raise SchemaError(path, f"{name_of(path)} has no {name}")
        for name, item_value in item.items():
            if name in values:
                values[name].check(item_value, (*path, name))
            elif not isinstance(name, str):  # the export sorts an item's keys, so they must be text
                raise SchemaError((*path, name), f"{name_of(path)}: the key {name!r} must be text")


def _check_transcript(value):
    _check_items(value, "transcript", TRANSCRIPT_KEYS)
    for index, item in enumerate(value):
        if ("header" in item) == ("line" in item):
            found = "both" if "header" in item else "neither"
            raise SchemaError(("transcript", index), f"transcript[{index}] must have either 'header' or 'line', found {found}")


def _check_audio(value):
    if not isinstance(value, dict):
        raise SchemaError(("audio",), f"audio must be a mapping of url, length and type, found {describe(value)}")
    for key, item in value.items():
        if key not in AUDIO_KEYS:
            raise SchemaError(("audio", key), f"audio: unknown key {key!r}; the keys are url, length and type")
        AUDIO_KEYS[key][0].check(item, ("audio", key))


def name_of(path: tuple) -> str:
    """How messages name the value at ``path``: ``transcript[2].sec``, ``ids.youtube``.
    A key that does not print (an escape wrote it) is shown escaped, never echoed."""
    steps = [repr(step) if isinstance(step, str) and not step.isprintable() else step for step in path]
    return str(steps[0]) + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in steps[1:])


def describe(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {value!r} (quote it to keep it as text)"
    if isinstance(value, int) and abs(value) >= 10**30:
        return f"a number of {len(str(abs(value))):,} digits"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return f"a {type(value).__name__}"
