"""One itinerary read shared by the open tabs of a trip catching up on the same change.

When a trip's itinerary changes, every tab showing the trip re-reads it (§6.3): with 20
members editing at once that was 19 identical itinerary queries per change, per worker
(docs/performance.md, "Live trip collaboration"). Tabs catching up on the same change
name it by its *generation* (the trip channel's epochs they were told of, read on the
server), and the first tab of a generation reads the rows for all of them; the others
wait for that read instead of making their own.

Only rows that are the same for every viewer are shared (`page_lists.ItineraryRows`),
and only after each tab's own access check (`pages.trip_page_parts`): who may delete
what is still decided per viewer. A generation is read after the change it names was
committed (its epoch moves only then), so a shared read is never older than the change
the tab was told of; a later change has a later generation. Entries live a few seconds:
enough for one round of tabs, and a channel that starts its epochs again (an expired
key) cannot meet an old read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
TTL_SECONDS = 5.0


class _Entry(Generic[T]):
    __slots__ = ("born", "lock", "value")

    def __init__(self) -> None:
        self.born = time.monotonic()
        self.lock = threading.Lock()
        self.value: T | None = None


class SharedReads(Generic[T]):
    """Per process: the value read for a key, made once however many threads ask."""

    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._entries: dict[Hashable, _Entry[T]] = {}

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """The value for `key`: read now by this caller, or by the first caller of it."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or now - entry.born > self._ttl:
                self._entries = {
                    k: e for k, e in self._entries.items() if now - e.born <= self._ttl
                }
                entry = self._entries[key] = _Entry()
        with entry.lock:  # loaders run in worker threads: the others wait for the first
            if entry.value is None:
                entry.value = read()
            return entry.value


ITINERARIES: SharedReads = SharedReads()  # (trip id, generation) -> page_lists.ItineraryRows
