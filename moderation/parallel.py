"""Classification on several cores: batches of comments to worker processes, in order.

The main process reads the input (and reports rejected records as it meets them); each
worker builds the pipeline once and classifies whole batches; verdicts come back in
input order, a few batches ahead at most, so memory stays flat.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import orjson

from moderation.formats.records import Located, Record, Rejected
from moderation.models import Comment, Verdict
from moderation.pipeline import Pipeline

BATCH = 256
_pipeline: Pipeline | None = None
# A pipeline the parent process already built, by its settings: forked workers find it
# here and start at once instead of loading the rules again.
_inherited: dict[tuple[Any, ...], Pipeline] = {}


def _start(rules_dir: str | None, region: str | None, disabled: tuple[str, ...]) -> None:
    global _pipeline
    _pipeline = _inherited.get((rules_dir, region, tuple(disabled))) or \
        Pipeline.from_directory(rules_dir, region, disabled)


def _pool(workers: int, rules_dir: str | None, region: str | None, disabled: tuple[str, ...],
          pipeline: Pipeline | None) -> Any:
    """A pool of workers, each with the pipeline (forked from this process where the
    platform allows, so that `pipeline` is shared rather than built again)."""
    if pipeline is not None:
        _inherited[(rules_dir, region, tuple(disabled))] = pipeline
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    return context.Pool(workers, initializer=_start, initargs=(rules_dir, region, disabled))


def _classify(batch: list[Comment], as_jsonl: bool = False) -> list[Any]:
    assert _pipeline is not None
    if as_jsonl:  # the output line itself: far cheaper to send back than a Verdict
        return [orjson.dumps(_pipeline.classify(c).to_record()) + b"\n" for c in batch]
    return [_pipeline.classify(comment) for comment in batch]


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


def classify_in_parallel(records: Iterable[Record], workers: int, rules_dir: str | None = None,
                         region: str | None = None, disabled: tuple[str, ...] = (),
                         batch_size: int = BATCH, as_jsonl: bool = False,
                         pipeline: Pipeline | None = None) -> Iterator[tuple[Record, Any]]:
    """Each record with its verdict (None for a rejected record), in input order; with
    `as_jsonl`, the verdict's JSONL output line (bytes) instead of the Verdict."""
    with _pool(workers, rules_dir, region, disabled, pipeline) as pool:
        pending: list[tuple[list[Record], Any]] = []
        for batch in _batches(records, batch_size):
            comments = [r.comment for r in batch if isinstance(r, Located)]
            pending.append((batch, pool.apply_async(_classify, (comments, as_jsonl))))
            if len(pending) >= workers * 3:  # keep a few batches in flight, no more
                yield from _drain(pending.pop(0))
        while pending:
            yield from _drain(pending.pop(0))


def _drain(item: tuple[list[Record], Any]) -> Iterator[tuple[Record, Any]]:
    batch, result = item
    verdicts = iter(result.get())
    for record in batch:
        yield record, (None if isinstance(record, Rejected) else next(verdicts))


def verdict_stream(pipeline: Pipeline, records: Iterable[Record], workers: int = 1,
                   rules_dir: str | None = None, region: str | None = None,
                   disabled: tuple[str, ...] = (), exhaustive: bool = False,
                   ) -> Iterator[tuple[Record, Verdict | None]]:
    """Records with their verdicts, classified here or, with workers > 1, on other cores."""
    if workers <= 1 or exhaustive:
        for record in records:
            verdict = (pipeline.classify(record.comment, exhaustive)
                       if isinstance(record, Located) else None)
            yield record, verdict
        return
    yield from classify_in_parallel(records, workers, rules_dir, region, disabled,
                                    pipeline=pipeline)


# --- the fast path for JSONL in, JSONL out ---------------------------------------------


def _classify_lines(batch: list[tuple[str, int, bytes]]) -> list[tuple[Any, ...]]:
    """Parse, check and classify raw JSONL lines; only small tuples travel back."""
    from moderation.formats import text_problem
    from moderation.formats.jsonl import parse_line

    assert _pipeline is not None
    out: list[tuple[Any, ...]] = []
    for source, number, raw in batch:
        record = parse_line(raw, source, number)
        if isinstance(record, Rejected):
            out.append((False, record.reason, record.raw))
            continue
        problem = text_problem(record.comment.text)
        if problem:
            out.append((False, problem, None))
            continue
        verdict = _pipeline.classify(record.comment)
        out.append((True, record.comment.id, orjson.dumps(verdict.to_record()) + b"\n"))
    return out


def classify_jsonl_files(paths: Iterable[str], workers: int, on_line: Any, on_rejected: Any,
                         rules_dir: str | None = None, region: str | None = None,
                         disabled: tuple[str, ...] = (), batch_size: int = BATCH,
                         on_bytes: Any = None,
                         pipeline: Pipeline | None = None) -> tuple[int, int, int]:
    """JSONL files classified on `workers` cores, the workers parsing the lines too (the
    main process only reads, checks duplicate ids and writes); returns read, classified
    and rejected counts. Output and rejections come in input order."""
    import sys

    from moderation.formats import duplicate_reason
    from moderation.formats.idset import IdSet

    read = classified = rejected = 0
    with _pool(workers, rules_dir, region, disabled, pipeline) as pool:
        for path in paths:
            source = "<stdin>" if path == "-" else path
            stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
            seen = IdSet()
            pending: list[tuple[list[tuple[str, int, bytes]], Any]] = []

            def drain(pending: list[Any] = pending, seen: IdSet = seen) -> None:
                nonlocal read, classified, rejected
                lines, result = pending.pop(0)
                for (src, number, _), answer in zip(lines, result.get(), strict=True):
                    read += 1
                    if answer[0] and seen.add(answer[1]):
                        on_line(answer[2])
                        classified += 1
                    else:
                        reason = answer[1] if not answer[0] else duplicate_reason(answer[1])
                        on_rejected(Rejected(src, number, reason,
                                             answer[2] if not answer[0] else None))
                        rejected += 1

            try:
                batch: list[tuple[str, int, bytes]] = []
                for number, raw in enumerate(stream, start=1):
                    if on_bytes:
                        on_bytes(len(raw))
                    if not raw.strip():
                        continue
                    batch.append((source, number, raw))
                    if len(batch) >= batch_size:
                        pending.append((batch, pool.apply_async(_classify_lines, (batch,))))
                        batch = []
                        if len(pending) >= workers * 3:
                            drain()
                if batch:
                    pending.append((batch, pool.apply_async(_classify_lines, (batch,))))
                while pending:
                    drain()
            finally:
                seen.close()
                if path != "-":
                    stream.close()
    return read, classified, rejected
