"""Claims: how long a moderator holds an item, and a version for stale decisions.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    # Plain ADD COLUMN: SQLite and PostgreSQL both do it in place, without copying the
    # table (a copy would trip the audit log's foreign key).
    op.add_column("queue_item", sa.Column("held_until", sa.DateTime))
    op.add_column("queue_item", sa.Column("version", sa.Integer, nullable=False,
                                          server_default=sa.text("1")))


def downgrade() -> None:
    with op.batch_alter_table("queue_item") as batch:
        batch.drop_column("version")
        batch.drop_column("held_until")
