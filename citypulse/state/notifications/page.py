"""/notifications (A): 20 per page with infinite scroll, filters, and every action (§2.2).

The list mirrors every change live: the page's watcher (keyed like the bell's) calls
`refresh`, which reads again as many rows as the tab holds, so new notifications come
in on top and read or deleted ones change in place, without losing the scroll position.
"""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx

from citypulse.params import parse_id
from citypulse.services.notifications import commands, queries
from citypulse.services.notifications.queries import FILTERS, PAGE_SIZE, PAGE_SIZE_MAX
from citypulse.state.notifications.bell import NotificationBellState, open_notification
from citypulse.state.notifications.views import (
    NotificationView,
    notification_views,
)
from citypulse.state.session import SessionState

REFRESH_MAX = 500  # a live refresh re-reads at most this many rows (25 pages scrolled)


class NotificationsPageState(SessionState):
    """One filtered list of the viewer's notifications, as far as the tab scrolled."""

    items: list[NotificationView] = []
    filter: str = "all"
    has_more: bool = False
    page_loaded: bool = False
    _cursor: str | None = None

    @rx.event
    async def load(self):
        """on_load: the first page of the filter in `?filter=` (default: All)."""
        wanted = str(self.router.url.query_parameters.get("filter") or "all")
        self.filter = wanted if wanted in FILTERS else "all"
        self.items, self._cursor, self.has_more, self.page_loaded = [], None, False, False
        return await self._read(PAGE_SIZE)

    async def _read(self, count: int):
        """Read the list from the top until `count` rows (or its end) are held."""
        items: list[NotificationView] = []
        cursor: str | None = None
        while True:
            outcome = await self._load(
                queries.notifications_page,
                filter=self.filter,
                cursor=cursor,
                limit=min(count - len(items), PAGE_SIZE_MAX),
            )
            if not outcome.ok or outcome.value is None:
                return outcome.event
            items += notification_views(outcome.value.items)
            cursor = outcome.value.next_cursor
            if cursor is None or len(items) >= count:
                break
        self.items, self._cursor, self.has_more = items, cursor, cursor is not None
        self.page_loaded = True
        return None

    @rx.event
    async def show(self, value: str):
        """Switch the filter (All, Unread or a type group) and start from the top."""
        if value not in FILTERS or not self.signed_in:
            return None
        self.filter = str(value)
        return await self._read(PAGE_SIZE)

    @rx.event
    async def load_more(self):
        """The next 20 (the scroll sentinel came into view, or "Load more" was pressed)."""
        if not self.has_more or not self.page_loaded:
            return None
        outcome = await self._load(
            queries.notifications_page, filter=self.filter, cursor=self._cursor
        )
        if not outcome.ok or outcome.value is None:
            return outcome.event
        known = {item.id for item in self.items}
        fresh = [v for v in notification_views(outcome.value.items) if v.id not in known]
        self.items = [*self.items, *fresh]
        self._cursor = outcome.value.next_cursor
        self.has_more = self._cursor is not None
        return None

    @rx.event
    async def refresh(self):
        """A live change or a reconnect: read again what the tab holds (new ones on top)."""
        if not self.page_loaded or not self.signed_in:
            return None
        held = -(-len(self.items) // PAGE_SIZE) * PAGE_SIZE  # whole pages, at least one
        return await self._read(min(max(held, PAGE_SIZE), REFRESH_MAX))

    @rx.event
    async def open_entry(self, notification_id: int):
        """Mark one read and open its link (the link this server listed)."""
        return await open_notification(self, notification_id)

    @rx.event
    async def remove(self, notification_id: int):
        """Delete one notification from the list (every tab mirrors it)."""
        wanted = parse_id(notification_id)
        if wanted is None:
            return None
        outcome = await self._call(commands.delete_notification, notification_id=wanted)
        if not outcome.ok:
            return outcome.event
        self.items = [item for item in self.items if item.id != wanted]
        return NotificationBellState.sync

    @rx.event
    async def read_all(self):
        """Mark all read from the page (the header bell has its own button)."""
        outcome = await self._call(commands.mark_all_read, now=datetime.now(UTC))
        return outcome.event if not outcome.ok else NotificationsPageState.refresh

    @rx.event
    async def delete_all_read(self):
        """Delete every read notification (every tab mirrors it)."""
        outcome = await self._call(commands.delete_all_read)
        return outcome.event if not outcome.ok else NotificationsPageState.refresh
