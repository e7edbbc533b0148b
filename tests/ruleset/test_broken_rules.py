"""Every broken rules file in fixtures/broken_rules gives exactly the errors it lists.

Each fixture is written into a copy of the bundled rules (as its own name, or as the
file named by a `# target:` line), and its `# expect:` lines are the exact messages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from moderation.errors import RuleSetError
from moderation.ruleset.loader import load_ruleset

BROKEN = Path(__file__).resolve().parents[2] / "fixtures" / "broken_rules"
CASES = sorted(BROKEN.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_rules_file(case: Path, rules_copy: Path) -> None:
    text = case.read_text(encoding="utf-8")
    expected = re.findall(r"(?m)^# expect: (.*)$", text)
    assert expected, f"{case.name} lists no expected error"
    target = re.search(r"(?m)^# target: (\S+)", text)
    (rules_copy / (target.group(1) if target else case.name)).write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules_copy)
    got = [str(p).replace(f"{rules_copy}/", "") for p in info.value.problems]
    assert got == expected


def test_there_are_broken_fixtures() -> None:
    assert len(CASES) >= 10


def test_missing_directory_is_one_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(tmp_path / "nowhere")
    assert [p.message for p in info.value.problems] == ["rules directory not found"]


def test_missing_fixed_file(rules_copy: Path) -> None:
    (rules_copy / "labels.yaml").unlink()
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules_copy)
    assert any(p.message == "missing file labels.yaml" for p in info.value.problems)


def test_bundled_rules_load_and_hash_is_stable(ruleset, rules_copy: Path) -> None:
    again = load_ruleset(rules_copy)
    assert again.hash == ruleset.hash
    (rules_copy / "thanks.yaml").write_text(
        (rules_copy / "thanks.yaml").read_text() + "\n# a comment changes the hash\n")
    assert load_ruleset(rules_copy).hash != ruleset.hash


def test_disabling_rules_by_code(ruleset) -> None:
    off = load_ruleset(ruleset.directory, disabled=["THX001"])
    codes = [r.code for r in off.rules_for_stage("thanks")]
    assert "THX001" not in codes and "THX002" in codes


def test_disabling_an_unknown_code_is_an_error(ruleset) -> None:
    from moderation.errors import ModerationError

    with pytest.raises(ModerationError, match="XYZ999"):
        load_ruleset(ruleset.directory, disabled=["XYZ999"])
