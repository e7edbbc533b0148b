"""A compact set of record ids, for finding duplicates in files of millions of records.

A Python set of a million id strings costs about 90 MB; this keeps a 64-bit hash of each
id in an open-addressing table of machine integers, about 16 bytes an id. Two different
ids share a hash with a probability of about n²/2^65 (3 in 100 million for a million
ids), in which case the second would be reported as a duplicate.
"""

from __future__ import annotations

import hashlib
from array import array


def _hash(value: str) -> int:
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) or 1  # 0 marks an empty slot


class IdSet:
    """Add ids and ask whether one was seen, in little memory."""

    def __init__(self, capacity: int = 1024):
        size = 1
        while size < capacity * 2:
            size *= 2
        self._slots = array("q", bytes(8 * size))
        self._mask = size - 1
        self._count = 0

    def add(self, value: str) -> bool:
        """Add an id; False if it was already there."""
        key = _hash(value)
        slots, mask = self._slots, self._mask
        i = key & mask
        while True:
            current = slots[i]
            if current == 0:
                slots[i] = key
                self._count += 1
                if self._count * 5 > len(slots) * 3:  # keep the load under 60%
                    self._grow()
                return True
            if current == key:
                return False
            i = (i + 1) & mask

    def __len__(self) -> int:
        return self._count

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("q", bytes(16 * len(old)))
        self._mask = len(self._slots) - 1
        self._count = 0
        for key in old:
            if key:
                i = key & self._mask
                while self._slots[i]:
                    i = (i + 1) & self._mask
                self._slots[i] = key
                self._count += 1
