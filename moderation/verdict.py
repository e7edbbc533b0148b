"""From findings to a verdict: vetoes, suppression, precedence, urgency, the reply."""

from __future__ import annotations

from moderation.models import Comment, Entities, Finding, Flag, Verdict
from moderation.replies import ReplyBook
from moderation.ruleset.schema import LabelsFile


def decide(comment: Comment, findings: list[Finding], entities: Entities, flags: list[Flag],
           labels_spec: LabelsFile, replies: ReplyBook, ruleset_hash: str) -> Verdict:
    """Apply vetoes and TAXONOMY.md's precedence, and suggest one reply."""
    positives = [f for f in findings if not f.veto]
    vetoes = [f for f in findings if f.veto]
    vetoed = {f.label for f in vetoes}
    present = {f.label for f in positives} - vetoed
    specs = labels_spec.labels
    for label in list(present):
        spec = specs.get(label)
        if spec and any(other in present for other in spec.suppressed_by):
            present.discard(label)
    labels = tuple(sorted(present))
    urgent = any(specs[label].urgent for label in labels if label in specs)
    reply = None
    if not comment.is_staff:
        for label in labels_spec.precedence:
            if label in present:
                template = replies.template_for(label)
                if template:
                    reply = replies.render(template, comment, labels)
                break
    return Verdict.trusted(
        comment_id=comment.id,
        labels=labels,
        findings=tuple(sorted(positives, key=lambda f: (f.start, f.rule))),
        vetoes=tuple(vetoes),
        entities=entities,
        flags=tuple(flags),
        urgent=urgent,
        reply=reply,
        ruleset_hash=ruleset_hash,
    )
