"""/dashboard: the feed (§4.9), its live "N new posts" pill (§6.7) and the card actions.

The page opens with one loader transaction for the panels and one for the first page of
the open tab; every later page passes the previous page's cursor (a feed session or a
keyset, opaque here). Tab, window and chip changes, refresh and the pill start a new
session at the top; nothing ever reorders the open list. The pill: the tab links
`FeedChannel` (key `feed`) and a watcher keyed on its epoch calls `check_new`, which
asks the database how many posts this list would gain since its session began.

Card actions (Like, Save, Share, Report) reuse the interaction and report services; the
recommendation id comes from the browser, and the services re-check visibility, blocks
and ownership for the verified viewer on every call.
"""

from __future__ import annotations

from datetime import UTC, datetime

import reflex as rx

from citypulse.params import parse_id
from citypulse.services.feed.pages import TABS, FeedPage, feed_page, new_posts_count
from citypulse.services.feed.panels import dashboard_open
from citypulse.services.interactions.core import InteractionState
from citypulse.services.interactions.likes_saves import like_toggle, save_toggle
from citypulse.services.interactions.views_shares import share_record
from citypulse.state import live_links
from citypulse.state.feed.live import FEED_KEY, FeedChannel
from citypulse.state.feed.views import (
    ChipView,
    FeedCardView,
    PanelsView,
    TabView,
    chip_views,
    feed_card_views,
    panels_view,
    tab_views,
    with_interaction,
)
from citypulse.state.moderation.reports import send_report
from citypulse.state.session import SessionState

WINDOWS = (7, 30)
# The open list is held as pages, one var each: Reflex sends a changed var whole in the
# delta, so one list var re-sent every card loaded so far with each page (240 KB of
# JSON at 500 cards). 50 vars hold a frozen list (500 items, 10 a page); a Buddies list
# longer than that grows the last one.
PAGE_VARS = tuple(f"page_{n}" for n in range(50))


class FeedState(SessionState):
    """The viewer's feed: one tab's list as paged so far, and the dashboard's panels."""

    tabs: list[TabView] = tab_views()
    tab: str = "for_you"
    window: int = 7
    category_id: int = 0  # 0: every category
    for _name in PAGE_VARS:
        __annotations__[_name] = "list[FeedCardView]"
        locals()[_name] = []
    del _name
    has_more: bool = False
    loaded: bool = False
    new_posts: int = 0
    error: str = ""
    panels: PanelsView = PanelsView()
    chips: list[ChipView] = []
    report_for: int = 0  # the card whose report dialog is open
    report_open: bool = False
    report_error: str = ""
    _cursor: str = ""
    _pages: int = 0  # page vars in use
    _since: datetime | None = None
    _epoch_seen: int = 0

    @rx.var
    def new_posts_label(self) -> str:
        count = "99+" if self.new_posts > 99 else str(self.new_posts)
        return f"{count} new post" + ("" if self.new_posts == 1 else "s")

    async def _page(self, cursor: str | None) -> FeedPage | None:
        outcome = await self._load(
            feed_page, tab=self.tab, window_days=self.window,
            category_id=self.category_id or None, cursor=cursor, now=datetime.now(UTC),
        )  # fmt: skip
        self.error = outcome.message
        return outcome.value if outcome.ok else None

    async def _restart(self):
        """A new feed session at the top of the list (the pill goes)."""
        page = await self._page(None)
        if page is not None:
            self._display(page, append=False)
        self.loaded = True

    def _display(self, page: FeedPage, *, append: bool) -> None:
        cards = feed_card_views(page.items)
        if append and not page.started:
            if cards:
                self._append(cards)
        else:
            for name in PAGE_VARS[1 : self._pages]:
                setattr(self, name, [])
            setattr(self, PAGE_VARS[0], cards)
            self._pages, self.new_posts, self._since = 1, 0, page.since
        self._cursor = page.next_cursor or ""
        self.has_more = page.next_cursor is not None

    def _append(self, cards: list[FeedCardView]) -> None:
        """The next page into the next free var (the last one once all are in use)."""
        slot = min(self._pages, len(PAGE_VARS) - 1)
        if slot < self._pages:
            cards = [*self.get_value(PAGE_VARS[slot]), *cards]
        setattr(self, PAGE_VARS[slot], cards)
        self._pages = slot + 1

    def _shown(self):
        """The var name and cards of every page on screen."""
        return ((name, self.get_value(name)) for name in PAGE_VARS[: self._pages])

    @rx.event
    async def load(self):
        """on_load of /dashboard: panels, chips and the open tab's first page; go live."""
        outcome = await self._load(
            dashboard_open, tab=self.tab, window_days=self.window, now=datetime.now(UTC)
        )
        if not outcome.ok or outcome.value is None or outcome.value.panels is None:
            return outcome.event
        opening = outcome.value
        self.panels, self.chips = panels_view(opening.panels), chip_views(opening.panels)
        self.category_id = 0  # the first page is unfiltered
        self._display(opening.first_page, append=False)
        self.loaded = True
        channel = await (await self.get_state(FeedChannel))._link_to(FEED_KEY)
        self._epoch_seen = channel.posts_epoch
        return None

    @rx.event
    async def leave(self):
        """on_unmount: this tab no longer shows the feed, so it stops hearing of new posts."""
        await live_links.unlink(self, FeedChannel)

    @rx.event
    async def load_more(self):
        """The next page of the open list (the sentinel came into view)."""
        if not self._cursor:
            return None
        page = await self._page(self._cursor)
        if page is not None:
            self._display(page, append=True)
        return None

    @rx.event
    async def show_tab(self, tab: str):
        """Switch to For You, Buddies or Trending (a new session)."""
        if tab not in TABS:
            return rx.toast.error("Choose For You, Buddies or Trending")
        self.tab = tab
        return await self._restart()

    @rx.event
    async def show_window(self, window: str):
        """Trending: this week ("7") or this month ("30")."""
        days = parse_id(str(window), maximum=30)
        if days not in WINDOWS:
            return rx.toast.error("Trending covers this week or this month")
        self.window = days
        return await self._restart()

    @rx.event
    async def show_category(self, category_id: int):
        """Filter by a category chip (0: all)."""
        chosen = parse_id(str(category_id)) or 0
        if chosen and chosen not in {chip.id for chip in self.chips}:
            return rx.toast.error("Choose one of the categories shown")
        self.category_id = chosen
        return await self._restart()

    @rx.event
    async def refresh(self):
        """Refresh, or click the "N new posts" pill: a new session, newest ranking on top."""
        return await self._restart()

    @rx.event
    async def check_new(self):
        """A post was published somewhere: count what this list would gain (no reorder).

        The epoch is read on the server; a crafted call only re-counts this viewer's list.
        """
        channel = await self.get_state(FeedChannel)
        if channel.posts_epoch == self._epoch_seen or self._since is None:
            return None
        self._epoch_seen = channel.posts_epoch
        outcome = await self._load(
            new_posts_count, tab=self.tab, category_id=self.category_id or None,
            since=self._since,
        )  # fmt: skip
        if outcome.ok:
            self.new_posts = int(outcome.value or 0)
        return None

    def _recommendation_ids(self) -> set[int]:
        """The recommendations on screen (trip cards have ids of their own kind)."""
        return {card.id for _, cards in self._shown() for card in cards
                if card.kind == "recommendation"}  # fmt: skip

    async def _interact(self, service, recommendation_id: int, **kwargs):
        rid = parse_id(str(recommendation_id))
        if rid is None or rid not in self._recommendation_ids():
            return None, rx.toast.error("This recommendation is not in your feed")
        outcome = await self._call(service, recommendation_id=rid, now=datetime.now(UTC), **kwargs)
        return (outcome.value if outcome.ok else None), outcome.event

    def _update_card(self, state: InteractionState) -> None:
        """Only the page holding the card changes (and so only it is sent)."""
        for name, cards in self._shown():
            if any(c.kind == "recommendation" and c.id == state.recommendation_id for c in cards):
                setattr(self, name, with_interaction(cards, state))

    @rx.event
    async def toggle_like(self, recommendation_id: int):
        """Like or unlike a card's recommendation (not your own)."""
        state, event = await self._interact(like_toggle, recommendation_id)
        if state is not None:
            self._update_card(state)
        return event

    @rx.event
    async def toggle_save(self, recommendation_id: int):
        """Save or unsave a card's recommendation."""
        state, event = await self._interact(save_toggle, recommendation_id)
        if state is not None:
            self._update_card(state)
        return event

    @rx.event
    async def share(self, recommendation_id: int, platform: str):
        """Record a share of a card's recommendation (copy link, X, Facebook, ...)."""
        result, event = await self._interact(
            share_record, recommendation_id, platform=str(platform)
        )
        if result is None:
            return event
        return rx.toast.success("Link copied" if platform == "copy_link" else "Thanks for sharing")

    @rx.event
    def set_report_for(self, recommendation_id: int, open: bool):
        """A card's report dialog opened or closed (a fresh dialog shows no old refusal)."""
        rid = parse_id(str(recommendation_id)) or 0
        self.report_open = open is True and rid in self._recommendation_ids()
        self.report_for = rid if self.report_open else 0
        self.report_error = ""

    @rx.event
    async def report(self, form: dict):
        """Report the recommendation whose dialog is open, with a reason."""
        if not self.report_for:
            return None
        return await send_report(
            self, content_type="recommendation", content_id=self.report_for, form=form
        )
