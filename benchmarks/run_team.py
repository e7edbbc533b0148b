"""Team benchmark: decisions per second with 8 concurrent workers on PostgreSQL and
SQLite, and `queue next` latency on PostgreSQL with a large queue.

Starts its own PostgreSQL (initdb and pg_ctl on a temporary directory, as the tests do).

    python benchmarks/run_team.py --items 100000 --decisions 2000 --workers 8
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from moderation.formats import read_inputs  # noqa: E402
from moderation.formats.records import Located  # noqa: E402
from moderation.models import Comment  # noqa: E402
from moderation.pipeline import Pipeline  # noqa: E402
from moderation.store import queue as q  # noqa: E402
from moderation.store.db import open_database  # noqa: E402
from tests.pgserver import PostgresServer  # noqa: E402

WORKER = """
import sys
from moderation.store import queue as q
from moderation.store.db import open_database
db = open_database(sys.argv[1])
while (item := q.next_item(db, sys.argv[2])) is not None:
    q.approve(db, item.id, sys.argv[2], reply="ok", expected_version=item.version)
db.close()
"""


def _new_pg_database(server_url: str) -> str:
    import psycopg

    name = "b_" + uuid.uuid4().hex[:10]
    admin = server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server_url}/{name}"


def decisions_per_second(url: str, pipeline: Pipeline, items: int, workers: int) -> float:
    db = open_database(url, create=True)
    records = [Located("gen", i + 1, Comment(id=str(i), text=f"Thank you for this, {i}!"))
               for i in range(items)]
    q.ingest(db, pipeline, records, lambda r: "gen", "loader", batch_size=1000)
    db.close()
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, f"w{n}"])
             for n in range(workers)]
    for proc in procs:
        proc.wait()
    return items / (time.perf_counter() - start)


def next_latency_ms(url: str, pipeline: Pipeline, items: int, repeat: int) -> float:
    corpus = Path(tempfile.mkdtemp()) / "corpus.jsonl"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--count", str(items),
                    "--output", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    db = open_database(url, create=True)
    q.ingest(db, pipeline, read_inputs([str(corpus)]), lambda r: "bench", "loader",
             batch_size=2000)
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        q.next_item(db, f"moderator{i}")
        times.append((time.perf_counter() - start) * 1000)
    db.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--decisions", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    pipeline = Pipeline.from_directory()
    server = PostgresServer()
    base = server.start()
    try:
        result = {
            "postgresql_decisions_per_second": round(decisions_per_second(
                _new_pg_database(base), pipeline, args.decisions, args.workers)),
            "sqlite_decisions_per_second": round(decisions_per_second(
                f"sqlite:///{tempfile.mkdtemp()}/team.db", pipeline, args.decisions,
                args.workers)),
            "postgresql_next_median_ms": round(next_latency_ms(
                _new_pg_database(base), pipeline, args.items, args.repeat), 2),
            "items": args.items, "workers": args.workers,
        }
    finally:
        server.stop()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
