"""The label stages: each runs the compiled rules of one rules file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moderation.models import Comment, Finding
from moderation.ruleset.compiled import CompiledRule
from moderation.stages.base import NOTHING, Stage, StageOutput, register
from moderation.text import Doc

if TYPE_CHECKING:
    from moderation.ruleset.loader import RuleSet


class RuleStage(Stage):
    """Runs the enabled rules of its stage and reports a finding for each that fires."""

    label: str

    def __init__(self, rules: list[CompiledRule], requires: frozenset[str]):
        self.rules = rules
        # Vetoes first: once a label is vetoed, the rules that would give it need not run.
        self._ordered = [r for r in rules if r.veto] + [r for r in rules if not r.veto]
        self.codes = tuple(r.code for r in rules)
        self.requires = requires
        self.provides = frozenset({f"label.{self.label}"})

    @classmethod
    def from_ruleset(cls, ruleset: RuleSet) -> RuleStage:
        """The rules whose file names this stage; requires the labels that suppress it."""
        spec = ruleset.labels.labels.get(cls.label)
        requires = frozenset(f"label.{s}" for s in (spec.suppressed_by if spec else []))
        return cls(ruleset.rules_for_stage(cls.name), requires)

    def run(self, doc: Doc, comment: Comment, region: str,
            exhaustive: bool = False) -> StageOutput:
        """The findings of the stage's rules; the site's own replies get none.

        By default one finding per label is enough: the rules that could only repeat a
        label already given (or vetoed) are skipped. `exhaustive` runs them all.
        """
        if comment.is_staff:
            return NOTHING
        found: list[Finding] = []
        settled: set[str] = set()
        keys = doc.hits.keys()
        for rule in (self.rules if exhaustive else self._ordered):
            if not exhaustive and rule.label in settled:
                continue
            for gate in rule.gate_sets:  # the cheap check, inline: this loop is hot
                if keys.isdisjoint(gate):
                    break
            else:
                finding = rule.run(doc, gates_checked=True)
                if finding is None:
                    continue
                found.append(finding)
                settled.add(rule.label)
        return StageOutput(tuple(found)) if found else NOTHING


def _label_stage(label: str) -> type[RuleStage]:
    cls = type(f"{label.title().replace('_', '')}Stage", (RuleStage,),
               {"name": label, "label": label, "__doc__": f"Rules that give '{label}'."})
    return register(cls)  # type: ignore[return-value]


CrisisStage = _label_stage("crisis")
PersonalMedicalQuestionStage = _label_stage("personal_medical_question")
ExpertQuestionStage = _label_stage("expert_question")
CondolenceStage = _label_stage("condolence")
ThanksStage = _label_stage("thanks")
