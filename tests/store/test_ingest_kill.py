"""A real `moderation ingest` killed with SIGKILL mid-run, then run again: each record once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

COUNT = 6000


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_kill_and_resume_queues_every_record_exactly_once(tmp_path: Path, workers: str) -> None:
    source = tmp_path / "comments.jsonl"
    with source.open("w") as out:
        for i in range(COUNT):
            out.write(json.dumps({"id": i, "text": f"Comment {i}: thank you for the great "
                                  "research, my mother has leukemia, is there a trial?"}) + "\n")
    db = tmp_path / "q.db"
    cmd = [sys.executable, "-m", "moderation", "--db", str(db), "ingest", str(source),
           "--batch-size", "100", "--workers", workers]
    env = dict(os.environ, NLTK_DATA="/nonexistent")
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if _count(db, "SELECT count(*) FROM queue_item") >= 300:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count(db, "SELECT count(*) FROM queue_item")
    assert 0 < partial < COUNT
    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f"read {COUNT}, queued {COUNT - partial}, already queued "
                                   f"{partial}, rejected 0")
    assert _count(db, "SELECT count(*) FROM queue_item") == COUNT
    assert _count(db, "SELECT count(DISTINCT comment_id) FROM queue_item") == COUNT
    assert _count(db, "SELECT count(*) FROM audit_event WHERE event = 'enqueued'") == COUNT
    assert _count(db, "SELECT count(DISTINCT item_id) FROM audit_event") == COUNT
