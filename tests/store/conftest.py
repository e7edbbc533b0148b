"""A fresh SQLite database per test, and the seed comments ingested into it."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.formats import read_inputs
from moderation.store.db import Database, open_database
from moderation.store.queue import ingest

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seed_comments.jsonl"


@pytest.fixture
def database(tmp_path: Path) -> Database:
    db = open_database(str(tmp_path / "queue.db"), create=True)
    yield db
    db.close()


@pytest.fixture
def seeded(database: Database, pipeline) -> Database:
    ingest(database, pipeline, read_inputs([str(SEED)]), lambda r: "seed", "loader")
    return database
