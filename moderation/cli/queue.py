"""`moderation queue`: list, show, decide, undo, audit, export and triage."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from moderation.cli import Settings
from moderation.cli.options import rules_option
from moderation.errors import ModerationError
from moderation.models import STATUSES, AuditEvent, QueueItem
from moderation.store import queue as q
from moderation.store.db import Database, open_database
from moderation.store.privacy import masked_item

FORMATS = ("table", "json", "jsonl")


def _open(settings: Settings) -> Database:
    return open_database(settings.db)


def _console() -> Console:
    return Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160)


def item_record(item: QueueItem) -> dict[str, Any]:
    """The JSON shape of a queue item (CONTRACT.md's fields and more)."""
    return {
        "id": item.id, "comment_id": item.comment_id, "source": item.source,
        "post": item.post, "parent": item.parent, "status": item.status,
        "labels": list(item.labels), "flags": list(item.flags), "urgent": item.urgent,
        "priority": item.priority, "reply_template": item.reply_template,
        "suggested_reply": item.suggested_reply, "final_reply": item.final_reply,
        "final_template": item.final_template, "edited": item.edited, "reason": item.reason,
        "decided_by": item.decided_by, "decided_at": item.decided_at,
        "holder": item.holder, "held_until": item.held_until, "author": item.author,
        "author_email": item.author_email,
        "created_at": item.created_at, "enqueued_at": item.enqueued_at, "text": item.text,
        "evidence": item.verdict.get("evidence", []), "ruleset": item.ruleset_hash,
        "version": item.version,
    }


def highlighted(item: QueueItem) -> Text:
    """The comment's text with the evidence spans and flagged entities highlighted."""
    text = Text(item.text)
    for ev in item.verdict.get("evidence", []):
        for start, end in evidence_parts(ev):
            if 0 <= start < end <= len(item.text):
                text.stylize("bold yellow", start, end)
    for flag in item.verdict.get("flags", []):
        if 0 <= flag["start"] < flag["end"] <= len(item.text):
            text.stylize("underline magenta", flag["start"], flag["end"])
    return text


def evidence_parts(evidence: dict[str, Any]) -> list[tuple[int, int]]:
    """Every piece of text a finding rests on (items queued before findings had parts
    have only their main span)."""
    parts = evidence.get("parts")
    if isinstance(parts, list) and parts:
        return [(int(a), int(b)) for a, b in parts]
    return [(evidence["start"], evidence["end"])]


def _why(item: QueueItem, evidence: dict[str, Any], width: int = 100) -> str:
    """The pieces of a finding's evidence, quoted, in at most about `width` characters."""
    pieces = [" ".join(item.text[a:b].split()) for a, b in evidence_parts(evidence)
              if 0 <= a < b <= len(item.text)] or [evidence["text"]]
    quoted = " · ".join(f"“{p}”" for p in pieces)
    return quoted if len(quoted) <= width else quoted[:width - 1] + "…"


def _filters(status: str | None, label: str | None, flag: str | None, post: str | None,
             since: datetime | None, until: datetime | None) -> q.ItemFilter:
    return q.ItemFilter(status=status, label=label, flag=flag, post=post, since=since,
                        until=until)


def _filter_options(func: Any) -> Any:
    for option in reversed([
        click.option("--status", default=None, help=f"One of {', '.join(STATUSES)}."),
        click.option("--label", default=None, help="Items with this label."),
        click.option("--flag", default=None,
                     help="Items with this flag (offsite_link, commenter_phone, email)."),
        click.option("--post", default=None, help="Items under this post."),
        click.option("--since", type=click.DateTime(), default=None,
                     help="Comments written on or after this date."),
        click.option("--until", type=click.DateTime(), default=None,
                     help="Comments written before this date."),
    ]):
        func = option(func)
    return func


@click.group()
def queue() -> None:
    """The moderation queue: list, decide, undo, audit, export.

    Example: moderation queue list --status pending --limit 20
    """


@queue.command("list")
@_filter_options
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many (the table shows 50 unless told).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@click.option("--show-pii", is_flag=True, help="Do not mask e-mail addresses and numbers.")
@click.pass_obj
def list_(settings: Settings, status: str | None, label: str | None, flag: str | None,
          post: str | None, since: datetime | None, until: datetime | None,
          limit: int | None, fmt: str, show_pii: bool) -> None:
    """Items in priority order (crisis first), oldest first within a level.

    Example: moderation queue list --label thanks --format jsonl
    """
    database = _open(settings)
    filters = _filters(status, label, flag, post, since, until)
    if fmt == "table" and limit is None:
        limit = 50
    items = q.list_items(database, filters, limit)
    shown = (item if show_pii else masked_item(item) for item in items)
    found = _table(shown) if fmt == "table" else \
        _emit_json((item_record(i) for i in shown), fmt)
    if not found:
        _explain_nothing(database, filters)
    database.close()


def _explain_nothing(database: Database, filters: q.ItemFilter) -> None:
    """When nothing matched, say so if the label or flag asked for is nowhere."""
    for problem in q.unheard_of(database, filters):
        click.echo(problem, err=True)


def _table(items: Iterable[QueueItem]) -> int:
    table = Table()
    for name in ("id", "status", "labels", "reply", "flags", "held by", "comment"):
        table.add_column(name, overflow="fold", no_wrap=name in ("id", "status"))
    count = 0
    at = q.now()
    for item in items:
        count += 1
        holder = ""
        if item.holder:
            holder = item.holder + ("" if item.held_by_someone(at) else " (lapsed)")
        labels = ("URGENT " if item.urgent else "") + ", ".join(item.labels)
        snippet = item.text.replace("\n", " ")
        table.add_row(str(item.id), item.status, labels, item.reply_template or "-",
                      ", ".join(item.flags), holder,
                      snippet[:70] + ("…" if len(snippet) > 70 else ""))
    if count:
        _console().print(table)
    else:
        click.echo("no matching items")
    return count


def _emit_json(records: Iterable[dict[str, Any]], fmt: str) -> int:
    out = sys.stdout
    count = 0
    if fmt == "jsonl":
        for record in records:
            out.write(q.to_json(record) + "\n")
            count += 1
        return count
    out.write("[")
    for count, record in enumerate(records, start=1):
        out.write(("," if count > 1 else "") + "\n  " + q.to_json(record))
    out.write("\n]\n")
    return count


@queue.command()
@click.argument("item_id", type=int)
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True)
@click.option("--show-pii", is_flag=True, help="Do not mask e-mail addresses and numbers.")
@click.pass_obj
def show(settings: Settings, item_id: int, fmt: str, show_pii: bool) -> None:
    """One item: the comment with its evidence, labels, flags, reply and history.

    Example: moderation queue show 12
    """
    database = _open(settings)
    item = q.get_item(database, item_id)
    events = q.history(database, item_id)
    database.close()
    item = item if show_pii else masked_item(item)
    if fmt == "json":
        record = item_record(item)
        record["history"] = [e.model_dump() for e in events]
        click.echo(q.to_json(record))
        return
    render_item(_console(), item)
    _history_table(events)


def render_item(console: Console, item: QueueItem) -> None:
    """The item as the triage screen and `queue show` present it."""
    head = Text()
    if item.urgent:
        head.append(" URGENT ", style="bold white on red")
        head.append(" ")
    head.append(f"#{item.id}", style="bold")
    head.append(f"  {item.status}  {', '.join(item.labels) or 'no label'}")
    if item.flags:
        head.append(f"  flags: {', '.join(item.flags)}", style="magenta")
    console.print(head)
    who = ", ".join(x for x in (item.author, item.author_email, item.post,
                                item.created_at.isoformat() if item.created_at else None) if x)
    if who:
        console.print(Text(who, style="dim"))
    console.print(highlighted(item))
    for ev in item.verdict.get("evidence", []):
        console.print(Text(f"  {ev['label']}: {ev['rule']} {_why(item, ev)}", style="dim"))
    reply = item.final_reply if item.status == "approved" else item.suggested_reply
    title = "reply" if item.status == "approved" else f"suggested reply ({item.reply_template})"
    console.print(Text(f"{title}:", style="bold"))
    console.print(Text(reply or "(none)", style="green"))


def _history_table(events: list[AuditEvent]) -> None:
    table = Table(title="history")
    for name in ("event", "actor", "at", "status", "detail"):
        table.add_column(name, overflow="fold")
    for e in events:
        detail = e.reason or (f"undoes event {e.undoes}" if e.undoes else "") or (
            "edited reply" if e.event == "edited" else e.template_after or "")
        table.add_row(e.event, e.actor, f"{e.at:%Y-%m-%d %H:%M:%S}",
                      f"{e.status_before or '-'} → {e.status_after or '-'}", detail)
    _console().print(table)


@queue.command()
@click.argument("item_id", type=int)
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True)
@click.pass_obj
def history(settings: Settings, item_id: int, fmt: str) -> None:
    """Every event of one item, from the append-only audit log.

    Example: moderation queue history 12 --format json
    """
    database = _open(settings)
    events = q.history(database, item_id)
    database.close()
    if fmt == "json":
        click.echo(q.to_json([e.model_dump() for e in events]))
    else:
        _history_table(events)


def _bulk_or_one(settings: Settings, item_id: int | None, all_: bool, yes: bool,
                 filters: q.ItemFilter, action: str, reason: str | None) -> int | None:
    """Handle the bulk form; returns the count or None when a single id was given."""
    if item_id is not None and all_:
        raise click.UsageError("give an item id or --all with filters, not both")
    if item_id is None and not all_:
        raise click.UsageError("give an item id, or --all with filters such as --label")
    if item_id is not None:
        return None
    database = _open(settings)
    try:
        pending = q.ItemFilter(**{**filters.__dict__, "status": "pending"})
        count = q.count_items(database, pending)
        if count == 0:
            click.echo("no pending items match")
            _explain_nothing(database, filters)
            return 0
        if not yes and not click.confirm(f"{action} {count} pending item(s)?", err=True):
            click.echo("nothing done", err=True)
            return 0
        done = q.bulk(database, pending, settings.actor, action, reason)
    finally:
        database.close()
    click.echo(f"{action}d {done} item(s)" if action == "approve" else f"rejected {done} item(s)")
    return done


_VERSION = click.option("--version", "expected_version", type=int, default=None,
                        help="Refuse if the item changed since you saw this version.")


@queue.command()
@click.argument("item_id", type=int, required=False)
@_VERSION
@click.option("--reply", default=None, help="Approve this reply instead of the suggestion.")
@click.option("--template", default=None, help="Approve this template's reply instead.")
@click.option("--all", "all_", is_flag=True, help="Every pending item matching the filters.")
@click.option("--yes", is_flag=True, help="Do not ask before a bulk decision.")
@_filter_options
@rules_option
@click.pass_obj
def approve(settings: Settings, item_id: int | None, expected_version: int | None,
            reply: str | None,
            template: str | None, all_: bool, yes: bool, status: str | None,
            label: str | None, flag: str | None, post: str | None, since: datetime | None,
            until: datetime | None, rules_dir: str | None, disabled: tuple[str, ...]) -> None:
    """Approve an item's suggested reply (or an edited reply, or another template's).

    Example: moderation queue approve 12 --reply "Thank you, Ann!"
    """
    filters = _filters(status, label, flag, post, since, until)
    if _bulk_or_one(settings, item_id, all_, yes, filters, "approve", None) is not None:
        return
    assert item_id is not None
    replies = None
    if template is not None:
        from moderation.pipeline import Pipeline

        replies = Pipeline.from_directory(rules_dir, None, disabled).replies
    database = _open(settings)
    try:
        item = q.approve(database, item_id, settings.actor, reply=reply, template=template,
                         replies=replies, expected_version=expected_version)
    finally:
        database.close()
    click.echo(f"approved #{item.id}" + (" (edited)" if item.edited else ""))


@queue.command()
@click.argument("item_id", type=int, required=False)
@_VERSION
@click.option("--reason", required=True, help="Why the suggestion is rejected.")
@click.option("--all", "all_", is_flag=True, help="Every pending item matching the filters.")
@click.option("--yes", is_flag=True, help="Do not ask before a bulk decision.")
@_filter_options
@click.pass_obj
def reject(settings: Settings, item_id: int | None, expected_version: int | None,
           reason: str, all_: bool, yes: bool,
           status: str | None, label: str | None, flag: str | None, post: str | None,
           since: datetime | None, until: datetime | None) -> None:
    """Reject an item's suggestion, with a reason.

    Example: moderation queue reject 12 --reason "spam"
    """
    filters = _filters(status, label, flag, post, since, until)
    if _bulk_or_one(settings, item_id, all_, yes, filters, "reject", reason) is not None:
        return
    assert item_id is not None
    database = _open(settings)
    try:
        item = q.reject(database, item_id, settings.actor, reason, expected_version)
    finally:
        database.close()
    click.echo(f"rejected #{item.id}")


@queue.command()
@click.argument("item_id", type=int, required=False)
@click.pass_obj
def undo(settings: Settings, item_id: int | None) -> None:
    """Undo your last decision (on one item, if given): it is pending again.

    Example: moderation queue undo
    """
    database = _open(settings)
    try:
        item = q.undo(database, settings.actor, item_id)
    finally:
        database.close()
    click.echo(f"undone: #{item.id} is {item.status} again")


@queue.command("export")
@click.option("--status", type=click.Choice(("approved", "rejected", "all")), default="approved",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(("jsonl", "csv", "wxr")), default="jsonl",
              show_default=True)
@rules_option
@click.pass_obj
def export_(settings: Settings, status: str, fmt: str, rules_dir: str | None,
            disabled: tuple[str, ...]) -> None:
    """Decided items: comment_id, status, reply, template, moderator, decided_at.

    `--format wxr` writes the approved replies as a WordPress import file: each reply a
    comment on its post, answering its comment, by the site's staff account.

    Example: moderation queue export --status approved --format csv > replies.csv
    """
    if fmt == "wxr":
        _export_wxr(settings, status, rules_dir, disabled)
        return
    database = _open(settings)
    records = q.export(database, None if status == "all" else status)
    if fmt == "jsonl":
        for record in records:
            sys.stdout.write(q.to_json(record) + "\n")
    else:
        writer = csv.DictWriter(sys.stdout, lineterminator="\n", fieldnames=[
            "comment_id", "status", "reply", "template", "moderator", "decided_at", "source",
            "post", "edited", "reason"])
        writer.writeheader()
        writer.writerows(records)
    database.close()


def _export_wxr(settings: Settings, status: str, rules_dir: str | None,
                disabled: tuple[str, ...]) -> None:
    from moderation.formats.wxr import StaffAccount, write_wxr
    from moderation.ruleset.loader import load_ruleset

    if status != "approved":
        raise click.UsageError("a WXR file carries approved replies only (--status approved)")
    site = load_ruleset(rules_dir, disabled).site
    spec = site.staff_account
    if spec is None:
        raise ModerationError("site.yaml has no staff_account to publish replies under")
    account = StaffAccount(spec.name, spec.email, spec.url, str(spec.user_id))
    database = _open(settings)
    try:
        write_wxr(q.approved_replies(database), sys.stdout, account, site.name,
                  site.link or "")
    finally:
        database.close()


@queue.command("stats")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True)
@click.pass_obj
def stats_(settings: Settings, fmt: str) -> None:
    """Counts by status and label, and how often each template was accepted or changed.

    Example: moderation queue stats --format json
    """
    database = _open(settings)
    data = q.stats(database)
    database.close()
    if fmt == "json":
        click.echo(q.to_json(data))
        return
    console = _console()
    console.print("by status: " + ", ".join(f"{k} {v}" for k, v in data["by_status"].items()))
    console.print("by label: " + (", ".join(f"{k} {v}" for k, v in data["by_label"].items())
                                  or "none"))
    table = Table(title="templates: what moderators did with each suggestion")
    for name in ("template", "suggested", "pending", "accepted", "edited", "replaced",
                 "rejected", "acceptance"):
        table.add_column(name, justify="left" if name == "template" else "right")
    for name, e in data["templates"].items():
        table.add_row(name, *(str(e[k]) for k in ("suggested", "pending", "accepted",
                                                   "edited", "replaced", "rejected")),
                      "-" if e["acceptance"] is None else f"{e['acceptance']:.0%}")
    console.print(table)


@queue.command("next")
@click.option("--show-pii", is_flag=True, help="Do not mask e-mail addresses and numbers.")
@click.option("--claim-minutes", type=click.IntRange(1, 24 * 60), default=15,
              show_default=True, envvar="MODERATION_CLAIM_MINUTES",
              help="How long an item you are shown stays yours alone.")
@rules_option
@click.pass_obj
def next_(settings: Settings, show_pii: bool, claim_minutes: int, rules_dir: str | None,
          disabled: tuple[str, ...]) -> None:
    """Triage from the keyboard, one item at a time, most urgent first (press ? for help).

    Example: moderation --as ann queue next
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo("error: queue next is interactive and needs a terminal; use queue list, "
                   "approve and reject in scripts", err=True)
        raise SystemExit(2)
    from moderation.cli.triage import Triage
    from moderation.pipeline import Pipeline

    database = _open(settings)
    try:
        replies = Pipeline.from_directory(rules_dir, None, disabled).replies
        Triage(database, settings.actor, replies, show_pii, claim_minutes * 60).run()
    except ModerationError:
        raise
    finally:
        database.close()
