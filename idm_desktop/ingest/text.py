"""Plain text and Markdown files: decoding, and telling text from binary data.

Accepted encodings are UTF-8 (with or without a byte order mark) and UTF-16 with a byte order
mark; anything else is refused with advice to save the file as UTF-8, rather than guessed:
a wrong guess would put garbled words in the library without anybody noticing.
"""

from __future__ import annotations

import codecs
import re

from idm_desktop.ingest.model import Failure, Parsed, Problem
from idm_desktop.ingest.normalise import clean_text

MAX_CONTROL_SHARE = 0.02
"""Text with a larger share of control characters (tab, newline, carriage return and form feed
aside) is binary data, whatever its name says."""

_TEXT_CONTROLS = b"\t\n\r\f"
_CONTROL_BYTES = bytes(b for b in [*range(0x20), 0x7F] if b not in _TEXT_CONTROLS)
_CONTROL_CHARS: dict[int, None] = dict.fromkeys(_CONTROL_BYTES)


MAX_ODD_SHARE = 0.005
"""Decoded text with a larger share of private-use, surrogate or non-character code points is not
text in any language: random bytes behind a UTF-16 byte order mark decode "successfully" into
such characters (one in ten of them private-use), and would enter the library as gibberish."""

_SAMPLE_CHARS = 30_000  # random data shows ~10% odd code points: a sample tells
_ODD = re.compile("[\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff\U000f0000-\U0010ffff]")


def _unlikely_text(text: str) -> bool:
    """True when ``text`` holds too many code points no writing system uses (judged on a sample:
    its start, middle and end, so a large file takes well under a millisecond)."""
    if len(text) > _SAMPLE_CHARS:
        third = _SAMPLE_CHARS // 3
        middle = len(text) // 2
        text = text[:third] + text[middle:middle + third] + text[-third:]
    if text.isascii():
        return False
    return len(_ODD.findall(text)) > MAX_ODD_SHARE * len(text)


def _too_many_controls(count: int, length: int) -> bool:
    return count > MAX_CONTROL_SHARE * length


def _looks_binary(data: bytes) -> bool:
    # bytes.translate with a delete set runs in C: one pass over up to 100 MB.
    if b"\x00" in data:
        return True
    return _too_many_controls(len(data) - len(data.translate(None, _CONTROL_BYTES)), len(data))


def decode(data: bytes) -> str | Failure:
    """The text in ``data``, or why it is not acceptable text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as err:
            # Not even valid UTF-16 behind its byte order mark: binary data.
            return Failure(Problem.BINARY, f"invalid UTF-16: {err}")
        controls = len(text) - len(text.translate(_CONTROL_CHARS))
        if "\x00" in text or _too_many_controls(controls, len(text)):
            return Failure(Problem.BINARY, "control characters in UTF-16 text")
        if _unlikely_text(text):
            return Failure(Problem.BINARY, "code points of no writing system in UTF-16 text")
        return text
    if _looks_binary(data):
        return Failure(Problem.BINARY, "NUL or control bytes")
    try:
        # utf-8-sig takes off a byte order mark if there is one.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return Failure(Problem.NOT_UTF8, str(err))
    if _unlikely_text(text):
        return Failure(Problem.BINARY, "code points of no writing system")
    return text


def parse_text(data: bytes) -> Parsed | Failure:
    """A plain text or Markdown file's text; the page count is left to the estimate."""
    decoded = decode(data)
    if isinstance(decoded, Failure):
        return decoded
    text, truncated = clean_text(decoded)
    return Parsed(text=text, page_count=None, title=None, truncated=truncated)
