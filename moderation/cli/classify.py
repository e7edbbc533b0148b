"""`moderation classify`: labels, evidence, entities and the suggested reply."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from typing import TextIO

import click

from moderation.classify import Summary, classify_records
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
from moderation.cli.output import WRITERS, JsonlWriter
from moderation.cli.progress import byte_progress
from moderation.formats.records import Rejected
from moderation.parallel import classify_jsonl_files
from moderation.pipeline import Pipeline


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(list(WRITERS)), default="jsonl",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Output file (default: standard output).")
@input_options
@click.option("--rejects", type=click.Path(dir_okay=False), default=None,
              help="Also write rejected records as JSONL to this file.")
@workers_option("Classify on this many cores (output stays in input order).")
@click.option("--all-rules", is_flag=True,
              help="Evaluate every rule and report every finding, not only the first "
                   "rule that gave each label (slower).")
@rules_option
@region_option
def classify(inputs: tuple[str, ...], fmt: str, output: str, input_format: str | None,
             columns: tuple[str, ...], encoding: str, on_error: str, rejects: str | None,
             workers: int, all_rules: bool,
             rules_dir: str | None,
             disabled: tuple[str, ...], region: str | None) -> None:
    """Classify comments from JSONL, CSV, WordPress WXR or Disqus XML (or standard input).

    Example: moderation classify fixtures/seed_comments.jsonl --format table
    """
    check_inputs(inputs, {"--output": output, "--rejects": rejects})
    # Decided (and the input options checked) before any output file is opened.
    fast = workers_read_jsonl(inputs, input_format, columns, encoding, on_error, workers) \
        and not all_rules
    pipeline = Pipeline.from_directory(rules_dir, region, disabled)
    with ExitStack() as stack:
        out: TextIO = sys.stdout if output == "-" else stack.enter_context(
            open_for_writing(output, newline=""))
        reject_file = stack.enter_context(open_for_writing(rejects)) \
            if rejects else None
        writer = WRITERS[fmt](out)
        on_bytes = stack.enter_context(byte_progress([p for p in inputs if p != "-"]))

        def on_rejected(rec: Rejected) -> None:
            click.echo(f"rejected: {rec}", err=True)
            if reject_file:
                reject_file.write(json.dumps({"source": rec.source, "line": rec.line,
                                              "reason": rec.reason, "raw": rec.raw},
                                             ensure_ascii=False) + "\n")

        if fast and isinstance(writer, JsonlWriter):
            # JSONL in and out on several cores: the workers parse and write the lines.
            read, done, bad = classify_jsonl_files(inputs or ("-",), workers,
                                                   writer.write_line, on_rejected, rules_dir,
                                                   region, disabled, on_bytes=on_bytes,
                                                   pipeline=pipeline)
            summary = Summary(read, done, bad)
        else:
            records = open_records(inputs, input_format, columns, encoding, on_error,
                                   pipeline.ruleset.site, on_bytes)
            on_line = writer.write_line if isinstance(writer, JsonlWriter) else None
            summary = classify_records(pipeline, records, writer.write, on_rejected,
                                       all_rules, workers, rules_dir, region, disabled,
                                       on_line)
        writer.close()
    if summary.rejected or not summary.read or sys.stderr.isatty():
        # Always said when nothing was read: an empty export is usually a mistake.
        click.echo(f"read {summary.read}, classified {summary.classified}, "
                   f"rejected {summary.rejected}", err=True)
    if summary.rejected:
        sys.exit(1)

