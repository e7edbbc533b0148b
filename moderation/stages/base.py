"""What a stage is: a named unit that declares what it needs and provides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from moderation.models import Comment, Entities, Finding, Flag
from moderation.text import Doc

if TYPE_CHECKING:
    from moderation.ruleset.loader import RuleSet


@dataclass(frozen=True, slots=True)
class StageOutput:
    """What one stage adds for one comment (immutable, so "nothing" can be shared)."""

    findings: tuple[Finding, ...] = ()
    entities: Entities | None = None
    flags: tuple[Flag, ...] = ()


NOTHING = StageOutput()


class Stage:
    """A pipeline stage: a stable name, the codes it emits, requirements and a pure run."""

    name: ClassVar[str]
    requires: frozenset[str] = frozenset()
    provides: frozenset[str] = frozenset()
    codes: tuple[str, ...] = ()

    def run(self, doc: Doc, comment: Comment, region: str,
            exhaustive: bool = False) -> StageOutput:
        """Look at one comment and report what the stage found.

        With `exhaustive`, every rule is evaluated (for explanations and statistics);
        otherwise a stage may stop once its verdict cannot change.
        """
        raise NotImplementedError


REGISTRY: dict[str, type[Stage]] = {}


def register(cls: type[Stage]) -> type[Stage]:
    """Class decorator: make a stage available under its name."""
    if cls.name in REGISTRY:
        raise ValueError(f"stage '{cls.name}' registered twice")
    REGISTRY[cls.name] = cls
    return cls


def build_stage(name: str, ruleset: RuleSet) -> Stage:
    """An instance of the registered stage `name`, configured from the rule set."""
    cls = REGISTRY[name]
    return cls.from_ruleset(ruleset)  # type: ignore[attr-defined, no-any-return]
