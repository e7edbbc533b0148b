"""`moderation classify`: labels, evidence, entities and the suggested reply."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from typing import TextIO

import click

from moderation.classify import classify_records
from moderation.cli.options import region_option, rules_option
from moderation.cli.output import WRITERS
from moderation.cli.progress import byte_progress
from moderation.formats import INPUT_FORMATS, read_inputs
from moderation.formats.records import Rejected
from moderation.pipeline import Pipeline


def _columns(values: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for value in values:
        field, sep, column = value.partition("=")
        if not sep or not field or not column:
            raise click.BadParameter(f"expected FIELD=COLUMN, got '{value}'",
                                     param_hint="--column")
        mapping[field.strip()] = column.strip()
    return mapping


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(list(WRITERS)), default="jsonl",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              help="Output file (default: standard output).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None,
              help="Input format (default: from the extension).")
@click.option("--column", "columns", multiple=True, metavar="FIELD=COLUMN",
              help="CSV: read FIELD from COLUMN, e.g. --column text=body.")
@click.option("--rejects", type=click.Path(dir_okay=False), default=None,
              help="Also write rejected records as JSONL to this file.")
@click.option("--all-rules", is_flag=True,
              help="Evaluate every rule and report every finding, not only the first "
                   "rule that gave each label (slower).")
@rules_option
@region_option
def classify(inputs: tuple[str, ...], fmt: str, output: str, input_format: str | None,
             columns: tuple[str, ...], rejects: str | None, all_rules: bool,
             rules_dir: str | None,
             disabled: tuple[str, ...], region: str | None) -> None:
    """Classify comments from JSONL or CSV files (or standard input).

    Example: moderation classify fixtures/seed_comments.jsonl --format table
    """
    pipeline = Pipeline.from_directory(rules_dir, region, disabled)
    with ExitStack() as stack:
        out: TextIO = sys.stdout if output == "-" else stack.enter_context(
            open(output, "w", encoding="utf-8", newline=""))
        reject_file = stack.enter_context(open(rejects, "w", encoding="utf-8")) \
            if rejects else None
        writer = WRITERS[fmt](out)
        on_bytes = stack.enter_context(byte_progress([p for p in inputs if p != "-"]))

        def on_rejected(rec: Rejected) -> None:
            click.echo(f"rejected: {rec}", err=True)
            if reject_file:
                reject_file.write(json.dumps({"source": rec.source, "line": rec.line,
                                              "reason": rec.reason, "raw": rec.raw},
                                             ensure_ascii=False) + "\n")

        records = read_inputs(inputs, input_format, _columns(columns), on_bytes)
        summary = classify_records(pipeline, records, writer.write, on_rejected, all_rules)
        writer.close()
    if summary.rejected or sys.stderr.isatty():
        click.echo(f"read {summary.read}, classified {summary.classified}, "
                   f"rejected {summary.rejected}", err=True)
    if summary.rejected:
        sys.exit(1)

