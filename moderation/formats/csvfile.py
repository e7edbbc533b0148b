"""CSV comment records: a header row with at least id and text (columns mappable)."""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from moderation.errors import InputError, InputFormatError
from moderation.formats.records import (
    KNOWN_FIELDS,
    Located,
    Record,
    Rejected,
    comment_from_mapping,
)

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _escape_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Each byte the encoding cannot read as the lone surrogate U+DC00 + byte, and
    decoding goes on after them. Python's surrogateescape does this for bytes from 0x80
    only, so a bad unit of UTF-16 (one byte of it below 0x80) would stop the file."""
    if isinstance(exc, UnicodeDecodeError):
        return "".join(chr(0xDC00 + b) for b in exc.object[exc.start:exc.end]), exc.end
    raise exc


ERRORS = "moderation.escape"
codecs.register_error(ERRORS, _escape_bytes)
# What _escape_bytes makes of a byte the encoding cannot read.
_ESCAPED = re.compile("[\udc00-\udcff]")


def read_csv(stream: BinaryIO, source: str, columns: Mapping[str, str] | None = None,
             encoding: str = "utf-8-sig") -> Iterator[Record]:
    """Yield each row's comment or its rejection; `columns` maps our field -> CSV column."""
    # Bytes the encoding cannot read come through as lone surrogates (_escape_bytes)
    # instead of failing the whole block the wrapper was decoding: only the rows that
    # hold them are rejected, at their own lines.
    text = io.TextIOWrapper(stream, encoding=encoding, errors=ERRORS, newline="")
    # strict: a quote left open runs to the end of the file, and text after a closing
    # quote is a broken field; leniently read, either would merge or alter records.
    reader = csv.DictReader(text, strict=True)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise InputFormatError(f"{source}:1: unreadable CSV header: {exc}") from None
    if not header:
        return
    if any(_ESCAPED.search(h) for h in header if h):
        raise InputFormatError(f"{source}:1: invalid {encoding} in the header; pass "
                               "--encoding if the file is in another encoding")
    named = [h for h in header if h]
    twice = sorted({h for h in named if named.count(h) > 1})
    if twice:
        where = "; ".join(f"'{h}' in columns "
                          f"{', '.join(str(i) for i, c in enumerate(header, 1) if c == h)}"
                          for h in twice)
        raise InputFormatError(f"{source}:1: the header names a column twice ({where}); "
                               "only one could be read, so rename the other")
    mapping = dict(columns or {})
    for field in KNOWN_FIELDS:  # "ID", "Text " and the like, when unambiguous
        if field not in mapping and field not in header:
            alike = [h for h in named if h.strip().lower() == field]
            if len(alike) == 1:
                mapping[field] = alike[0]
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
        except csv.Error as exc:
            # DictReader counts lines only for rows it returns; its reader counts all.
            start_line, line = line + 1, reader.reader.line_num
            yield Rejected(source, start_line, _malformed(str(exc), start_line, line))
            continue
        start_line, line = line + 1, reader.line_num
        if None in row:
            yield Rejected(source, start_line, "more fields than the header has")
            continue
        data = {reverse.get(k, k): v for k, v in row.items() if k}
        undecodable = _undecodable(data, encoding)
        if undecodable:
            yield Rejected(source, start_line, undecodable)
            continue
        try:
            yield Located(source, start_line, comment_from_mapping(data, source, start_line))
        except InputError as exc:
            what = f"field '{exc.field}': {exc.reason}" if exc.field else exc.reason
            yield Rejected(source, start_line, what)


def _undecodable(data: dict[str, str], encoding: str) -> str | None:
    """The reason to reject a row holding bytes the encoding could not read, if any."""
    for field, value in data.items():
        found = _ESCAPED.search(value) if value else None
        if found:
            byte = ord(found.group()) - 0xDC00
            return (f"field '{field}': invalid {encoding} (byte 0x{byte:02x}); pass "
                    "--encoding if the file is in another encoding")
    return None


def _malformed(problem: str, first: int, last: int) -> str:
    """What is wrong with an unreadable record, in the reader's terms."""
    where = "" if first == last else f" (the record spans lines {first}-{last})"
    if problem == "unexpected end of data":
        return ("malformed CSV: a quoted field opened in this record is never closed, so "
                f"everything from here to the end of the file (line {last}) is rejected")
    if problem.endswith("expected after '\"'"):
        return (f"malformed CSV: text after a closing quote{where}; a quote inside a "
                "quoted field is written as two quotes")
    return f"malformed CSV: {problem}{where}"
