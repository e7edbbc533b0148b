"""What a comment costs outside the rule evaluator: the floor a faster evaluator leaves.

    python benchmarks/run_floor.py [--corpus benchmarks/out/corpus.jsonl] [--limit 5000]

`moderation classify` at 20,000 comments/s end to end means 50 µs a comment, start-up
included. This measures, per comment, the parts that would stay in Python (or in a
Python library) however fast the rules were evaluated: start-up shared over the
corpus, reading a JSONL line into a Comment, writing its verdict, the rules' regular
expressions (Python's `re`, every pattern condition at every depth), phone numbers
(`phonenumbers`) and links. With the `pcre2` package installed (not a dependency), it
also times the same patterns with PCRE2's JIT on the same sentences and checks that the
matches are the same. Best of --repeat runs for each part.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from moderation.extract.phones import find_phones  # noqa: E402
from moderation.formats.jsonl import parse_line  # noqa: E402
from moderation.formats.records import Located  # noqa: E402
from moderation.pipeline import Pipeline  # noqa: E402
from moderation.ruleset.compiled import Cond  # noqa: E402
from moderation.stages.extraction import ExtractionStage  # noqa: E402


def best(func: Any, count: int, repeat: int) -> float:
    """Microseconds per item, best of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times) / count * 1e6


def startup_seconds(repeat: int) -> float:
    """A whole `moderation classify` process on empty input."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "moderation", "classify", "-"], input=b"",
                       capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def pattern_conditions(pipeline: Pipeline) -> list[Cond]:
    """Every pattern condition of every rule, at any depth."""
    found: dict[int, Cond] = {}

    def walk(cond: Cond) -> None:
        if id(cond) in found:
            return
        found[id(cond)] = cond
        for cell in cond.evaluate.__closure__ or ():
            value = cell.cell_contents
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, Cond):
                    walk(child)

    for stage in pipeline.stages:
        for rule in getattr(stage, "rules", []):
            for cond in rule.all + rule.any + rule.none + rule.unless:
                walk(cond)
    return [c for c in found.values() if c.kind == "pattern"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(HERE / "out" / "corpus.jsonl"))
    parser.add_argument("--limit", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    path = Path(args.corpus)
    with path.open("rb") as handle:
        corpus_size = sum(1 for _ in handle)
    with path.open("rb") as handle:
        raw = [line for _, line in zip(range(args.limit), handle, strict=False)]
    n = len(raw)
    pipeline = Pipeline.from_directory()
    records = [parse_line(line, "corpus", i + 1) for i, line in enumerate(raw)]
    comments = [r.comment for r in records if isinstance(r, Located)]
    verdicts = [pipeline.classify(c) for c in comments]
    import orjson

    parts: dict[str, float] = {}
    start_up = startup_seconds(args.repeat)
    parts[f"start-up ({start_up:.2f} s over {corpus_size:,} comments)"] = \
        start_up / corpus_size * 1e6
    parts["reading a line into a Comment"] = best(
        lambda: [parse_line(line, "corpus", i + 2) for i, line in enumerate(raw)], n,
        args.repeat)
    parts["writing the verdict (to_record, orjson)"] = best(
        lambda: [orjson.dumps(v.to_record()) + b"\n" for v in verdicts], n, args.repeat)

    # Time spent inside pattern conditions while the whole pipeline runs.
    conds = pattern_conditions(pipeline)
    sources = sorted({m.pattern for c in conds for m in _matchers(c)})
    spent = [0]
    for cond in conds:
        inner = cond.evaluate

        def timed(doc: Any, s: int, e: int, inner: Any = inner) -> Any:
            t0 = time.perf_counter_ns()
            out = inner(doc, s, e)
            spent[0] += time.perf_counter_ns() - t0
            return out

        cond.evaluate = timed
    patterns = []
    for _ in range(args.repeat):
        spent[0] = 0
        for c in comments:
            pipeline.classify(c)
        patterns.append(spent[0] / n / 1000)
    parts["rule patterns (Python re, every depth)"] = min(patterns)

    extraction = next(s for s in pipeline.stages if isinstance(s, ExtractionStage))
    texts = [c.text for c in comments]
    parts["phone numbers (phonenumbers on candidates)"] = best(
        lambda: [list(find_phones(t, "US", extraction._min_digits, [])) for t in texts], n,
        args.repeat)
    parts["links"] = best(lambda: [list(extraction._urls.find(t)) for t in texts], n,
                          args.repeat)

    total = sum(parts.values())
    print("| part | µs per comment |\n|---|---:|")
    for name, value in parts.items():
        print(f"| {name} | {value:.1f} |")
    print(f"| **sum** | **{total:.1f}** (the budget at 20,000 /s is 50.0) |")
    compare_pcre2(pipeline, sources, comments, args.repeat)


def compare_pcre2(pipeline: Pipeline, sources: list[str], comments: list[Any],
                  repeat: int) -> None:
    """The rules' patterns with Python's re and with PCRE2's JIT, on the same sentences."""
    try:
        import pcre2  # type: ignore[import-not-found]
    except ImportError:
        print("\npcre2 is not installed: `pip install pcre2` to compare it with re")
        return
    docs = [pipeline.doc(c.text) for c in comments]
    pieces = [d.norm[s:e] for d in docs for s, e in d.sentences]
    ours = [re.compile(p) for p in sources]
    theirs = [pcre2.compile(p) for p in sources]
    calls = len(pieces) * len(sources)
    t_re = best(lambda: [p.search(x) for p in ours for x in pieces], calls, repeat)
    t_pcre = best(lambda: [p.search(x) for p in theirs for x in pieces], calls, repeat)
    same = all([m.span() for m in a.finditer(x)] == [m.span() for m in b.finditer(x)]
               for a, b in zip(ours, theirs, strict=True) for x in pieces)
    print(f"\n{len(sources)} patterns over {len(pieces):,} sentences: re {t_re:.2f} µs a "
          f"search, pcre2 (JIT) {t_pcre:.2f} µs; the same matches: {same}")


def _matchers(cond: Cond) -> list[Any]:
    return [cell.cell_contents for cell in cond.evaluate.__closure__ or ()
            if hasattr(cell.cell_contents, "risky")]


if __name__ == "__main__":
    main()
