"""The operator's recompute (§4.7.5): re-evaluate everyone with every metric.

For rule changes (a new badge, a threshold) and for data that predates the incremental
evaluation. It is the same `evaluate_users` as the triggering actions, with all metrics,
so it awards exactly what incremental evaluation would have (tested with random event
sequences) and is idempotent: a second run awards nothing. It also rewrites every
evaluated user's totals (points after a points change) and running like count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models.enums import Metric
from citypulse.services.achievements.evaluate import evaluate_users

ALL_METRICS = frozenset(Metric)
BATCH = 200  # users per transaction in the command


@dataclass(frozen=True)
class BackfillReport:
    users: int  # evaluated in this call
    awarded: int  # badges awarded
    last_id: int  # pass as `after_id` to continue; 0 when no user was left


def achievements_backfill(
    session: Session, *, now: datetime, after_id: int = 0, limit: int | None = None
) -> BackfillReport:
    """Re-evaluate the users with id > `after_id` (at most `limit`), in id order."""
    query = "SELECT id FROM users WHERE id > :after ORDER BY id"
    if limit is not None:
        query += " LIMIT :limit"
    ids = list(session.execute(sa.text(query), {"after": after_id, "limit": limit}).scalars())
    awarded = evaluate_users(session, affected=dict.fromkeys(ids, ALL_METRICS), now=now)
    return BackfillReport(len(ids), sum(len(a) for a in awarded.values()), ids[-1] if ids else 0)
