"""Classification on several cores: batches of comments to worker processes, in order.

The main process reads the input (and reports rejected records as it meets them); each
worker builds the pipeline once and classifies whole batches; verdicts come back in
input order, a few batches ahead at most, so memory stays flat. JSONL input has a path
of its own, where the workers read the lines too and send back output lines (classify)
or queue rows (ingest); see the end of this module.
"""

from __future__ import annotations

import multiprocessing
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

import orjson

from moderation.errors import WorkerLost
from moderation.formats.records import Located, Record, Rejected
from moderation.models import Comment, Verdict
from moderation.pipeline import Pipeline

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from moderation.formats.idset import IdSet

BATCH = 256
_pipeline: Pipeline | None = None
# A pipeline the parent process already built, by its settings: forked workers find it
# here and start at once instead of loading the rules again.
_inherited: dict[tuple[Any, ...], Pipeline] = {}


def _start(rules_dir: str | None, region: str | None, disabled: tuple[str, ...]) -> None:
    global _pipeline
    _pipeline = _inherited.get((rules_dir, region, tuple(disabled))) or \
        Pipeline.from_directory(rules_dir, region, disabled)


@contextmanager
def _pool(workers: int, rules_dir: str | None, region: str | None, disabled: tuple[str, ...],
          pipeline: Pipeline | None) -> Iterator[ProcessPoolExecutor]:
    """A pool of workers, each with the pipeline (forked from this process where the
    platform allows, so that `pipeline` is shared rather than built again).

    A worker that dies (killed, or out of memory) breaks the pool: the run stops with
    WorkerLost instead of waiting for ever for the work it held, as a
    multiprocessing.Pool would.
    """
    # Imported here: a run on one core need not load it (about 1 MB and a few ms).
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if pipeline is not None:
        _inherited[(rules_dir, region, tuple(disabled))] = pipeline
    fork = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                   initargs=(rules_dir, region, disabled))
    try:
        yield executor
    except BrokenProcessPool:
        raise WorkerLost() from None
    finally:
        # Work not yet started is dropped; on the usual path there is none left.
        executor.shutdown(wait=True, cancel_futures=True)


def _jsonl_line(pipeline: Pipeline, verdict: Verdict) -> bytes:
    return orjson.dumps(verdict.to_record()) + b"\n"


def _queue_columns(pipeline: Pipeline, verdict: Verdict) -> tuple[Any, ...]:
    from moderation.store.queue import verdict_columns

    return verdict_columns(verdict, pipeline.ruleset.labels.precedence)


# What a worker sends back for each verdict. The shapes other than the Verdict itself are
# far cheaper to send, and the work of making them is done on the worker's core.
SHAPES: dict[str, Callable[[Pipeline, Verdict], Any] | None] = {
    "verdict": None,  # the Verdict itself
    "jsonl": _jsonl_line,  # its JSONL output line, bytes
    "queue": _queue_columns,  # the columns of its queue item (store.queue.verdict_columns)
}


def _classify(batch: list[Comment], shape: str = "verdict") -> list[Any]:
    assert _pipeline is not None
    classify, shaper = _pipeline.classify, SHAPES[shape]
    if shaper is None:
        return [classify(comment) for comment in batch]
    return [shaper(_pipeline, classify(comment)) for comment in batch]


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    it = iter(records)
    while batch := list(islice(it, size)):
        yield batch


def classify_in_parallel(records: Iterable[Record], workers: int, rules_dir: str | None = None,
                         region: str | None = None, disabled: tuple[str, ...] = (),
                         batch_size: int = BATCH, shape: str = "verdict",
                         pipeline: Pipeline | None = None) -> Iterator[tuple[Record, Any]]:
    """Each record with its verdict (None for a rejected record), in input order, in the
    given `shape` (see SHAPES)."""
    with _pool(workers, rules_dir, region, disabled, pipeline) as pool:
        pending: list[tuple[list[Record], Any]] = []
        for batch in _batches(records, batch_size):
            comments = [r.comment for r in batch if isinstance(r, Located)]
            pending.append((batch, pool.submit(_classify, comments, shape)))
            if len(pending) >= workers * 3:  # keep a few batches in flight, no more
                yield from _drain(pending.pop(0))
        while pending:
            yield from _drain(pending.pop(0))


def _drain(item: tuple[list[Record], Any]) -> Iterator[tuple[Record, Any]]:
    batch, result = item
    verdicts = iter(result.result())
    for record in batch:
        yield record, (None if isinstance(record, Rejected) else next(verdicts))


def verdict_stream(pipeline: Pipeline, records: Iterable[Record], workers: int = 1,
                   rules_dir: str | None = None, region: str | None = None,
                   disabled: tuple[str, ...] = (), exhaustive: bool = False,
                   shape: str = "verdict") -> Iterator[tuple[Record, Any]]:
    """Records with their verdicts in the given `shape` (None for a rejected record),
    classified here or, with workers > 1, on other cores."""
    if workers <= 1 or exhaustive:
        shaper = SHAPES[shape]
        for record in records:
            if isinstance(record, Located):
                verdict = pipeline.classify(record.comment, exhaustive)
                yield record, verdict if shaper is None else shaper(pipeline, verdict)
            else:
                yield record, None
        return
    yield from classify_in_parallel(records, workers, rules_dir, region, disabled,
                                    shape=shape, pipeline=pipeline)


# --- the fast path for JSONL in, JSONL out ---------------------------------------------
#
# The main process reads blocks of whole lines and hands each to a worker, which splits,
# parses, checks and classifies them, and sends back one block of output lines with the
# records' id keys. What is left to the main process is a membership test per id and
# one write per block, so that it takes little from the cores the workers share.

BLOCK_BYTES = 1 << 17


class _Block(NamedTuple):
    """What a worker sends back for one block of input lines."""

    ids: list[str]  # the classified records' ids, in input order
    keys: bytes  # their `id_key`s, as array("q") bytes
    numbers: bytes  # their line numbers, as array("q") bytes
    # shape "jsonl": their output lines, joined, and where each ends (array("q") bytes);
    # shape "queue": a list of (comment_columns, verdict_columns), ends empty.
    output: Any
    ends: bytes
    # Records that could not be classified: (how many classified records come before
    # it in the block, line number, reason, raw line or None).
    rejected: list[tuple[int, int, str, str | None]]


def _classify_block(source: str, first: int, block: bytes, shape: str = "jsonl") -> _Block:
    """Split, parse, check and classify the lines of one block; `first` is the line
    number of its first line. `shape` is "jsonl" (output lines) or "queue" (the
    columns of queue items)."""
    from moderation.formats import text_problem
    from moderation.formats.idset import id_key
    from moderation.formats.jsonl import parse_line

    assert _pipeline is not None
    classify = _pipeline.classify
    ids: list[str] = []
    keys, numbers, ends = array("q"), array("q"), array("q")
    lines: list[Any] = []
    rejected: list[tuple[int, int, str, str | None]] = []
    size = 0
    if shape == "queue":
        from moderation.store.queue import comment_columns, verdict_columns

        precedence = _pipeline.ruleset.labels.precedence
    for offset, raw in enumerate(block.split(b"\n")):
        if not raw.strip():
            continue
        number = first + offset
        record = parse_line(raw, source, number)
        if isinstance(record, Rejected):
            rejected.append((len(ids), number, record.reason, record.raw))
            continue
        comment = record.comment
        problem = text_problem(comment.text)
        if problem:
            rejected.append((len(ids), number, problem, None))
            continue
        ids.append(comment.id)
        keys.append(id_key(comment.id))
        numbers.append(number)
        if shape == "queue":
            lines.append((comment_columns(comment),
                          verdict_columns(classify(comment), precedence)))
            continue
        line = _jsonl_line(_pipeline, classify(comment))
        lines.append(line)
        size += len(line)
        ends.append(size)
    return _Block(ids, keys.tobytes(), numbers.tobytes(),
                  lines if shape == "queue" else b"".join(lines), ends.tobytes(), rejected)


def _blocks(stream: BinaryIO, block_bytes: int, on_bytes: Any) -> Iterator[tuple[int, bytes]]:
    """Blocks of whole lines, each with the number of its first line. A line longer
    than a block is gathered whole (and then rejected for its size, if a comment)."""
    number = 1
    pending: list[bytes] = []  # the start of a line whose end has not been read yet
    while chunk := stream.read(block_bytes):
        if on_bytes:
            on_bytes(len(chunk))
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            pending.append(chunk)
            continue
        block = b"".join((*pending, chunk[:cut])) if pending else chunk[:cut]
        pending = [chunk[cut:]] if cut < len(chunk) else []
        yield number, block
        number += block.count(b"\n")
    if pending:
        yield number, b"".join(pending)


class _Done(NamedTuple):
    """One block back from a worker, with which of its records are new in their file."""

    source: str  # the input's name, as rejections give it ("<stdin>" for standard input)
    block: _Block
    fresh: list[bool]  # per classified record: False for an id already seen in the file

    @property
    def clean(self) -> bool:
        """No record of the block was rejected or repeated."""
        return not self.block.rejected and all(self.fresh)

    def in_order(self) -> Iterator[int | Rejected]:
        """The block's records in input order: the index of each new classified record,
        or the rejection of a bad or repeated one."""
        from moderation.formats import duplicate_reason

        block, source = self.block, self.source
        numbers = array("q", block.numbers)
        waiting = iter(block.rejected)
        bad = next(waiting, None)
        for i, is_new in enumerate(self.fresh):
            while bad is not None and bad[0] == i:
                yield Rejected(source, *bad[1:])
                bad = next(waiting, None)
            yield i if is_new else Rejected(source, numbers[i], duplicate_reason(block.ids[i]))
        while bad is not None:
            yield Rejected(source, *bad[1:])
            bad = next(waiting, None)


def _jsonl_blocks(paths: Iterable[str], workers: int, shape: str, rules_dir: str | None,
                  region: str | None, disabled: tuple[str, ...], block_bytes: int,
                  on_bytes: Any, pipeline: Pipeline | None) -> Iterator[_Done]:
    """The blocks of JSONL files classified on `workers` cores, the workers parsing the
    lines too, back in input order with the records whose ids repeat marked (the main
    process only reads, checks duplicate ids and hands the blocks on)."""
    from moderation.formats import stdin
    from moderation.formats.idset import IdSet

    with _pool(workers, rules_dir, region, disabled, pipeline) as pool:
        for path in paths:
            source = "<stdin>" if path == "-" else path
            stream = stdin()[1] if path == "-" else open(path, "rb")  # noqa: SIM115
            seen = IdSet()
            pending: list[Any] = []

            def done(pending: list[Any] = pending, seen: IdSet = seen,
                     source: str = source) -> _Done:
                block: _Block = pending.pop(0).result()
                return _Done(source, block,
                             [seen.add_key(key) for key in array("q", block.keys)])

            try:
                for first, lines in _blocks(stream, block_bytes, on_bytes):
                    pending.append(pool.submit(_classify_block, source, first, lines, shape))
                    if len(pending) >= workers * 3:  # a few blocks in flight, no more
                        yield done()
                while pending:
                    yield done()
            finally:
                seen.close()
                if path != "-":
                    stream.close()


def classify_jsonl_files(paths: Iterable[str], workers: int, on_line: Any, on_rejected: Any,
                         rules_dir: str | None = None, region: str | None = None,
                         disabled: tuple[str, ...] = (), block_bytes: int = BLOCK_BYTES,
                         on_bytes: Any = None,
                         pipeline: Pipeline | None = None) -> tuple[int, int, int]:
    """JSONL files classified on `workers` cores, the workers parsing the lines too (the
    main process only reads, checks duplicate ids and writes); returns read, classified
    and rejected counts. Output and rejections come in input order; `on_line` may be
    given several output lines at once."""
    read = classified = 0
    for done in _jsonl_blocks(paths, workers, "jsonl", rules_dir, region, disabled,
                              block_bytes, on_bytes, pipeline):
        block = done.block
        read += len(done.fresh) + len(block.rejected)
        if done.clean:
            classified += len(done.fresh)
            if block.output:
                on_line(block.output)  # the usual case: one write for the block
            continue
        ends = array("q", block.ends)
        for item in done.in_order():
            if isinstance(item, Rejected):
                on_rejected(item)
            else:
                classified += 1
                on_line(block.output[ends[item - 1] if item else 0:ends[item]])
    return read, classified, read - classified


def queue_entries_jsonl(paths: Iterable[str], workers: int, source_name: Callable[[str], str],
                        rules_dir: str | None = None, region: str | None = None,
                        disabled: tuple[str, ...] = (), block_bytes: int = BLOCK_BYTES,
                        on_bytes: Any = None,
                        pipeline: Pipeline | None = None) -> Iterator[Any]:
    """The records of JSONL files as queue entries (`store.queue.Entry`) or rejections,
    in input order, classified on `workers` cores that parse the lines too;
    `source_name` gives the queue's source name of an input as rejections name it
    ("<stdin>" for standard input)."""
    for done in _jsonl_blocks(paths, workers, "queue", rules_dir, region, disabled,
                              block_bytes, on_bytes, pipeline):
        name, items = source_name(done.source), done.block.output
        if done.clean:
            for comment, columns in items:
                yield name, comment, columns
            continue
        for item in done.in_order():
            yield item if isinstance(item, Rejected) else (name, *items[item])
