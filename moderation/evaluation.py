"""Accuracy of the rules on labelled records: precision, recall and F1 per label/entity."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moderation.errors import InputError, InputFormatError
from moderation.formats.records import comment_from_mapping
from moderation.models import LABELS, Verdict
from moderation.pipeline import Pipeline

ENTITY_KINDS = ("urls", "phones", "emails")


@dataclass
class Score:
    """Counts for one label or entity kind."""

    name: str
    kind: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    support: int = 0

    def count(self, expected: bool, found: bool) -> None:
        """Add one comment on which the label was `expected` and/or `found`."""
        self.support += expected
        self.tp += expected and found
        self.fp += found and not expected
        self.fn += expected and not found

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "support": self.support, "tp": self.tp,
                "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Miss:
    """A record whose labels or entities differ from the truth."""

    id: str
    source: str
    name: str
    expected: list[str]
    got: list[str]
    text: str
    rules: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The scores and the differences found."""

    scores: list[Score]
    records: int
    misses: list[Miss] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"records": self.records, "scores": [s.as_dict() for s in self.scores]}


def _entity_values(kind: str, value: Any) -> set[str]:
    if kind == "phones":
        return {f"{p['raw']}|{p['e164']}" if isinstance(p, dict) else str(p) for p in value}
    return {str(v) for v in value}


def _verdict_values(kind: str, verdict: Verdict) -> set[str]:
    ents = verdict.entities
    if kind == "urls":
        return {u.raw for u in ents.urls}
    if kind == "phones":
        return {f"{p.raw}|{p.e164}" for p in ents.phones}
    return {e.raw for e in ents.emails}


def check_truth(labels: list[Any], known: Sequence[str], source: str, line: int) -> set[str]:
    """The gold labels of a record, refusing names the rule set does not know.

    A misspelt gold label ("condolences") would otherwise be ignored, and the
    figures would look better than they are.
    """
    for label in labels:
        if not isinstance(label, str) or label not in known:
            raise InputError(source, line, f"unknown label {label!r} (the rule set has: "
                             f"{', '.join(known)})", field="labels")
    return set(labels)


def load_labelled(paths: Sequence[str]) -> Iterable[tuple[str, int, dict[str, Any]]]:
    """Yield (file, line, record) from labelled JSONL files."""
    for path in paths:
        try:
            handle = Path(path).open(encoding="utf-8")  # noqa: SIM115  (closed just below)
        except OSError as exc:
            raise InputFormatError(f"{path}: cannot open: {exc.strerror}") from None
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(path, number, f"invalid JSON: {exc.msg}") from None
                if not isinstance(record, dict) or not isinstance(record.get("labels"), list):
                    raise InputError(path, number, "expected an object with a 'labels' list",
                                     field="labels")
                yield path, number, record


def evaluate(pipeline: Pipeline, paths: Sequence[str], exhaustive: bool = False) -> Report:
    """Classify every labelled record and compare with its truth.

    With `exhaustive`, every rule runs, so the misses list every rule that fired.
    """
    labels = [label for label in pipeline.ruleset.labels.precedence if label in LABELS] + [
        label for label in pipeline.ruleset.labels.precedence if label not in LABELS]
    scores = {name: Score(name, "label") for name in labels}
    scores.update({kind: Score(kind, "entity") for kind in ENTITY_KINDS})
    misses: list[Miss] = []
    count = 0
    for path, number, record in load_labelled(paths):
        comment = comment_from_mapping(record, path, number)
        verdict = pipeline.classify(comment, exhaustive)
        count += 1
        truth = check_truth(record["labels"], labels, path, number)
        got = set(verdict.labels)
        for name in labels:
            score = scores[name]
            expected, found = name in truth, name in got
            score.count(expected, found)
            if expected != found:
                fired = sorted({f.rule for f in verdict.findings if f.label == name})
                misses.append(Miss(comment.id, f"{path}:{number}", name,
                                   sorted(truth), sorted(got), comment.text, fired))
        for kind in ENTITY_KINDS:
            want = _entity_values(kind, record.get(kind, []))
            have = _verdict_values(kind, verdict)
            score = scores[kind]
            score.support += len(want)
            score.tp += len(want & have)
            score.fp += len(have - want)
            score.fn += len(want - have)
            if want != have:
                misses.append(Miss(comment.id, f"{path}:{number}", kind, sorted(want),
                                   sorted(have), comment.text))
    return Report(list(scores.values()), count, misses)
