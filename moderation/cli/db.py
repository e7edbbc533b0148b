"""`moderation db`: the queue database's schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from moderation.cli import Settings
from moderation.errors import DatabaseError
from moderation.store.db import (
    current_revision,
    database_url,
    driver_error,
    head_revision,
    make_engine,
    sqlite_path,
)
from moderation.store.db import upgrade as upgrade_schema


@contextmanager
def _engine(settings: Settings, create: bool) -> Iterator[Engine]:
    url = database_url(settings.db)
    path = sqlite_path(url)
    if path is not None and not path.exists() and not create:
        raise DatabaseError(f"no database at {path}")
    engine = make_engine(url)
    try:
        yield engine
    except DBAPIError as exc:
        raise driver_error(exc, url) from None
    finally:
        engine.dispose()


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
    with _engine(settings, create=True) as engine:
        before, after = upgrade_schema(engine)
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
    with _engine(settings, create=False) as engine:
        current = current_revision(engine)
    head = head_revision()
    state = "up to date" if current == head else "needs `moderation db upgrade`"
    click.echo(f"database revision {current or 'none'}, code revision {head}: {state}")
