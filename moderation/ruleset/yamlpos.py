"""YAML read with the position of every node, so errors can name FILE:LINE:COL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from moderation.errors import Problem

Path = tuple[str | int, ...]


@dataclass
class Located:
    """A plain Python value and where each part of it was written."""

    file: str
    value: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the node at path, or of its nearest ancestor."""
        p = tuple(path)
        while True:
            if key and p in self.key_positions:
                return self.key_positions[p]
            if p in self.positions:
                return self.positions[p]
            if not p:
                return (1, 1)
            p = p[:-1]
            key = False

    def problem(self, path: Path, message: str, *, rule: str | None = None,
                field_name: str | None = None, key: bool = False) -> Problem:
        """A Problem located at path."""
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, message, rule=rule, field=field_name)


# libyaml's parser when PyYAML was built with it (about ten times faster, which matters to
# every command's start-up), the pure Python one otherwise.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def load_located(text: str, file: str) -> Located:
    """Parse YAML text; raise a list of Problems on syntax errors or duplicate keys."""
    from moderation.errors import RuleSetError

    try:
        try:
            root = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            # libyaml words its errors differently: let the Python parser say what is wrong.
            root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = exc.problem or str(exc)
        raise RuleSetError([Problem(file, line, col, f"invalid YAML: {msg}")]) from None
    except yaml.YAMLError as exc:
        raise RuleSetError([Problem(file, 1, 1, f"invalid YAML: {exc}")]) from None
    located = Located(file, None)
    problems: list[Problem] = []
    constructor = yaml.SafeLoader("")

    def build(node: yaml.Node, path: Path) -> Any:
        located.positions[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                key = constructor.construct_object(knode, deep=True)
                if not isinstance(key, (str, int)):
                    line, col = _mark(knode)
                    problems.append(Problem(file, line, col, f"keys must be text, not {key!r}"))
                    continue
                kpath = path + (key,)
                located.key_positions[kpath] = _mark(knode)
                if key in out:
                    line, col = _mark(knode)
                    problems.append(Problem(file, line, col, f"duplicate key '{key}'"))
                out[key] = build(vnode, kpath)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(child, path + (i,)) for i, child in enumerate(node.value)]
        return constructor.construct_object(node, deep=True)

    located.value = build(root, ()) if root is not None else None
    if problems:
        raise RuleSetError(problems)
    return located
