"""The periodic work of CityPulse: one row per pass, run by the worker (citypulse/jobs/app.py).

Each pass is a plain function `run(now) -> int` (how many things it handled, for the
log). Service passes call a service `fn(session, now) -> int` in one transaction
(`services.unit_of_work.run_transaction`, so mail it queues leaves right after the
commit); email delivery and export builds commit per row, as their services do.

Times are UTC cron expressions. Every pass holds a lock named after it: two workers never
run the same pass at once, and at most one run of it waits in the queue.

To add a pass: write the service (`fn(session, now) -> int`, tested on its own), add a
`Job` row here, and the worker schedules it; tests/unit/test_jobs_schedule.py checks the
table and tests/integration/jobs/ runs it through the real worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from citypulse.db import session_scope
from citypulse.email.outbox import deliver_pending
from citypulse.email.senders import sender_from_settings
from citypulse.media.staging import cleanup as sweep_staging
from citypulse.services.accounts.data_export import (
    build_pending_exports,
    data_exports_purge_expired,
)
from citypulse.services.accounts.lifecycle import accounts_purge_due
from citypulse.services.achievements.leaderboard import engagement_refresh
from citypulse.services.feed.pool import feed_pool_refresh
from citypulse.services.feed.ready import feed_rankings_refresh
from citypulse.services.feed.snapshots import feed_snapshots_purge
from citypulse.services.feed.trending import trending_refresh
from citypulse.services.moderation.restrictions import suspensions_expire_due
from citypulse.services.notifications.retention import notifications_retention
from citypulse.services.notifications.summaries import daily_summaries_send
from citypulse.services.unit_of_work import run_transaction

# Most emails one delivery pass handles; a backlog drains over the next minutes (the
# after-commit fast path in the app sends new mail at once anyway).
DELIVERY_BATCH = 500

EVERY_MINUTE = "* * * * *"


@dataclass(frozen=True)
class Job:
    """One periodic pass: its task name, UTC cron schedule, function and what it counts."""

    name: str
    cron: str
    run: Callable[[datetime], int]
    counts: str


def in_one_transaction(service: Callable[[Session, datetime], int]) -> Callable[[datetime], int]:
    """A pass that runs `service(session, now)` in one transaction with its after-commit effects."""

    def run(now: datetime) -> int:
        return run_transaction(lambda session: service(session, now))

    return run


def deliver_email(now: datetime) -> int:
    """Send due outbox rows (new ones and retries); each row commits on its own."""
    report = deliver_pending(session_scope, sender_from_settings(), now, limit=DELIVERY_BATCH)
    return report.sent + report.failed + report.retried


def sweep_staged_uploads(now: datetime) -> int:
    """Delete staged uploads past their age; returns how many still wait."""
    return sweep_staging(now=now.timestamp())


SCHEDULE: tuple[Job, ...] = (
    Job("deliver_email", EVERY_MINUTE, deliver_email, "emails sent, retried or given up"),
    # The safety net behind the app's immediate build: "ready within 2 minutes" after a
    # restart too.
    Job("build_exports", EVERY_MINUTE, build_pending_exports, "data exports built"),
    Job("sweep_staged_uploads", "7 * * * *", sweep_staged_uploads, "staged uploads waiting"),
    # The leaderboard's Engagement (30 days) board: fresh within a minute (§4.8).
    Job(
        "refresh_engagement",
        EVERY_MINUTE,
        in_one_transaction(engagement_refresh),
        "engagement scores changed",
    ),
    # The feed's Trending tab (§4.9.3): T per 7/30-day window, materialised.
    Job("refresh_trending", "*/5 * * * *", in_one_transaction(trending_refresh), "trending rows"),
    # For You's pool (issue 11): the ranking's per-place work, a minute stale at most (what
    # is newer is read live).
    Job(
        "refresh_feed_pool",
        EVERY_MINUTE,
        in_one_transaction(feed_pool_refresh),
        "feed pool rows written",
    ),
    # For You rankings ahead of the visit (issue 11): viewers with an open feed session
    # are re-ranked every 5 minutes, so their next session merges into a ready one.
    Job(
        "refresh_feed_rankings",
        EVERY_MINUTE,
        in_one_transaction(feed_rankings_refresh),
        "viewers ranked",
    ),
    # Feed sessions are held 30 minutes (§4.9.5); expired ones go.
    Job(
        "purge_feed_snapshots",
        "*/10 * * * *",
        in_one_transaction(feed_snapshots_purge),
        "feed sessions purged",
    ),
    # Auto-lift at ends_at (§4.13.5: at least every 5 minutes; each request checks too).
    Job(
        "expire_suspensions",
        EVERY_MINUTE,
        in_one_transaction(suspensions_expire_due),
        "suspensions lifted",
    ),
    # Hourly, though a user gets at most one summary per 24 h: each goes out within the
    # hour after their 24 h are up.
    Job(
        "send_daily_summaries",
        "30 * * * *",
        in_one_transaction(daily_summaries_send),
        "daily summaries queued",
    ),
    Job("purge_accounts", "10 3 * * *", in_one_transaction(accounts_purge_due), "accounts purged"),
    Job(
        "purge_exports",
        "20 3 * * *",
        in_one_transaction(data_exports_purge_expired),
        "export files removed",
    ),
    Job(
        "notifications_retention",
        "30 3 * * *",
        in_one_transaction(notifications_retention),
        "old notifications deleted",
    ),
)


def job_named(name: str) -> Job:
    """The schedule row called `name` (KeyError for an unknown name)."""
    for job in SCHEDULE:
        if job.name == name:
            return job
    raise KeyError(name)
