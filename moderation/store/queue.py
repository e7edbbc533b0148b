"""The moderation queue: ingest, listing in priority order, decisions, undo, audit.

Every change to an item (even who holds it) is made in one transaction together with
the audit event that records it; decisions are conditional updates (`WHERE status =
'pending'`), so a decision is never applied twice, and undo restores the state its
event recorded.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import DateTime, func, insert, literal, or_, select, update
from sqlalchemy.engine import Connection, RowMapping

from moderation.errors import DecisionError, ModerationError, NotFound
from moderation.formats.records import Located, Record, Rejected
from moderation.models import STATUSES, AuditEvent, Comment, QueueItem
from moderation.store.db import Database
from moderation.store.tables import AuditEventRow, QueueItemRow

if TYPE_CHECKING:  # imported for types only: listing the queue need not load the rules
    from moderation.formats.wxr import ReplyOut
    from moderation.models import Verdict
    from moderation.pipeline import Pipeline
    from moderation.replies import ReplyBook

ITEMS = QueueItemRow.__table__  # type: ignore[attr-defined]
EVENTS = AuditEventRow.__table__  # type: ignore[attr-defined]
DECISIONS = ("approved", "edited", "rejected")


def now() -> datetime:
    """The current time in UTC, without tzinfo (stored as such in every database)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _naive(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


# --- reading rows ----------------------------------------------------------------------


def _split(joined: str) -> tuple[str, ...]:
    return tuple(part for part in joined.split(",") if part)


def _item(row: RowMapping) -> QueueItem:
    return QueueItem(
        id=row["id"], source=row["source"], comment_id=row["comment_id"], post=row["post"],
        parent=row["parent"], author=row["author"], author_email=row["author_email"],
        text=row["text"], created_at=row["created_at"], enqueued_at=row["enqueued_at"],
        labels=_split(row["labels"]), flags=_split(row["flags"]), urgent=row["urgent"],
        priority=row["priority"], verdict=orjson.loads(row["verdict"]),
        reply_template=row["reply_template"], suggested_reply=row["suggested_reply"],
        ruleset_hash=row["ruleset_hash"], status=row["status"],
        final_reply=row["final_reply"], final_template=row["final_template"],
        edited=row["edited"], reason=row["reason"], decided_by=row["decided_by"],
        decided_at=row["decided_at"], holder=row["holder"], held_until=row["held_until"],
        version=row["version"], meta=orjson.loads(row["meta"]) if row["meta"] else {},
    )


def _event(row: RowMapping) -> AuditEvent:
    return AuditEvent(**{k: row[k] for k in AuditEvent.model_fields})


def comment_of(item: QueueItem) -> Comment:
    """The comment a queue item holds, for rendering a reply."""
    return Comment(id=item.comment_id, text=item.text, author=item.author, post=item.post,
                   parent=item.parent, created_at=item.created_at)


# --- ingest ----------------------------------------------------------------------------


@dataclass
class IngestSummary:
    """What one ingest did; read = queued + already queued + rejected."""

    read: int = 0
    queued: int = 0
    already_queued: int = 0
    rejected: int = 0
    rejects: list[Rejected] = field(default_factory=list, repr=False)


def priority_of(labels: Iterable[str], precedence: list[str]) -> int:
    """The queue level: the position of the first label in the precedence, else last."""
    present = set(labels)
    for level, label in enumerate(precedence):
        if label in present:
            return level
    return len(precedence)


# The columns ingest writes, in the order of the tuples _row gives.
_ITEM_COLUMNS = (
    "source", "comment_id", "post", "parent", "author", "author_email", "text",
    "created_at", "enqueued_at", "sort_at", "labels", "flags", "urgent", "priority",
    "verdict", "reply_template", "suggested_reply", "meta", "ruleset_hash", "status",
    "edited", "version",
)
_VERDICT_KEYS = ("labels", "evidence", "urls", "phones", "emails", "flags")


def verdict_columns(verdict: Verdict, precedence: list[str]) -> tuple[Any, ...]:
    """The values of a new queue item that come from its verdict: labels, flags, urgent,
    priority, verdict, reply_template, suggested_reply, ruleset_hash. Worked out where
    the comment was classified (a worker's core, with --workers)."""
    record = verdict.to_record()
    labels, flags = verdict.labels, verdict.flags
    return (
        "," + ",".join(labels) + ("," if labels else ""),
        "," + ",".join(sorted({f.kind for f in flags})) + ("," if flags else ""),
        verdict.urgent, priority_of(labels, precedence),
        orjson.dumps({k: record[k] for k in _VERDICT_KEYS}).decode(),
        verdict.reply_template, verdict.reply.text if verdict.reply else None,
        verdict.ruleset_hash,
    )


def comment_columns(comment: Comment) -> tuple[Any, ...]:
    """The values of a new queue item that come from its comment: comment_id, post,
    parent, author, author_email, text, created_at, meta. Worked out where the record
    was read (a worker's core, with --workers on JSONL)."""
    return (
        comment.id, comment.post, comment.parent, comment.author, comment.author_email,
        comment.text, _naive(comment.created_at),
        orjson.dumps(comment.meta, default=str).decode() if comment.meta else None,
    )


# One record ready to be queued: its source name, comment_columns and verdict_columns.
Entry = tuple[str, tuple[Any, ...], tuple[Any, ...]]


def _row(entry: Entry, at: datetime) -> tuple[Any, ...]:
    """The values of a new queue item, in the order of _ITEM_COLUMNS."""
    source, (comment_id, post, parent, author, email, text, created, meta), columns = entry
    labels, flags, urgent, priority, verdict, template, reply, ruleset_hash = columns
    return (
        source, comment_id, post, parent, author, email, text, created, at, created or at,
        labels, flags, urgent, priority, verdict, template, reply, meta,
        ruleset_hash, "pending", False, 1,
    )


class _BulkInsert:
    """An INSERT of many rows handed to the database driver as plain tuples.

    SQLAlchemy's executemany builds and converts a dictionary of parameters for every
    row, which costs more than SQLite's own work on the row. Here the statement is
    written once, and only the columns whose values the dialect converts (SQLite keeps
    datetimes as text) are converted, with the column type's own bind processor. Only
    public SQLAlchemy APIs are used; a driver with another parameter style gets the
    ordinary Core insert.
    """

    _MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}

    def __init__(self, table: Any, columns: tuple[str, ...], dialect: Any):
        self.table, self.columns = table, columns
        mark = self._MARKS.get(dialect.paramstyle)
        quote = dialect.identifier_preparer.quote
        self.sql = None if mark is None else (
            f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
            f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join([mark] * len(columns))})"
        )
        self.convert = [(i, proc) for i, name in enumerate(columns)
                        if (proc := table.c[name].type.dialect_impl(dialect)
                            .bind_processor(dialect)) is not None]

    def run(self, conn: Connection, rows: list[tuple[Any, ...]]) -> None:
        if self.sql is None:
            conn.execute(insert(self.table), [dict(zip(self.columns, r, strict=True))
                                              for r in rows])
            return
        if self.convert:
            lists = [list(r) for r in rows]
            for i, proc in self.convert:
                for values in lists:
                    values[i] = proc(values[i])
            rows = [tuple(values) for values in lists]
        conn.exec_driver_sql(self.sql, rows)


def ingest(db: Database, pipeline: Pipeline, records: Iterable[Record],
           source_of: Callable[[Located], str], actor: str, batch_size: int = 500,
           on_rejected: Callable[[Rejected], None] | None = None,
           on_batch: Callable[[IngestSummary], None] | None = None,
           workers: int = 1, rules_dir: str | None = None, region: str | None = None,
           disabled: tuple[str, ...] = ()) -> IngestSummary:
    """Classify and enqueue records, committing every `batch_size` records.

    Idempotent on (source, comment id): a record already queued, by an earlier run or
    earlier in this one, is counted and skipped. A run killed at any moment loses at
    most its open batch, which the next run queues.
    """
    from moderation.parallel import verdict_stream

    def entries() -> Iterator[Entry | Rejected]:
        for record, columns in verdict_stream(pipeline, records, workers, rules_dir, region,
                                              disabled, shape="queue"):
            if isinstance(record, Rejected):
                yield record
            else:  # a record read is always classified
                yield source_of(record), comment_columns(record.comment), columns

    return enqueue(db, entries(), actor, batch_size, on_rejected, on_batch)


def enqueue(db: Database, entries: Iterable[Entry | Rejected], actor: str,
            batch_size: int = 500, on_rejected: Callable[[Rejected], None] | None = None,
            on_batch: Callable[[IngestSummary], None] | None = None) -> IngestSummary:
    """Queue classified records (and count rejected ones), committing every
    `batch_size` records; see `ingest`."""
    summary = IngestSummary()
    batch: list[Entry] = []

    def flush() -> None:
        if batch:
            _insert_batch(db, batch, actor, summary)
            batch.clear()
            if on_batch:
                on_batch(summary)

    for entry in entries:
        summary.read += 1
        if isinstance(entry, Rejected):
            summary.rejected += 1
            if on_rejected:
                on_rejected(entry)
            continue
        batch.append(entry)
        if len(batch) >= batch_size:
            flush()
    flush()
    return summary


def _insert_batch(db: Database, batch: list[Entry], actor: str,
                  summary: IngestSummary) -> None:
    at = now()
    by_source: dict[str, list[str]] = {}
    for source, comment, _ in batch:
        by_source.setdefault(source, []).append(comment[0])
    with db.begin(write=True) as conn:
        existing: set[tuple[str, str]] = set()
        for source, ids in by_source.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                rows = conn.execute(select(ITEMS.c.comment_id).where(
                    ITEMS.c.source == source, ITEMS.c.comment_id.in_(chunk)))
                existing.update((source, r[0]) for r in rows)
        new_rows = []
        made: dict[str, list[str]] = {}
        for entry in batch:
            key = (entry[0], entry[1][0])
            if key in existing:
                summary.already_queued += 1
                continue
            existing.add(key)
            new_rows.append(_row(entry, at))
            made.setdefault(key[0], []).append(key[1])
        if not new_rows:
            return
        _BulkInsert(ITEMS, _ITEM_COLUMNS, conn.dialect).run(conn, new_rows)
        # Each new item's 'enqueued' event, made by the database from the rows just
        # written: the item ids need not travel back to Python and out again.
        event_columns = ["item_id", "event", "actor", "at", "ruleset_hash", "status_after"]
        for source, ids in made.items():
            for start in range(0, len(ids), 500):
                conn.execute(insert(EVENTS).from_select(event_columns, select(
                    ITEMS.c.id, literal("enqueued"), literal(actor),
                    literal(at, DateTime), ITEMS.c.ruleset_hash, literal("pending"),
                ).where(ITEMS.c.source == source, ITEMS.c.comment_id.in_(ids[start:start + 500]))
                 .order_by(ITEMS.c.id)))
        summary.queued += len(new_rows)


# --- listing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFilter:
    """Which items a listing or a bulk decision covers."""

    status: str | None = None
    label: str | None = None
    flag: str | None = None
    post: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    template: str | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise ModerationError(f"unknown status '{self.status}' "
                                  f"(use one of: {', '.join(STATUSES)})")

    def clauses(self) -> list[Any]:
        out: list[Any] = []
        if self.status:
            out.append(ITEMS.c.status == self.status)
        if self.label:
            out.append(ITEMS.c.labels.like(f"%,{_like_literal(self.label)},%", escape="\\"))
        if self.flag:
            out.append(ITEMS.c.flags.like(f"%,{_like_literal(self.flag)},%", escape="\\"))
        if self.post:
            out.append(ITEMS.c.post == self.post)
        if self.since:
            out.append(ITEMS.c.sort_at >= _naive(self.since))
        if self.until:
            out.append(ITEMS.c.sort_at < _naive(self.until))
        if self.template:
            out.append(ITEMS.c.reply_template == self.template)
        return out


def _like_literal(value: str) -> str:
    """`value` matched as itself in LIKE: `%` and `_` are not wildcards here, so
    `--label %` cannot widen a bulk decision to every item."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


ORDER = (ITEMS.c.priority, ITEMS.c.sort_at, ITEMS.c.id)


def list_items(db: Database, filters: ItemFilter = ItemFilter(),
               limit: int | None = None) -> Iterator[QueueItem]:
    """Items in queue order: priority, then oldest first; streamed, not loaded at once."""
    query = select(ITEMS).where(*filters.clauses()).order_by(*ORDER)
    if limit is not None:
        query = query.limit(limit)
    with db.begin() as conn:
        for row in conn.execute(query).mappings():
            yield _item(row)


def count_items(db: Database, filters: ItemFilter) -> int:
    """How many items match."""
    with db.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(ITEMS)
                                .where(*filters.clauses())).scalar_one())


def unheard_of(db: Database, filters: ItemFilter) -> list[str]:
    """What is wrong with a filter's label or flag that no item in the queue has at all
    (a typo, most likely), one sentence each with the values that are there."""
    out = []
    for name, column, wanted in (("label", ITEMS.c.labels, filters.label),
                                 ("flag", ITEMS.c.flags, filters.flag)):
        if not wanted:
            continue
        with db.begin() as conn:
            present = sorted({v for (joined,) in conn.execute(select(column).distinct())
                              for v in _split(joined)})
        if wanted not in present:
            out.append(f"no item in the queue has the {name} '{wanted}' ({name}s here: "
                       f"{', '.join(present) or 'none'})")
    return out


def get_item(db: Database, item_id: int) -> QueueItem:
    """One item by id."""
    with db.begin() as conn:
        return _get(conn, item_id)


def _get(conn: Connection, item_id: int) -> QueueItem:
    row = conn.execute(select(ITEMS).where(ITEMS.c.id == item_id)).mappings().first()
    if row is None:
        raise NotFound(f"no queue item {item_id}")
    return _item(row)


CLAIM_SECONDS = 15 * 60


def next_item(db: Database, actor: str, skip: Iterable[int] = (),
              claim_seconds: int = CLAIM_SECONDS) -> QueueItem | None:
    """Claim the first pending item in queue order that no one else holds.

    A claim lasts `claim_seconds`; a lapsed claim returns the item to the pool. Two
    moderators never hold the same item: PostgreSQL skips rows another transaction has
    locked (`FOR UPDATE SKIP LOCKED`), SQLite takes its write lock before looking.
    """
    skipped = list(skip)
    at = now()
    until = at + timedelta(seconds=claim_seconds)
    with db.begin(write=True) as conn:
        query = (select(ITEMS).where(
            ITEMS.c.status == "pending",
            or_(ITEMS.c.holder.is_(None), ITEMS.c.holder == actor,
                ITEMS.c.held_until.is_(None), ITEMS.c.held_until < at))
            .order_by(*ORDER).limit(1))
        if skipped:
            query = query.where(ITEMS.c.id.not_in(skipped))
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = conn.execute(query).mappings().first()
        if row is None:
            return None
        renewing = row["holder"] == actor and row["held_until"] is not None and \
            row["held_until"] > at + timedelta(seconds=claim_seconds / 2)
        if not renewing:
            conn.execute(update(ITEMS).where(ITEMS.c.id == row["id"]).values(
                holder=actor, held_until=until, version=ITEMS.c.version + 1))
            conn.execute(insert(EVENTS).values(
                item_id=row["id"], event="held", actor=actor, at=at,
                ruleset_hash=row["ruleset_hash"], status_before="pending",
                status_after="pending", reason=f"until {until:%Y-%m-%d %H:%M:%S}"))
        return _get(conn, row["id"])


def release(db: Database, item_id: int, actor: str) -> None:
    """Let go of an item held by `actor` (skipping it in triage)."""
    with db.begin(write=True) as conn:
        result = conn.execute(update(ITEMS).where(ITEMS.c.id == item_id,
                                                  ITEMS.c.holder == actor,
                                                  ITEMS.c.status == "pending")
                              .values(holder=None, held_until=None,
                                      version=ITEMS.c.version + 1))
        if result.rowcount:
            conn.execute(insert(EVENTS).values(item_id=item_id, event="released", actor=actor,
                                               at=now(), status_before="pending",
                                               status_after="pending"))


# --- decisions -------------------------------------------------------------------------


def _decide(db: Database, item_id: int, actor: str, event: str, status: str,
            reply: str | None, template: str | None, reason: str | None,
            edited: bool, expected_version: int | None = None) -> QueueItem:
    at = now()
    with db.begin(write=True) as conn:
        before = _get(conn, item_id)
        if before.status != "pending":
            raise DecisionError(f"item {item_id} is already {before.status} (by "
                                f"{before.decided_by} at {before.decided_at:%Y-%m-%d %H:%M})")
        if before.holder not in (None, actor) and before.held_until is not None \
                and before.held_until > at:
            raise DecisionError(f"item {item_id} is held by {before.holder} until "
                                f"{before.held_until:%H:%M:%S}; leave it to them")
        if expected_version is not None and before.version != expected_version:
            raise DecisionError(f"item {item_id} changed since you saw it (version "
                                f"{expected_version}, now {before.version}); look at it "
                                "again before deciding")
        result = conn.execute(
            update(ITEMS).where(ITEMS.c.id == item_id, ITEMS.c.status == "pending",
                                ITEMS.c.version == before.version)
            .values(status=status, final_reply=reply, final_template=template,
                    edited=edited, reason=reason, decided_by=actor, decided_at=at,
                    holder=None, held_until=None, version=ITEMS.c.version + 1))
        if result.rowcount != 1:
            raise DecisionError(f"item {item_id} changed while you were deciding; "
                                "look at it again")
        conn.execute(insert(EVENTS).values(
            item_id=item_id, event=event, actor=actor, at=at,
            ruleset_hash=before.ruleset_hash, status_before="pending", status_after=status,
            template_before=before.reply_template, template_after=template,
            reply_before=before.suggested_reply, reply_after=reply, reason=reason))
        return _get(conn, item_id)


def approve(db: Database, item_id: int, actor: str, reply: str | None = None,
            template: str | None = None, replies: ReplyBook | None = None,
            expected_version: int | None = None) -> QueueItem:
    """Approve the suggested reply, another template's reply, or an edited reply.

    With `expected_version`, the decision is refused if the item changed since.
    """
    item = get_item(db, item_id)
    if reply is not None and template is not None:
        raise ModerationError("give either a reply or a template, not both")
    if template is not None:
        if replies is None:
            raise ModerationError("a template needs the rules to render it")
        text = replies.render(template, comment_of(item), item.labels).text
        return _decide(db, item_id, actor, "approved", "approved", text, template, None,
                       False, expected_version)
    if reply is not None:
        reply = reply.strip()
        if not reply:
            raise ModerationError("the reply is empty")
        edited = reply != (item.suggested_reply or "").strip()
        return _decide(db, item_id, actor, "edited" if edited else "approved", "approved",
                       reply, item.reply_template, None, edited, expected_version)
    if item.suggested_reply is None:
        raise DecisionError(f"item {item_id} has no suggested reply: give one with --reply "
                            "or --template")
    return _decide(db, item_id, actor, "approved", "approved", item.suggested_reply,
                   item.reply_template, None, False, expected_version)


def reject(db: Database, item_id: int, actor: str, reason: str,
           expected_version: int | None = None) -> QueueItem:
    """Reject an item's suggestion, with a reason."""
    if not reason.strip():
        raise ModerationError("a rejection needs a reason")
    return _decide(db, item_id, actor, "rejected", "rejected", None, None, reason.strip(),
                   False, expected_version)


def undo(db: Database, actor: str, item_id: int | None = None) -> QueueItem:
    """Undo the actor's last decision (on one item, if given): the item is pending again."""
    at = now()
    with db.begin(write=True) as conn:
        undone = select(EVENTS.c.undoes).where(EVENTS.c.undoes.is_not(None))
        query = (select(EVENTS).where(EVENTS.c.actor == actor,
                                      EVENTS.c.event.in_(DECISIONS),
                                      EVENTS.c.id.not_in(undone))
                 .order_by(EVENTS.c.id.desc()).limit(1))
        if item_id is not None:
            query = query.where(EVENTS.c.item_id == item_id)
        row = conn.execute(query).mappings().first()
        if row is None:
            where = f" on item {item_id}" if item_id is not None else ""
            raise DecisionError(f"nothing to undo: {actor} has no decision{where} left")
        decision = _event(row)
        item = _get(conn, decision.item_id)
        later = conn.execute(select(func.count()).select_from(EVENTS).where(
            EVENTS.c.item_id == item.id, EVENTS.c.id > decision.id,
            EVENTS.c.event.not_in(("held", "released")))).scalar_one()
        if later or item.status != decision.status_after:
            raise DecisionError(f"item {item.id} changed after that decision; it cannot be "
                                "undone")
        result = conn.execute(
            update(ITEMS).where(ITEMS.c.id == item.id, ITEMS.c.version == item.version)
            .values(status=decision.status_before, final_reply=None, final_template=None,
                    edited=False, reason=None, decided_by=None, decided_at=None,
                    holder=None, held_until=None, version=ITEMS.c.version + 1))
        if result.rowcount != 1:
            raise DecisionError(f"item {item.id} changed while undoing; try again")
        conn.execute(insert(EVENTS).values(
            item_id=item.id, event="undone", actor=actor, at=at,
            ruleset_hash=item.ruleset_hash, status_before=item.status,
            status_after=decision.status_before, template_before=item.final_template,
            template_after=item.reply_template, reply_before=item.final_reply,
            reply_after=None, reason=None, undoes=decision.id))
        return _get(conn, item.id)


def bulk(db: Database, filters: ItemFilter, actor: str, action: str,
         reason: str | None = None) -> int:
    """Approve (the suggestions) or reject every pending item that matches; returns how many."""
    if action not in ("approve", "reject"):
        raise ModerationError(f"unknown bulk action '{action}'")
    pending = ItemFilter(**{**filters.__dict__, "status": "pending"})
    done = 0
    for item in list(list_items(db, pending)):
        if action == "approve" and item.suggested_reply is None:
            continue
        try:
            if action == "approve":
                _decide(db, item.id, actor, "approved", "approved", item.suggested_reply,
                        item.reply_template, None, False)
            else:
                _decide(db, item.id, actor, "rejected", "rejected", None, None,
                        reason or "bulk rejection", False)
        except DecisionError:
            continue  # decided meanwhile by someone else: theirs stands
        done += 1
    return done


# --- reading the log and summaries -----------------------------------------------------


def history(db: Database, item_id: int) -> list[AuditEvent]:
    """Every event of one item, oldest first."""
    with db.begin() as conn:
        _get(conn, item_id)
        rows = conn.execute(select(EVENTS).where(EVENTS.c.item_id == item_id)
                            .order_by(EVENTS.c.id)).mappings()
        return [_event(r) for r in rows]


def export(db: Database, status: str | None = "approved") -> Iterator[dict[str, Any]]:
    """Decided items as CONTRACT.md's export records."""
    filters = ItemFilter(status=status)
    query = (select(ITEMS).where(ITEMS.c.status != "pending", *filters.clauses())
             .order_by(ITEMS.c.decided_at, ITEMS.c.id))
    with db.begin() as conn:
        for row in conn.execute(query).mappings():
            yield {"comment_id": row["comment_id"], "status": row["status"],
                   "reply": row["final_reply"], "template": row["final_template"],
                   "moderator": row["decided_by"],
                   "decided_at": row["decided_at"].isoformat() if row["decided_at"] else None,
                   "source": row["source"], "post": row["post"], "edited": row["edited"],
                   "reason": row["reason"]}


def approved_replies(db: Database) -> Iterator[ReplyOut]:
    """Approved replies with what a WXR file needs to put them back on their posts."""
    from moderation.formats.wxr import ReplyOut

    query = (select(ITEMS).where(ITEMS.c.status == "approved")
             .order_by(ITEMS.c.post, ITEMS.c.decided_at, ITEMS.c.id))
    with db.begin() as conn:
        for row in conn.execute(query).mappings():
            meta = orjson.loads(row["meta"]) if row["meta"] else {}
            yield ReplyOut(reply_id=1_000_000_000 + row["id"], text=row["final_reply"] or "",
                           parent_comment_id=row["comment_id"], post_id=row["post"],
                           post_title=meta.get("post_title") or meta.get("thread_title"),
                           post_link=meta.get("post_link"), post_date=meta.get("post_date"),
                           decided_at=row["decided_at"])


def stats(db: Database) -> dict[str, Any]:
    """Counts by status and label, and how moderators treated each template."""
    with db.begin() as conn:
        by_status = {s: 0 for s in STATUSES}
        for status, count in conn.execute(select(ITEMS.c.status, func.count())
                                          .group_by(ITEMS.c.status)):
            by_status[status] = count
        by_label: Counter[str] = Counter()
        for labels, count in conn.execute(select(ITEMS.c.labels, func.count())
                                          .group_by(ITEMS.c.labels)):
            for label in _split(labels):
                by_label[label] += count
        templates: dict[str, dict[str, Any]] = {}
        query = select(ITEMS.c.reply_template, ITEMS.c.status, ITEMS.c.edited,
                       ITEMS.c.final_template, func.count()).where(
            ITEMS.c.reply_template.is_not(None)).group_by(
            ITEMS.c.reply_template, ITEMS.c.status, ITEMS.c.edited, ITEMS.c.final_template)
        for template, status, edited, final, count in conn.execute(query):
            entry = templates.setdefault(template, {"suggested": 0, "pending": 0,
                                                    "accepted": 0, "edited": 0,
                                                    "replaced": 0, "rejected": 0})
            entry["suggested"] += count
            if status == "pending":
                entry["pending"] += count
            elif status == "rejected":
                entry["rejected"] += count
            elif edited:
                entry["edited"] += count
            elif final is not None and final != template:
                entry["replaced"] += count
            else:
                entry["accepted"] += count
        for entry in templates.values():
            decided = entry["suggested"] - entry["pending"]
            entry["acceptance"] = round(entry["accepted"] / decided, 3) if decided else None
        return {"by_status": by_status, "by_label": dict(sorted(by_label.items())),
                "templates": dict(sorted(templates.items()))}


def to_json(value: Any) -> str:
    """JSON for the CLI's outputs (datetimes as ISO 8601)."""
    return json.dumps(value, default=_default, ensure_ascii=False)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


__all__ = ["ItemFilter", "IngestSummary", "approve", "bulk", "count_items",
           "export", "get_item", "history", "ingest", "list_items", "next_item",
           "priority_of", "reject", "release", "stats", "undo"]
