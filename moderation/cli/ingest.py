"""`moderation ingest`: classify comments and put them in the queue."""

from __future__ import annotations

import json
from contextlib import ExitStack
from functools import lru_cache
from pathlib import Path

import click

from moderation.cli import Settings
from moderation.cli.options import (
    check_inputs,
    input_options,
    open_for_writing,
    open_records,
    region_option,
    rules_option,
    workers_option,
    workers_read_jsonl,
)
from moderation.cli.progress import byte_progress
from moderation.errors import ModerationError
from moderation.formats.records import Located, Rejected
from moderation.parallel import queue_entries_jsonl
from moderation.pipeline import Pipeline
from moderation.store.db import open_database
from moderation.store.queue import enqueue
from moderation.store.queue import ingest as ingest_records


@click.command()
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(allow_dash=True, dir_okay=False))
@input_options
@click.option("--source", default=None,
              help="Name of the source for idempotency (default: each input's file name).")
@click.option("--rejects", type=click.Path(dir_okay=False), default="moderation-rejects.jsonl",
              show_default=True, help="Where rejected records are appended, with reasons.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=1000, show_default=True,
              help="Records committed together.")
@workers_option("Classify on this many cores.")
@rules_option
@region_option
@click.pass_obj
def ingest(settings: Settings, inputs: tuple[str, ...], input_format: str | None,
           columns: tuple[str, ...], encoding: str, on_error: str, source: str | None,
           rejects: str, batch_size: int, workers: int,
           rules_dir: str | None, disabled: tuple[str, ...], region: str | None) -> None:
    """Classify comments and queue them; records already queued are not queued again.

    Example: moderation ingest fixtures/seed_comments.jsonl
    """
    folder = Path(rejects).resolve().parent
    if not folder.is_dir():  # found out now, not at the first rejection, midway
        raise ModerationError(f"cannot write {rejects}: folder {folder} does not exist")
    check_inputs(inputs, {"--rejects": rejects})
    # Decided (and the input options checked) before the database is opened.
    fast = workers_read_jsonl(inputs, input_format, columns, encoding, on_error, workers)
    pipeline = Pipeline.from_directory(rules_dir, region, disabled)
    database = open_database(settings.db, create=True)
    rejected_count = 0
    with ExitStack() as stack:
        stack.callback(database.close)
        reject_file = None

        def on_rejected(rec: Rejected) -> None:
            nonlocal reject_file, rejected_count
            rejected_count += 1
            if reject_file is None:
                reject_file = stack.enter_context(open_for_writing(rejects, "a"))
            reject_file.write(json.dumps({"source": rec.source, "line": rec.line,
                                          "reason": rec.reason, "raw": rec.raw},
                                         ensure_ascii=False) + "\n")
            reject_file.flush()
            click.echo(f"rejected: {rec}", err=True)

        @lru_cache(maxsize=64)
        def source_name(path: str) -> str:
            return source or ("stdin" if path == "<stdin>" else Path(path).name)

        def source_of(record: Located) -> str:
            return source_name(record.source)  # one name per input file, not per record

        on_bytes = stack.enter_context(byte_progress([p for p in inputs if p != "-"]))
        if fast:
            # JSONL on several cores: the workers parse the lines and make the rows.
            entries = queue_entries_jsonl(inputs, workers, source_name, rules_dir,
                                          region, disabled, on_bytes=on_bytes,
                                          pipeline=pipeline)
            summary = enqueue(database, entries, settings.actor, batch_size, on_rejected)
        else:
            records = open_records(inputs, input_format, columns, encoding, on_error,
                                   pipeline.ruleset.site, on_bytes)
            summary = ingest_records(database, pipeline, records, source_of, settings.actor,
                                     batch_size, on_rejected, workers=workers,
                                     rules_dir=rules_dir, region=region, disabled=disabled)
    click.echo(f"read {summary.read}, queued {summary.queued}, already queued "
               f"{summary.already_queued}, rejected {summary.rejected}")
    if rejected_count:
        click.echo(f"rejected records were appended to {rejects}", err=True)
        raise SystemExit(1)
