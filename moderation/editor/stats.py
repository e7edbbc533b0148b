"""`rules stats`: how each rule behaves over a corpus, and how good it is if labelled."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from moderation.formats.records import Located, Record
from moderation.pipeline import Pipeline


@dataclass
class RuleStats:
    """Counts for one rule over a corpus."""

    code: str
    label: str
    veto: bool
    fires: int = 0
    alone: int = 0          # fired with no other rule of its label beside it
    overridden: int = 0     # fired, but its label is not in the verdict
    true_positives: int = 0  # fired on a comment whose truth has the label

    def as_dict(self, labelled: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.code, "label": self.label, "veto": self.veto,
                               "fires": self.fires, "alone": self.alone,
                               "overridden": self.overridden}
        if labelled:
            out["precision"] = (round(self.true_positives / self.fires, 3)
                                if self.fires else None)
        return out


@dataclass
class StatsReport:
    """Per-rule counts, overlaps, conflicts, and (when labelled) precision and recall."""

    comments: int
    labelled: bool
    rules: list[RuleStats]
    overlaps: Counter[tuple[str, str]] = field(default_factory=Counter)
    conflicts: Counter[tuple[str, str]] = field(default_factory=Counter)
    label_recall: dict[str, float | None] = field(default_factory=dict)

    @property
    def never_fire(self) -> list[str]:
        return [r.code for r in self.rules if r.fires == 0]

    @property
    def always_shadowed(self) -> list[str]:
        """Rules that fired, but never without another rule giving the same label."""
        return [r.code for r in self.rules if r.fires and not r.alone and not r.veto]

    def as_dict(self) -> dict[str, Any]:
        return {
            "comments": self.comments, "labelled": self.labelled,
            "rules": [r.as_dict(self.labelled) for r in self.rules],
            "never_fire": self.never_fire, "always_shadowed": self.always_shadowed,
            "overlaps": [{"rules": list(k), "comments": v} for k, v in self.overlaps.most_common()],
            "conflicts": [{"rule": k[0], "overridden_by": k[1], "comments": v}
                          for k, v in self.conflicts.most_common()],
            "label_recall": self.label_recall,
        }


def rule_stats(pipeline: Pipeline, records: Iterable[Record]) -> StatsReport:
    """Run every rule over the corpus; records with a `labels` list count as labelled."""
    ruleset = pipeline.ruleset
    rules = {r.code: RuleStats(r.code, r.label, r.veto)
             for stage in ruleset.labels.stages for r in ruleset.rules_for_stage(stage)}
    overlaps: Counter[tuple[str, str]] = Counter()
    conflicts: Counter[tuple[str, str]] = Counter()
    truth_count: Counter[str] = Counter()
    found_count: Counter[str] = Counter()
    comments = 0
    labelled = False
    for record in records:
        if not isinstance(record, Located):
            continue
        comments += 1
        comment = record.comment
        raw_truth = comment.meta.get("labels")
        has_truth = isinstance(raw_truth, list)
        truth: list[str] = raw_truth if isinstance(raw_truth, list) else []
        labelled = labelled or has_truth
        verdict = pipeline.classify(comment, exhaustive=True)
        findings = [*verdict.findings, *verdict.vetoes]
        codes = sorted({f.rule for f in findings})
        by_label = Counter(f.label for f in findings if not f.veto)
        for f in findings:
            stat = rules.get(f.rule)  # one finding per rule and comment
            if stat is None:
                continue
            stat.fires += 1
            if f.veto or by_label[f.label] == 1:
                stat.alone += 1
            if not f.veto and f.label not in verdict.labels:
                stat.overridden += 1
                winners = [g.rule for g in findings if g.veto and g.label == f.label] or [
                    g.rule for g in findings if g.label in verdict.labels and g.label !=
                    f.label and not g.veto]
                for winner in winners[:1]:
                    conflicts[(f.rule, winner)] += 1
            if has_truth and f.label in truth and not f.veto:
                stat.true_positives += 1
        for i, a in enumerate(codes):
            for b in codes[i + 1:]:
                overlaps[(a, b)] += 1
        if has_truth:
            for label in truth:
                truth_count[label] += 1
                found_count[label] += label in verdict.labels
    recall = {label: round(found_count[label] / n, 3) if n else None
              for label, n in sorted(truth_count.items())}
    return StatsReport(comments, labelled, list(rules.values()), overlaps, conflicts, recall)
