"""`rules test`: run the examples kept with each rule, in the manner of `semgrep --test`."""

from __future__ import annotations

from dataclasses import dataclass, field

from moderation.pipeline import Pipeline


@dataclass
class RuleTest:
    """One rule's examples: true/false positives and negatives, and the failing texts."""

    code: str
    file: str
    label: str
    tp: int = 0
    fn: int = 0
    tn: int = 0
    fp: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (expected, text)

    @property
    def ok(self) -> bool:
        return not self.failures


def test_rules(pipeline: Pipeline) -> tuple[list[RuleTest], list[str]]:
    """Every enabled rule against its examples; also the codes of rules switched off."""
    ruleset = pipeline.ruleset
    compiled = {r.code: r for rules in ruleset.compiled.values() for r in rules}
    results: list[RuleTest] = []
    skipped: list[str] = []
    for code, src in ruleset.sources.items():
        rule = compiled.get(code)
        if rule is None:
            skipped.append(code)
            continue
        result = RuleTest(code, src.file, src.label)
        for text in src.rule.examples.match:
            if rule.run(pipeline.doc(text)) is not None:
                result.tp += 1
            else:
                result.fn += 1
                result.failures.append(("match", text))
        for text in src.rule.examples.no_match:
            if rule.run(pipeline.doc(text)) is None:
                result.tn += 1
            else:
                result.fp += 1
                result.failures.append(("no_match", text))
        results.append(result)
    return results, skipped
