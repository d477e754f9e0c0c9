"""Trending (PRODUCT.md §4.9.3, issue 11): T per recommendation and window, materialised.

T = 2·likes + 3·saves + 2·ratings + 0.1·views, counting only the events inside the window
(7 or 30 days) that still exist (an unlike deletes its row, so it no longer counts).
Issue 11 adds ratings×2 to §4.9's formula; `WEIGHTS` is the one place it is defined.

`trending_refresh` is a job-runner pass (citypulse/jobs/schedule.py): it replaces each
window's rows of `trending_scores` in one transaction, so a reader sees the previous
complete ranking until the new one commits. Each event table is read through its
`(created_at)` index for the window only, grouped per recommendation; only public active
recommendations of active authors with T > 0 are kept, the best `KEEP_PER_CATEGORY` per
category, each with its author and category. A feed session's ranking reads
`ix_trending_scores_window_days_rank` and leaves out the viewer's own places and authors
blocked either way; every page of the session applies the one visibility rule (a place
or author that changed since the refresh is skipped there).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import TextClause, text
from sqlmodel import Session

from citypulse.models.feed import TRENDING_WINDOWS

# Kept per category and window: a feed session holds at most 500 items, so every chip
# and "all categories" (the union of the categories' tops) has its top 1000 stored, with
# room for the items a viewer may not see (blocks); the table stays small at any scale.
KEEP_PER_CATEGORY = 1000
WEIGHTS = {"likes": 2.0, "saves": 3.0, "ratings": 2.0, "views": 0.1}

_EVENTS = " UNION ALL ".join(
    f"SELECT recommendation_id, {weight}::float8 AS points FROM {table} WHERE created_at >= :since"
    for table, weight in WEIGHTS.items()
)


def refresh_statement(keep: int = KEEP_PER_CATEGORY) -> TextClause:
    """The INSERT … SELECT of one window, keeping the best `keep` per category."""
    return text(
        f"""
    INSERT INTO trending_scores
        (window_days, recommendation_id, score, recommendation_created_at, author_id,
         category_id, created_at)
    SELECT :window, id, score, created_at, author_id, category_id, :now FROM (
        SELECT r.id, r.created_at, r.author_id, r.category_id, t.score, row_number() OVER (
                   PARTITION BY r.category_id
                   ORDER BY t.score DESC, r.created_at DESC, r.id DESC) AS place
        FROM (SELECT recommendation_id, sum(points) AS score FROM ({_EVENTS}) AS e
              GROUP BY recommendation_id) AS t
        JOIN recommendations AS r ON r.id = t.recommendation_id
        JOIN users AS u ON u.id = r.author_id
        WHERE t.score > 0 AND r.status = 'active' AND r.visibility = 'public'
          AND u.account_status = 'active' AND u.email_verified_at IS NOT NULL
    ) AS ranked
    WHERE place <= {int(keep)}
    """
    )


_REFRESH = refresh_statement()
_CLEAR = text("DELETE FROM trending_scores WHERE window_days = :window")


def trending_refresh(session: Session, now: datetime) -> int:
    """Recompute both windows as of `now`; returns how many rows were written.

    Job-runner pass only (one transaction, no actor). Visibility per viewer (author
    state, blocks) is applied when the ranking is read, not here.
    """
    written = 0
    for window in TRENDING_WINDOWS:
        session.execute(_CLEAR, {"window": window})
        result = session.execute(
            _REFRESH, {"window": window, "since": now - timedelta(days=window), "now": now}
        )
        written += result.rowcount or 0
    return written
