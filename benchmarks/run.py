"""The benchmark harness: every speed and memory figure of the project, in one run.

    python benchmarks/run.py                 # 20k-comment corpus, memory up to 1M comments
    python benchmarks/run.py --quick         # smaller corpora, for a first look

Reports, on the synthetic corpus of benchmarks/generate.py:
- `moderation classify` end to end (JSONL in, JSONL out), whole processes pinned to one
  core, median of --rounds, as comments per second;
- in the same run, the baselines: per-comment `TextBlob(text).sentiment`, and
  `phonenumbers.PhoneNumberMatcher` alone;
- the cost of each stage per comment (in process);
- peak memory of `moderation classify` at 10k, 100k and 1M comments;
- `--workers 2` against one worker (both cores), median of --rounds;
- `moderation ingest` into a fresh SQLite file, one and two workers, median of --rounds.
Prints the targets with their figures as Markdown (as in BENCHMARKS.md), then every
figure as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
PIN = ["taskset", "-c", "0"] if shutil.which("taskset") else []


def corpus(count: int, folder: Path) -> Path:
    path = folder / f"corpus-{count}.jsonl"
    if not path.exists():
        subprocess.run([PY, str(HERE / "generate.py"), "--count", str(count), "--output",
                        str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of a command."""
    full = ["/usr/bin/time", "-f", "%e %M", *cmd]
    result = subprocess.run(full, capture_output=True, text=True,
                            env=dict(os.environ, NLTK_DATA="/nonexistent"))
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr)
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024


def classify_cmd(path: Path, *extra: str) -> list[str]:
    return [PY, "-m", "moderation", "classify", str(path), "--output", os.devnull, *extra]


BASELINE_SENTIMENT = """
import json, sys
from textblob import TextBlob
for line in open(sys.argv[1], encoding="utf-8"):
    TextBlob(json.loads(line)["text"]).sentiment
"""
BASELINE_PHONES = """
import json, sys
import phonenumbers
for line in open(sys.argv[1], encoding="utf-8"):
    list(phonenumbers.PhoneNumberMatcher(json.loads(line)["text"], "US"))
"""


def stage_costs(path: Path, limit: int = 5000) -> dict[str, float]:
    """Microseconds per comment spent in each part of the pipeline (in process)."""
    sys.path.insert(0, str(HERE.parent))
    from moderation.models import Comment
    from moderation.pipeline import Pipeline
    from moderation.verdict import decide

    pipeline = Pipeline.from_directory()
    with path.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for _, line in zip(range(limit), handle,
                                                             strict=False)]
    comments = [Comment(id=str(i), text=t) for i, t in enumerate(texts)]
    costs: dict[str, float] = {}

    def clock(name: str, func) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        func()
        costs[name] = round((time.perf_counter() - start) / len(comments) * 1e6, 1)

    clock("term scan (Doc)", lambda: [pipeline.doc(c.text) for c in comments])
    docs = [pipeline.doc(c.text) for c in comments]
    clock("sentences", lambda: [d.sentences for d in docs])
    outputs: dict[int, list] = {}
    for stage in pipeline.stages:
        docs = [pipeline.doc(c.text) for c in comments]
        start = time.perf_counter()
        outputs[id(stage)] = [stage.run(d, c, "US")
                              for d, c in zip(docs, comments, strict=True)]
        costs[f"stage {stage.name}"] = round((time.perf_counter() - start) / len(comments)
                                             * 1e6, 1)
    findings = [[f for stage in pipeline.stages for f in outputs[id(stage)][i].findings]
                for i in range(len(comments))]
    extraction = outputs[id(pipeline.stages[0])]
    clock("verdict and reply", lambda: [
        decide(c, findings[i], extraction[i].entities, extraction[i].flags,
               pipeline.ruleset.labels, pipeline.replies, "") for i, c in enumerate(comments)])
    clock("whole pipeline", lambda: [pipeline.classify(c) for c in comments])
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-sizes", default="10000,100000,1000000")
    parser.add_argument("--quick", action="store_true", help="5k corpus, memory to 100k")
    args = parser.parse_args()
    if args.quick:
        args.count, args.rounds, args.memory_sizes = 5000, 1, "10000,100000"
    folder = Path(tempfile.mkdtemp(prefix="moderation-bench-"))
    main_corpus = corpus(args.count, folder)
    results: dict[str, object] = {"comments": args.count, "rounds": args.rounds}

    rounds: dict[str, list[float]] = {"classify": [], "sentiment": [], "phones": []}
    for _ in range(args.rounds):
        rounds["classify"].append(timed(PIN + classify_cmd(main_corpus))[0])
        rounds["sentiment"].append(timed(PIN + [PY, "-c", BASELINE_SENTIMENT,
                                                str(main_corpus)])[0])
        rounds["phones"].append(timed(PIN + [PY, "-c", BASELINE_PHONES, str(main_corpus)])[0])
    rate = {k: round(args.count / statistics.median(v)) for k, v in rounds.items()}
    results["comments_per_second_one_core"] = rate
    results["ratio_vs_sentiment"] = round(rate["classify"] / rate["sentiment"], 2)
    results["ratio_vs_phonenumbers"] = round(rate["classify"] / rate["phones"], 2)

    # Workers and ingest on a corpus large enough that process start-up (about half a
    # second, once per worker) does not decide the result.
    scale_count = args.count * 5
    scale_corpus = corpus(scale_count, folder)
    spans: dict[str, list[float]] = {"one": [], "two": []}
    for _ in range(args.rounds):  # alternating, so both see the same machine
        spans["one"].append(timed(classify_cmd(scale_corpus))[0])
        spans["two"].append(timed(classify_cmd(scale_corpus, "--workers", "2"))[0])
    one, two = statistics.median(spans["one"]), statistics.median(spans["two"])
    results["workers"] = {"comments": scale_count,
                          "one_worker_per_second": round(scale_count / one),
                          "two_workers_per_second": round(scale_count / two),
                          "speedup": round(one / two, 2)}

    memory = {}
    for size in (int(s) for s in args.memory_sizes.split(",")):
        seconds, peak = timed(classify_cmd(corpus(size, folder)))
        memory[str(size)] = {"peak_mb": round(peak, 1), "seconds": seconds}
    results["peak_memory"] = memory

    ingest: dict[str, object] = {"comments": scale_count}
    loads: dict[int, list[float]] = {1: [], 2: []}
    for round_no in range(args.rounds):
        for workers in (1, 2):
            db = folder / f"ingest-{workers}-{round_no}.db"  # a fresh file every time
            loads[workers].append(timed([PY, "-m", "moderation", "--db", str(db), "ingest",
                                         str(scale_corpus), "--workers", str(workers)])[0])
            for leftover in folder.glob(f"{db.name}*"):
                leftover.unlink()
    for workers, seconds in loads.items():
        ingest[f"{workers}_worker"] = round(scale_count / statistics.median(seconds))
    results["ingest_sqlite_per_second"] = ingest
    results["stage_costs_us_per_comment"] = stage_costs(main_corpus)
    results["machine"] = {"python": platform.python_version(), "cores": os.cpu_count(),
                          "processor": platform.processor() or platform.machine()}
    print(report(results))
    print(json.dumps(results, indent=2))
    shutil.rmtree(folder, ignore_errors=True)


def report(results: dict) -> str:  # type: ignore[type-arg]
    """The targets of the speed issue with the measured figures, as a Markdown table."""
    rate, workers = results["comments_per_second_one_core"], results["workers"]
    memory, ingest = results["peak_memory"], results["ingest_sqlite_per_second"]
    peaks = [m["peak_mb"] for m in memory.values()]
    rows = [
        ("`moderation classify` >= 20,000 comments/s on one core",
         f"{rate['classify']:,} /s", rate["classify"] >= 20_000),
        (">= 5x the per-comment TextBlob sentiment baseline",
         f"{results['ratio_vs_sentiment']}x (baseline {rate['sentiment']:,} /s)",
         results["ratio_vs_sentiment"] >= 5),
        ("peak memory under 150 MB, flat from 10k to 1M",
         ", ".join(f"{m['peak_mb']} MB ({n})" for n, m in memory.items()), max(peaks) < 150),
        ("`--workers 2` >= 1.8x one worker", f"{workers['speedup']}x", workers["speedup"] >= 1.8),
        ("`moderation ingest` into SQLite >= 5,000 comments/s",
         f"{ingest['1_worker']:,} /s (two workers: {ingest['2_worker']:,} /s)",
         ingest["1_worker"] >= 5000),
    ]
    lines = ["| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {'yes' if ok else 'no'} |" for t, m, ok in rows]
    costs = results["stage_costs_us_per_comment"]
    lines += ["", "| part | µs per comment |", "|---|---:|"]
    lines += [f"| {part} | {us} |" for part, us in costs.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
