"""SQLModel tables. They live only here; the rest of the code sees value types."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class QueueItemRow(SQLModel, table=True):
    """One comment waiting for, or having had, a moderator's decision."""

    __tablename__ = "queue_item"
    __table_args__ = (
        UniqueConstraint("source", "comment_id", name="uq_queue_item_source_comment"),
        Index("ix_queue_item_order", "status", "priority", "sort_at", "id"),
        Index("ix_queue_item_post", "post"),
        Index("ix_queue_item_template", "reply_template"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str
    comment_id: str
    post: str | None = None
    parent: str | None = None
    author: str | None = None
    author_email: str | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=Column(DateTime))
    enqueued_at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    sort_at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    labels: str = ","  # ",crisis,thanks," so that one label can be matched with LIKE
    flags: str = ","
    urgent: bool = False
    priority: int
    verdict: str = Field(sa_column=Column(Text, nullable=False))  # JSON of the verdict
    meta: str | None = Field(default=None, sa_column=Column(Text))  # JSON: other fields
    reply_template: str | None = None
    suggested_reply: str | None = Field(default=None, sa_column=Column(Text))
    ruleset_hash: str
    status: str = "pending"
    final_reply: str | None = Field(default=None, sa_column=Column(Text))
    final_template: str | None = None
    edited: bool = False
    reason: str | None = Field(default=None, sa_column=Column(Text))
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_column=Column(DateTime))
    holder: str | None = None
    held_until: datetime | None = Field(default=None, sa_column=Column(DateTime))
    version: int = 1


class AuditEventRow(SQLModel, table=True):
    """An append-only record of one change to a queue item."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_item", "item_id", "id"),
                      Index("ix_audit_event_actor", "actor", "id"))

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="queue_item.id")
    event: str
    actor: str
    at: datetime = Field(sa_column=Column(DateTime, nullable=False))
    ruleset_hash: str | None = None
    status_before: str | None = None
    status_after: str | None = None
    template_before: str | None = None
    template_after: str | None = None
    reply_before: str | None = Field(default=None, sa_column=Column(Text))
    reply_after: str | None = Field(default=None, sa_column=Column(Text))
    reason: str | None = Field(default=None, sa_column=Column(Text))
    undoes: int | None = None
