"""Editors' regular expressions: compiled so that none can stall the pipeline.

Python's `re` backtracks, so a pattern such as `(a+)+$` can take exponential time on a
long comment. Each pattern is analysed when the rules load: one with an unbounded
repetition nested inside another unbounded repetition is compiled with the `regex`
module instead and run under a time budget. When the budget runs out, the rule does
not fire and the comment is flagged for human review, and the comment's other risky
patterns are skipped, so one comment costs at most one budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex

try:  # the parser behind `re`, to analyse a pattern's structure
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11 is not supported anyway
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

BUDGET_SECONDS = 0.05
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", None)}
_UNBOUNDED = sre_constants.MAXREPEAT


class PatternTimeout(Exception):
    """A risky pattern ran out of its time budget on a comment."""


def _children(op: Any, arg: Any) -> list[Any]:
    """The sub-patterns of one parsed item."""
    if op in _REPEATS:
        return [arg[2]]
    if op == sre_constants.SUBPATTERN:
        return [arg[-1]]
    if op == sre_constants.BRANCH:
        return list(arg[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [arg[1]]
    return []


def _nested_unbounded(items: Any, inside_unbounded: bool) -> bool:
    for op, arg in items:
        unbounded = op in _REPEATS and (arg[1] == _UNBOUNDED or arg[1] > 100)
        if unbounded and inside_unbounded:
            return True
        if any(_nested_unbounded(sub, inside_unbounded or unbounded)
               for sub in _children(op, arg)):
            return True
    return False


def is_risky(pattern: str) -> bool:
    """True when a pattern nests unbounded repetitions (exponential backtracking risk)."""
    return _nested_unbounded(sre_parse.parse(pattern), False)


@dataclass
class Matcher:
    """A compiled pattern with the engine chosen for it."""

    pattern: str
    risky: bool
    _compiled: Any

    @classmethod
    def compile(cls, pattern: str, shape: str | None = None) -> Matcher:
        """Compile; raises re.error for a pattern that does not compile. `shape`, when
        given, is a shorter pattern with the same nesting of repetitions, analysed for
        risk instead of the pattern itself."""
        compiled = re.compile(pattern)
        if is_risky(pattern if shape is None else shape):
            return cls(pattern, True, regex.compile(pattern))
        return cls(pattern, False, compiled)

    def finditer(self, text: str) -> Iterator[Any]:
        """Matches in text; a risky pattern raises PatternTimeout past its budget."""
        if not self.risky:
            return self._compiled.finditer(text)
        try:
            return iter(list(self._compiled.finditer(text, timeout=BUDGET_SECONDS)))
        except TimeoutError:
            raise PatternTimeout(self.pattern) from None
