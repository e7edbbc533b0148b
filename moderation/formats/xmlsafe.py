"""Safe, streaming XML: defusedxml's SAX parser fed in chunks, with positions for errors.

XML 1.0 cannot carry most control characters, even escaped. So that any comment text
survives our writer and reader unchanged, the writer maps each such character to a
private-use character after a marker (U+F7FF), and the reader maps it back; a text that
itself contains the marker or that private-use range is escaped the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from xml.sax import SAXParseException
from xml.sax.expatreader import ExpatLocator
from xml.sax.handler import ContentHandler, feature_namespaces

import defusedxml
import defusedxml.sax

CHUNK = 1 << 16
MARK = "\uf7ff"
_BASE = 0xF700
# Characters XML 1.0 does not allow (tab, newline and carriage return it does).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\uf700-\uf7ff]")
_ESCAPED = re.compile("\uf7ff(\uf722.|.)", re.S)
_LITERAL = "\uf722"  # after the marker: the next character is itself


def _encode_one(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return MARK + chr(_BASE + code)
    if ch == "\ufffe":
        return MARK + chr(_BASE + 0x20)
    if ch == "\uffff":
        return MARK + chr(_BASE + 0x21)
    return MARK + _LITERAL + ch  # a private-use character of our range, kept as itself


def encode_text(text: str) -> str:
    """Text that XML 1.0 can carry; `decode_text` gives the original back."""
    return _ILLEGAL.sub(_encode_one, text)


def _decode_one(match: re.Match[str]) -> str:
    escaped = match.group(1)
    if len(escaped) == 2:
        return escaped[1]
    code = ord(escaped)
    if _BASE <= code < _BASE + 0x20:
        return chr(code - _BASE)
    if code == _BASE + 0x20:
        return "\ufffe"
    if code == _BASE + 0x21:
        return "\uffff"
    return match.group(1)


def decode_text(text: str) -> str:
    """The inverse of `encode_text`."""
    return _ESCAPED.sub(_decode_one, text) if MARK in text else text


class XMLProblem(Exception):
    """The file stopped being readable at a position."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


class StreamHandler(ContentHandler):
    """A namespace-aware SAX handler that collects finished records in `ready`."""

    def __init__(self) -> None:
        super().__init__()
        self.ready: list[Any] = []
        self.locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:  # noqa: N802 (SAX's name)
        self.locator = locator

    def position(self) -> tuple[int, int]:
        """Line and column (1-based) where the parser is."""
        if self.locator is None:
            return (1, 1)
        return (self.locator.getLineNumber() or 1, (self.locator.getColumnNumber() or 0) + 1)


def parse_stream(stream: BinaryIO, handler: StreamHandler,
                 on_chunk: Callable[[], None] | None = None) -> Iterator[Any]:
    """Feed the stream to a defused SAX parser, yielding records as they complete.

    Raises XMLProblem when the document is malformed or declares entities or DTD
    tricks that could expand without bound.
    """
    parser = defusedxml.sax.make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    # parse() would hand the handler a locator; feed() does not, so give it one here.
    handler.setDocumentLocator(ExpatLocator(parser))
    try:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            parser.feed(chunk)
            if handler.ready:
                yield from handler.ready
                handler.ready.clear()
            if on_chunk:
                on_chunk()
        parser.close()
    except SAXParseException as exc:
        yield from handler.ready
        handler.ready.clear()
        raise XMLProblem(exc.getLineNumber() or 1, (exc.getColumnNumber() or 0) + 1,
                         f"malformed XML: {exc.getMessage()}") from None
    except defusedxml.DefusedXmlException as exc:
        line, col = handler.position()
        raise XMLProblem(line, col, f"refused: {type(exc).__name__} ({exc}); entity "
                         "declarations could expand without bound") from None
    yield from handler.ready
    handler.ready.clear()


def read_xml_records(stream: BinaryIO, source: str, handler: StreamHandler,
                     to_record: Callable[[Any], Any]) -> Iterator[Any]:
    """Records from an XML export; a fault ends the file with one rejection at its place."""
    from moderation.formats.records import Rejected

    try:
        for raw in parse_stream(stream, handler):
            yield to_record(raw)
    except XMLProblem as exc:
        yield Rejected(source, exc.line, f"{exc.message} (column {exc.column}); the rest of "
                       "the file cannot be read")
