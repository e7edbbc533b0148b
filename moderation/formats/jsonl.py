"""JSONL comment records, one object a line, read as a stream."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from moderation.errors import InputError
from moderation.formats.records import Located, Record, Rejected, comment_from_mapping


def read_jsonl(stream: BinaryIO, source: str) -> Iterator[Record]:
    """Yield each line's comment or the reason it was rejected; blank lines are skipped."""
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Rejected(source, number, f"invalid UTF-8 at byte {exc.start}",
                           raw.decode("utf-8", "replace"))
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(source, number, f"invalid JSON: {exc.msg} (column {exc.colno})",
                           line.rstrip("\n"))
            continue
        if not isinstance(data, dict):
            yield Rejected(source, number, f"expected a JSON object, got "
                           f"{type(data).__name__}", line.rstrip("\n"))
            continue
        try:
            yield Located(source, number, comment_from_mapping(data, source, number))
        except InputError as exc:
            what = f"field '{exc.field}': {exc.reason}" if exc.field else exc.reason
            yield Rejected(source, number, what, line.rstrip("\n"))
