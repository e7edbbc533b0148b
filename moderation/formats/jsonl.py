"""JSONL comment records, one object a line, read as a stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import orjson

from moderation.errors import InputError
from moderation.formats.records import Located, Record, Rejected, comment_from_mapping


def parse_line(raw: bytes, source: str, number: int) -> Record:
    """One line's comment, or the reason it cannot be read."""
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    # Without its line ending, a cut line reads as one ("unexpected end of data" at its
    # last column), however the line was split off.
    raw = raw.rstrip(b"\r\n")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            return Rejected(source, number, f"invalid UTF-8 at byte {bad.start}",
                            raw.decode("utf-8", "replace"))
        return Rejected(source, number, f"invalid JSON: {exc.msg} (column {exc.colno})",
                        text)
    if not isinstance(data, dict):
        return Rejected(source, number, f"expected a JSON object, got {type(data).__name__}",
                        raw.decode("utf-8"))
    try:
        return Located(source, number, comment_from_mapping(data, source, number))
    except InputError as exc:
        what = f"field '{exc.field}': {exc.reason}" if exc.field else exc.reason
        return Rejected(source, number, what, raw.decode("utf-8"))


def read_jsonl(stream: BinaryIO, source: str) -> Iterator[Record]:
    """Yield each line's comment or the reason it was rejected; blank lines are skipped."""
    for number, raw in enumerate(stream, start=1):
        if raw.strip():
            yield parse_line(raw, source, number)
