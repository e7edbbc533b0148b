"""Pipeline stages, registered by name (importing this package registers them)."""

from moderation.stages import extraction, labels  # noqa: F401  (registration)
from moderation.stages.base import REGISTRY, Stage, StageOutput, build_stage, register

__all__ = ["REGISTRY", "Stage", "StageOutput", "build_stage", "register"]
