"""Writers shared by the commands: JSONL, CSV and a readable table."""

from __future__ import annotations

import csv
from typing import Any, TextIO

import orjson

from moderation.models import Comment, Verdict

CSV_COLUMNS = ["id", "labels", "reply_template", "urgent", "urls", "phones", "emails",
               "flags", "rules", "reply"]


class VerdictWriter:
    """Base: write one verdict at a time, then close."""

    def __init__(self, out: TextIO):
        self.out = out

    def write(self, comment: Comment, verdict: Verdict) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Flush anything buffered."""


class JsonlWriter(VerdictWriter):
    """One JSON object a line. Lines are UTF-8 bytes already, so they go to the stream's
    binary buffer when it has one (no decoding and encoding again per line)."""

    def __init__(self, out: TextIO):
        self.out = out
        self._bytes: Any = getattr(out, "buffer", None)
        if self._bytes is not None:
            out.flush()  # anything written as text so far comes first

    def write(self, comment: Comment, verdict: Verdict) -> None:
        self.write_line(orjson.dumps(verdict.to_record()) + b"\n")

    def write_line(self, line: bytes) -> None:
        """An output line made here or by a worker process."""
        if self._bytes is not None:
            self._bytes.write(line)
        else:
            self.out.write(line.decode())

    def close(self) -> None:
        if self._bytes is not None:
            self._bytes.flush()


def _flat(record: dict[str, Any]) -> dict[str, str]:
    return {
        "id": record["id"],
        "labels": ";".join(record["labels"]),
        "reply_template": record["reply_template"] or "",
        "urgent": "true" if record["urgent"] else "false",
        "urls": " ".join(record["urls"]),
        "phones": " ".join(p["e164"] for p in record["phones"]),
        "emails": " ".join(record["emails"]),
        "flags": ";".join(f"{f['kind']}:{f['value']}" for f in record["flags"]),
        "rules": ";".join(sorted({e["rule"] for e in record["evidence"]})),
        "reply": record["reply"] or "",
    }


class CsvWriter(VerdictWriter):
    def __init__(self, out: TextIO):
        self.writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        self.writer.writeheader()

    def write(self, comment: Comment, verdict: Verdict) -> None:
        self.writer.writerow(_flat(verdict.to_record()))


class TableWriter(VerdictWriter):
    """A table for people, printed in chunks so that memory stays flat."""

    CHUNK = 200

    def __init__(self, out: TextIO):
        from rich.console import Console

        is_tty = hasattr(out, "isatty") and out.isatty()
        self.console = Console(file=out, soft_wrap=False, width=None if is_tty else 160)
        self.rows: list[tuple[str, ...]] = []

    def write(self, comment: Comment, verdict: Verdict) -> None:
        text = comment.text.replace("\n", " ")
        flags = ", ".join(sorted({f.kind for f in verdict.flags}))
        rules = ", ".join(sorted({f.rule for f in verdict.findings if f.label in verdict.labels}))
        self.rows.append((comment.id, ("URGENT " if verdict.urgent else "")
                          + ", ".join(verdict.labels), verdict.reply_template or "-", rules,
                          flags, text[:80] + ("…" if len(text) > 80 else "")))
        if len(self.rows) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        from rich.table import Table

        table = Table(show_lines=False)
        for name in ("id", "labels", "reply", "rules", "flags", "text"):
            table.add_column(name, overflow="fold", no_wrap=name in ("id", "reply"))
        for row in self.rows:
            table.add_row(*row)
        self.console.print(table)
        self.rows = []

    def close(self) -> None:
        self._flush()


WRITERS: dict[str, type[VerdictWriter]] = {"jsonl": JsonlWriter, "csv": CsvWriter,
                                           "table": TableWriter}
