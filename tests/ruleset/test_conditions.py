"""Each kind of condition, exercised through a small rule file added to the bundled rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.models import Comment
from moderation.pipeline import Pipeline
from moderation.ruleset.loader import load_ruleset

EXTRA = """
stage: thanks
label: thanks
rules:
  - code: TST001
    description: Positive sentiment about the weather.
    all:
      - words: [weather]
      - sentiment: {polarity_min: 0.3}
  - code: TST002
    description: A modal verb opening a sentence about robots (part-of-speech tags).
    scope: sentence
    all:
      - words: [robots]
      - pos: [MD]
  - code: TST003
    description: Penguins in one sentence with a question, unless the comment says 'zoo'.
    all:
      - sentence:
          - words: [penguins]
          - question: true
    unless:
      - words: [zoo]
  - code: TST004
    description: Llamas, but not alpacas in the same sentence.
    scope: sentence
    all:
      - words: [llamas]
      - not:
          words: [alpacas]
  - code: TST900
    description: Veto thanks on comments about taxes.
    veto: true
    all:
      - words: [taxes]
"""


@pytest.fixture
def pipeline_with_extra(rules_copy: Path) -> Pipeline:
    (rules_copy / "zz_test_rules.yaml").write_text(EXTRA, encoding="utf-8")
    return Pipeline(load_ruleset(rules_copy))


def _rules(p: Pipeline, text: str) -> set[str]:
    verdict = p.classify(Comment(id="t", text=text), exhaustive=True)
    return {f.rule for f in verdict.findings} | {f.rule for f in verdict.vetoes}


@pytest.mark.parametrize(
    ("text", "fires", "silent"),
    [
        ("The weather is wonderful and lovely today.", {"TST001"}, set()),
        ("The weather is awful and terrible today.", set(), {"TST001"}),
        ("Will robots replace us.", {"TST002"}, set()),
        ("Robots replace us.", set(), {"TST002"}),
        ("Do penguins fly? Nobody knows.", {"TST003"}, set()),
        ("Do penguins fly? Ask at the zoo.", set(), {"TST003"}),
        ("Penguins swim. Do they fly?", set(), {"TST003"}),
        ("I saw llamas. I saw alpacas.", {"TST004"}, set()),
        ("I saw llamas and alpacas.", set(), {"TST004"}),
    ],
)
def test_condition_kinds(pipeline_with_extra: Pipeline, text: str, fires: set[str],
                         silent: set[str]) -> None:
    rules = _rules(pipeline_with_extra, text)
    assert fires <= rules
    assert not (silent & rules)


def test_veto_removes_the_label(pipeline_with_extra: Pipeline) -> None:
    verdict = pipeline_with_extra.classify(Comment(id="t", text="Great job on the taxes!"))
    assert "thanks" not in verdict.labels
    assert [f.rule for f in verdict.vetoes] == ["TST900"]
    again = pipeline_with_extra.classify(Comment(id="t", text="Great job on the report!"))
    assert "thanks" in again.labels


def test_sentiment_and_tags_work_without_nltk_data(pipeline: Pipeline) -> None:
    doc = pipeline.doc("What a wonderful, happy day. Would robots agree?")
    polarity, subjectivity = doc.sentiment
    assert polarity > 0.3 and 0 <= subjectivity <= 1
    tags = {doc.text[s:e]: tag for s, e, tag in doc.tags}
    assert tags["Would"] == "MD" and tags["robots"].startswith("NN")
