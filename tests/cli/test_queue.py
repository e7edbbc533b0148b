"""`moderation ingest`, `queue` and `db` through click's runner, with parsed JSON."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from moderation.cli import main

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed_comments.jsonl"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "q.db")
    runner = CliRunner()

    def invoke(*args: str, actor: str = "ann", input: str | None = None):
        return runner.invoke(main, ["--db", db, "--as", actor, *args], input=input)

    return invoke


@pytest.fixture
def seeded(run):
    result = run("ingest", str(SEED))
    assert result.exit_code == 0, result.output
    return run


def _items(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_prints_counts_and_is_idempotent(run) -> None:
    first = run("ingest", str(SEED))
    assert first.stdout.strip() == "read 46, queued 46, already queued 0, rejected 0"
    again = run("ingest", str(SEED))
    assert again.stdout.strip() == "read 46, queued 0, already queued 46, rejected 0"


def test_ingest_rejects_are_written_with_reasons(run, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1, "text": "Thanks!"}\n{"id": 2}\nnope\n')
    result = run("ingest", str(path), "--rejects", "bad.jsonl")
    assert result.exit_code == 1
    assert result.stdout.strip() == "read 3, queued 1, already queued 0, rejected 2"
    rejects = [json.loads(line) for line in (tmp_path / "bad.jsonl").read_text().splitlines()]
    assert [(r["line"], r["reason"][:12]) for r in rejects] == [
        (2, "field 'text'"), (3, "invalid JSON")]


def test_list_json_has_the_contract_fields_in_priority_order(seeded) -> None:
    items = _items(seeded("queue", "list", "--format", "json"))
    assert len(items) == 46  # no --limit: every matching item
    assert {"id", "comment_id", "status", "labels", "reply_template"} <= set(items[0])
    assert items[0]["labels"] == ["personal_medical_question"]
    assert [i["priority"] for i in items] == sorted(i["priority"] for i in items)


def test_list_filters_and_limit(seeded) -> None:
    thanks = _items(seeded("queue", "list", "--label", "thanks", "--format", "json"))
    assert len(thanks) == 15 and all("thanks" in i["labels"] for i in thanks)
    lines = seeded("queue", "list", "--limit", "3", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 3
    assert _items(seeded("queue", "list", "--post", "nowhere", "--format", "json")) == []


def test_a_label_or_flag_nowhere_in_the_queue_is_pointed_out(seeded) -> None:
    typo = seeded("queue", "list", "--label", "thank", "--format", "json")
    assert _items(typo) == []  # the output stays valid JSON; the hint goes to stderr
    assert typo.stderr.strip() == (
        "no item in the queue has the label 'thank' (labels here: condolence, "
        "expert_question, personal_medical_question, thanks)")
    flag = seeded("queue", "list", "--flag", "phone")
    assert flag.stdout.strip() == "no matching items"
    assert flag.stderr.startswith("no item in the queue has the flag 'phone' (flags here: ")
    bulk = seeded("queue", "approve", "--all", "--label", "thank", "--yes")
    assert bulk.exit_code == 0 and bulk.stdout.strip() == "no pending items match"
    assert "no item in the queue has the label 'thank'" in bulk.stderr
    # A label that is there but matches nothing with the other filters needs no hint.
    quiet = seeded("queue", "list", "--label", "thanks", "--status", "rejected")
    assert quiet.stdout.strip() == "no matching items" and quiet.stderr == ""


def test_approve_reject_undo_history_export_stats(seeded) -> None:
    items = _items(seeded("queue", "list", "--label", "thanks", "--format", "json"))
    a, b = items[0]["id"], items[1]["id"]
    assert seeded("queue", "approve", str(a)).stdout.strip() == f"approved #{a}"
    again = seeded("queue", "approve", str(a))
    assert again.exit_code == 1 and "is already approved" in again.stderr
    assert seeded("queue", "reject", str(b), "--reason", "spam").exit_code == 0
    assert seeded("queue", "undo").stdout.strip() == f"undone: #{b} is pending again"
    history = _items(seeded("queue", "history", str(b), "--format", "json"))
    assert [e["event"] for e in history] == ["enqueued", "rejected", "undone"]
    exported = [json.loads(x) for x in seeded("queue", "export").stdout.splitlines()]
    assert [(e["status"], e["moderator"]) for e in exported] == [("approved", "ann")]
    assert set(exported[0]) >= {"comment_id", "status", "reply", "template", "moderator",
                                "decided_at"}
    stats = json.loads(seeded("queue", "stats", "--format", "json").stdout)
    assert stats["by_status"] == {"pending": 45, "approved": 1, "rejected": 0}
    assert stats["by_label"]["thanks"] == 15


def test_show_json_and_table(seeded) -> None:
    first = _items(seeded("queue", "list", "--format", "json"))[0]
    shown = json.loads(seeded("queue", "show", str(first["id"]), "--format", "json").stdout)
    assert shown["comment_id"] == first["comment_id"]
    assert shown["evidence"] and shown["history"][0]["event"] == "enqueued"
    table = seeded("queue", "show", str(first["id"]))
    assert table.exit_code == 0 and "suggested reply" in table.stdout


def test_show_quotes_every_part_of_the_evidence(seeded, tmp_path: Path) -> None:
    items = _items(seeded("queue", "list", "--label", "personal_medical_question",
                          "--format", "json", "--limit", "100"))
    item = next(i for i in items if i["text"].startswith("I would like to know if similar"))
    shown = seeded("queue", "show", str(item["id"])).stdout
    assert "PMQ001 “would like to know” · “trials”" in shown


def test_show_reads_evidence_queued_before_findings_had_parts(seeded, tmp_path: Path) -> None:
    import sqlite3

    item = _items(seeded("queue", "list", "--label", "thanks", "--format", "json"))[0]
    with sqlite3.connect(tmp_path / "q.db") as db:
        (verdict,) = db.execute("SELECT verdict FROM queue_item WHERE id = ?",
                                (item["id"],)).fetchone()
        old = json.loads(verdict)
        for ev in old["evidence"]:
            del ev["parts"]
        db.execute("UPDATE queue_item SET verdict = ? WHERE id = ?",
                   (json.dumps(old), item["id"]))
    shown = seeded("queue", "show", str(item["id"]))
    first = old["evidence"][0]
    assert shown.exit_code == 0, shown.output
    assert f"{first['rule']} “{first['text']}”" in shown.stdout


def test_edited_reply_and_other_template(seeded) -> None:
    items = _items(seeded("queue", "list", "--label", "thanks", "--format", "json"))
    edited = seeded("queue", "approve", str(items[0]["id"]), "--reply", "Many thanks!")
    assert edited.stdout.strip() == f"approved #{items[0]['id']} (edited)"
    other = seeded("queue", "approve", str(items[1]["id"]), "--template", "condolence")
    assert other.exit_code == 0
    shown = json.loads(seeded("queue", "show", str(items[1]["id"]), "--format",
                              "json").stdout)
    assert shown["final_template"] == "condolence"


def test_bulk_asks_before_acting(seeded) -> None:
    no = seeded("queue", "approve", "--label", "thanks", "--all", input="n\n")
    assert "approve 15 pending item(s)?" in no.stderr and "nothing done" in no.stderr
    yes = seeded("queue", "approve", "--label", "thanks", "--all", "--yes")
    assert yes.stdout.strip() == "approved 15 item(s)"
    rejected = seeded("queue", "reject", "--label", "condolence", "--all", "--yes",
                      "--reason", "later")
    assert rejected.stdout.strip().startswith("rejected ")


def test_pii_is_masked_unless_asked(run, tmp_path: Path) -> None:
    path = tmp_path / "pii.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "Call me at 917-386-0143, thanks!",
                                "author_email": "jane@example.com"}) + "\n")
    run("ingest", str(path))
    [masked] = _items(run("queue", "list", "--format", "json"))
    assert "386-0143" not in masked["text"] and masked["author_email"] == "j•••@example.com"
    [plain] = _items(run("queue", "list", "--format", "json", "--show-pii"))
    assert "917-386-0143" in plain["text"] and plain["author_email"] == "jane@example.com"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("queue", "show", "999"), "error: no queue item 999"),
        (("queue", "approve", "999"), "error: no queue item 999"),
        (("queue", "list", "--status", "bogus"),
         "error: unknown status 'bogus' (use one of: pending, approved, rejected)"),
        (("queue", "undo"), "error: nothing to undo: ann has no decision left"),
    ],
)
def test_bad_requests_are_one_line_exit_1(seeded, args, message: str) -> None:
    result = seeded(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message


def test_missing_database(run, tmp_path: Path) -> None:
    result = run("queue", "list")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"error: no database at {tmp_path / 'q.db'}: ingest "
                                     "comments first (moderation ingest FILE) or pass --db")


@pytest.mark.parametrize("args", [("queue", "list"), ("ingest", str(SEED)),
                                  ("db", "status"), ("db", "upgrade")])
def test_a_file_that_is_no_database_is_one_clear_line(run, tmp_path: Path, args) -> None:
    (tmp_path / "q.db").write_text("these are my notes, not a database\n" * 100)
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {tmp_path / 'q.db'} is not an SQLite database (pass --db with the "
        "queue's file, or a new path to start one)")
    assert (tmp_path / "q.db").read_text().startswith("these are my notes")  # untouched


def test_locked_database_is_one_clear_line(seeded, tmp_path: Path) -> None:
    blocker = sqlite3.connect(tmp_path / "q.db")
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        items_result = seeded("queue", "approve", "1")
    finally:
        blocker.rollback()
        blocker.close()
    assert items_result.exit_code == 1
    assert "locked by another process" in items_result.stderr
    assert "Traceback" not in items_result.output


def test_next_needs_a_terminal(seeded) -> None:
    result = seeded("queue", "next")
    assert result.exit_code == 2
    assert "needs a terminal" in result.stderr


def test_db_status(seeded) -> None:
    result = seeded("db", "status")
    assert result.exit_code == 0 and "up to date" in result.stdout


def test_db_status_does_not_create_a_database(run, tmp_path: Path) -> None:
    result = run("db", "status")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: no database at {tmp_path / 'q.db'}"
    assert not (tmp_path / "q.db").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url://", "error: not a database URL: 'not a url://'"),
        ("nosuchdriver://host/db",
         "error: cannot use database nosuchdriver://host/db: "
         "Can't load plugin: sqlalchemy.dialects:nosuchdriver"),
    ],
)
def test_malformed_database_url_is_one_line(url: str, message: str) -> None:
    result = CliRunner().invoke(main, ["--db", url, "queue", "list"])
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert result.exception is None or isinstance(result.exception, SystemExit)
