"""JSONL comment records, one object a line, read as a stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import orjson

from moderation.errors import InputError
from moderation.formats.records import Located, Record, Rejected, comment_from_mapping


def read_jsonl(stream: BinaryIO, source: str) -> Iterator[Record]:
    """Yield each line's comment or the reason it was rejected; blank lines are skipped."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as bad:
                yield Rejected(source, number, f"invalid UTF-8 at byte {bad.start}",
                               raw.decode("utf-8", "replace").rstrip("\n"))
                continue
            yield Rejected(source, number, f"invalid JSON: {exc.msg} (column {exc.colno})",
                           raw.decode("utf-8").rstrip("\n"))
            continue
        if not isinstance(data, dict):
            yield Rejected(source, number, f"expected a JSON object, got "
                           f"{type(data).__name__}", raw.decode("utf-8").rstrip("\n"))
            continue
        try:
            yield Located(source, number, comment_from_mapping(data, source, number))
        except InputError as exc:
            what = f"field '{exc.field}': {exc.reason}" if exc.field else exc.reason
            yield Rejected(source, number, what, raw.decode("utf-8").rstrip("\n"))
