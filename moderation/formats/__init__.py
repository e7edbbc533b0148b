"""Readers and writers of comment records; the format follows the file's extension."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from moderation.errors import InputFormatError
from moderation.formats.csvfile import read_csv
from moderation.formats.jsonl import read_jsonl
from moderation.formats.records import Located, Record, Rejected

__all__ = ["Located", "Record", "Rejected", "detect_format", "read_inputs"]

EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}
INPUT_FORMATS = ("jsonl", "csv")


def detect_format(path: str, explicit: str | None) -> str:
    """The input format: --input-format, else the extension, else JSONL."""
    if explicit:
        return explicit
    suffix = Path(path).suffix.lower()
    if path == "-" or not suffix:
        return "jsonl"
    if suffix not in EXTENSIONS:
        raise InputFormatError(f"{path}: cannot tell the format from '{suffix}'; "
                               f"use --input-format ({'|'.join(INPUT_FORMATS)})")
    return EXTENSIONS[suffix]


def read_inputs(paths: Sequence[str], input_format: str | None = None,
                columns: Mapping[str, str] | None = None,
                on_bytes: Callable[[int], None] | None = None) -> Iterator[Record]:
    """Every record of every input, in order; '-' or no path reads standard input."""
    for path in paths or ["-"]:
        fmt = detect_format(path, input_format)
        if path == "-":
            yield from _read(sys.stdin.buffer, "<stdin>", fmt, columns, on_bytes)
            continue
        try:
            handle = open(path, "rb")  # noqa: SIM115  (closed below, after streaming)
        except OSError as exc:
            raise InputFormatError(f"{path}: cannot open: {exc.strerror}") from None
        with handle:
            yield from _read(handle, path, fmt, columns, on_bytes)


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
          on_bytes: Callable[[int], None] | None) -> Iterator[Record]:
    if on_bytes is not None:
        stream = _Counting(stream, on_bytes)  # type: ignore[assignment]
    if fmt == "jsonl":
        return read_jsonl(stream, source)
    if fmt == "csv":
        return read_csv(stream, source, columns)
    raise InputFormatError(f"unknown input format '{fmt}' (use {'|'.join(INPUT_FORMATS)})")
