"""A compact set of record ids, for finding duplicates in files of millions of records.

A Python set of a million id strings costs about 90 MB; this keeps a 64-bit hash of each
id in an open-addressing table of machine integers, about 16 bytes an id. The table
stops growing at `memory_slots` slots (4 MB by default, room for about 310,000 ids);
ids after that go to a private temporary SQLite file, whose page cache is bounded, so
the memory of a run stays flat however long its input. Two different ids share a hash
with a probability of about n²/2^65 (3 in 100 million for a million ids), in which case
the second would be reported as a duplicate.
"""

from __future__ import annotations

import hashlib
import sqlite3
from array import array

MEMORY_SLOTS = 1 << 19


def id_key(value: str) -> int:
    """The 64-bit key an id is kept under (never 0); another process may work it out."""
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) or 1  # 0 marks an empty slot


class IdSet:
    """Add ids and ask whether one was seen, in little memory that stops growing."""

    def __init__(self, capacity: int = 1024, memory_slots: int = MEMORY_SLOTS):
        size = 1
        while size < capacity * 2 and size < memory_slots:
            size *= 2
        self._slots = array("q", bytes(8 * size))
        self._mask = size - 1
        self._memory_slots = memory_slots
        self._in_memory = 0
        self._full = False  # the table has reached memory_slots: new ids go to disk
        self._disk: sqlite3.Connection | None = None
        self._on_disk = 0

    def add(self, value: str) -> bool:
        """Add an id; False if it was already there."""
        return self.add_key(id_key(value))

    def add_key(self, key: int) -> bool:
        """Add an id by its key (`id_key`); False if it was already there."""
        slots, mask = self._slots, self._mask
        i = key & mask
        while True:
            current = slots[i]
            if current == 0:
                break
            if current == key:
                return False
            i = (i + 1) & mask
        if self._full:
            return self._add_on_disk(key)
        slots[i] = key
        self._in_memory += 1
        if self._in_memory * 5 > len(slots) * 3:  # keep the load under 60%
            if len(slots) * 2 <= self._memory_slots:
                self._grow()
            else:
                self._full = True
        return True

    def __len__(self) -> int:
        return self._in_memory + self._on_disk

    @property
    def spilled(self) -> bool:
        """True once ids are kept on disk."""
        return self._disk is not None

    def close(self) -> None:
        """Drop the temporary file, if any (it is deleted when its connection closes)."""
        if self._disk is not None:
            self._disk.close()
            self._disk = None

    def _add_on_disk(self, key: int) -> bool:
        if self._disk is None:
            # "" is SQLite's private temporary database: a file nobody else sees,
            # deleted on close. One transaction, never committed: nothing is synced.
            self._disk = sqlite3.connect("", isolation_level=None)
            self._disk.execute("PRAGMA journal_mode=OFF")
            self._disk.execute("PRAGMA synchronous=OFF")
            self._disk.execute("CREATE TABLE ids (key INTEGER PRIMARY KEY)")
            self._disk.execute("BEGIN")
        added = self._disk.execute("INSERT OR IGNORE INTO ids VALUES (?)", (key,)).rowcount
        self._on_disk += added
        return added == 1

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("q", bytes(16 * len(old)))
        self._mask = len(self._slots) - 1
        for key in old:
            if key:
                i = key & self._mask
                while self._slots[i]:
                    i = (i + 1) & self._mask
                self._slots[i] = key
