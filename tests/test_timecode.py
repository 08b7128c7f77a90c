"""Time codes on their own: the ``time:`` clock, as files, editors and players write it."""

import pytest

from podcasts import timecode


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("0:00", 0),
        ("1:05", 65),
        ("59:59", 3599),
        ("60:08", 3608),  # the corpus writes minutes past 59 without an hour field
        ("1:02:03", 3723),
        ("01:02:03", 3723),
        ("10:00:00", 36000),
        (" 1:05\n", 65),
    ],
)
def test_parse_reads_a_clock_as_seconds(text, seconds):
    assert timecode.parse(text) == seconds


@pytest.mark.parametrize("text", ["abc", "", "65", "1:5", "1:60", "1:75:00", "1:02:60", "1:02:03:04", "-1:05", "1:05.5", "1h05"])
def test_parse_refuses_anything_else_naming_the_text(text):
    with pytest.raises(ValueError) as refused:
        timecode.parse(text)
    assert str(refused.value) == f"{text!r} is not a time like 1:05 or 1:02:03"


@pytest.mark.parametrize(
    "seconds, text", [(0, "0:00"), (65, "1:05"), (341, "5:41"), (3599, "59:59"), (3600, "1:00:00"), (3723, "1:02:03")]
)
def test_format_writes_minutes_below_an_hour_and_hours_from_then(seconds, text):
    assert timecode.format(seconds) == text
    assert timecode.parse(text) == seconds


@pytest.mark.parametrize(
    "seconds, mark, text", [(0, ".", "00:00:00.000"), (3723, ".", "01:02:03.000"), (3608, ",", "01:00:08,000")]
)
def test_cue_timestamp_has_two_digit_fields_and_the_decimal_mark(seconds, mark, text):
    assert timecode.cue_timestamp(seconds, mark) == text
