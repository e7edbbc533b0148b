"""Storage of the moderation queue: tables, migrations, the queue and its audit log."""
