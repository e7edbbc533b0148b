"""Rules compiled for speed: conditions as small evaluators over a Doc."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from moderation.models import Finding
from moderation.ruleset.patterns import Matcher, PatternTimeout
from moderation.text import Doc, Span, in_range

# Cheap conditions are tested first so that expensive ones rarely run.
COST_TERMS, COST_QUESTION, COST_PATTERN, COST_POS, COST_SENTIMENT, COST_GROUP = range(6)


@dataclass
class Cond:
    """A compiled condition: evaluate(doc, start, end) gives the spans that satisfy it."""

    kind: str
    describe: str
    cost: int
    evaluate: Callable[[Doc, int, int], list[Span]]
    term_lists: tuple[str, ...] = ()  # lists that must have a hit for this to hold


def terms_cond(list_ids: tuple[str, ...], describe: str) -> Cond:
    """Holds where any term of the given lists occurs."""

    def evaluate(doc: Doc, start: int, end: int) -> list[Span]:
        hits = doc.hits
        out: list[Span] = []
        for lid in list_ids:
            spans = hits.get(lid)
            if spans:
                out.extend(in_range(spans, start, end))
        out.sort()
        return out

    return Cond("terms", describe, COST_TERMS, evaluate, list_ids)


def pattern_cond(matcher: Matcher, describe: str) -> Cond:
    """Holds where the regular expression matches inside the unit.

    A risky pattern (see ruleset.patterns) that runs out of its time budget holds
    nowhere, and marks the comment for human review; after that, the comment's risky
    patterns are not run again.
    """

    def evaluate(doc: Doc, start: int, end: int) -> list[Span]:
        if matcher.risky and doc.timed_out:
            return []
        piece = doc.norm[start:end]
        try:
            return [(start + m.start(), start + m.end()) for m in matcher.finditer(piece)
                    if m.end() > m.start()]
        except PatternTimeout:
            doc.timed_out = True
            return []

    return Cond("pattern", describe, COST_PATTERN, evaluate)


def question_cond(wanted: bool) -> Cond:
    """Holds on the sentences of the unit that are (or are not) questions."""

    def evaluate(doc: Doc, start: int, end: int) -> list[Span]:
        # The first such sentence is evidence enough; the rest are not examined.
        for sent in doc.sentences_in(start, end):
            if doc.is_question(sent) == wanted:
                return [sent]
        return []

    return Cond("question", f"question: {str(wanted).lower()}", COST_QUESTION, evaluate)


def sentiment_cond(bounds: dict[str, float | None], describe: str) -> Cond:
    """Holds when the comment's TextBlob sentiment lies within the bounds."""
    pmin, pmax = bounds.get("polarity_min"), bounds.get("polarity_max")
    smin, smax = bounds.get("subjectivity_min"), bounds.get("subjectivity_max")

    def evaluate(doc: Doc, start: int, end: int) -> list[Span]:
        pol, subj = doc.sentiment
        ok = ((pmin is None or pol >= pmin) and (pmax is None or pol <= pmax)
              and (smin is None or subj >= smin) and (smax is None or subj <= smax))
        return [(start, end)] if ok else []

    return Cond("sentiment", describe, COST_SENTIMENT, evaluate)


def pos_cond(tags: tuple[str, ...]) -> Cond:
    """Holds on words whose part-of-speech tag is listed (a trailing * is a prefix)."""
    exact = frozenset(t for t in tags if not t.endswith("*"))
    prefixes = tuple(t[:-1] for t in tags if t.endswith("*"))

    def evaluate(doc: Doc, start: int, end: int) -> list[Span]:
        return [(s, e) for s, e, tag in doc.tags if s >= start and e <= end
                and (tag in exact or (prefixes and tag.startswith(prefixes)))]

    return Cond("pos", f"pos: {list(tags)}", COST_POS, evaluate)


def all_cond(children: list[Cond]) -> Cond:
    """Holds when every child holds in the unit; gives all their spans."""
    ordered = sorted(children, key=lambda c: c.cost)

    def evaluate(doc: Doc, start: int, end: int) -> list[Span]:
        out: list[Span] = []
        for child in ordered:
            spans = child.evaluate(doc, start, end)
            if not spans:
                return []
            out.extend(spans)
        return out

    return Cond("all", "all of (" + "; ".join(c.describe for c in children) + ")",
                max((c.cost for c in children), default=0) or COST_GROUP,
                evaluate, _first_gate(children))


def any_cond(children: list[Cond]) -> Cond:
    """Holds when at least one child holds; gives the spans of the cheapest that does."""
    ordered = sorted(children, key=lambda c: c.cost)

    def evaluate(doc: Doc, start: int, end: int) -> list[Span]:
        for child in ordered:
            spans = child.evaluate(doc, start, end)
            if spans:
                return spans
        return []

    gate: tuple[str, ...] = ()
    if children and all(c.kind == "terms" for c in children):
        gate = tuple(lid for c in children for lid in c.term_lists)
    return Cond("any", "any of (" + "; ".join(c.describe for c in children) + ")",
                max((c.cost for c in children), default=0), evaluate, gate)


def sentence_cond(children: list[Cond]) -> Cond:
    """Holds on the sentences of the unit in which every child holds together."""
    inner = all_cond(children)
    # Only sentences with a hit of every word-list child can hold them all together.
    # (An `any` has term lists only when all its members are word lists.)
    gates = [c.term_lists for c in children if c.kind in ("terms", "any") and c.term_lists]

    def evaluate(doc: Doc, start: int, end: int) -> list[Span]:
        out: list[Span] = []
        for s_start, s_end in doc.sentences_with_all(gates):
            if s_start >= start and s_end <= end:
                spans = inner.evaluate(doc, s_start, s_end)
                if spans:
                    real = [sp for sp in spans if sp[1] > sp[0]] or [(s_start, s_end)]
                    out.append((min(s for s, _ in real), max(e for _, e in real)))
        return out

    return Cond("sentence", "in one sentence: " + inner.describe.removeprefix("all of "),
                inner.cost + 1, evaluate, inner.term_lists)


def not_cond(child: Cond) -> Cond:
    """Holds when the child does not hold anywhere in the unit."""

    def evaluate(doc: Doc, start: int, end: int) -> list[Span]:
        return [] if child.evaluate(doc, start, end) else [(start, start)]

    return Cond("not", f"not ({child.describe})", child.cost, evaluate)


def joined(spans: list[Span]) -> tuple[Span, ...]:
    """The spans in text order, with overlapping or touching ones made one."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


def _first_gate(children: list[Cond]) -> tuple[str, ...]:
    for c in children:
        if c.kind in ("terms", "any", "all", "sentence") and c.term_lists:
            return c.term_lists
    return ()


@dataclass
class CompiledRule:
    """A rule ready to run: gates, ordered conditions, and how to report a finding."""

    code: str
    label: str
    description: str
    scope: str
    all: list[Cond]
    any: list[Cond]
    none: list[Cond]
    unless: list[Cond]
    veto: bool
    score: float
    gates: list[tuple[str, ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.all.sort(key=lambda c: c.cost)
        # Every 'all' condition with term lists is a gate: one of its lists must have
        # a hit somewhere in the comment, or the rule cannot fire (checked first, cheaply).
        self.gates = [c.term_lists for c in self.all if c.term_lists]
        if self.any and all(c.term_lists for c in self.any):
            self.gates.append(tuple(lid for c in self.any for lid in c.term_lists))
        self.gate_sets = [frozenset(g) for g in self.gates]
        self._primary = (self.all or self.any)[0] if (self.all or self.any) else None

    def passes_gates(self, doc: Doc) -> bool:
        """Cheap pre-check on the comment's term hits."""
        keys = doc.hits.keys()
        return all(not keys.isdisjoint(gate) for gate in self.gate_sets)

    def match_unit(self, doc: Doc, start: int, end: int) -> list[Span] | None:
        """The evidence spans if the rule holds on [start, end), else None."""
        evidence: list[Span] = []
        for cond in self.all:
            spans = cond.evaluate(doc, start, end)
            if not spans:
                return None
            evidence.extend(spans)
        if self.any:
            found = False
            for cond in self.any:
                spans = cond.evaluate(doc, start, end)
                if spans:
                    evidence.extend(spans)
                    found = True
                    break
            if not found:
                return None
        for cond in self.none:
            if cond.evaluate(doc, start, end):
                return None
        return evidence

    def run(self, doc: Doc, gates_checked: bool = False) -> Finding | None:
        """The finding this rule gives on the comment, or None."""
        if not gates_checked and not self.passes_gates(doc):
            return None
        if self.scope == "comment":
            evidence = self.match_unit(doc, 0, len(doc.text))
            if evidence is None:
                return None
            real = [sp for sp in evidence if sp[1] > sp[0]] or [(0, len(doc.text))]
            s, e = real[0]  # the first piece of the cheapest condition
        else:
            for s_start, s_end in self._candidate_sentences(doc):
                evidence = self.match_unit(doc, s_start, s_end)
                if evidence is not None:
                    real = [sp for sp in evidence if sp[1] > sp[0]] or [(s_start, s_end)]
                    s, e = min(sp[0] for sp in real), max(sp[1] for sp in real)
                    break
            else:
                return None
        # Comment-wide exceptions last: most rules fail before them, so they rarely run.
        whole = len(doc.text)
        for cond in self.unless:
            if cond.evaluate(doc, 0, whole):
                return None
        # Built from values this code computed, so pydantic's validation is skipped.
        return Finding.trusted(label=self.label, rule=self.code, start=s, end=e,
                              text=doc.text[s:e], score=self.score, veto=self.veto,
                              parts=joined(real))

    def _candidate_sentences(self, doc: Doc) -> list[Span]:
        """Sentences where every gate of the rule has a hit: in sentence scope all the
        word-list conditions must hold in the same sentence."""
        return doc.sentences_with_all(self.gates)



@dataclass
class Diagnosis:
    """How close a rule came to firing on a comment: the conditions that failed."""

    code: str
    failed: list[str]
    unit: Span
    held: int = 0  # how many of its positive conditions (all, and the any group) held

    @property
    def near_miss(self) -> bool:
        """One condition short, with at least one of its positive conditions holding."""
        return len(self.failed) == 1 and self.held >= 1


def diagnose(rule: CompiledRule, doc: Doc) -> Diagnosis:
    """Evaluate every condition of a rule separately and report the ones that fail.

    For a sentence-scoped rule the sentence that came closest is reported.
    """
    whole = (0, len(doc.text))
    blocked = [f"unless ({c.describe}) holds in the comment"
               for c in rule.unless if c.evaluate(doc, *whole)]
    units = [whole] if rule.scope == "comment" else (doc.sentences or [whole])
    best: Diagnosis | None = None
    for start, end in units:
        failed = [f"needs {c.describe}" for c in rule.all if not c.evaluate(doc, start, end)]
        positives = len(rule.all) + (1 if rule.any else 0)
        if rule.any and not any(c.evaluate(doc, start, end) for c in rule.any):
            failed.append("needs any of: " + "; ".join(c.describe for c in rule.any))
        held = positives - len(failed)
        failed.extend(f"vetoed by none: {c.describe}" for c in rule.none
                      if c.evaluate(doc, start, end))
        failed = blocked + failed
        if best is None or len(failed) < len(best.failed):
            best = Diagnosis(rule.code, failed, (start, end), held)
    assert best is not None
    return best
