"""The like path's share of achievements: likes_received without slowing a like down.

A like or unlike moves the recommendation's `likes_count` with one `UPDATE … RETURNING`.
`count_like` is that same single statement, extended: it also moves the author's running
`achievement_totals.likes_received` and says whether the new value crossed a
likes_received threshold of the catalogue. Only then does the like evaluate the author
(one like in 25 or 100 for a new author, none afterwards), so an ordinary like costs no
extra statement (tests/integration/interactions/test_statement_budget.py).

Exact under concurrency: the totals row is updated in place, so likes of one author's
different recommendations queue on it and each sees the value the previous one left;
exactly one of them crosses each threshold (an unlike and a new like may cross it
again: evaluation is idempotent). The running value is reset to the true count by every
evaluation that recounts likes_received (a deleted recommendation, a purged liker), and
the backfill sets it for data that predates it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models.enums import Metric
from citypulse.services.achievements.evaluate import evaluate
from citypulse.services.interactions.core import COUNTERS, Counters
from citypulse.services.prepared import Prepared

_COUNT_LIKE = Prepared(sa.text(
    "WITH rec AS ("
    " UPDATE recommendations SET likes_count = greatest(likes_count + :delta, 0)"
    " WHERE id = :recommendation_id RETURNING author_id, " + ", ".join(COUNTERS) +
    "), total AS ("
    " INSERT INTO achievement_totals (user_id, likes_received, created_at, updated_at)"
    " SELECT author_id, greatest(:delta, 0), :now, :now FROM rec"
    " ON CONFLICT (user_id) DO UPDATE"
    " SET likes_received = greatest(achievement_totals.likes_received + :delta, 0)"
    " RETURNING likes_received"
    ") SELECT rec.*, EXISTS (SELECT 1 FROM achievements a WHERE a.is_active"
    " AND a.metric = 'likes_received' AND a.threshold > total.likes_received - :delta"
    " AND a.threshold <= total.likes_received) AS crossed FROM rec, total"
))  # fmt: skip


def count_like(session: Session, recommendation_id: int, delta: int, now: datetime) -> Counters:
    """Move likes_count by `delta` (±1) and evaluate the author when a threshold is crossed.

    Call it only for a like row this transaction really inserted or deleted (as
    `interactions.core.bump_counter`). Returns the recommendation's counters after it.
    """
    row = _COUNT_LIKE.run(session, delta=delta, recommendation_id=recommendation_id, now=now).one()
    if row.crossed:
        evaluate(session, user_id=row.author_id, metrics={Metric.likes_received}, now=now)
    return Counters.of(row)
