"""Evaluation: award badges inside the triggering transaction (PRODUCT.md §4.7.2–§4.7.3).

`evaluate` recounts only the metrics an event can affect, for the users it affects,
after taking each user's lock (their `achievement_totals` row, locked in ascending user
order so two multi-user evaluations never deadlock). Under that lock the recount sees
every committed change, so two racing actions cannot both award a badge (and the
unique (user, achievement) row makes a second award impossible anyway) and cannot both
miss one: the later one waits for the earlier one's commit and recounts after it.

Order inside one user's evaluation: recount → progress rows (completed_at set once,
never cleared) → tier badges (from the non-tier badges now earned) → totals (points,
completed, families) → an achievement_unlocked notification per new badge →
`AchievementUnlocked` after commit.

No client action reaches this module with a choice of badge: callers pass the metrics
their event can change; the values always come from the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models.enums import Metric, NotificationType, Tier
from citypulse.realtime import publish_after_commit
from citypulse.services.achievements.events import AchievementUnlocked
from citypulse.services.achievements.metrics import COUNTED, metric_values_sql
from citypulse.services.notifications.create import notify
from citypulse.services.prepared import Prepared

ACHIEVEMENTS_URL = "/achievements"

# The per-user lock: the user's totals row, created on first use.
_LOCK = Prepared(sa.text(
    "INSERT INTO achievement_totals (user_id, created_at, updated_at) "
    "VALUES (:user_id, :now, :now) ON CONFLICT (user_id) DO UPDATE "
    "SET updated_at = excluded.updated_at"
))  # fmt: skip
_BADGES = Prepared(sa.text(
    "SELECT a.id, a.code, a.name, a.description, a.metric, a.threshold, a.tier, a.points, "
    "ua.progress, ua.completed_at FROM achievements a "
    "LEFT JOIN user_achievements ua ON ua.achievement_id = a.id AND ua.user_id = :user_id "
    "WHERE a.is_active ORDER BY a.sort_order, a.id"
))  # fmt: skip
_WRITE = sa.text(
    "INSERT INTO user_achievements "
    "(user_id, achievement_id, progress, completed_at, created_at, updated_at) "
    "SELECT :user_id, x.id, x.progress, x.completed_at, :now, :now "
    "FROM unnest(CAST(:ids AS integer[]), CAST(:progress AS integer[]), "
    "CAST(:completed AS timestamptz[])) AS x(id, progress, completed_at) "
    "ON CONFLICT (user_id, achievement_id) DO UPDATE SET progress = excluded.progress, "
    "completed_at = coalesce(user_achievements.completed_at, excluded.completed_at), "
    "updated_at = excluded.updated_at"
)
_TOTALS = (
    "UPDATE achievement_totals SET points = s.points, completed = s.completed, "
    "families = s.families, updated_at = :now{likes} "
    "FROM (SELECT coalesce(sum(a.points), 0) AS points, count(*) AS completed, "
    "count(DISTINCT a.metric) FILTER (WHERE a.metric <> 'tier_badge') AS families "
    "FROM user_achievements ua JOIN achievements a ON a.id = ua.achievement_id "
    "WHERE ua.user_id = :user_id AND ua.completed_at IS NOT NULL) AS s "
    "WHERE achievement_totals.user_id = :user_id"
)
_UPDATE_TOTALS = Prepared(sa.text(_TOTALS.format(likes="")))
_UPDATE_TOTALS_AND_LIKES = Prepared(
    sa.text(_TOTALS.format(likes=", likes_received = :likes_received"))
)
_RECOUNTS: dict[tuple[Metric, ...], Prepared] = {}
_ALL = frozenset(Metric)


@dataclass(frozen=True)
class _Badge:
    id: int
    name: str
    description: str
    metric: Metric
    threshold: int
    tier: Tier
    points: int
    progress: int | None  # None: no row yet
    completed: bool


def evaluate(
    session: Session, *, user_id: int, metrics: Iterable[Metric], now: datetime
) -> tuple[int, ...]:
    """Re-evaluate `user_id`'s badges of `metrics` in the caller's transaction.

    Returns the ids of the badges awarded now (tier badges last), usually ().
    """
    return evaluate_users(session, affected={user_id: metrics}, now=now).get(user_id, ())


def evaluate_users(
    session: Session, *, affected: Mapping[int, Iterable[Metric]], now: datetime
) -> dict[int, tuple[int, ...]]:
    """`evaluate` for several users of one event (locks taken in ascending user order)."""
    session.flush()  # the recount must see the event's ORM changes
    wanted = {user_id: frozenset(metrics) for user_id, metrics in affected.items()}
    for user_id in sorted(wanted):
        _LOCK.run(session, user_id=user_id, now=now)
    return {user_id: _evaluate_locked(session, user_id, wanted[user_id], now)
            for user_id in sorted(wanted)}  # fmt: skip


def _recount(session: Session, user_id: int, metrics: frozenset[Metric]) -> dict[Metric, int]:
    counted = tuple(m for m in COUNTED if m in metrics)
    if not counted:
        return {}
    statement = _RECOUNTS.get(counted)
    if statement is None:
        statement = _RECOUNTS[counted] = Prepared(sa.text(metric_values_sql(counted)))
    row = statement.run(session, user_id=user_id).one()
    return {metric: int(row._mapping[metric.value]) for metric in counted}


def _evaluate_locked(
    session: Session, user_id: int, metrics: frozenset[Metric], now: datetime
) -> tuple[int, ...]:
    values = _recount(session, user_id, metrics)
    badges = [
        _Badge(row.id, row.name, row.description, Metric(row.metric), row.threshold,
               Tier(row.tier), row.points, row.progress, row.completed_at is not None)
        for row in _BADGES.run(session, user_id=user_id)
    ]  # fmt: skip
    writes: dict[int, tuple[int, bool]] = {}  # badge id → (progress, completes now)
    awarded: list[_Badge] = []
    for badge in badges:
        if badge.metric in values:
            _consider(badge, values[badge.metric], writes, awarded)
    if awarded or Metric.tier_badge in metrics:
        earned = {tier: 0 for tier in Tier}
        for badge in badges:
            if badge.metric is not Metric.tier_badge and (badge.completed or badge in awarded):
                earned[badge.tier] += 1
        for badge in badges:
            if badge.metric is Metric.tier_badge:
                _consider(badge, earned[badge.tier], writes, awarded)
    if writes:
        ids = list(writes)
        session.execute(_WRITE, {
            "user_id": user_id, "now": now, "ids": ids,
            "progress": [writes[i][0] for i in ids],
            "completed": [now if writes[i][1] else None for i in ids],
        })  # fmt: skip
    # Every metric (the backfill): the totals are rewritten even without a new award,
    # so a changed catalogue (points) reaches the leaderboard.
    full = metrics >= _ALL
    if (awarded or full) and Metric.likes_received in values:
        _UPDATE_TOTALS_AND_LIKES.run(session, user_id=user_id, now=now,
                                     likes_received=values[Metric.likes_received])  # fmt: skip
    elif awarded:
        _UPDATE_TOTALS.run(session, user_id=user_id, now=now)
    elif Metric.likes_received in values:
        _RESYNC_LIKES.run(session, user_id=user_id, likes_received=values[Metric.likes_received])
    for badge in awarded:
        notify(
            session,
            recipient_id=user_id,
            type=NotificationType.achievement_unlocked,
            actor=None,
            title=f"Achievement unlocked: {badge.name}",
            message=f"You earned {badge.name} ({badge.tier.value}, {badge.points} points). "
            f"{badge.description}",
            action_url=ACHIEVEMENTS_URL,
            now=now,
        )
    if awarded:
        publish_after_commit(session, AchievementUnlocked(user_id, tuple(b.id for b in awarded)))
    return tuple(badge.id for badge in awarded)


# The like path's running count goes back to the truth whenever it is recounted.
_RESYNC_LIKES = Prepared(sa.text(
    "UPDATE achievement_totals SET likes_received = :likes_received "
    "WHERE user_id = :user_id AND likes_received <> :likes_received"
))  # fmt: skip


def _consider(
    badge: _Badge, value: int, writes: dict[int, tuple[int, bool]], awarded: list[_Badge]
) -> None:
    """Queue the badge's new progress (rows exist once there is progress) and award it."""
    completes = not badge.completed and value >= badge.threshold
    if completes:
        awarded.append(badge)
    if completes or (badge.progress is not None and badge.progress != value):
        writes[badge.id] = (value, completes)
    elif badge.progress is None and value > 0:
        writes[badge.id] = (value, False)
