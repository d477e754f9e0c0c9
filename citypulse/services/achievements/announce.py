"""The celebration pop-up, shown once across all the earner's tabs (PRODUCT.md §4.7.3, §6.5).

Every tab of the earner hears the unlock (state/push.py bumps the user's channel); each
then asks `claim_unlocks`, and one UPDATE … WHERE seen_at IS NULL RETURNING marks the
new badges as announced: the row locks make racing tabs wait for each other, and the
tabs that come second find nothing left to claim, so only the first shows the pop-up.
Only unlocks of the last `ANNOUNCE_WINDOW` are claimed: a badge earned long ago (the
backfill, an old seed) is not celebrated on some later unlock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.prepared import Prepared

ANNOUNCE_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Unlocked:
    """A badge this tab may celebrate (nobody else will)."""

    achievement_id: int
    name: str
    description: str
    icon: str | None
    tier: str
    points: int


_CLAIM = Prepared(sa.text(
    "UPDATE user_achievements ua SET seen_at = :now FROM achievements a "
    "WHERE ua.user_id = :user_id AND a.id = ua.achievement_id "
    "AND ua.completed_at IS NOT NULL AND ua.seen_at IS NULL AND ua.completed_at >= :since "
    "RETURNING a.id, a.name, a.description, a.icon, a.tier, a.points, a.metric, a.sort_order"
))  # fmt: skip


def claim_unlocks(session: Session, *, actor: Viewer, now: datetime) -> tuple[Unlocked, ...]:
    """Mark the actor's unannounced recent badges as announced and return them.

    Empty when another tab already claimed them. Tier badges come last (as awarded).
    """
    rows = _CLAIM.run(session, user_id=actor.user_id, now=now, since=now - ANNOUNCE_WINDOW)
    ordered = sorted(rows.all(), key=lambda r: (r.metric == "tier_badge", r.sort_order, r.id))
    return tuple(Unlocked(r.id, r.name, r.description, r.icon, r.tier, r.points) for r in ordered)
