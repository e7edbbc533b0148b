"""`moderation rules check` and `rules eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


def _gold(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(line + "\n" for line in lines))
    return path


GOOD = json.dumps({"id": "ok", "text": "Thank you so much!", "labels": ["thanks"]})


def test_rules_eval_bad_file(tmp_path: Path) -> None:
    path = _gold(tmp_path, '{"id": 1, "text": "x"}')
    result = CliRunner().invoke(main, ["rules", "eval", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"rejected: {path}:1: field 'labels': missing; a labelled record needs a list",
        "1 record(s) rejected; the figures above leave them out"]


@pytest.mark.parametrize(("record", "reason"), [
    ('{"id": "b", "text": "x", "labels": "thanks"}',
     "field 'labels': expected a list of labels, got str"),
    ('{"id": "b", "text": "x", "labels": [], "phones": "555-0100"}',
     "field 'phones': expected a list, got str"),
    ('{"id": "b", "text": "x", "labels": [], "urls": [3]}',
     "field 'urls': expected strings, got 3"),
    ('{"id": "b", "text": "x", "labels": [], "phones": ["555-0100"]}',
     "field 'phones': expected objects with 'raw' and 'e164' strings (as classify writes "
     "them), got '555-0100'"),
    ('{"id": "b", "text": "x", "labels": [], "phones": [{"raw": "555-0100"}]}',
     "field 'phones': expected objects with 'raw' and 'e164' strings (as classify writes "
     "them), got {'raw': '555-0100'}"),
    ('{"id": "b", "text": " ", "labels": []}', "field 'text': empty"),
    ('{"id": "ok", "text": "again", "labels": []}', "field 'id': duplicate id 'ok' in this file"),
    ("{not json", "invalid JSON"),
])
def test_rules_eval_reports_each_bad_record_and_measures_the_rest(
        tmp_path: Path, record: str, reason: str) -> None:
    path = _gold(tmp_path, GOOD, record, GOOD.replace('"ok"', '"ok2"'))
    result = CliRunner().invoke(main, ["rules", "eval", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    first, last = result.stderr.splitlines()
    assert first.startswith(f"rejected: {path}:2: {reason}")
    assert last == "1 record(s) rejected; the figures above leave them out"
    data = json.loads(result.stdout)
    thanks = next(s for s in data["scores"] if s["name"] == "thanks")
    assert data["records"] == 2 and thanks["tp"] == 2


def test_rules_eval_every_bad_record_is_reported_in_one_run(tmp_path: Path) -> None:
    path = _gold(tmp_path, "{", GOOD, '{"id": 2, "text": "x", "labels": ["thank"]}', "[1]")
    result = CliRunner().invoke(main, ["rules", "eval", str(path)])
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in result.stderr.splitlines()[:-1]] == [
        f"{path}:1", f"{path}:3", f"{path}:4"]
    assert "3 record(s) rejected" in result.stderr


def test_rules_eval_missing_file_is_found_before_any_work(tmp_path: Path) -> None:
    path = _gold(tmp_path, GOOD)
    result = CliRunner().invoke(main, ["rules", "eval", str(path), str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.jsonl'}: cannot open: " \
                                    "No such file or directory"
    assert result.stdout == ""


@pytest.mark.parametrize(("name", "kind"), [("seed.wxr.xml", "a WordPress export (WXR)"),
                                            ("seed.disqus.xml", "a Disqus export")])
def test_rules_eval_refuses_an_export_in_one_line(name: str, kind: str) -> None:
    export = SEED.parent / "exports" / name
    named = CliRunner().invoke(main, ["rules", "eval", str(export)])
    assert named.exit_code == 1 and named.stdout == ""
    assert named.stderr.splitlines() == [
        f"error: {export}: {kind}, but rules eval reads labelled JSONL (a record per line "
        "with its text, labels, urls, phones and emails)"]
    piped = CliRunner().invoke(main, ["rules", "eval", "-"], input=export.read_bytes())
    assert piped.exit_code == 1
    assert piped.stderr.startswith(f"error: standard input: {kind}, but")


def test_rules_eval_reads_jsonl_under_any_other_name(tmp_path: Path) -> None:
    gold = tmp_path / "gold.txt"
    gold.write_bytes(SEED.read_bytes())
    result = CliRunner().invoke(main, ["rules", "eval", str(gold), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["records"] == 46
