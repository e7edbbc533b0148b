"""The compact id set behaves as a set of strings, in memory and once spilled to disk."""

from __future__ import annotations

import os

from hypothesis import given
from hypothesis import strategies as st

from moderation.formats.idset import IdSet


@given(st.lists(st.text(max_size=12), max_size=300), st.sampled_from([4, 16, 1 << 19]))
def test_idset_is_a_set(values: list[str], memory_slots: int) -> None:
    ids, seen = IdSet(4, memory_slots=memory_slots), set()
    for value in values:
        assert ids.add(value) is (value not in seen)
        seen.add(value)
    assert len(ids) == len(seen)
    ids.close()


def test_idset_grows_past_its_capacity() -> None:
    ids = IdSet(2)
    assert all(ids.add(str(i)) for i in range(10_000))
    assert not any(ids.add(str(i)) for i in range(0, 10_000, 7))
    assert len(ids) == 10_000 and not ids.spilled


def test_idset_stops_growing_in_memory_and_spills_to_a_private_file() -> None:
    ids = IdSet(2, memory_slots=64)
    assert all(ids.add(f"id-{i}") for i in range(5_000))
    assert ids.spilled and len(ids._slots) == 64  # the table never passed its limit
    # Repeats are found whether the first copy is in memory or on disk.
    assert not ids.add("id-0") and not ids.add("id-4999")
    assert not any(ids.add(f"id-{i}") for i in range(0, 5_000, 3))
    assert ids.add("id-5000") and len(ids) == 5_001
    # SQLite's private temporary database has no name on disk for anyone else.
    assert ids._disk is not None
    name = ids._disk.execute("PRAGMA database_list").fetchone()[2]
    assert name == "" or not os.path.exists(name)
    ids.close()
    assert not ids.spilled
