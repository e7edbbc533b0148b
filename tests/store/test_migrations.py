"""Schema migrations: a database made by the first revision upgrades with its rows intact."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from moderation.cli import main
from moderation.errors import DatabaseError
from moderation.store import queue as q
from moderation.store.db import (
    current_revision,
    database_url,
    head_revision,
    make_engine,
    open_database,
    upgrade,
)

ROW = {
    "source": "old", "comment_id": "c1", "text": "Thanks for the great work!",
    "enqueued_at": datetime(2024, 1, 1), "sort_at": datetime(2024, 1, 1),
    "labels": ",thanks,", "flags": ",", "urgent": False, "priority": 4,
    "verdict": '{"labels": ["thanks"], "evidence": [], "flags": []}',
    "reply_template": "thanks", "suggested_reply": "Thank you!", "ruleset_hash": "abc",
    "status": "approved", "final_reply": "Thank you!", "edited": False,
    "decided_by": "ann", "decided_at": datetime(2024, 1, 2),
}


def _old_database(path: Path) -> None:
    engine = make_engine(database_url(str(path)))
    upgrade(engine, "0001")
    with engine.begin() as conn:
        columns = ", ".join(ROW)
        values = ", ".join(f":{k}" for k in ROW)
        conn.execute(text(f"INSERT INTO queue_item ({columns}) VALUES ({values})"), ROW)
        conn.execute(text("INSERT INTO audit_event (item_id, event, actor, at) "
                          "VALUES (1, 'enqueued', 'loader', '2024-01-01 00:00:00')"))
    engine.dispose()


def test_first_revision_upgrades_with_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_database(path)
    with pytest.raises(DatabaseError, match="run `moderation db upgrade`"):
        open_database(str(path))
    result = CliRunner().invoke(main, ["--db", str(path), "db", "upgrade"])
    assert result.exit_code == 0 and result.output.strip() == (
        f"schema upgraded from 0001 to {head_revision()}")
    db = open_database(str(path))
    [item] = list(q.list_items(db))
    assert (item.comment_id, item.status, item.final_reply, item.decided_by, item.version) == (
        "c1", "approved", "Thank you!", "ann", 1)
    assert [e.event for e in q.history(db, item.id)] == ["enqueued"]
    db.close()
    again = CliRunner().invoke(main, ["--db", str(path), "db", "upgrade"])
    assert again.output.strip() == f"schema already at revision {head_revision()}"


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_database(str(path), create=True).close()
    engine = make_engine(database_url(str(path)))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="revision 9999, newer than this version"):
        open_database(str(path))
    result = CliRunner().invoke(main, ["--db", str(path), "queue", "list"])
    assert result.exit_code == 1 and "newer than this version" in result.stderr


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = make_engine(database_url(str(path)))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE things (x INTEGER)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="is not a moderation database"):
        open_database(str(path), create=True)


def test_new_database_is_made_at_head_in_wal_mode(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "fresh.db"), create=True)
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    db.close()


def test_missing_database_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no database at"):
        open_database(str(tmp_path / "none.db"))
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(str(tmp_path / "no" / "such" / "x.db"), create=True)


def test_revision_chain_matches_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from moderation.store.db import MIGRATIONS, known_revisions

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {r.revision for r in script.walk_revisions()}
