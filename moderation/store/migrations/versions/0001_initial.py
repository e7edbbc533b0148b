"""The queue and its audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "queue_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("comment_id", sa.String, nullable=False),
        sa.Column("post", sa.String),
        sa.Column("parent", sa.String),
        sa.Column("author", sa.String),
        sa.Column("author_email", sa.String),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime),
        sa.Column("enqueued_at", sa.DateTime, nullable=False),
        sa.Column("sort_at", sa.DateTime, nullable=False),
        sa.Column("labels", sa.String, nullable=False),
        sa.Column("flags", sa.String, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("verdict", sa.Text, nullable=False),
        sa.Column("reply_template", sa.String),
        sa.Column("suggested_reply", sa.Text),
        sa.Column("ruleset_hash", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("final_reply", sa.Text),
        sa.Column("final_template", sa.String),
        sa.Column("edited", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("decided_by", sa.String),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("holder", sa.String),
        sa.UniqueConstraint("source", "comment_id", name="uq_queue_item_source_comment"),
    )
    op.create_index("ix_queue_item_order", "queue_item", ["status", "priority", "sort_at", "id"])
    op.create_index("ix_queue_item_post", "queue_item", ["post"])
    op.create_index("ix_queue_item_template", "queue_item", ["reply_template"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("queue_item.id"), nullable=False),
        sa.Column("event", sa.String, nullable=False),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("ruleset_hash", sa.String),
        sa.Column("status_before", sa.String),
        sa.Column("status_after", sa.String),
        sa.Column("template_before", sa.String),
        sa.Column("template_after", sa.String),
        sa.Column("reply_before", sa.Text),
        sa.Column("reply_after", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("undoes", sa.Integer),
    )
    op.create_index("ix_audit_event_item", "audit_event", ["item_id", "id"])
    op.create_index("ix_audit_event_actor", "audit_event", ["actor", "id"])


def downgrade() -> None:
    op.drop_table("audit_event")
    op.drop_table("queue_item")
