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

    @classmethod
    def from_directory(cls, rules_dir: str | None = None, region: str | None = None,
                       disabled: Iterable[str] = ()) -> Pipeline:
        """Load a rules directory (the bundled one by default) and build the pipeline."""
        return cls(load_ruleset(rules_dir, disabled), region)

    def doc(self, text: str) -> Doc:
        """A Doc for text that shares this pipeline's term index and analysers."""
        rs = self.ruleset
        return Doc(text, rs.index, rs.cues, rs.analysers)

    def classify(self, comment: Comment) -> Verdict:
        """The verdict for one comment."""
        doc = self.doc(comment.text)
        region = (comment.region or self.region).upper()
        findings: list[Finding] = []
        flags: list[Flag] = []
        entities = Entities()
        for stage in self.stages:
            out = stage.run(doc, comment, region)
            findings.extend(out.findings)
            flags.extend(out.flags)
            if out.entities is not None:
                entities = out.entities
        return decide(comment, findings, entities, flags, self.ruleset.labels, self.replies,
                      self.ruleset.hash)

    def classify_many(self, comments: Iterable[Comment]) -> Iterator[Verdict]:
        """Verdicts for a stream of comments, one at a time."""
        for comment in comments:
            yield self.classify(comment)
