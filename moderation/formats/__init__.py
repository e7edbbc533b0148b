"""Readers and writers of comment records; the format follows the file's extension."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from moderation.errors import InputFormatError
from moderation.formats.csvfile import read_csv
from moderation.formats.idset import IdSet
from moderation.formats.jsonl import read_jsonl
from moderation.formats.records import Located, Record, Rejected
from moderation.formats.staff import NO_STAFF, StaffSettings

__all__ = ["Located", "Record", "Rejected", "StaffSettings", "detect_format", "read_inputs"]

EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
              ".wxr": "wxr"}
INPUT_FORMATS = ("jsonl", "csv", "wxr", "disqus")
MAX_TEXT_BYTES = 1_000_000


def detect_format(path: str, explicit: str | None) -> str:
    """The input format: --input-format, else the extension (an .xml file is sniffed
    for a WordPress or a Disqus export), else JSONL. Standard input is sniffed: XML
    exports and CSV with an id and a text column are told from JSONL by their start."""
    if explicit:
        return explicit
    if path == "-":
        return _stdin_kind(stdin()[0])
    suffix = Path(path).suffix.lower()
    if not suffix:
        return "jsonl"
    if suffix == ".xml":
        return _sniff_xml(path)
    if suffix not in EXTENSIONS:
        raise InputFormatError(f"{path}: cannot tell the format from '{suffix}'; "
                               f"use --input-format ({'|'.join(INPUT_FORMATS)})")
    return EXTENSIONS[suffix]


def _sniff_xml(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise InputFormatError(f"{path}: cannot open: {exc.strerror}") from None
    return _xml_kind(head, path)


def _xml_kind(head: bytes, source: str) -> str:
    text = head.decode("utf-8", "replace")
    if "<disqus" in text:
        return "disqus"
    if "wordpress.org/export/" in text or "<rss" in text:
        return "wxr"
    raise InputFormatError(f"{source}: neither a WordPress (WXR) nor a Disqus export; use "
                           "--input-format")


_HEAD_BYTES = 8192
_stdin: tuple[object, bytes, BinaryIO] | None = None


def stdin() -> tuple[bytes, BinaryIO]:
    """Standard input's first bytes (to tell its format by), and a stream that reads
    it from the start, those bytes included. Read once per standard input."""
    global _stdin
    raw = sys.stdin.buffer
    if _stdin is None or _stdin[0] is not raw:
        head = b""
        while len(head) < _HEAD_BYTES and (more := raw.read(_HEAD_BYTES - len(head))):
            head += more  # a pipe may give its first bytes a few at a time
        _stdin = (raw, head, io.BufferedReader(_Replay(head, raw)))
    return _stdin[1], _stdin[2]


def _stdin_kind(head: bytes) -> str:
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"<"):
        return _xml_kind(head, "<stdin>")
    first = start.split(b"\n", 1)[0].decode("utf-8", "replace")
    if not start.startswith((b"{", b"[")) and "," in first:
        header = {cell.strip().strip('"').lower() for cell in first.split(",")}
        if {"id", "text"} <= header:
            return "csv"
    return "jsonl"


class _Replay(io.RawIOBase):
    """Bytes already read from a stream, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read1(len(buffer)) if hasattr(self._rest, "read1") \
            else self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def read_inputs(paths: Sequence[str], input_format: str | None = None,
                columns: Mapping[str, str] | None = None,
                on_bytes: Callable[[int], None] | None = None,
                staff: StaffSettings = NO_STAFF,
                encoding: str = "utf-8-sig") -> Iterator[Record]:
    """Every record of every input, in order; '-' or no path reads standard input.

    Whatever the format, a record is rejected with its reason when its text is empty,
    over 1 MB, or when its id already appeared in the same file.
    """
    for path in paths or ["-"]:
        fmt = detect_format(path, input_format)
        if path == "-":
            yield from _checked(_read(stdin()[1], "<stdin>", fmt, columns, on_bytes,
                                      staff, encoding))
            continue
        try:
            handle = open(path, "rb")  # noqa: SIM115  (closed below, after streaming)
        except OSError as exc:
            raise InputFormatError(f"{path}: cannot open: {exc.strerror}") from None
        with handle:
            yield from _checked(_read(handle, path, fmt, columns, on_bytes, staff, encoding))


def text_problem(text: str) -> str | None:
    """Why a comment's text cannot be taken (empty, over 1 MB), or None."""
    if not text.strip():
        return "field 'text': empty"
    if len(text) * 4 > MAX_TEXT_BYTES:  # only long texts are worth encoding to measure
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_TEXT_BYTES:
            return f"field 'text': {size:,} bytes, over the 1 MB limit for one comment"
    return None


def duplicate_reason(comment_id: str) -> str:
    """The reason given for an id seen before in the same file."""
    return f"field 'id': duplicate id {comment_id!r} in this file"


def _checked(records: Iterator[Record]) -> Iterator[Record]:
    """The policies every format shares: empty texts, oversized texts, duplicate ids."""
    seen = IdSet()
    try:
        for record in records:
            if isinstance(record, Rejected):
                yield record
                continue
            problem = text_problem(record.comment.text)
            if problem:
                yield Rejected(record.source, record.line, problem)
            elif not seen.add(record.comment.id):
                yield Rejected(record.source, record.line, duplicate_reason(record.comment.id))
            else:
                yield record
    finally:
        seen.close()


def until_first_rejection(records: Iterable[Record]) -> Iterator[Record]:
    """The records up to and including the first rejected one (--on-error fail)."""
    for record in records:
        yield record
        if isinstance(record, Rejected):
            return


class _Counting:
    """A binary stream that reports how many bytes were read (for progress bars)."""

    def __init__(self, stream: BinaryIO, on_bytes: Callable[[int], None]):
        self._stream = stream
        self._on_bytes = on_bytes

    def __iter__(self) -> Iterator[bytes]:
        for line in self._stream:
            self._on_bytes(len(line))
            yield line

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._on_bytes(len(data))
        return data

    def read1(self, size: int = -1) -> bytes:
        data = self._stream.read1(size)  # type: ignore[attr-defined]
        self._on_bytes(len(data))
        return bytes(data)

    def readable(self) -> bool:
        return True

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _read(stream: BinaryIO, source: str, fmt: str, columns: Mapping[str, str] | None,
          on_bytes: Callable[[int], None] | None, staff: StaffSettings,
          encoding: str) -> Iterator[Record]:
    if on_bytes is not None:
        stream = _Counting(stream, on_bytes)  # type: ignore[assignment]
    if fmt == "jsonl":
        return read_jsonl(stream, source)
    if fmt == "csv":
        return read_csv(stream, source, columns, encoding)
    # The XML readers are imported only when needed: they are slow to import.
    if fmt == "wxr":
        from moderation.formats.wxr import read_wxr

        return read_wxr(stream, source, staff)
    if fmt == "disqus":
        from moderation.formats.disqus import read_disqus

        return read_disqus(stream, source, staff)
    raise InputFormatError(f"unknown input format '{fmt}' (use {'|'.join(INPUT_FORMATS)})")
