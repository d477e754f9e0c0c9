"""`/leaderboard` (P): one board at a time, top 20 with "Show more" up to 100 (§2.2, §4.8).

The board comes from `?board=` (Overall when missing or unknown) and changes with the
board buttons; "Your position" is shown to signed-in viewers only.
"""

from __future__ import annotations

import reflex as rx

from citypulse.params import parse_text
from citypulse.services.achievements.leaderboard import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    LeaderboardPage,
    leaderboard,
)
from citypulse.state.achievements.views import (
    BOARDS,
    BoardRowView,
    board_row_views,
    position_text,
)
from citypulse.state.session import SessionState

BOARD_KEYS = tuple(key for key, _ in BOARDS)


class LeaderboardState(SessionState):
    """The board shown: public rows only (rank, names, counts)."""

    board: str = "overall"
    board_label: str = BOARDS[0][1]
    rows: list[BoardRowView] = []
    position: str = ""  # "Your position: #2 (Overall)" or "Not ranked yet" (signed in)
    has_more: bool = False
    loaded: bool = False
    _limit: int = DEFAULT_LIMIT

    def _apply(self, page: LeaderboardPage) -> None:
        self.board, self._limit = page.board, page.limit
        self.board_label = dict(BOARDS)[page.board]
        self.rows = board_row_views(page.rows, self.username if self.signed_in else "")
        self.position = position_text(page, page.you) if self.signed_in else ""
        self.has_more = page.has_more
        self.loaded = True

    async def _fetch(self, board: str, limit: int):
        outcome = await self._load(leaderboard, board=board, limit=limit)
        if not outcome.ok or outcome.value is None:
            return outcome.event
        self._apply(outcome.value)
        return None

    @rx.event
    async def load(self):
        """on_load: the board of `?board=` (Overall when missing or unknown), top 20."""
        raw = parse_text(self.router.url.query_parameters.get("board", ""), max_length=16)
        self.loaded = False
        return await self._fetch(raw if raw in BOARD_KEYS else "overall", DEFAULT_LIMIT)

    @rx.event
    async def show_board(self, board: str):
        """A board button: that board's top 20 (an unknown board is ignored)."""
        if not isinstance(board, str) or board not in BOARD_KEYS:
            return None
        return await self._fetch(board, DEFAULT_LIMIT)

    @rx.event
    async def show_more(self):
        """'Show more': 20 more rows of the same board, up to 100."""
        if not self.loaded or not self.has_more:
            return None
        return await self._fetch(self.board, min(self._limit + DEFAULT_LIMIT, MAX_LIMIT))
