"""Every error the library raises on purpose; only the CLI turns them into messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class ModerationError(Exception):
    """Base of all the project's own errors: a user's mistake, never a bug."""


@dataclass(frozen=True)
class Problem:
    """One problem found in a rules file, located as FILE:LINE:COL."""

    file: str
    line: int
    col: int
    message: str
    rule: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        who = []
        if self.rule:
            who.append(f"rule {self.rule}")
        if self.field:
            who.append(f"field '{self.field}'")
        prefix = (", ".join(who) + ": ") if who else ""
        return f"{where}: {prefix}{self.message}"


class RuleSetError(ModerationError):
    """The rules directory could not be loaded; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.col, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class InputError(ModerationError):
    """A comment record that cannot be read: names the source, line and field."""

    def __init__(self, source: str, line: int, reason: str, field: str | None = None):
        self.source = source
        self.line = line
        self.field = field
        self.reason = reason
        where = f"{source}:{line}"
        what = f"field '{field}': {reason}" if field else reason
        super().__init__(f"{where}: {what}")


class InputFormatError(ModerationError):
    """A whole input cannot be read (unknown format, unreadable file, bad header)."""


class TemplateError(ModerationError):
    """A reply template failed to render with the variables it was given."""


class DatabaseError(ModerationError):
    """The database is missing, locked, or at a schema this code cannot use."""


class NotFound(ModerationError):
    """A queue item or event that does not exist."""


class DecisionError(ModerationError):
    """A decision that cannot be applied (already decided, nothing to undo, ...)."""


class WorkerLost(ModerationError):
    """A worker process of --workers died before finishing its share (killed, or out of
    memory). Not a mistake of the user's, but nothing they need a traceback for."""

    def __init__(self) -> None:
        super().__init__(
            "a worker process stopped before finishing its share of the comments (it was "
            "killed, perhaps for lack of memory); the output written so far is complete and "
            "in input order up to where it stops. Run the command again (ingest queues "
            "only what is not queued yet), with fewer --workers if memory is short")
