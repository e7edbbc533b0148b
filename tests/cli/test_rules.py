"""`moderation rules check` and `rules eval`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from moderation.cli import main

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed_comments.jsonl"


def test_rules_check_bundled() -> None:
    result = CliRunner().invoke(main, ["rules", "check"])
    assert result.exit_code == 0 and ": ok (ruleset " in result.stdout


def test_rules_check_broken(rules_copy: Path) -> None:
    (rules_copy / "thanks.yaml").write_text("stage: thanks\nlabel: thanks\nrules: 3\n")
    result = CliRunner().invoke(main, ["rules", "check", str(rules_copy)])
    assert result.exit_code == 1
    assert f"{rules_copy / 'thanks.yaml'}:3:8: field 'rules': Input should be a valid list" \
        in result.stderr


def test_rules_eval_json_on_seed() -> None:
    result = CliRunner().invoke(main, ["rules", "eval", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    scores = {s["name"]: s for s in data["scores"]}
    assert data["records"] == 46
    assert scores["personal_medical_question"]["support"] == 8
    assert scores["phones"] == {"name": "phones", "kind": "entity", "support": 3, "tp": 3,
                                "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_rules_eval_counts_errors(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        json.dumps({"id": 1, "text": "Great job!", "labels": ["thanks"], "urls": [],
                    "phones": [], "emails": []}) + "\n"
        + json.dumps({"id": 2, "text": "Nice weather.", "labels": ["thanks"], "urls": [],
                      "phones": [], "emails": []}) + "\n")
    result = CliRunner().invoke(main, ["rules", "eval", str(path), "--format", "json",
                                       "--errors", "--min-f1", "0.9"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    thanks = next(s for s in data["scores"] if s["name"] == "thanks")
    assert (thanks["tp"], thanks["fp"], thanks["fn"]) == (1, 0, 1)
    assert [e["id"] for e in data["errors"]] == ["2"]
    assert "below --min-f1 0.9: thanks F1 0.667" in result.stderr


def test_rules_eval_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": 1, "text": "x"}\n')
    result = CliRunner().invoke(main, ["rules", "eval", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {path}:1: field 'labels': expected an object " \
                                    "with a 'labels' list"
