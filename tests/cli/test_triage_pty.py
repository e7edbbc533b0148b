"""`moderation queue next` in a real pseudo-terminal: approve, edit, reject, undo, quit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

from moderation.formats import read_inputs
from moderation.store import queue as q
from moderation.store.db import open_database

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed_comments.jsonl"


@pytest.fixture
def db_path(tmp_path: Path, pipeline) -> Path:
    path = tmp_path / "q.db"
    db = open_database(str(path), create=True)
    q.ingest(db, pipeline, read_inputs([str(SEED)]), lambda r: "seed", "loader")
    db.close()
    return path


def test_full_triage_session(db_path: Path, tmp_path: Path) -> None:
    env = dict(os.environ, TERM="dumb", COLUMNS="120", LINES="50", NLTK_DATA="/nonexistent",
               EDITOR="sed -i -e 's/Unfortunately/Sadly/'")
    child = pexpect.spawn(sys.executable, ["-m", "moderation", "--db", str(db_path), "--as",
                                           "ann", "queue", "next"],
                          env=env, cwd=str(tmp_path), encoding="utf-8", timeout=30)
    try:
        child.expect(r"#(\d+)  pending  personal_medical_question")
        first = int(child.match.group(1))
        child.expect(r"\[a\]pprove")
        child.send("?")
        child.expect("pick another template")
        child.send("a")
        child.expect(f"approved #{first}")

        child.expect(r"#(\d+)  pending")
        second = int(child.match.group(1))
        child.expect(r"\[a\]pprove")
        child.send("e")
        child.expect(f"approved #{second} with your edit")

        child.expect(r"#(\d+)  pending")
        third = int(child.match.group(1))
        child.expect(r"\[a\]pprove")
        child.send("r")
        child.expect("reason")
        child.sendline("asked twice")
        child.expect(f"rejected #{third}")

        child.expect(r"\[a\]pprove")
        child.send("u")
        child.expect(f"undone: #{third} is pending again")
        child.expect(rf"#{third}  pending")  # it comes back, most urgent first
        child.expect(r"\[a\]pprove")
        child.send("s")
        child.expect(f"skipped #{third}")
        child.expect(r"\[a\]pprove")
        child.send("q")
        child.expect("bye; decided 2")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0

    db = open_database(str(db_path))
    one, two, three = (q.get_item(db, i) for i in (first, second, third))
    assert (one.status, one.decided_by, one.edited) == ("approved", "ann", False)
    assert two.status == "approved" and two.edited and "Sadly" in two.final_reply
    assert three.status == "pending" and three.holder is None
    assert [e.event for e in q.history(db, third)] == [
        "enqueued", "held", "rejected", "undone", "held", "released"]
    held = [i.id for i in q.list_items(db) if i.holder]
    assert held == []  # quitting released what was on screen
    db.close()
