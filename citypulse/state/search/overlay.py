"""The header search overlay (Ctrl/Cmd+K): debounced suggestions, keyboard, history.

Typing asks for suggestions (the input is debounced 250 ms, under 2 characters nothing is
asked) and records nothing; submitting opens a /search URL, whose page records the one
history entry; picking a place, city or person records the typed text once
(`record_pick`) before opening it. Arrow keys move the active option
(`aria-activedescendant`), Enter opens it (or searches the text), Escape closes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from citypulse.services.search.history import history_clear, recent_searches, record_pick
from citypulse.services.search.request import MAX_QUERY
from citypulse.services.search.suggest import MIN_CHARACTERS, suggestions
from citypulse.state.search.views import (
    HistoryView,
    SuggestionView,
    history_views,
    suggestion_views,
)
from citypulse.state.session import SessionState

RECENT_IN_OVERLAY = 5
PICK_RECORDED = ("place", "city", "person")  # suggestions that lead away from /search
NAVIGATION_KEYS = ("ArrowDown", "ArrowUp", "Escape")  # `key` acts on these only


class SearchOverlayState(SessionState):
    """What the overlay shows; nothing here is written per keystroke."""

    open: bool = False
    text: str = ""
    items: list[SuggestionView] = []
    recent: list[HistoryView] = []
    active: int = -1
    error: str = ""

    @rx.event
    async def open_overlay(self):
        """Open with the viewer's recent searches."""
        self.open, self.text, self.items, self.active, self.error = True, "", [], -1, ""
        outcome = await self._load(recent_searches, limit=RECENT_IN_OVERLAY)
        if not outcome.ok:
            self.open = False
            return outcome.event
        self.recent = history_views(outcome.value)
        return None

    @rx.event
    def set_open(self, is_open: bool):
        """The dialog's own open/close (Escape, the close button, a click outside)."""
        if not is_open:
            self.open, self.active = False, -1

    @rx.event
    async def typed(self, text: str):
        """Suggestions for the text (debounced by the input; records nothing)."""
        self.text = text[:MAX_QUERY] if isinstance(text, str) else ""
        self.active = -1
        if len(self.text.strip()) < MIN_CHARACTERS:
            self.items, self.error = [], ""
            return None
        outcome = await self._load(suggestions, text=self.text.strip())
        if not outcome.ok:
            self.items = []
            self.error = outcome.message
            return None if outcome.field_errors else outcome.event
        self.items, self.error = suggestion_views(outcome.value), ""
        return None

    def _options(self) -> list[Any]:
        return self.items if self.items else self.recent

    @rx.event
    def key(self, key: str):
        """Arrow keys move the active option; Escape closes."""
        count = len(self._options())
        if key == "ArrowDown" and count:
            self.active = (self.active + 1) % count
        elif key == "ArrowUp" and count:
            self.active = count - 1 if self.active <= 0 else self.active - 1
        elif key == "Escape":
            self.open, self.active = False, -1

    @rx.event
    async def go(self, form: dict[str, Any]):
        """Enter: open the active option, else search the typed text on /search."""
        options = self._options()
        if 0 <= self.active < len(options):
            return await self._picked(options[self.active])
        text = form.get("q") if isinstance(form.get("q"), str) else ""
        text = text.strip()[:MAX_QUERY]
        return self._open(f"/search?{urlencode({'q': text})}" if text else "/search")

    @rx.event
    async def pick(self, index: int):
        """A click on an option."""
        options = self._options()
        if isinstance(index, int) and 0 <= index < len(options):
            return await self._picked(options[index])
        return None

    async def _picked(self, option: Any):
        """Open a picked option. A place, city or person records the typed text as one
        executed search (a place also as the opened result); recent searches and tags
        open /search, which records them."""
        if self.items and option.kind in PICK_RECORDED:
            outcome = await self._call(
                record_pick,
                text=self.text.strip(),
                offered=len(self.items),
                place_id=option.place_id or None,
                now=datetime.now(UTC),
            )
            if not outcome.ok:
                return outcome.event
        return self._open(option.href)

    def _open(self, href: str):
        self.open, self.active, self.items, self.text = False, -1, [], ""
        return rx.redirect(href)

    @rx.event
    async def clear_history(self):
        outcome = await self._call(history_clear, now=datetime.now(UTC))
        if outcome.ok:
            self.recent = []
        return outcome.event

    @rx.var
    def active_id(self) -> str:
        """The DOM id of the active option ('' when none)."""
        return f"search-option-{self.active}" if self.active >= 0 else ""

    @rx.var
    def showing_recent(self) -> bool:
        return not self.items and len(self.text.strip()) < MIN_CHARACTERS
