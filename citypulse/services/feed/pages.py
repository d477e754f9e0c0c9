"""The feed's pages (PRODUCT.md §4.9, §4.14): For You, Buddies and Trending, 10 per page.

- For You and Trending: the first page ranks (`ranking`; For You usually from a ranking
  stored ahead, `ready`, else from a first look completed after it, `first_look`) and
  freezes the list in a feed session (`snapshots`); later pages are slices of it, so
  nothing repeats while new posts arrive, and items that stopped being visible are
  skipped.
- Buddies: newest first, keyset on (created_at, id) over buddies' recommendations and
  trips (a trip's id negated in the cursor, `_keyset_of`). The newest page per buddy is read
  from the entries of `ix_recommendations_author_id_created_at_id` (a LATERAL probe per
  buddy), so the page costs buddies × 11 index entries however many recommendations
  exist, and only the page's own rows.
- `new_posts_count`: what the "N new posts" pill shows: visible posts by others that
  this list would show, published after the list's first page (recommendations, and
  trips on For You and Buddies without a chip).
Every list applies the one visibility rule (`recommendation_visible_to`) and never shows
the viewer's own recommendations; chips filter by category. No OFFSET anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, literal, select, text, true, union_all
from sqlmodel import Session, col

from citypulse.models import Like, Recommendation, Save, User
from citypulse.models.enums import AccountStatus, ContentStatus, Visibility
from citypulse.models.feed import TRENDING_WINDOWS, SnapshotTab
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import keyset_before, keyset_page, keyset_position
from citypulse.services.errors import ValidationFailed
from citypulse.services.feed import first_look, ranking
from citypulse.services.feed.ranking import FEED_SETTINGS, GENERIC_SETTINGS
from citypulse.services.feed.snapshots import (
    OwnState,
    Snapshot,
    parse_snapshot_cursor,
    snapshot_create,
    snapshot_cursor,
    snapshot_read,
)
from citypulse.services.feed.trips import (
    TripFeedCard,
    buddies_trip_cards,
    new_trips_count,
    trip_cards,
    trip_of,
)
from citypulse.services.recommendations.queries import RecommendationCard, card_query, cards
from citypulse.services.social.graph import blocked_between, buddy_ids

R = Recommendation
PAGE_SIZE = 10
SKIP_ALLOWANCE = 4  # read a few more ids than a page: some may no longer be visible
CHUNK = PAGE_SIZE + SKIP_ALLOWANCE
NOTHING_CHECKED = OwnState()
NEW_POSTS_CAP = 99  # the pill says "99+" beyond
TABS = ("for_you", "buddies", "trending")
UNKNOWN_TAB = "Choose For You, Buddies or Trending"
UNKNOWN_WINDOW = "Trending covers this week (7 days) or this month (30 days)"


@dataclass(frozen=True)
class FeedItem:
    """A recommendation card plus the viewer's own like and save, or a trip card
    (`card` None, `trip` set)."""

    card: RecommendationCard | None
    liked: bool
    saved: bool
    trip: TripFeedCard | None = None


@dataclass(frozen=True)
class FeedPage:
    """One page; `next_cursor` None at the end ("You're all caught up").

    `started` is True when this page began a new feed session (the first page, or a
    cursor that was invalid or expired: the list restarts); `since` is when the session
    began, the cutoff of `new_posts_count`.
    """

    items: tuple[FeedItem, ...]
    next_cursor: str | None
    started: bool
    since: datetime


def _check(tab: str, window_days: int) -> None:
    if tab not in TABS:
        raise ValidationFailed({"tab": UNKNOWN_TAB})
    if window_days not in TRENDING_WINDOWS:
        raise ValidationFailed({"window": UNKNOWN_WINDOW})


def _own_state(session: Session, viewer_id: int, ids: list[int]) -> tuple[set[int], set[int]]:
    """Which of `ids` the viewer liked and saved (one statement)."""
    if not ids:
        return set(), set()
    mine = [
        select(literal(kind).label("kind"), model.recommendation_id).where(
            model.user_id == viewer_id, col(model.recommendation_id).in_(ids)
        )
        for kind, model in (("like", Like), ("save", Save))
    ]
    rows = session.execute(union_all(*mine)).all()
    return ({rid for kind, rid in rows if kind == "like"},
            {rid for kind, rid in rows if kind == "save"})  # fmt: skip


Found = RecommendationCard | TripFeedCard


def _items(session: Session, viewer_id: int, found: list[Found], own=NOTHING_CHECKED) -> tuple:
    """The page's items; the viewer's likes and saves read for the cards `own` has not
    checked (a session's page has them from its session read, unless items were skipped)."""
    recs = [card.id for card in found if isinstance(card, RecommendationCard)]
    liked, saved = _own_state(session, viewer_id, [i for i in recs if i not in own.checked])
    liked, saved = liked | own.liked, saved | own.saved
    return tuple(
        FeedItem(card, card.id in liked, card.id in saved)
        if isinstance(card, RecommendationCard)
        else FeedItem(None, False, False, trip=card)
        for card in found
    )


def _cards_by_id(session: Session, viewer_id: int, ids: list[int], category_id: int | None):
    # card_query applies the visibility rule itself.
    conditions = ranking.others_in_category(viewer_id, category_id)
    query = card_query(viewer_id, col(R.id).in_(ids), *conditions)
    return {card.id: card for card in cards(session, query)}


def _visible(session: Session, viewer_id: int, chunk: list[int], category_id) -> dict:
    """The still-visible cards of a slice of session entries, by entry (trips negated)."""
    trips = [trip_id for item in chunk if (trip_id := trip_of(item)) is not None]
    found: dict[int, Found] = dict(
        _cards_by_id(session, viewer_id, [i for i in chunk if i > 0], category_id)
    )
    if trips and category_id is None:
        found |= {-tid: card for tid, card in trip_cards(session, viewer_id, trips).items()}
    return found


def _slice_page(session: Session, viewer_id: int, snapshot: Snapshot, position: int) -> FeedPage:
    """Up to PAGE_SIZE still-visible items of the frozen list from `position` on (a first
    look's list completed first when the page reaches its end)."""
    found: list[Found] = []
    while len(found) < PAGE_SIZE:
        if position >= len(snapshot.item_ids):
            if snapshot.complete:
                break
            snapshot = first_look.complete(session, viewer_id, snapshot)
            continue
        chunk = list(snapshot.item_ids[position : position + CHUNK])
        visible = _visible(session, viewer_id, chunk, snapshot.category_id)
        for rid in chunk:
            position += 1
            if rid in visible:
                found.append(visible[rid])
                if len(found) == PAGE_SIZE:
                    break
    more = position < len(snapshot.item_ids) or not snapshot.complete
    next_cursor = snapshot_cursor(snapshot.id, position) if more else None
    items = _items(session, viewer_id, found, snapshot.own)
    return FeedPage(items, next_cursor, False, snapshot.created_at)


def _ranked_page(
    session: Session, viewer_id: int, tab: str, window_days: int, category_id, cursor, now
) -> FeedPage:
    kind = SnapshotTab(tab)
    window = window_days if kind is SnapshotTab.trending else None
    if (parsed := parse_snapshot_cursor(cursor)) is not None:
        snapshot = snapshot_read(
            session, user_id=viewer_id, snapshot_id=parsed[0], now=now, position=parsed[1],
            chunk=CHUNK,
        )  # fmt: skip
        same = snapshot is not None and (snapshot.tab, snapshot.window_days) == (kind, window)
        if same and snapshot.category_id == category_id and parsed[1] <= len(snapshot.item_ids):
            return _slice_page(session, viewer_id, snapshot, parsed[1])
    if kind is SnapshotTab.trending:
        frozen = first_look.SessionList(
            ranking.trending_ids(session, viewer_id, window_days, category_id), complete=True
        )
    else:  # most sessions: from the ranking stored ahead
        frozen = first_look.for_you_session(session, viewer_id, category_id, now)
    snapshot = snapshot_create(
        session, user_id=viewer_id, tab=kind, window_days=window, category_id=category_id,
        item_ids=frozen.ids, now=now, chunk=CHUNK, complete=frozen.complete,
    )  # fmt: skip
    if not snapshot.complete:
        first_look.complete_after_commit(session, snapshot.id)
    page = _slice_page(session, viewer_id, snapshot, 0)
    return FeedPage(page.items, page.next_cursor, True, now)


def _shown_buddies(viewer_id: int) -> Any:
    """SELECT of the buddies whose places the viewer may see (column `user_id`): active,
    verified, no block either way. The rule's author checks, made once per buddy instead
    of once per place read."""
    buddies = buddy_ids(viewer_id).subquery("feed_buddies")
    return (
        select(buddies.c.user_id)
        .join(User, User.id == buddies.c.user_id)
        .where(
            User.account_status == AccountStatus.active,
            col(User.email_verified_at).is_not(None),
            ~blocked_between(viewer_id, buddies.c.user_id),
        )
        .subquery("shown_buddies")
    )


def _buddies_page(session: Session, viewer_id: int, category_id, cursor, now) -> FeedPage:
    position = keyset_position(cursor)
    buddies = _shown_buddies(viewer_id)
    # Per buddy, the newest active places a buddy may see (public or buddies-only), read
    # from the entries of `ix_recommendations_author_id_created_at_id` alone (it carries
    # status, visibility and category): no place's row is read but the page's own, which
    # `card_query` checks with the one rule.
    latest = (
        select(R.id, R.created_at)
        .where(
            R.author_id == buddies.c.user_id,
            R.status == ContentStatus.active,
            R.visibility != Visibility.private,
            keyset_before(R.created_at, R.id, position),
            *ranking.others_in_category(viewer_id, category_id),
        )
        .order_by(col(R.created_at).desc(), col(R.id).desc())
        .limit(PAGE_SIZE + 1)
        .lateral("latest")
    )
    ids = (
        select(latest.c.id)
        .select_from(buddies)
        .join(latest, true())
        .order_by(latest.c.created_at.desc(), latest.c.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    query = card_query(viewer_id, col(R.id).in_(ids)).order_by(
        col(R.created_at).desc(), col(R.id).desc()
    )
    merged: list[Found] = list(cards(session, query))
    if category_id is None:  # buddies' trips, in the same (created_at, id) order
        merged += buddies_trip_cards(session, viewer_id, position, PAGE_SIZE + 1)
    merged.sort(key=_keyset_of, reverse=True)
    page = keyset_page(merged[: PAGE_SIZE + 1], PAGE_SIZE, position=_keyset_of)
    return FeedPage(_items(session, viewer_id, page.items), page.next_cursor, cursor is None, now)


def _keyset_of(card: Found) -> tuple[datetime, int]:
    """Buddies' keyset position: (created_at, id), a trip's id negated (never equal)."""
    return (card.created_at, card.id if isinstance(card, RecommendationCard) else -card.id)


def feed_page(
    session: Session,
    *,
    viewer: Viewer | None,
    tab: str,
    window_days: int = 7,
    category_id: int | None = None,
    cursor: str | None = None,
    now: datetime,
) -> FeedPage:
    """One page of a feed tab for the signed-in viewer (a visitor gets an empty page).

    Pass the previous page's `next_cursor` for the next one; None (or an invalid or
    expired cursor) starts a new feed session.

    Raises:
        ValidationFailed: an unknown tab or trending window.
    """
    _check(tab, window_days)
    if viewer is None:
        return FeedPage((), None, True, now)
    session.execute(text(GENERIC_SETTINGS if tab == "for_you" else FEED_SETTINGS))
    if tab == "buddies":
        if cursor is not None and keyset_position(cursor) == keyset_position(None):
            cursor = None  # an invalid cursor restarts the list
        return _buddies_page(session, viewer.user_id, category_id, cursor, now)
    return _ranked_page(session, viewer.user_id, tab, window_days, category_id, cursor, now)


def new_posts_count(
    session: Session,
    *,
    viewer: Viewer | None,
    tab: str,
    category_id: int | None = None,
    since: datetime,
) -> int:
    """How many posts this list would gain since `since` (at most NEW_POSTS_CAP + 1).

    Counts visible recommendations by others published after `since` (by buddies only
    on the Buddies tab; in the chip's category), read on the active-recommendations
    index from its newest end and stopped after the cap; then, as the list would show
    them, new trips (not on Trending, none under a chip: `trips.new_trips_count`).

    Raises:
        ValidationFailed: an unknown tab.
    """
    _check(tab, TRENDING_WINDOWS[0])
    if viewer is None:
        return 0
    session.execute(text(FEED_SETTINGS))
    newer = (
        select(R.id)
        .where(
            *ranking.candidate_filter(viewer.user_id, category_id),
            *ranking.newer_than(viewer.user_id, since, tab == "buddies"),
        )
        .limit(NEW_POSTS_CAP + 1)
        .subquery()
    )
    count = int(session.execute(select(func.count()).select_from(newer)).scalar_one())
    if tab == "trending" or category_id is not None or count > NEW_POSTS_CAP:
        return count
    return count + new_trips_count(
        session, viewer.user_id, since, buddies_only=tab == "buddies",
        cap=NEW_POSTS_CAP + 1 - count,
    )  # fmt: skip
