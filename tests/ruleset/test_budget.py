"""Rules cannot hang the pipeline: catastrophic patterns run under a time budget."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from moderation.models import Comment
from moderation.pipeline import Pipeline
from moderation.ruleset.loader import load_ruleset
from moderation.ruleset.patterns import Matcher, is_risky

EVIL = """
stage: thanks
label: thanks
rules:
  - code: TST100
    description: Catastrophic backtracking, on purpose.
    scope: sentence
    all:
      - pattern: '(a+)+$'
  - code: TST101
    description: Another one, which must not cost a second budget.
    all:
      - pattern: '(\\w+\\s?)*;'
"""


@pytest.mark.parametrize(
    ("pattern", "risky"),
    [(r"(a+)+$", True), (r"(\w+\s?)*;", True), (r"((ab)*)*", True), (r"(?:a|b)+", False),
     (r"\bmy (?:\w+ ){0,2}cancer", False), (r"(?:\S+\s+){0,11}\S*$", False)],
)
def test_risk_analysis(pattern: str, risky: bool) -> None:
    assert is_risky(pattern) is risky
    assert Matcher.compile(pattern).risky is risky


def test_catastrophic_patterns_finish_fast_and_flag_review(rules_copy: Path) -> None:
    (rules_copy / "zz_evil.yaml").write_text(EVIL, encoding="utf-8")
    pipeline = Pipeline(load_ruleset(rules_copy))
    text = "a" * 100_000 + "!"
    start = time.perf_counter()
    verdict = pipeline.classify(Comment(id="evil", text=text), exhaustive=True)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert [f.kind for f in verdict.flags] == ["needs_review"]
    assert not {"TST100", "TST101"} & {f.rule for f in verdict.findings}


def test_ordinary_comments_are_not_flagged(pipeline) -> None:
    verdict = pipeline.classify(Comment(id="x", text="I want to die, I really do."))
    assert "crisis" in verdict.labels
    assert "needs_review" not in {f.kind for f in verdict.flags}


LEXICONS = {"words": ["cancer", "leukemia"], "phrases": ["heart attack", "stroke"],
            "tabbed": ["heart\tattack"],
            "prefixes": ["diagnos*"], "endings": ["*itis"]}


@pytest.mark.parametrize("lexicon", sorted(LEXICONS))
@pytest.mark.parametrize("template", ["(?:{LEX} )+x", "a{LEX}b", "(?:my {LEX})*", "{LEX}?c",
                                      "(?:(?:{LEX})+ )+"])
def test_risk_read_from_a_stand_in_equals_risk_of_the_expanded_pattern(
        lexicon: str, template: str) -> None:
    from moderation.ruleset.loader import _stand_in, trie_regex

    expanded = template.replace("{LEX}", trie_regex(LEXICONS[lexicon]))
    shape = template.replace("{LEX}", _stand_in(LEXICONS[lexicon]))
    assert is_risky(shape) == is_risky(expanded)
