"""Batch classification streams: one record in, one verdict out, nothing held back."""

from __future__ import annotations

from collections.abc import Iterator

from moderation.classify import classify_records
from moderation.formats.records import Located, Record, Rejected
from moderation.models import Comment


def test_records_are_classified_as_they_arrive(pipeline) -> None:
    pulled = 0
    seen_when: list[int] = []

    def source() -> Iterator[Record]:
        nonlocal pulled
        for i in range(5):
            pulled += 1
            if i == 2:
                yield Rejected("mem", i + 1, "bad")
            else:
                yield Located("mem", i + 1, Comment(id=str(i), text="Great job!"))

    rejected: list[Rejected] = []
    summary = classify_records(pipeline, source(), lambda c, v: seen_when.append(pulled),
                               rejected.append)
    assert seen_when == [1, 2, 4, 5]  # each verdict before the next record is read
    assert (summary.read, summary.classified, summary.rejected) == (5, 4, 1)
    assert [r.line for r in rejected] == [3]
