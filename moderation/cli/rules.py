"""`moderation rules`: check and measure the rules."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from moderation.cli.options import check_inputs, region_option, rules_option
from moderation.evaluation import Report, evaluate, gold_checked, label_order
from moderation.formats.records import Record, Rejected
from moderation.pipeline import Pipeline
from moderation.ruleset.loader import load_ruleset

if TYPE_CHECKING:
    from moderation.editor.diff import DiffReport
    from moderation.editor.stats import StatsReport


class _Rejections:
    """Reports the corpus records that cannot be read as they pass (the figures leave
    them out), and ends the command with exit 1 if there were any."""

    def __init__(self) -> None:
        self.count = 0

    def watch(self, records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            if isinstance(record, Rejected):
                self.count += 1
                click.echo(f"rejected: {record}", err=True)
            yield record

    def finish(self) -> None:
        if self.count:
            click.echo(f"{self.count} record(s) rejected; the figures above leave them out",
                       err=True)
            sys.exit(1)


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


def _only_jsonl(files: tuple[str, ...]) -> None:
    """Refuse an input that is plainly another format (a CSV, a WordPress or Disqus
    export), rather than report each of its lines as bad JSON. A file whose extension
    tells nothing is read as JSONL."""
    from moderation.errors import InputFormatError
    from moderation.formats import detect_format

    for path in files:
        try:
            fmt = detect_format(path, None)
        except InputFormatError:
            continue
        if fmt != "jsonl":
            kind = {"csv": "a CSV file", "wxr": "a WordPress export (WXR)",
                    "disqus": "a Disqus export"}.get(fmt, fmt)
            name = "standard input" if path == "-" else path
            raise InputFormatError(f"{name}: {kind}, but rules eval reads labelled JSONL "
                                   "(a record per line with its text, labels, urls, phones "
                                   "and emails)")


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
    from moderation.formats import read_inputs

    check_inputs(files)
    _only_jsonl(files)
    pipeline = Pipeline.from_directory(rules_dir, region, disabled)
    rejections = _Rejections()
    records = gold_checked(read_inputs(files, "jsonl"), label_order(pipeline), labelled=True,
                           entities=True)
    report = evaluate(pipeline, rejections.watch(records), exhaustive=show_errors)
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
    low = [s for s in report.scores if min_f1 is not None and s.support and s.f1 < min_f1]
    for s in low:
        click.echo(f"below --min-f1 {min_f1}: {s.name} F1 {s.f1:.3f}", err=True)
    rejections.finish()
    if low:
        sys.exit(1)


@rules.command("test")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def test_(directory: str | None, fmt: str) -> None:
    """Run the examples kept with each rule: texts it must match and must not.

    Example: moderation rules test rules/
    """
    from moderation.editor.testing import test_rules

    results, skipped = test_rules(Pipeline(load_ruleset(directory)))
    failed = [r for r in results if not r.ok]
    if fmt == "json":
        click.echo(json.dumps({"rules": [vars(r) | {"ok": r.ok} for r in results],
                               "disabled": skipped, "failed": len(failed)}, indent=2))
    else:
        table = Table(title=f"{len(results)} rules, {len(failed)} failing")
        for name in ("rule", "label", "tp", "fn", "tn", "fp", "result"):
            table.add_column(name, justify="right" if len(name) == 2 else "left")
        for r in results:
            table.add_row(r.code, r.label, str(r.tp), str(r.fn), str(r.tn), str(r.fp),
                          "ok" if r.ok else "FAIL")
        Console(file=sys.stdout, width=max(100, Console().width)).print(table)
        for r in failed:
            for expected, text in r.failures:
                verb = "did not match" if expected == "match" else "matched"
                click.echo(f"{r.file}: {r.code} {verb} example: {text!r}")
        if skipped:
            click.echo(f"disabled, not tested: {', '.join(skipped)}")
    if failed:
        sys.exit(1)


@rules.command()
@click.argument("text", required=False)
@click.option("--file", "file_", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Explain a record of this JSONL or CSV file (with --id, or the first).")
@click.option("--id", "record_id", default=None, help="The id of the record in --file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@rules_option
@region_option
def explain(text: str | None, file_: str | None, record_id: str | None, fmt: str,
            rules_dir: str | None, disabled: tuple[str, ...], region: str | None) -> None:
    """Labels, every rule that fired with its span, near misses, and the features used.

    Example: moderation rules explain "My son died of leukemia. Thank you all."
    """
    from moderation.cli.explaining import load_comment, render_explanation
    from moderation.editor.explain import explain as explain_comment

    comment = load_comment(text, file_, record_id)
    pipeline = Pipeline.from_directory(rules_dir, region, disabled)
    result = explain_comment(pipeline, comment)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        render_explanation(result, pipeline)


@rules.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@rules_option
@region_option
def stats(corpus: tuple[str, ...], fmt: str, rules_dir: str | None,
          disabled: tuple[str, ...], region: str | None) -> None:
    """How often each rule fires, overlaps and conflicts; precision if the corpus is labelled.

    Example: moderation rules stats ../shared/data/dev/*.jsonl
    """
    from moderation.editor.stats import rule_stats
    from moderation.formats import read_inputs

    check_inputs(corpus)
    pipeline = Pipeline.from_directory(rules_dir, region, disabled)
    rejections = _Rejections()
    records = gold_checked(read_inputs(corpus), pipeline.ruleset.labels.precedence)
    report = rule_stats(pipeline, rejections.watch(records))
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        _stats_table(report)
    rejections.finish()


def _stats_table(report: StatsReport) -> None:
    console = Console(file=sys.stdout, width=max(100, Console().width))
    table = Table(title=f"{report.comments} comments" + (", labelled" if report.labelled
                                                        else ""))
    columns = ["rule", "label", "fires", "alone", "overridden"]
    if report.labelled:
        columns.append("precision")
    for name in columns:
        table.add_column(name, justify="left" if name in ("rule", "label") else "right")
    for row in report.rules:
        data = row.as_dict(report.labelled)
        cells = [row.code + (" (veto)" if row.veto else ""), row.label, str(row.fires),
                 str(row.alone), str(row.overridden)]
        if report.labelled:
            cells.append("-" if data["precision"] is None else f"{data['precision']:.3f}")
        table.add_row(*cells)
    console.print(table)
    console.print(f"never fire: {', '.join(report.never_fire) or 'none'}")
    console.print(f"always shadowed by another rule of their label: "
                  f"{', '.join(report.always_shadowed) or 'none'}")
    top = report.overlaps.most_common(8)
    console.print("most frequent overlaps: " + (", ".join(f"{a}+{b} {n}" for (a, b), n in top)
                                                 or "none"))
    worst = report.conflicts.most_common(8)
    console.print("overridden by: " + (", ".join(f"{a} by {b} {n}" for (a, b), n in worst)
                                       or "none"))
    if report.labelled:
        console.print("label recall: " + ", ".join(
            f"{k} {v:.3f}" for k, v in report.label_recall.items() if v is not None))


@rules.command()
@click.argument("corpus", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--old", "old_spec", required=True, metavar="DIR|REV",
              help="The rule set before: a directory or a git revision (e.g. HEAD~1).")
@click.option("--new", "new_spec", default=None, metavar="DIR|REV",
              help="The rule set after (default: the rules in use, --rules or bundled).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
              help="The rules in use (default: the bundled rules/).")
def diff(corpus: tuple[str, ...], old_spec: str, new_spec: str | None, fmt: str,
         rules_dir: str | None) -> None:
    """What changes between two rule sets over a corpus (labels, templates, F1).

    Example: moderation rules diff ../shared/data/dev/*.jsonl --old HEAD~1
    """
    from moderation.editor.diff import diff_rulesets, known_labels, resolve_rules
    from moderation.formats import read_inputs
    from moderation.ruleset.loader import default_rules_dir

    check_inputs(corpus)
    current = Path(rules_dir) if rules_dir else default_rules_dir()
    old_dir, old_name = resolve_rules(old_spec, current)
    new_dir, new_name = resolve_rules(new_spec, current) if new_spec else (current, str(current))
    rejections = _Rejections()
    old, new = Pipeline.from_directory(str(old_dir)), Pipeline.from_directory(str(new_dir))
    records = gold_checked(read_inputs(corpus), known_labels(old, new))
    report = diff_rulesets(old, new, rejections.watch(records), old_name, new_name)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _diff_text(report)
    rejections.finish()


def _diff_text(report: DiffReport) -> None:
    click.echo(f"{report.comments} comments: {report.label_changes} change labels, "
               f"{report.template_changes} change the suggested template "
               f"({report.old} -> {report.new})")
    for label, n in sorted(report.labels_added.items()):
        click.echo(f"  +{label}: {n}")
    for label, n in sorted(report.labels_removed.items()):
        click.echo(f"  -{label}: {n}")
    for key, n in report.directions.most_common():
        click.echo(f"  {n} {key}")
        for example in report.examples.get(key, []):
            click.echo(f"      {example['id']}: {example['text']}")
    if report.scores:
        click.echo("F1 by label (old -> new):")
        for label, data in report.as_dict()["scores"].items():
            change = data["f1_change"]
            click.echo(f"  {label}: {data['old']['f1']:.3f} -> {data['new']['f1']:.3f} "
                       f"({change:+.3f})")
