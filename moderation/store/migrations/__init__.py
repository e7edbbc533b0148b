"""Alembic migrations of the queue database (run by `moderation db upgrade`)."""
