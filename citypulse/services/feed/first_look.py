"""A For You session without a usable stored ranking: a first look, completed after it.

A full For You ranking reads and scores ~1,000 candidates (~16 ms p95 in the database at
1 M recommendations, `ranking.rank_for_you`), more than a whole page may take (5 ms).
Most sessions start from a ranking stored ahead (`feed.ready`, `feed.ahead`). The rest
(a chip's first session; a session opened before the ranking made ahead after a sign-in
or a change of terms is stored) start from a first look: the same ranking over the
newest `FIRST_LOOK` candidates of each source, of which the session freezes its first
`PREFIX` items, marked incomplete. After the page's transaction has committed, the full
ranking runs in the background (`complete_in_background`), is stored for the next
session, and the rest of its list is appended behind the prefix (less what the prefix
holds, the author-run limit counted on across the seam). Positions already read never
change, so scrolling never repeats an item (§4.9.5). A page that reaches the end of an
incomplete list before then completes it itself (`complete`); a second completion finds
the session complete and keeps its list (`snapshots.snapshot_complete`).

When the first look had fewer candidates than one source's limit, no source was cut
short: it is the full ranking, stored and frozen whole as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlmodel import Session

from citypulse.models import FeedSnapshot
from citypulse.services.feed import ranking, ready
from citypulse.services.feed.snapshots import Snapshot, snapshot_complete

# Per source: ~125 candidates instead of ~1,000. The first page's ten are the best of
# the newest 25 by buddies, in the interests, in the cities, of everyone, and of the
# trending top, which is where a full ranking's best come from (B, I and C weigh most,
# and the trending source holds the largest T̂): at 1 M recommendations 9.4 of a full
# ranking's first ten on average, 16 of its first 20. 40 per source gave 9.9 and 18.4,
# but 5.3 ms p95 (docs/performance.md, session 12).
FIRST_LOOK = 25
PREFIX = 20  # two pages: the completion has run by the time most readers scroll on
SESSIONS_TO_COMPLETE = "feed_sessions_to_complete"  # session.info: completed after commit


@dataclass(frozen=True)
class SessionList:
    """What a new For You session freezes, and whether that is all of it."""

    ids: list[int]
    complete: bool


def for_you_session(
    session: Session, viewer_id: int, category_id: int | None, now: datetime
) -> SessionList:
    """The list a new For You session starts with: from the stored ranking if usable,
    else the first look (whole, and stored, when no source was cut short)."""
    stored = ready.stored_session_ids(session, viewer_id, category_id, now)
    if stored.ids is not None:
        return SessionList(stored.ids, complete=True)
    # On the page's generic plans (`GENERIC_SETTINGS`, no planning per call): its limits
    # are written into the statements (`terms.written`); a full ranking plans per viewer.
    look = ranking.rank_for_you(
        session, viewer_id, category_id, now, FIRST_LOOK, terms=stored.terms
    )
    if look.whole:
        ready.ranking_store(session, viewer_id, category_id, look, now)
        return SessionList(look.ids(), complete=True)
    return SessionList(look.ids()[:PREFIX], complete=False)


def complete_after_commit(session: Session, snapshot_id: int) -> None:
    """Mark a session started from a first look, to complete once this one commits."""
    session.info.setdefault(SESSIONS_TO_COMPLETE, set()).add(snapshot_id)


def complete(session: Session, viewer_id: int, snapshot: Snapshot) -> Snapshot:
    """Rank the session's list in full as of its start (stored for the next session too:
    what was published since merges in there) and append what its first look does not
    hold; returns the session as completed (by this call or by one that came first)."""
    at = snapshot.created_at  # what was published later is for the "new posts" pill
    session.execute(text(ranking.GENERIC_OFF))
    full = ranking.rank_for_you(session, viewer_id, snapshot.category_id, at)
    ready.ranking_store(session, viewer_id, snapshot.category_id, full, at)
    held = set(snapshot.item_ids)
    authors = {item.id: item.author_id for item in full.items}
    rest = [item for item in full.items if item.id not in held]
    before = [authors.get(item_id) for item_id in snapshot.item_ids]
    item_ids = [*snapshot.item_ids, *ranking.frozen_ids(rest, before)]
    completed = snapshot_complete(session, snapshot.id, item_ids)
    return Snapshot(
        snapshot.id, snapshot.tab, snapshot.window_days, snapshot.category_id, completed,
        snapshot.created_at, snapshot.own, complete=True,
    )  # fmt: skip


def complete_stored(session: Session, snapshot_id: int) -> bool:
    """Complete a stored session if it is still incomplete (the background's pass);
    returns whether it was."""
    s = FeedSnapshot
    row = session.execute(
        select(s.user_id, s.tab, s.window_days, s.category_id, s.item_ids, s.created_at)
        .where(s.id == snapshot_id, ~s.complete)
    ).first()  # fmt: skip
    if row is None:
        return False
    user_id, tab, window_days, category_id, item_ids, created_at = row
    snapshot = Snapshot(
        snapshot_id, tab, window_days, category_id, tuple(item_ids), created_at, complete=False
    )
    complete(session, user_id, snapshot)
    return True
