"""`moderation db`: the queue database's schema."""

from __future__ import annotations

import click

from moderation.cli import Settings
from moderation.store.db import current_revision, database_url, head_revision, make_engine
from moderation.store.db import upgrade as upgrade_schema


@click.group()
def db() -> None:
    """Create and migrate the queue database.

    Example: moderation --db team.db db upgrade
    """


@db.command()
@click.pass_obj
def upgrade(settings: Settings) -> None:
    """Create the database, or migrate it to this version's schema; no row is lost.

    Example: moderation db upgrade
    """
    engine = make_engine(database_url(settings.db))
    try:
        before, after = upgrade_schema(engine)
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"schema already at revision {after}")
    else:
        click.echo(f"schema upgraded from {before or 'nothing'} to {after}")


@db.command()
@click.pass_obj
def status(settings: Settings) -> None:
    """The database's schema revision and the one this version needs.

    Example: moderation db status
    """
    engine = make_engine(database_url(settings.db))
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    state = "up to date" if current == head else "needs `moderation db upgrade`"
    click.echo(f"database revision {current or 'none'}, code revision {head}: {state}")
