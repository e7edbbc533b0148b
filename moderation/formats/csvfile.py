"""CSV comment records: a header row with at least id and text (columns mappable)."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from moderation.errors import InputError, InputFormatError
from moderation.formats.records import Located, Record, Rejected, comment_from_mapping

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_csv(stream: BinaryIO, source: str, columns: Mapping[str, str] | None = None,
             encoding: str = "utf-8-sig") -> Iterator[Record]:
    """Yield each row's comment or its rejection; `columns` maps our field -> CSV column."""
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    reader = csv.DictReader(text)
    try:
        header = reader.fieldnames
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"{source}:1: invalid {encoding} in the header: {exc.reason}") \
            from None
    except csv.Error as exc:
        raise InputFormatError(f"{source}:1: unreadable CSV header: {exc}") from None
    if not header:
        return
    mapping = dict(columns or {})
    for field, column in mapping.items():
        if column not in header:
            raise InputFormatError(f"{source}:1: column '{column}' (for {field}) not in the "
                                   f"header: {', '.join(header)}")
    for needed in ("id", "text"):
        if mapping.get(needed, needed) not in header:
            raise InputFormatError(f"{source}:1: the header has no '{needed}' column "
                                   f"(map one with --column {needed}=NAME); it has: "
                                   f"{', '.join(h for h in header if h)}")
    reverse = {column: field for field, column in mapping.items()}
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            yield Rejected(source, reader.line_num + 1, f"invalid {encoding}: {exc.reason}")
            return
        except csv.Error as exc:
            yield Rejected(source, reader.line_num, f"malformed CSV: {exc}")
            continue
        start_line, line = line + 1, reader.line_num
        if None in row:
            yield Rejected(source, start_line, "more fields than the header has")
            continue
        data = {reverse.get(k, k): v for k, v in row.items() if k}
        try:
            yield Located(source, start_line, comment_from_mapping(data, source, start_line))
        except InputError as exc:
            what = f"field '{exc.field}': {exc.reason}" if exc.field else exc.reason
            yield Rejected(source, start_line, what)
