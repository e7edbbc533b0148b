"""Shared fixtures: the bundled pipeline, paths, and a scratch copy of the rules."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The suite must pass with no NLTK data on the machine: point NLTK at nothing.
os.environ["NLTK_DATA"] = "/nonexistent-nltk-data"

from moderation.pipeline import Pipeline  # noqa: E402
from moderation.ruleset.loader import load_ruleset  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset(RULES)


@pytest.fixture(scope="session")
def pipeline(ruleset):
    return Pipeline(ruleset)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled rules."""
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target
