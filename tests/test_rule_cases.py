"""Rule cases as data: the examples kept with each rule, and fixtures/rule_cases/*.yaml.

Editors add cases without writing Python; each case is its own test, named by its id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from moderation.models import Comment
from moderation.ruleset.loader import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
CASE_FILES = sorted((ROOT / "fixtures" / "rule_cases").glob("*.yaml"))
RULESET = load_ruleset(ROOT / "rules")


def _rule_examples() -> list[Any]:
    out = []
    for code, src in sorted(RULESET.sources.items()):
        for i, text in enumerate(src.rule.examples.match):
            out.append(pytest.param(code, text, True, id=f"{code}-match-{i + 1}"))
        for i, text in enumerate(src.rule.examples.no_match):
            out.append(pytest.param(code, text, False, id=f"{code}-no-match-{i + 1}"))
    return out


def _label_cases() -> list[Any]:
    out = []
    for path in CASE_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append(pytest.param(data, case, id=f"{path.stem}:{case['id']}"))
    return out


@pytest.mark.parametrize(("code", "text", "should_fire"), _rule_examples())
def test_rule_example(pipeline, code: str, text: str, should_fire: bool) -> None:
    src = RULESET.sources[code]
    rule = next(r for r in pipeline.ruleset.rules_for_stage(src.stage) if r.code == code)
    finding = rule.run(pipeline.doc(text))
    assert (finding is not None) is should_fire, (code, text, finding)
    if finding is not None:
        assert text[finding.start:finding.end] == finding.text


def test_every_rule_has_examples_both_ways() -> None:
    lacking = [code for code, src in RULESET.sources.items()
               if not src.rule.examples.match or not src.rule.examples.no_match]
    assert lacking == []


def test_every_rules_file_has_a_case_file() -> None:
    rule_files = {Path(src.file).name for src in RULESET.sources.values()}
    case_targets = {yaml.safe_load(p.read_text())["rules_file"] for p in CASE_FILES}
    assert rule_files <= case_targets


@pytest.mark.parametrize(("data", "case"), _label_cases())
def test_label_case(pipeline, data: dict[str, Any], case: dict[str, Any]) -> None:
    verdict = pipeline.classify(Comment(id=case["id"], text=case["text"]))
    if "label" in data:
        assert (data["label"] in verdict.labels) is case["labelled"], verdict.labels
    ents = verdict.entities
    if "urls" in case:
        assert [u.raw for u in ents.urls] == case["urls"]
    if "phones" in case:
        assert [p.e164 for p in ents.phones] == case["phones"]
    if "emails" in case:
        assert [e.raw for e in ents.emails] == case["emails"]
    if "flags" in case:
        assert sorted({f.kind for f in verdict.flags}) == sorted(case["flags"])
