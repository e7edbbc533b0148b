"""`rules diff`: what changes between two rule sets over the same corpus."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moderation.errors import ModerationError
from moderation.evaluation import Score
from moderation.formats.records import Located, Record
from moderation.pipeline import Pipeline

EXAMPLES = 3


def resolve_rules(spec: str, default_dir: Path) -> tuple[Path, str]:
    """A rules directory for `spec`: a directory, or a git revision of the rules folder.

    Returns the directory and a description. A revision is exported to a temporary
    directory with `git archive`.
    """
    path = Path(spec)
    if path.is_dir():
        return path, str(path)
    rules_dir = default_dir.resolve()
    try:
        top = subprocess.run(["git", "-C", str(rules_dir), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise ModerationError(f"'{spec}' is not a directory, and {rules_dir} is not in a git "
                              "repository to look it up as a revision") from None
    relative = rules_dir.relative_to(Path(top).resolve()).as_posix()
    archive = subprocess.run(["git", "-C", top, "archive", "--format=tar", spec, relative],
                             capture_output=True)
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip().splitlines()
        raise ModerationError(f"cannot read {relative}/ at revision '{spec}': "
                              f"{reason[-1] if reason else 'git archive failed'}")
    target = Path(tempfile.mkdtemp(prefix="moderation-rules-"))
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target / relative, f"{spec}:{relative}"


@dataclass
class DiffReport:
    """Comments whose labels or suggested template change, by direction, with examples."""

    old: str
    new: str
    comments: int = 0
    label_changes: int = 0
    template_changes: int = 0
    labels_added: Counter[str] = field(default_factory=Counter)
    labels_removed: Counter[str] = field(default_factory=Counter)
    directions: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    scores: dict[str, tuple[Score, Score]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.label_changes or self.template_changes)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "old": self.old, "new": self.new, "comments": self.comments,
            "label_changes": self.label_changes, "template_changes": self.template_changes,
            "labels_added": dict(self.labels_added), "labels_removed": dict(self.labels_removed),
            "directions": [{"change": k, "comments": v, "examples": self.examples.get(k, [])}
                           for k, v in self.directions.most_common()],
        }
        if self.scores:
            out["scores"] = {}
            for label, (old, new) in self.scores.items():
                before, after = _figures(old), _figures(new)
                out["scores"][label] = {"old": before, "new": after, "f1_change": round(
                    after["f1"] - before["f1"], 4)}
        return out


def _figures(score: Score) -> dict[str, float]:
    return {"precision": round(score.precision, 4), "recall": round(score.recall, 4),
            "f1": round(score.f1, 4)}


def known_labels(old: Pipeline, new: Pipeline) -> list[str]:
    """The labels of either rule set, the old one's order first."""
    return list(dict.fromkeys([*old.ruleset.labels.precedence,
                               *new.ruleset.labels.precedence]))


def diff_rulesets(old: Pipeline, new: Pipeline, records: Iterable[Record],
                  old_name: str = "old", new_name: str = "new") -> DiffReport:
    """Classify every record with both rule sets and report what changes."""
    report = DiffReport(old_name, new_name)
    labels = known_labels(old, new)
    for record in records:
        if not isinstance(record, Located):
            continue
        comment = record.comment
        report.comments += 1
        a, b = old.classify(comment), new.classify(comment)
        if a.labels != b.labels:
            report.label_changes += 1
            report.labels_added.update(set(b.labels) - set(a.labels))
            report.labels_removed.update(set(a.labels) - set(b.labels))
        if a.reply_template != b.reply_template:
            report.template_changes += 1
            key = f"{a.reply_template or 'none'} -> {b.reply_template or 'none'}"
            report.directions[key] += 1
            shown = report.examples.setdefault(key, [])
            if len(shown) < EXAMPLES:
                snippet = " ".join(comment.text.split())
                shown.append({"id": comment.id, "text": snippet[:120]})
        truth = comment.meta.get("labels")
        if isinstance(truth, list):
            for label in labels:
                pair = report.scores.setdefault(label, (Score(label, "label"),
                                                        Score(label, "label")))
                for score, verdict in zip(pair, (a, b), strict=True):
                    score.count(label in truth, label in verdict.labels)
    return report
