"""Reading the comment to explain, and showing the explanation."""

from __future__ import annotations

import sys
from collections.abc import Sequence

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
        spans = f.parts or ((f.start, f.end),)
        console.print(_highlight(result.comment.text, spans, plain))
    if result.near_misses:
        console.print(Text("\nalmost fired (one condition short):", style="bold"))
        for n in result.near_misses:
            console.print(f"  {n.code} ({n.label}): {n.missing}")
            console.print(Text("    in: ") + _highlight(result.comment.text, [(n.start, n.end)],
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


def _highlight(text: str, spans: Sequence[tuple[int, int]], plain: bool,
               context: int = 0) -> Text:
    """The text with the spans marked ([[...]] when plain); with `context`, only that
    many characters around them."""
    spans = sorted(spans)
    lo = max(0, spans[0][0] - context) if context else 0
    hi = min(len(text), max(e for _, e in spans) + context) if context else len(text)
    out = Text()
    at = lo
    for start, end in spans:
        if start < at:  # overlapping spans are already marked
            start = at
        if end <= start:
            continue
        out.append(text[at:start])
        piece = text[start:end]
        if plain:
            out.append(f"[[{piece}]]")
        else:
            out.append(piece, style="bold black on yellow")
        at = end
    out.append(text[at:hi])
    return out
