"""`rules explain`: why a text got (or did not get) each label."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from moderation.models import Comment, Finding, Verdict
from moderation.pipeline import Pipeline
from moderation.ruleset.compiled import diagnose


@dataclass
class NearMiss:
    """A rule one condition short of firing."""

    code: str
    label: str
    description: str
    missing: str
    start: int
    end: int


@dataclass
class Explanation:
    """Everything an editor needs to see why a comment was labelled as it was."""

    comment: Comment
    verdict: Verdict
    fired: list[Finding]
    near_misses: list[NearMiss]
    features: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        record = self.verdict.to_record()
        return {
            "id": self.comment.id, "text": self.comment.text, "labels": record["labels"],
            "reply_template": record["reply_template"], "urgent": record["urgent"],
            "fired": [{"rule": f.rule, "label": f.label, "veto": f.veto, "start": f.start,
                       "end": f.end, "text": f.text,
                       "parts": [list(part) for part in f.parts or ((f.start, f.end),)]}
                      for f in self.fired],
            "near_misses": [vars(n) for n in self.near_misses],
            "features": self.features, "flags": record["flags"], "urls": record["urls"],
            "phones": record["phones"], "emails": record["emails"],
        }


def explain(pipeline: Pipeline, comment: Comment) -> Explanation:
    """Run every rule on the comment, and diagnose the ones that did not fire."""
    verdict = pipeline.classify(comment, exhaustive=True)
    fired = sorted([*verdict.findings, *verdict.vetoes], key=lambda f: (f.start, f.rule))
    fired_codes = {f.rule for f in fired}
    doc = pipeline.doc(comment.text)
    near: list[NearMiss] = []
    ruleset = pipeline.ruleset
    for rules in ruleset.compiled.values():
        for rule in rules:
            if rule.code in fired_codes:
                continue
            diagnosis = diagnose(rule, doc)
            if diagnosis.near_miss:
                near.append(NearMiss(rule.code, rule.label, rule.description,
                                     diagnosis.failed[0], *diagnosis.unit))
    polarity, subjectivity = doc.sentiment
    lexicons = {lid[1:]: [comment.text[s:e] for s, e in spans]
                for lid, spans in sorted(doc.hits.items()) if lid.startswith("@")}
    features = {
        "sentences": [{"text": comment.text[s:e], "question": doc.is_question((s, e))}
                      for s, e in doc.sentences],
        "sentiment": {"polarity": round(polarity, 3), "subjectivity": round(subjectivity, 3)},
        "lexicons": lexicons,
    }
    return Explanation(comment, verdict, fired, near, features)
