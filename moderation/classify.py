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
                     disabled: tuple[str, ...] = ()) -> Summary:
    """Classify each record as it arrives, on `workers` cores, in input order; memory
    does not grow with the input."""
    summary = Summary()
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
