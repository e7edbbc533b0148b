"""Classification cost on real comments next to the synthetic benchmark corpus.

    python benchmarks/run_real.py [FILE ...]

The benchmark corpus (`generate.py`) is long and dense in medical words, so it is a
heavy case. This times `Pipeline.classify` in process (no reading, writing or start-up)
on each file given: JSONL with a `text` or `message` field, or TSV with the text in the
first column. With no files it takes the synthetic corpus, the seed comments, the five
labelled dev sets, the blog comments and GoEmotions' training set from ../shared/data.
Best of 3 passes after a warm-up; microseconds per comment and per 100 characters.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from moderation.models import Comment  # noqa: E402
from moderation.pipeline import Pipeline  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DEFAULTS = [HERE / "out" / "corpus.jsonl", ROOT / "fixtures" / "seed_comments.jsonl",
            *sorted((DATA / "dev").glob("*.jsonl")),
            DATA / "raw" / "blog_comments" / "comments.jsonl",
            DATA / "raw" / "goemotions" / "train.tsv"]


def texts(path: Path) -> list[str]:
    """The comment texts of a JSONL or TSV file."""
    if path.suffix == ".tsv":
        with path.open(encoding="utf-8", newline="") as handle:
            return [row[0] for row in csv.reader(handle, delimiter="\t") if row and row[0]]
    out = []
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                record = orjson.loads(line)
                text = record.get("text") or record.get("message")
                if isinstance(text, str) and text.strip():
                    out.append(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pipeline = Pipeline.from_directory()
    print("| file | comments | mean characters | µs per comment | µs per 100 characters |")
    print("|---|---:|---:|---:|---:|")
    for path in args.files or [p for p in DEFAULTS if p.exists()]:
        comments = [Comment(id=str(i), text=t) for i, t in enumerate(texts(path))]
        if not comments:
            print(f"| {path.name} | 0 | | | |")
            continue
        for comment in comments[:500]:
            pipeline.classify(comment)
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            for comment in comments:
                pipeline.classify(comment)
            best = min(best, time.perf_counter() - start)
        per = best / len(comments) * 1e6
        chars = sum(len(c.text) for c in comments) / len(comments)
        print(f"| {path.name} | {len(comments):,} | {chars:,.0f} | {per:.1f} | "
              f"{per / chars * 100:.1f} |")


if __name__ == "__main__":
    main()
