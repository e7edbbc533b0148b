"""Opening the queue database: URLs, SQLite settings, schema versions and migrations."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from moderation.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_DB = "moderation.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(value: str | None = None) -> str:
    """An SQLAlchemy URL from --db, $MODERATION_DB, or the default ./moderation.db."""
    raw = value or os.environ.get("MODERATION_DB") or DEFAULT_DB
    if "://" in raw:
        return raw
    return f"sqlite:///{Path(raw).expanduser().resolve()}"


def parse_url(url: str) -> URL:
    """The parsed URL, or a DatabaseError naming the text that is not one."""
    try:
        return make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {url!r}") from None


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases and in-memory ones)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or \
            parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL, a busy timeout and foreign keys."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 5})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            # We say when transactions begin (below), not the sqlite3 module.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # A transaction that will write takes the write lock at once (BEGIN
            # IMMEDIATE): two writers then queue on the busy timeout instead of one of
            # them failing when it tries to upgrade a read lock.
            write = conn.info.pop("moderation_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # a driver that is not installed, a bad option
        raise DatabaseError(f"cannot use database {parsed.render_as_string()}: {exc}") from None


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def _revision_chain() -> list[str]:
    """The revisions of the migrations folder, oldest first, read without loading alembic
    (opening a database is on every command's path)."""
    parents: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev = re.search(r'^revision = "([^"]+)"', source, re.M)
        down = re.search(r'^down_revision = (?:"([^"]+)"|None)', source, re.M)
        if rev and down:
            parents[rev.group(1)] = down.group(1)
    chain: list[str] = []
    current = next((r for r, d in parents.items() if d is None), None)
    while current is not None:
        chain.append(current)
        current = next((r for r, d in parents.items() if d == current), None)
    return chain


def head_revision() -> str:
    """The newest schema revision this code knows."""
    return _revision_chain()[-1]


def known_revisions() -> set[str]:
    """Every schema revision this code knows."""
    return set(_revision_chain())


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the schema up to `revision`; returns the revisions before and after."""
    before = current_revision(engine)
    if before is not None and before not in known_revisions():
        raise DatabaseError(f"the database is at schema revision {before}, which this "
                            "version of moderation does not know: upgrade moderation")
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_config(conn), revision)
    return before, current_revision(engine)


class Database:
    """An open queue database whose schema matches the code."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextmanager
    def begin(self, write: bool = False) -> Iterator[Connection]:
        """A transaction (`write` for one that changes rows); a locked database becomes
        one clear error."""
        try:
            with self.engine.connect() as conn:
                conn.info["moderation_write"] = write
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            raise driver_error(exc, self.url) from None

    def close(self) -> None:
        self.engine.dispose()


def driver_error(exc: DBAPIError, url: str) -> DatabaseError:
    """The driver's error as one line that names the database."""
    text = str(exc.orig) if exc.orig is not None else str(exc)
    if "locked" in text or "busy" in text:
        return DatabaseError(f"the database {_shown(url)} is locked by another process; "
                             "try again in a moment")
    if "file is not a database" in text:
        return DatabaseError(f"{_shown(url)} is not an SQLite database (pass --db with "
                             "the queue's file, or a new path to start one)")
    return DatabaseError(f"database error on {_shown(url)}: {text}")


def _shown(url: str) -> str:
    path = sqlite_path(url)
    return str(path) if path else parse_url(url).render_as_string(hide_password=True)


def open_database(url: str | None = None, *, create: bool = False) -> Database:
    """Open the database; with `create`, a missing or empty one is made at the newest schema.

    An existing database at an older schema must be migrated with `moderation db
    upgrade`; one at a schema this code does not know is refused.
    """
    resolved = database_url(url)
    path = sqlite_path(resolved)
    if path is not None and not path.exists():
        if not create:
            raise DatabaseError(f"no database at {path}: ingest comments first "
                                "(moderation ingest FILE) or pass --db")
        if not path.parent.exists():
            raise DatabaseError(f"cannot create {path}: folder {path.parent} does not exist")
    engine = make_engine(resolved)
    try:
        revision = current_revision(engine)
        if revision is None:
            tables = set(inspect(engine).get_table_names())
            if tables - {"alembic_version"}:
                raise DatabaseError(f"{_shown(resolved)} is not a moderation database "
                                    f"(it has tables {', '.join(sorted(tables))})")
            if not create:
                raise DatabaseError(f"the database {_shown(resolved)} is empty: ingest "
                                    "comments first, or run `moderation db upgrade`")
            upgrade(engine)
        else:
            head = head_revision()
            if revision not in known_revisions():
                raise DatabaseError(f"the database {_shown(resolved)} is at schema revision "
                                    f"{revision}, newer than this version of moderation "
                                    f"knows ({head}): upgrade moderation")
            if revision != head:
                raise DatabaseError(f"the database {_shown(resolved)} is at schema revision "
                                    f"{revision}; this version needs {head}: run "
                                    "`moderation db upgrade`")
    except DBAPIError as exc:
        engine.dispose()
        raise driver_error(exc, resolved) from None
    except DatabaseError:
        engine.dispose()
        raise
    return Database(engine, resolved)
