"""Time `moderation classify` against a TextBlob-sentiment baseline, side by side.

Each round runs, as separate processes on one core, the whole `moderation classify`
command (JSONL in, JSONL out to /dev/null) and the baseline script; rounds alternate
so that both see the same machine. Reports medians, comments per second and the ratio.

    python benchmarks/generate.py --count 20000
    python benchmarks/run_classify.py --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _timed(cmd: list[str]) -> float:
    env = dict(os.environ, NLTK_DATA="/nonexistent")
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "out" / "corpus.jsonl")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"{args.corpus} not found: run benchmarks/generate.py first")
    count = sum(1 for _ in args.corpus.open(encoding="utf-8"))
    pin = ["taskset", "-c", "0"] if _has_taskset() else []
    ours = pin + [sys.executable, "-m", "moderation", "classify", str(args.corpus),
                  "--output", os.devnull]
    base = pin + [sys.executable, str(HERE / "baseline_sentiment.py"), str(args.corpus)]
    times: dict[str, list[float]] = {"classify": [], "baseline": []}
    for _ in range(args.rounds):
        times["classify"].append(_timed(ours))
        times["baseline"].append(_timed(base))
    med = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "comments": count,
        "rounds": args.rounds,
        "median_seconds": {k: round(v, 3) for k, v in med.items()},
        "comments_per_second": {k: round(count / v) for k, v in med.items()},
        "speedup_vs_baseline": round(med["baseline"] / med["classify"], 2),
        "pinned_to_one_core": bool(pin),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{count} comments, {args.rounds} rounds, medians (process start included):")
        for name in ("classify", "baseline"):
            print(f"  {name:9s} {med[name]:7.2f} s  {count / med[name]:9,.0f} comments/s")
        print(f"  moderation classify is {result['speedup_vs_baseline']}x the "
              "TextBlob-sentiment baseline")


def _has_taskset() -> bool:
    from shutil import which

    return which("taskset") is not None


if __name__ == "__main__":
    main()
