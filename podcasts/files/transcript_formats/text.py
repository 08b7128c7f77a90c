"""The source site's raw transcripts: a text or Word export in the rhythm time, speaker, text.

Read line by line (a .docx paragraph by paragraph): a time line (``[0:15]``, ``0:15``,
``[1:02:03]``) opens a block; the next line is the speaker and the one after it the text.
A blank line, or the next time, ends a block early: a time followed by a single line is a
line without speaker. Any other line is a section header. Blank lines and service footers
("Transcribed by https://otter.ai") are dropped. Consecutive blocks of one speaker stay
separate lines: here they are paragraphs the transcriber chose, not cues cut for a screen.
"""

from __future__ import annotations

import io
import re
import zipfile

from podcasts import timecode

from .common import Entry, TranscriptFormatError, clean_speaker, decode_lines, one_line

_TIME_LINE = re.compile(r"\[\s*([\d:]+)\s*\]|([\d:]+)")
_FOOTER = re.compile(r"transcribed by\s+\S+", re.IGNORECASE)
_DOCUMENT_PART = "word/document.xml"
# A two-hour transcript's document.xml is about 1 MB; 100 times that is no transcript, and
# python-docx would unpack and parse it all in memory (a small zip can claim gigabytes).
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024


def read_text(data: bytes) -> list[Entry]:
    return _read_rhythm(enumerate(decode_lines(data), start=1))


def read_docx(data: bytes) -> list[Entry]:
    """Paragraph texts become the lines of the text format; ``line`` is the paragraph number.
    A line break inside a paragraph (Shift+Enter) splits it like a new paragraph would."""
    paragraphs = _docx_paragraphs(data)
    return _read_rhythm((number, part) for number, text in enumerate(paragraphs, start=1) for part in text.split("\n"))


def _docx_paragraphs(data: bytes) -> list[str]:
    """python-docx is imported here, not at the top: it loads lxml (0.2 s), which only a
    .docx read needs. Its own errors on a broken package are many and unspecific, so the
    zip and its main part are checked first, to say what is wrong."""
    try:
        sizes = {member.filename: member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    except zipfile.BadZipFile:
        raise TranscriptFormatError(1, "not a Word document: a .docx is a zip archive, and this is not one") from None
    if _DOCUMENT_PART not in sizes:
        raise TranscriptFormatError(1, f"a zip archive but not a Word document: it has no {_DOCUMENT_PART}")
    if sum(sizes.values()) > MAX_DOCUMENT_BYTES:
        total = sum(sizes.values())
        raise TranscriptFormatError(1, f"the Word document unpacks to {total:,} bytes, over the limit of {MAX_DOCUMENT_BYTES:,}")
    import docx
    from lxml import etree

    try:
        return [paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs]
    except (KeyError, ValueError, etree.LxmlError) as error:
        raise TranscriptFormatError(1, f"a broken Word document: {error}") from None


def _time_of(text: str) -> int | None:
    match = _TIME_LINE.fullmatch(text)
    if not match:
        return None
    try:
        return timecode.parse(match[1] or match[2])
    except ValueError:
        return None


def _read_rhythm(lines) -> list[Entry]:
    entries: list[Entry] = []
    block: list[tuple[int, str]] = []  # the time line and the lines after it, while a block is open
    for number, raw in lines:
        text = one_line(raw)
        sec = _time_of(text) if text else None
        if block and (not text or sec is not None):
            entries.append(_block_entry(block))
            block = []
        if not text or _FOOTER.fullmatch(text):
            continue
        if sec is not None or block:
            block.append((number, text))
            if len(block) == 3:
                entries.append(_block_entry(block))
                block = []
        else:
            entries.append(Entry(number, text))
    if block:
        entries.append(_block_entry(block))
    return entries


def _block_entry(block: list[tuple[int, str]]) -> Entry:
    (number, time), *rest = block
    sec = _time_of(time)
    if not rest:
        raise TranscriptFormatError(number, f"the time {time} has no speaker or text after it")
    if len(rest) == 1:
        return Entry(number, rest[0][1], sec)
    return Entry(number, rest[1][1], sec, clean_speaker(rest[0][1]))
