"""Positions of YAML nodes: libyaml's parser and PyYAML's own agree."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from moderation.errors import RuleSetError
from moderation.ruleset import yamlpos

RULES = sorted((Path(__file__).parents[2] / "rules").glob("*.yaml"))


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_both_parsers_give_the_same_values_and_positions(path: Path, monkeypatch) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yamlpos.load_located(text, path.name)
    monkeypatch.setattr(yamlpos, "_FAST_LOADER", yaml.SafeLoader)
    slow = yamlpos.load_located(text, path.name)
    assert fast.value == slow.value
    assert fast.positions == slow.positions and fast.key_positions == slow.key_positions


def test_syntax_errors_are_worded_by_the_python_parser() -> None:
    with pytest.raises(RuleSetError) as caught:
        yamlpos.load_located("rules:\n  - code: [A\n", "bad.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "bad.yaml:3:1: invalid YAML: expected ',' or ']', but got '<stream end>'"]
