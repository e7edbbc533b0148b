"""Batch classification: a stream of records in, verdicts and rejections out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from moderation.formats.records import Located, Record, Rejected
from moderation.models import Comment, Verdict
from moderation.parallel import verdict_stream
from moderation.pipeline import Pipeline


@dataclass
class Summary:
    """How many records were read, classified and rejected."""

    read: int = 0
    classified: int = 0
    rejected: int = 0


def classify_records(pipeline: Pipeline, records: Iterable[Record],
                     on_verdict: Callable[[Comment, Verdict], None],
                     on_rejected: Callable[[Rejected], None],
                     exhaustive: bool = False, workers: int = 1,
                     rules_dir: str | None = None, region: str | None = None,
                     disabled: tuple[str, ...] = (),
                     on_line: Callable[[bytes], None] | None = None) -> Summary:
    """Classify each record as it arrives, on `workers` cores, in input order; memory
    does not grow with the input. With `on_line` and several workers, the workers make
    the JSONL output lines themselves and `on_line` receives them."""
    summary = Summary()
    if on_line is not None and workers > 1 and not exhaustive:
        from moderation.parallel import classify_in_parallel

        for record, line in classify_in_parallel(records, workers, rules_dir, region,
                                                 disabled, shape="jsonl", pipeline=pipeline):
            summary.read += 1
            if isinstance(record, Rejected):
                on_rejected(record)
                summary.rejected += 1
            else:
                on_line(line)
                summary.classified += 1
        return summary
    for record, verdict in verdict_stream(pipeline, records, workers, rules_dir, region,
                                          disabled, exhaustive):
        summary.read += 1
        if isinstance(record, Located) and verdict is not None:
            on_verdict(record.comment, verdict)
            summary.classified += 1
        elif isinstance(record, Rejected):
            on_rejected(record)
            summary.rejected += 1
    return summary
