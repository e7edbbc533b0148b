"""The editors' commands: rules test, explain, stats and diff."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seed_comments.jsonl"


def _run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_rules_test_passes_on_the_bundled_rules() -> None:
    result = _run("rules", "test", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["failed"] == 0 and len(data["rules"]) >= 25
    assert all(r["tp"] >= 1 and r["tn"] >= 1 for r in data["rules"])


def test_rules_test_reports_a_failing_example(rules_copy: Path) -> None:
    thanks = rules_copy / "thanks.yaml"
    thanks.write_text(thanks.read_text().replace(
        "        - Thanks to the rain, the game was cancelled.",
        "        - Thanks to the rain, the game was cancelled.\n"
        "        - Thank you for the wonderful research!"))
    result = _run("rules", "test", str(rules_copy))
    assert result.exit_code == 1
    assert (f"{thanks}: THX001 matched example: 'Thank you for the wonderful research!'"
            in result.stdout)
    assert "FAIL" in result.stdout


def test_rules_test_skips_disabled_rules(rules_copy: Path) -> None:
    crisis = rules_copy / "crisis.yaml"
    crisis.write_text(crisis.read_text().replace(
        "  - code: CRI004\n", "  - code: CRI004\n    enabled: false\n"))
    data = json.loads(_run("rules", "test", str(rules_copy), "--format", "json").stdout)
    assert data["disabled"] == ["CRI004"]


def test_explain_shows_rules_spans_near_misses_and_features() -> None:
    text = "My son died of leukemia a year ago. Thank you all for the research."
    data = json.loads(_run("rules", "explain", text, "--format", "json").stdout)
    assert data["labels"] == ["condolence", "thanks"]
    fired = {f["rule"]: text[f["start"]:f["end"]] for f in data["fired"]}
    assert fired["CON002"] == "My son died"
    near = {n["code"]: n["missing"] for n in data["near_misses"]}
    assert near["PMQ001"].startswith("needs any of (question: true")
    assert [s["question"] for s in data["features"]["sentences"]] == [False, False]
    assert data["features"]["lexicons"]["relative"] == ["son"]
    assert set(data["features"]["sentiment"]) == {"polarity", "subjectivity"}


def test_explain_plain_output_marks_spans() -> None:
    result = _run("rules", "explain", "Great job! keep up the great research.")
    assert result.exit_code == 0
    assert "labels: thanks" in result.stdout and "[[Great job]]" in result.stdout


def test_explain_marks_every_part_of_a_finding() -> None:
    text = "I have stage IV breast cancer. I would like to know if trials could help me."
    plain = _run("rules", "explain", text).stdout
    assert "[[would like to know]]" in plain and "[[trials]]" in plain
    data = json.loads(_run("rules", "explain", text, "--format", "json").stdout)
    pmq = next(f for f in data["fired"] if f["rule"] == "PMQ001")
    assert "would like to know" in [text[a:b] for a, b in pmq["parts"]]


def test_explain_from_stdin_and_from_a_file() -> None:
    stdin = _run("rules", "explain", "--format", "json", input="I want to die.\n")
    assert json.loads(stdin.stdout)["labels"] == ["crisis"]
    record = _run("rules", "explain", "--file", str(SEED), "--id", "seed-28", "--format",
                  "json")
    assert json.loads(record.stdout)["labels"] == ["condolence"]
    missing = _run("rules", "explain", "--file", str(SEED), "--id", "nope")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"error: {SEED}: no record with id 'nope'"


def test_explain_says_when_the_record_asked_for_may_be_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "some.jsonl"
    path.write_text('{"id": "a", "text": "Thanks!"}\n{"id": "b", "text": "Hi", '
                    '"created_at": "soon"}\n')
    result = _run("rules", "explain", "--file", str(path), "--id", "b")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {path}: no record with id 'b'; 1 record(s) could not be read, the first at "
        "line 2: field 'created_at': not an ISO 8601 date: 'soon'")


def test_stats_on_the_seed() -> None:
    result = _run("rules", "stats", str(SEED), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["comments"] == 46 and data["labelled"]
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["THX004"]["fires"] > 0 and rules["THX004"]["precision"] == 1.0
    assert "CRI004" in data["never_fire"]
    assert data["label_recall"]["personal_medical_question"] == 1.0
    assert any(o["rules"] == ["THX001", "THX002"] or o["comments"] for o in data["overlaps"])


def test_diff_of_a_rule_set_with_itself_changes_nothing() -> None:
    result = _run("rules", "diff", str(SEED), "--old", str(ROOT / "rules"), "--format", "json")
    data = json.loads(result.stdout)
    assert (data["label_changes"], data["template_changes"], data["directions"]) == (0, 0, [])
    assert all(s["f1_change"] == 0 for s in data["scores"].values())


@pytest.mark.parametrize("command", [["stats"], ["diff", "--old", str(ROOT / "rules")]])
def test_stats_and_diff_report_records_they_cannot_read(tmp_path: Path,
                                                        command: list[str]) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "a", "text": "Thank you so much!"}\nnot json\n'
                      '{"id": "a", "text": "Again"}\n')
    result = _run("rules", command[0], str(corpus), *command[1:], "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["comments"] == 1  # the output stays whole JSON
    assert result.stderr.splitlines() == [
        f"rejected: {corpus}:2: invalid JSON: invalid literal, expected 'null' (column 1)",
        f"rejected: {corpus}:3: field 'id': duplicate id 'a' in this file",
        "2 record(s) rejected; the figures above leave them out"]


def test_diff_reports_directions_and_f1(rules_copy: Path) -> None:
    labels = rules_copy / "labels.yaml"
    labels.write_text(labels.read_text().replace(
        "precedence: [crisis, personal_medical_question, condolence, expert_question, thanks]",
        "precedence: [crisis, personal_medical_question, thanks, condolence, expert_question]"))
    thanks = rules_copy / "thanks.yaml"
    thanks.write_text(thanks.read_text().replace("  - code: THX004\n",
                                                 "  - code: THX004\n    enabled: false\n"))
    result = _run("rules", "diff", str(SEED), "--old", str(ROOT / "rules"), "--new",
                  str(rules_copy), "--format", "json")
    data = json.loads(result.stdout)
    changes = {d["change"]: d for d in data["directions"]}
    assert "condolence -> thanks" in changes
    assert changes["condolence -> thanks"]["examples"][0]["id"].startswith("seed-")
    assert data["scores"]["thanks"]["f1_change"] <= 0


def test_diff_against_a_git_revision(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["cp", "-r", str(ROOT / "rules"), str(repo / "rules")], check=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "rules"], check=True)
    thanks = repo / "rules" / "thanks.yaml"
    thanks.write_text(thanks.read_text().replace("  - code: THX004\n",
                                                 "  - code: THX004\n    enabled: false\n"))
    result = _run("rules", "diff", str(SEED), "--old", "HEAD", "--rules",
                  str(repo / "rules"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old"] == "HEAD:rules" and data["label_changes"] >= 1
    bad = _run("rules", "diff", str(SEED), "--old", "no-such-rev", "--rules",
               str(repo / "rules"))
    assert bad.exit_code == 1 and "cannot read rules/ at revision 'no-such-rev'" in bad.stderr


@pytest.mark.parametrize("command", ["test", "check"])
def test_broken_rules_never_give_a_traceback(command: str, rules_copy: Path) -> None:
    (rules_copy / "crisis.yaml").write_text("stage: [\n")
    result = _run("rules", command, str(rules_copy))
    assert result.exit_code == 1
    assert "invalid YAML" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    "command",
    [("rules", "eval"), ("rules", "stats"),
     ("rules", "diff", "--old", str(ROOT / "rules"))],
)
@pytest.mark.parametrize("bad", ["condolences", 3])
def test_a_misspelt_gold_label_is_refused_with_its_line(tmp_path: Path, command, bad) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": 1, "text": "So sorry.", "labels": ["condolence"]})
                    + "\n" + json.dumps({"id": 2, "text": "So sorry.", "labels": [bad]}) + "\n")
    name, *options = command[1:]
    result = _run("rules", name, str(gold), *options)
    assert result.exit_code == 1
    # The record is reported and left out; the one before it is still measured.
    assert result.stderr.splitlines() == [
        f"rejected: {gold}:2: field 'labels': unknown label {bad!r} (the rule set has: crisis, "
        "personal_medical_question, condolence, expert_question, thanks)",
        "1 record(s) rejected; the figures above leave them out"]
    assert "1 comments" in result.stdout or "1 records" in result.stdout
