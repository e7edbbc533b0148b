"""Accuracy of the rules on labelled records: precision, recall and F1 per label/entity."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from moderation.formats.records import Located, Record, Rejected
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


def _verdict_values(kind: str, verdict: Verdict) -> set[str]:
    ents = verdict.entities
    if kind == "urls":
        return {u.raw for u in ents.urls}
    if kind == "phones":
        return {f"{p.raw}|{p.e164}" for p in ents.phones}
    return {e.raw for e in ents.emails}


def gold_problem(meta: Mapping[str, Any], known: Sequence[str], labelled: bool = False,
                 entities: bool = False) -> str | None:
    """What is wrong with a record's truth (its `labels`, and with `entities` its
    `urls`, `phones` and `emails`), worded with the field, or None.

    `labelled` requires a `labels` list; without it a record may have none. A misspelt
    gold label ("condolences") or a phone number given as a bare string would
    otherwise be counted as a miss, and the figures would be wrong without a word.
    """
    labels = meta.get("labels")
    if labels is None:
        return "field 'labels': missing; a labelled record needs a list" if labelled else None
    if not isinstance(labels, list):
        return f"field 'labels': expected a list of labels, got {type(labels).__name__}"
    for label in labels:
        if not isinstance(label, str) or label not in known:
            return f"field 'labels': unknown label {label!r} (the rule set has: " \
                   f"{', '.join(known)})"
    for kind in ENTITY_KINDS if entities else ():
        value = meta.get(kind)
        if value is None:
            continue
        if not isinstance(value, list):
            return f"field '{kind}': expected a list, got {type(value).__name__}"
        for item in value:
            if kind != "phones":
                if not isinstance(item, str):
                    return f"field '{kind}': expected strings, got {item!r}"
            elif not (isinstance(item, dict) and isinstance(item.get("raw"), str)
                      and isinstance(item.get("e164"), str)):
                return f"field 'phones': expected objects with 'raw' and 'e164' strings " \
                       f"(as classify writes them), got {item!r}"
    return None


def gold_checked(records: Iterable[Record], known: Sequence[str], labelled: bool = False,
                 entities: bool = False) -> Iterator[Record]:
    """The records, each with a bad truth turned into a rejection (see gold_problem)."""
    for record in records:
        if isinstance(record, Located):
            problem = gold_problem(record.comment.meta, known, labelled, entities)
            if problem:
                yield Rejected(record.source, record.line, problem)
                continue
        yield record


def _gold_values(kind: str, meta: Mapping[str, Any]) -> set[str]:
    """The true entities of a record that gold_checked let through."""
    value = meta.get(kind) or []
    if kind == "phones":
        return {f"{p['raw']}|{p['e164']}" for p in value}
    return set(value)


def label_order(pipeline: Pipeline) -> list[str]:
    """The rule set's labels: the taxonomy's first, then any of its own."""
    precedence = pipeline.ruleset.labels.precedence
    return [label for label in precedence if label in LABELS] + [
        label for label in precedence if label not in LABELS]


def evaluate(pipeline: Pipeline, records: Iterable[Record], exhaustive: bool = False) -> Report:
    """Classify every labelled record and compare with its truth. The records are
    expected to have passed gold_checked; rejected ones are left out.

    With `exhaustive`, every rule runs, so the misses list every rule that fired.
    """
    labels = label_order(pipeline)
    scores = {name: Score(name, "label") for name in labels}
    scores.update({kind: Score(kind, "entity") for kind in ENTITY_KINDS})
    misses: list[Miss] = []
    count = 0
    for record in records:
        if not isinstance(record, Located):
            continue
        comment, where = record.comment, f"{record.source}:{record.line}"
        verdict = pipeline.classify(comment, exhaustive)
        count += 1
        truth = set(comment.meta["labels"])
        got = set(verdict.labels)
        for name in labels:
            score = scores[name]
            expected, found = name in truth, name in got
            score.count(expected, found)
            if expected != found:
                fired = sorted({f.rule for f in verdict.findings if f.label == name})
                misses.append(Miss(comment.id, where, name, sorted(truth), sorted(got),
                                   comment.text, fired))
        for kind in ENTITY_KINDS:
            want = _gold_values(kind, comment.meta)
            have = _verdict_values(kind, verdict)
            score = scores[kind]
            score.support += len(want)
            score.tp += len(want & have)
            score.fp += len(have - want)
            score.fn += len(want - have)
            if want != have:
                misses.append(Miss(comment.id, where, kind, sorted(want), sorted(have),
                                   comment.text))
    return Report(list(scores.values()), count, misses)
