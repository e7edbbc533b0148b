"""Reading the comment to explain, and showing the explanation."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.text import Text

from moderation.editor.explain import Explanation
from moderation.errors import ModerationError
from moderation.formats import read_inputs
from moderation.formats.records import Rejected
from moderation.models import Comment
from moderation.pipeline import Pipeline


def load_comment(text: str | None, file_: str | None, record_id: str | None) -> Comment:
    """The comment from the TEXT argument, a record of --file, or standard input."""
    if file_ is not None:
        unreadable: list[Rejected] = []
        for record in read_inputs([file_]):
            if isinstance(record, Rejected):
                unreadable.append(record)
            elif record_id is None or record.comment.id == record_id:
                return record.comment
        message = f"{file_}: no record" + (f" with id {record_id!r}" if record_id else "")
        if unreadable:  # it may be one of these
            message += (f"; {len(unreadable)} record(s) could not be read, the first at "
                        f"line {unreadable[0].line}: {unreadable[0].reason}")
        raise ModerationError(message)
    if text is None or text == "-":
        text = sys.stdin.read()
    if not text.strip():
        raise click.UsageError("give a text, --file, or a text on standard input")
    return Comment(id="text", text=text.rstrip("\n"))


def render_explanation(result: Explanation, pipeline: Pipeline) -> None:
    """Labels, rules with their spans highlighted, near misses and features."""
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    plain = not console.is_terminal
    verdict = result.verdict
    console.print(Text("labels: ", style="bold") + Text(", ".join(verdict.labels) or "none")
                  + Text(f"   reply: {verdict.reply_template or 'none'}"
                         + ("   URGENT" if verdict.urgent else "")))
    descriptions = {code: src.rule.description for code, src in
                    pipeline.ruleset.sources.items()}
    for f in result.fired:
        console.print(Text(f"\n{f.rule}", style="bold") + Text(
            f" {'vetoes' if f.veto else 'gives'} {f.label}: {descriptions.get(f.rule, '')}"))
        console.print(_highlight(result.comment.text, f.start, f.end, plain))
    if result.near_misses:
        console.print(Text("\nalmost fired (one condition short):", style="bold"))
        for n in result.near_misses:
            console.print(f"  {n.code} ({n.label}): {n.missing}")
            console.print(Text("    in: ") + _highlight(result.comment.text, n.start, n.end,
                                                         plain, context=60))
    features = result.features
    console.print(Text("\nsentences:", style="bold"))
    for sent in features["sentences"]:
        console.print(f"  {'?' if sent['question'] else '.'} {sent['text']}")
    sentiment = features["sentiment"]
    console.print(f"sentiment: polarity {sentiment['polarity']}, subjectivity "
                  f"{sentiment['subjectivity']}")
    hits = "; ".join(f"{name}: {', '.join(dict.fromkeys(words))}"
                     for name, words in features["lexicons"].items())
    console.print(f"lexicons: {hits or 'none'}")
    flags = ", ".join(f"{f.kind} {f.value}" for f in verdict.flags)
    if flags:
        console.print(f"flags: {flags}")


def _highlight(text: str, start: int, end: int, plain: bool, context: int = 0) -> Text:
    lo = max(0, start - context) if context else 0
    hi = min(len(text), end + context) if context else len(text)
    before, span, after = text[lo:start], text[start:end], text[end:hi]
    if plain:
        return Text(f"{before}[[{span}]]{after}")
    out = Text(before)
    out.append(span, style="bold black on yellow")
    out.append(after)
    return out
