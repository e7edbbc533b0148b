"""The pipeline: registered stages in the order labels.yaml gives, checked at build time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from moderation.errors import ModerationError
from moderation.models import Comment, Entities, Finding, Flag, Verdict
from moderation.replies import ReplyBook
from moderation.ruleset.loader import RuleSet, load_ruleset
from moderation.stages import Stage, build_stage
from moderation.text import Doc
from moderation.verdict import decide

NO_ENTITIES = Entities()


class Pipeline:
    """Runs every stage over a comment and turns what they found into a verdict."""

    def __init__(self, ruleset: RuleSet, region: str | None = None):
        self.ruleset = ruleset
        self.region = (region or ruleset.site.default_region).upper()
        self.stages: list[Stage] = [build_stage(n, ruleset) for n in ruleset.labels.stages]
        provided: set[str] = set()
        for stage in self.stages:
            missing = stage.requires - provided
            if missing:
                raise ModerationError(
                    f"stage '{stage.name}' needs {', '.join(sorted(missing))}, which no "
                    "earlier stage provides: reorder 'stages' in labels.yaml"
                )
            provided |= stage.provides
        self.replies = ReplyBook(ruleset.replies.templates, ruleset.site)
        self._skippable = self._suppressions()

    def _suppressions(self) -> list[frozenset[str]]:
        """For each stage, the labels whose presence makes the stage pointless.

        A stage whose every label is suppressed by a label already settled by earlier
        stages (none of the later stages can veto it) cannot change the verdict.
        """
        specs = self.ruleset.labels.labels
        out: list[frozenset[str]] = []
        for i, stage in enumerate(self.stages):
            labels = {r.label for r in getattr(stage, "rules", [])}
            if not labels:
                out.append(frozenset())
                continue
            later_vetoes = {r.label for st in self.stages[i + 1:]
                            for r in getattr(st, "rules", []) if r.veto}
            common = set.intersection(*(set(specs[lb].suppressed_by) if lb in specs else set()
                                        for lb in labels))
            out.append(frozenset(common - later_vetoes))
        return out

    @classmethod
    def from_directory(cls, rules_dir: str | None = None, region: str | None = None,
                       disabled: Iterable[str] = ()) -> Pipeline:
        """Load a rules directory (the bundled one by default) and build the pipeline."""
        return cls(load_ruleset(rules_dir, disabled), region)

    def doc(self, text: str) -> Doc:
        """A Doc for text that shares this pipeline's term index and analysers."""
        rs = self.ruleset
        return Doc(text, rs.index, rs.cues, rs.analysers)

    def classify(self, comment: Comment, exhaustive: bool = False) -> Verdict:
        """The verdict for one comment.

        By default rules that cannot change the verdict are skipped, so each label shows
        the first rule that gave it; `exhaustive` evaluates every rule and reports every
        finding (slower; for explanations and rule statistics).
        """
        doc = self.doc(comment.text)
        region = (comment.region or self.region).upper()
        findings: list[Finding] = []
        flags: list[Flag] = []
        entities = NO_ENTITIES
        present: set[str] = set()
        for stage, skip_if in zip(self.stages, self._skippable, strict=True):
            if not exhaustive and skip_if and not present.isdisjoint(skip_if):
                continue
            out = stage.run(doc, comment, region, exhaustive)
            findings.extend(out.findings)
            if out.findings:
                vetoed = {f.label for f in findings if f.veto}
                present = {f.label for f in findings if not f.veto} - vetoed
            flags.extend(out.flags)
            if out.entities is not None:
                entities = out.entities
        if doc.timed_out:
            flags.append(Flag.trusted(
                kind="needs_review", value="a rule's pattern ran out of its time budget",
                start=0, end=len(doc.text)))
        return decide(comment, findings, entities, flags, self.ruleset.labels, self.replies,
                      self.ruleset.hash)

    def classify_many(self, comments: Iterable[Comment]) -> Iterator[Verdict]:
        """Verdicts for a stream of comments, one at a time."""
        for comment in comments:
            yield self.classify(comment)
