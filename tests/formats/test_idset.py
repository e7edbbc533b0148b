"""The compact id set behaves as a set of strings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from moderation.formats.idset import IdSet


@given(st.lists(st.text(max_size=12), max_size=300))
def test_idset_is_a_set(values: list[str]) -> None:
    ids, seen = IdSet(4), set()
    for value in values:
        assert ids.add(value) is (value not in seen)
        seen.add(value)
    assert len(ids) == len(seen)


def test_idset_grows_past_its_capacity() -> None:
    ids = IdSet(2)
    assert all(ids.add(str(i)) for i in range(10_000))
    assert not any(ids.add(str(i)) for i in range(0, 10_000, 7))
    assert len(ids) == 10_000
