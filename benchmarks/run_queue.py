"""Queue benchmark: ingest speed, and list/next latency with a large queue in SQLite.

Ingests the benchmark corpus (generated if missing) into a fresh SQLite database until it
holds --items items, timing the ingest; then times, as library calls on the open
database, `queue list --limit 50` and fetching the next item, reporting medians.

    python benchmarks/run_queue.py --items 100000
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from moderation.formats import read_inputs
from moderation.pipeline import Pipeline
from moderation.store import queue as q
from moderation.store.db import open_database

HERE = Path(__file__).resolve().parent


def _median_ms(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpus = Path(tempfile.mkdtemp()) / "corpus.jsonl"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--count", str(args.items),
                    "--output", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    db_path = corpus.with_name("queue.db")
    db = open_database(str(db_path), create=True)
    pipeline = Pipeline.from_directory()
    start = time.perf_counter()
    summary = q.ingest(db, pipeline, read_inputs([str(corpus)]), lambda r: "bench", "bench",
                       batch_size=1000)
    ingest_s = time.perf_counter() - start
    list_ms = _median_ms(lambda: list(q.list_items(db, q.ItemFilter(status="pending"), 50)),
                         args.repeat)
    label_ms = _median_ms(lambda: list(q.list_items(db, q.ItemFilter(label="thanks"), 50)),
                          args.repeat)
    next_ms = _median_ms(lambda: q.next_item(db, "bench"), args.repeat)
    db.close()
    command = [sys.executable, "-m", "moderation", "--db", str(db_path), "queue", "list",
               "--limit", "50", "--format", "jsonl"]
    cli_ms = _median_ms(lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL),
                        5)
    result = {
        "items": summary.queued,
        "ingest_seconds": round(ingest_s, 2),
        "ingest_comments_per_second": round(summary.queued / ingest_s),
        "list_limit_50_median_ms": round(list_ms, 2),
        "list_label_limit_50_median_ms": round(label_ms, 2),
        "next_item_median_ms": round(next_ms, 2),
        "cli_queue_list_process_median_ms": round(cli_ms, 1),
        "database_mb": round(db_path.stat().st_size / 1e6, 1),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:32s} {value}")


if __name__ == "__main__":
    main()
