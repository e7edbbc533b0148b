"""The comment's other fields (post title and link, WordPress and Disqus details).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.add_column("queue_item", sa.Column("meta", sa.Text))


def downgrade() -> None:
    op.drop_column("queue_item", "meta")
