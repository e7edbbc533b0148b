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

from moderation.formats.records import Located, Record, Rejected
from moderation.models import Comment, Verdict
from moderation.pipeline import Pipeline

BATCH = 256
_pipeline: Pipeline | None = None


def _start(rules_dir: str | None, region: str | None, disabled: tuple[str, ...]) -> None:
    global _pipeline
    _pipeline = Pipeline.from_directory(rules_dir, region, disabled)


def _classify(batch: list[Comment]) -> list[Verdict]:
    assert _pipeline is not None
    return [_pipeline.classify(comment) for comment in batch]


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


def classify_in_parallel(records: Iterable[Record], workers: int, rules_dir: str | None = None,
                         region: str | None = None, disabled: tuple[str, ...] = (),
                         batch_size: int = BATCH) -> Iterator[tuple[Record, Verdict | None]]:
    """Each record with its verdict (None for a rejected record), in input order."""
    context = multiprocessing.get_context("fork" if "fork" in
                                          multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(workers, initializer=_start,
                      initargs=(rules_dir, region, disabled)) as pool:
        pending: list[tuple[list[Record], Any]] = []
        for batch in _batches(records, batch_size):
            comments = [r.comment for r in batch if isinstance(r, Located)]
            pending.append((batch, pool.apply_async(_classify, (comments,))))
            if len(pending) >= workers * 3:  # keep a few batches in flight, no more
                yield from _drain(pending.pop(0))
        while pending:
            yield from _drain(pending.pop(0))


def _drain(item: tuple[list[Record], Any]) -> Iterator[tuple[Record, Verdict | None]]:
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
    yield from classify_in_parallel(records, workers, rules_dir, region, disabled)
