"""Batch classification: a stream of records in, verdicts and rejections out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from moderation.formats.records import Located, Record, Rejected
from moderation.models import Comment, Verdict
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
                     exhaustive: bool = False) -> Summary:
    """Classify each record as it arrives; memory does not grow with the input."""
    summary = Summary()
    for record in records:
        summary.read += 1
        if isinstance(record, Located):
            on_verdict(record.comment, pipeline.classify(record.comment, exhaustive))
            summary.classified += 1
        else:
            on_rejected(record)
            summary.rejected += 1
    return summary
