"""`moderation rules`: check and measure the rules."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table

from moderation.cli.options import region_option, rules_option
from moderation.evaluation import Report, evaluate
from moderation.pipeline import Pipeline
from moderation.ruleset.loader import load_ruleset


@click.group()
def rules() -> None:
    """Check and measure the rules under rules/.

    Example: moderation rules eval ../shared/data/dev/*.jsonl
    """


@rules.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def check(directory: str | None) -> None:
    """Validate a rules directory; each problem as FILE:LINE:COL: message.

    Example: moderation rules check rules/
    """
    ruleset = load_ruleset(directory)
    Pipeline(ruleset)
    count = sum(len(r) for r in ruleset.compiled.values())
    click.echo(f"{ruleset.directory}: {count} rules, {len(ruleset.lexicons)} lexicons, "
               f"{len(ruleset.replies.templates)} templates: ok (ruleset {ruleset.hash})")


def _render_table(report: Report) -> None:
    table = Table(title=f"{report.records} records")
    for name in ("name", "kind", "support", "tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(name, justify="left" if name in ("name", "kind") else "right")
    for s in report.scores:
        table.add_row(s.name, s.kind, str(s.support), str(s.tp), str(s.fp), str(s.fn),
                      f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
    Console(file=sys.stdout, width=max(100, Console().width)).print(table)


@rules.command("eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--errors", "show_errors", is_flag=True,
              help="Also list every record whose labels or entities differ from the truth.")
@click.option("--min-f1", type=float, default=None,
              help="Exit 1 if a label or entity with support scores below this F1.")
@rules_option
@region_option
def eval_(files: tuple[str, ...], fmt: str, show_errors: bool, min_f1: float | None,
          rules_dir: str | None, disabled: tuple[str, ...], region: str | None) -> None:
    """Precision, recall and F1 per label and entity kind on labelled JSONL.

    Example: moderation rules eval ../shared/data/dev/*.jsonl --format json
    """
    report = evaluate(Pipeline.from_directory(rules_dir, region, disabled), files,
                      exhaustive=show_errors)
    if fmt == "json":
        data = report.as_dict()
        if show_errors:
            data["errors"] = [vars(m) for m in report.misses]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        _render_table(report)
        if show_errors:
            for m in report.misses:
                click.echo(f"{m.source} {m.id} {m.name}: expected {m.expected} got {m.got}"
                           f" {' '.join(m.rules)}\n"
                           f"    {m.text[:300]!r}")
    if min_f1 is not None:
        low = [s for s in report.scores if s.support and s.f1 < min_f1]
        for s in low:
            click.echo(f"below --min-f1 {min_f1}: {s.name} F1 {s.f1:.3f}", err=True)
        if low:
            sys.exit(1)
