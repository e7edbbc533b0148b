"""A team on one queue: every command on PostgreSQL and SQLite, claims, stale decisions,
and eight processes deciding concurrently."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from moderation.cli import main
from moderation.errors import DecisionError
from moderation.formats import read_inputs
from moderation.formats.records import Located
from moderation.models import Comment
from moderation.store import queue as q
from moderation.store.db import current_revision, head_revision, make_engine, open_database
from moderation.store.db import upgrade as upgrade_schema

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed_comments.jsonl"


def _seeded(url: str, pipeline) -> q.Database:
    db = open_database(url, create=True)
    q.ingest(db, pipeline, read_inputs([str(SEED)]), lambda r: "seed", "loader")
    return db


def test_every_command_on_both_databases(db_url: str) -> None:
    runner = CliRunner()

    def run(*args: str, actor: str = "ann"):
        result = runner.invoke(main, ["--db", db_url, "--as", actor, *args])
        assert result.exit_code == 0, result.output
        return result

    assert run("ingest", str(SEED)).stdout.strip() == (
        "read 46, queued 46, already queued 0, rejected 0")
    assert "already queued 46" in run("ingest", str(SEED)).stdout
    items = json.loads(run("queue", "list", "--format", "json").stdout)
    assert len(items) == 46 and items[0]["labels"] == ["personal_medical_question"]
    first, second = items[0]["id"], items[1]["id"]
    run("queue", "approve", str(first))
    run("queue", "reject", str(second), "--reason", "duplicate")
    run("queue", "undo")
    history = json.loads(run("queue", "history", str(second), "--format", "json").stdout)
    assert [e["event"] for e in history] == ["enqueued", "rejected", "undone"]
    run("queue", "approve", "--label", "thanks", "--all", "--yes")
    exported = [json.loads(x) for x in run("queue", "export").stdout.splitlines()]
    assert len(exported) == 16
    stats = json.loads(run("queue", "stats", "--format", "json").stdout)
    assert stats["by_status"]["approved"] == 16
    assert "up to date" in run("db", "status").stdout
    assert "already at revision" in run("db", "upgrade").stdout


def test_ingest_stores_every_field_on_both_databases(db_url: str, pipeline) -> None:
    """Ingest hands rows to the driver as tuples; every value must read back as given."""
    db = open_database(db_url, create=True)
    dated = Comment(id="c1", text="I don't want to live anymore. Call 617-555-0134.",
                    post="p1", parent="c0", author="Ann Lee", author_email="ann@example.org",
                    created_at="2021-03-04T05:06:07.089+02:00", meta={"likes": 3})
    undated = Comment(id="c2", text="Thank you so much for this article!")
    before = q.now()
    summary = q.ingest(db, pipeline, [Located("f", 1, dated), Located("f", 2, undated)],
                       lambda r: "src", "loader")
    after = q.now()
    assert (summary.queued, summary.rejected) == (2, 0)
    first, second = sorted(q.list_items(db), key=lambda i: i.comment_id)
    assert (first.source, first.comment_id, first.post, first.parent, first.author,
            first.author_email, first.text) == (
        "src", "c1", "p1", "c0", "Ann Lee", "ann@example.org", dated.text)
    assert first.created_at == datetime(2021, 3, 4, 3, 6, 7, 89000)  # in UTC, naive
    assert first.labels == ("crisis",) and first.urgent is True and first.priority == 0
    assert first.verdict["phones"][0]["e164"] == "+16175550134"
    assert first.flags == ("commenter_phone",) and first.meta == {"likes": 3}
    assert (first.status, first.edited, first.version) == ("pending", False, 1)
    assert first.reply_template == "crisis" and "988" in (first.suggested_reply or "")
    assert first.ruleset_hash == pipeline.ruleset.hash
    assert second.created_at is None and second.labels == ("thanks",)
    assert second.urgent is False and second.meta == {}
    assert before <= second.enqueued_at <= after
    for item in (first, second):
        [event] = q.history(db, item.id)
        assert (event.event, event.actor, event.status_after) == ("enqueued", "loader",
                                                                  "pending")
        assert event.ruleset_hash == item.ruleset_hash and event.at == item.enqueued_at
    # Undated comments sort by when they were queued: after the dated one, same priority
    assert [i.comment_id for i in q.list_items(db, q.ItemFilter(label="thanks"))] == ["c2"]
    db.close()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [(q.ItemFilter(label="%"), 0), (q.ItemFilter(label="thank_"), 0),
     (q.ItemFilter(label="personal%question"), 0), (q.ItemFilter(flag="%"), 0),
     (q.ItemFilter(label="\\"), 0), (q.ItemFilter(label="thanks"), 15)],
)
def test_label_and_flag_filters_have_no_wildcards(db_url: str, pipeline, filters,
                                                  expected: int) -> None:
    # A bulk decision with `--label %` must touch nothing, not every labelled item.
    db = _seeded(db_url, pipeline)
    try:
        assert q.count_items(db, filters) == expected
        assert len(list(q.list_items(db, filters))) == expected
    finally:
        db.close()


def test_claims_are_exclusive_and_lapse(db_url: str, pipeline) -> None:
    db = _seeded(db_url, pipeline)
    ann = q.next_item(db, "ann", claim_seconds=600)
    bob = q.next_item(db, "bob", claim_seconds=600)
    assert ann and bob and ann.id != bob.id
    assert (ann.holder, bob.holder) == ("ann", "bob")
    listed = {i.id: i.holder for i in q.list_items(db, q.ItemFilter(status="pending"))}
    assert listed[ann.id] == "ann" and listed[bob.id] == "bob"
    with pytest.raises(DecisionError, match=f"item {ann.id} is held by ann"):
        q.approve(db, ann.id, "bob")
    # a claim that has lapsed returns the item to the pool
    short = q.next_item(db, "cy", claim_seconds=0)
    time.sleep(0.01)
    dee = q.next_item(db, "dee", claim_seconds=600)
    assert dee.id == short.id and dee.holder == "dee"
    db.close()


def test_stale_decisions_are_refused(db_url: str, pipeline) -> None:
    db = _seeded(db_url, pipeline)
    seen = next(q.list_items(db))
    q.next_item(db, "ann", claim_seconds=0)  # a claim changes the version
    time.sleep(0.01)
    with pytest.raises(DecisionError, match="changed since you saw it"):
        q.approve(db, seen.id, "bob", expected_version=seen.version)
    fresh = q.get_item(db, seen.id)
    done = q.approve(db, seen.id, "bob", expected_version=fresh.version)
    assert done.status == "approved" and done.decided_by == "bob"
    with pytest.raises(DecisionError, match="already approved"):
        q.approve(db, seen.id, "ann", expected_version=fresh.version)
    db.close()


def test_migrations_run_on_postgresql(pg_url: str) -> None:
    engine = make_engine(pg_url)
    upgrade_schema(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO queue_item (source, comment_id, text, enqueued_at, sort_at, labels, "
            "flags, urgent, priority, verdict, ruleset_hash, status, edited) VALUES ('s', 'c', "
            "'hi', now(), now(), ',', ',', false, 5, '{}', 'h', 'pending', false)"))
    with pytest.raises(Exception, match="run `moderation db upgrade`"):
        open_database(pg_url)
    assert upgrade_schema(engine) == ("0001", head_revision())
    assert current_revision(engine) == head_revision()
    engine.dispose()
    db = open_database(pg_url)
    [item] = list(q.list_items(db))
    assert (item.comment_id, item.version, item.held_until) == ("c", 1, None)
    db.close()


WORKER = """
import sys, time
from moderation.store import queue as q
from moderation.store.db import open_database
from moderation.errors import DecisionError
url, actor = sys.argv[1], sys.argv[2]
db = open_database(url)
decided = []
while True:
    item = q.next_item(db, actor, claim_seconds=300)
    if item is None:
        break
    try:
        if item.id % 3:
            q.approve(db, item.id, actor, reply=f"ok {item.id}", expected_version=item.version)
        else:
            q.reject(db, item.id, actor, "no", expected_version=item.version)
    except DecisionError as exc:
        print("REFUSED", item.id, exc, file=sys.stderr)
        continue
    decided.append(item.id)
db.close()
print(" ".join(map(str, decided)))
"""


@pytest.mark.parametrize("items", [2000])
def test_eight_processes_decide_every_item_exactly_once(db_url: str, pipeline,
                                                          items: int) -> None:
    db = open_database(db_url, create=True)
    records = [Located("gen", i + 1, Comment(id=str(i), text=f"Comment {i}: thank you!"))
               for i in range(items)]
    q.ingest(db, pipeline, records, lambda r: "gen", "loader", batch_size=500)
    db.close()
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, db_url, f"w{n}"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for n in range(8)]
    outputs = []
    for proc in workers:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        outputs.append([int(x) for x in out.split()])
    decided = [i for out in outputs for i in out]
    assert len(decided) == items and len(set(decided)) == items  # each exactly once
    assert sum(1 for out in outputs if out) >= 2  # the work was really shared
    db = open_database(db_url)
    with db.begin() as conn:
        rows = conn.execute(text(
            "SELECT status, count(*) FROM queue_item GROUP BY status")).all()
        per_item = conn.execute(text(
            "SELECT item_id, count(*) FROM audit_event WHERE event IN "
            "('approved', 'edited', 'rejected') GROUP BY item_id")).all()
        held = conn.execute(text(
            "SELECT count(*) FROM queue_item WHERE holder IS NOT NULL")).scalar()
    db.close()
    # item ids run 1..items in a fresh database; the workers reject every third
    assert dict(rows) == {"approved": items - items // 3, "rejected": items // 3}
    assert len(per_item) == items and all(count == 1 for _, count in per_item)
    assert held == 0
