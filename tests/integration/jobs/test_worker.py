"""The job worker against real PostgreSQL: every pass runs its service, once at a time.

The worker is procrastinate's own (`app.run_worker_async`), on the queue migrated by
alembic 0005; ticks are deferred the way every worker's periodic deferrer does it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Status
from sqlalchemy import Engine, inspect, text
from sqlmodel import delete, select

from citypulse.email.messages import verification_email
from citypulse.email.outbox import DeliveryReport, enqueue
from citypulse.jobs import worker as worker_module
from citypulse.jobs.app import HOUSEKEEPING, SCHEMA, app
from citypulse.jobs.health import heartbeat_path, worker_health
from citypulse.jobs.schedule import SCHEDULE
from citypulse.media.staging import MAX_AGE_SECONDS, SUFFIX, staging_dir
from citypulse.models import (
    Category,
    DataExport,
    EmailOutbox,
    FeedRanking,
    FeedSnapshot,
    Like,
    Notification,
    Recommendation,
    Suspension,
    TrendingScore,
    User,
)
from citypulse.models.enums import (
    AccountStatus,
    DataExportStatus,
    EmailStatus,
    NotificationType,
)
from citypulse.services.accounts.data_export import (
    build_pending_exports,
    data_export_request,
    export_path,
)
from tests.integration.jobs.conftest import TEST_DOMAIN
from tests.integration.jobs.support import defer_due_ticks, drain, queue_rows, run_due_passes
from tests.integration.notifications.support import stored
from tests.support.factories import create_recommendation, create_user
from tests.support.fake_sendgrid import FakeSendGrid

ALL_TASKS = {job.name for job in SCHEDULE} | {HOUSEKEEPING}


def test_the_queue_lives_in_its_own_schema(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names(schema=SCHEMA))
    assert {"procrastinate_jobs", "procrastinate_periodic_defers"} <= tables
    assert not [name for name in inspect(engine).get_table_names() if "procrastinate" in name]


def test_every_periodic_pass_runs_its_service_through_the_worker(
    committed: partial, engine: Engine, email_via_fake_sendgrid: FakeSendGrid
) -> None:
    now = datetime.now(UTC)
    long_ago = now - timedelta(days=2)
    with committed() as db:
        overdue = create_user(db, username="jobs_overdue", email=f"overdue@{TEST_DOMAIN}",
                              status=AccountStatus.deactivated)  # fmt: skip
        overdue.deactivated_at, overdue.deletion_due_at = now - timedelta(days=31), long_ago
        db.add(overdue)
        lapsed = create_user(db, username="jobs_lapsed", email=f"lapsed@{TEST_DOMAIN}")
        lapsed_export = data_export_request(db, user_id=lapsed.id, now=long_ago).id
        enqueue(db, verification_email(f"mail@{TEST_DOMAIN}", "Mail Person", "tok"))
        author = create_user(db, username="jobs_author", email=f"author@{TEST_DOMAIN}")
        fan = create_user(db, username="jobs_fan", email=f"fan@{TEST_DOMAIN}")
        stored(db, author, at=now - timedelta(hours=1), type_=NotificationType.recommendation_like,
               actor=fan, message="Jobs Fan liked “Tarts”.")  # fmt: skip
        expired_note = stored(db, author, at=now - timedelta(days=200), read=True).id
        kept_note = stored(db, author, at=now - timedelta(days=200)).id  # unread: kept a year
        # The fixtures delete the users (and so their places), not categories: reuse one, or
        # remove the one made here at the end (the seed test counts categories).
        existing_category = db.exec(select(Category)).first()
        tarts = create_recommendation(db, author=author, category=existing_category)
        made_category_id = None if existing_category else tarts.category_id
        db.add(
            Like(recommendation_id=tarts.id, user_id=fan.id, created_at=now - timedelta(hours=1))
        )
        old_feed = FeedSnapshot(user_id=fan.id, tab="for_you", item_ids=[tarts.id],
                                created_at=long_ago, expires_at=long_ago)  # fmt: skip
        db.add(old_feed)
        # An open feed session: its viewer's For You is ranked ahead of the next one.
        db.add(FeedSnapshot(user_id=lapsed.id, tab="for_you", item_ids=[],
                            expires_at=now + timedelta(minutes=20)))  # fmt: skip
        db.flush()
        tarts_id, old_feed_id, lapsed_id = tarts.id, old_feed.id, lapsed.id
        paused = create_user(db, username="jobs_paused", email=f"paused@{TEST_DOMAIN}",
                             status=AccountStatus.suspended)  # fmt: skip
        db.add(Suspension(user_id=paused.id, kind="suspension", reason="Suspended for the test",
                          starts_at=long_ago, ends_at=now - timedelta(minutes=1)))  # fmt: skip
    assert build_pending_exports(now=long_ago) == 1  # lapsed's: ready, but expired by now
    with committed() as db:
        waiting = create_user(db, username="jobs_waiting", email=f"waiting@{TEST_DOMAIN}")
        pending_export = data_export_request(db, user_id=waiting.id, now=now).id
    email_via_fake_sendgrid.clear()  # the build above sent nothing; start from nothing
    with committed() as db:
        lapsed_file = export_path(db.get(DataExport, lapsed_export).file_key)
    assert lapsed_file.is_file()
    old, fresh = (staging_dir() / f"{name}{SUFFIX}" for name in ("old", "fresh"))
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    stale = time.time() - MAX_AGE_SECONDS - 60
    os.utime(old, (stale, stale))

    run_due_passes()

    # deliver_email
    assert email_via_fake_sendgrid.wait_for_message(f"mail@{TEST_DOMAIN}", timeout=10)
    # purge_accounts (its goodbye mail leaves right after the purge's commit)
    assert email_via_fake_sendgrid.wait_for_message(f"overdue@{TEST_DOMAIN}", timeout=10)
    # send_daily_summaries
    summary = email_via_fake_sendgrid.wait_for_message(f"author@{TEST_DOMAIN}", timeout=10)
    assert summary["subject"] == "Your recommendations got 1 new like"
    # expire_suspensions (suspension_ended is always mailed)
    assert email_via_fake_sendgrid.wait_for_message(f"paused@{TEST_DOMAIN}", timeout=10)
    with committed() as db:
        assert db.exec(select(User).where(User.username == "jobs_overdue")).first() is None
        # purge_exports
        assert db.get(DataExport, lapsed_export).status == DataExportStatus.expired
        # build_exports
        assert db.get(DataExport, pending_export).status == DataExportStatus.ready
        assert db.exec(select(EmailOutbox.status)).all() == [EmailStatus.sent] * 4
        paused = db.exec(select(User).where(User.username == "jobs_paused")).one()
        assert paused.account_status == AccountStatus.active
        # refresh_trending (the like counts 2 in both windows), purge_feed_snapshots
        trend = select(TrendingScore.score).where(TrendingScore.recommendation_id == tarts_id)
        assert db.exec(trend).all() == [2.0, 2.0]
        assert db.get(FeedSnapshot, old_feed_id) is None
        # refresh_feed_rankings
        ranked = select(FeedRanking.item_ids).where(FeedRanking.user_id == lapsed_id)
        assert tarts_id in db.exec(ranked).one()
        # notifications_retention
        assert db.get(Notification, expired_note) is None
        assert db.get(Notification, kept_note) is not None
    assert not lapsed_file.exists()
    # sweep_staged_uploads
    assert not old.exists() and fresh.exists()
    if made_category_id is not None:
        with committed() as db:
            db.execute(delete(Recommendation).where(Recommendation.id == tarts_id))
            db.execute(delete(Category).where(Category.id == made_category_id))
    # Each pass was deferred once for its tick and succeeded (successful jobs leave no row).
    deferred = queue_rows(engine, "SELECT task_name FROM procrastinate_periodic_defers")
    assert sorted(row[0] for row in deferred) == sorted(ALL_TASKS)
    assert queue_rows(engine, "SELECT task_name, status FROM procrastinate_jobs") == []


def test_two_workers_defer_one_job_per_pass_and_tick(committed: partial, engine: Engine) -> None:
    at = time.time()

    async def two_deferrers() -> None:
        async with app.open_async():
            await asyncio.gather(defer_due_ticks(at), defer_due_ticks(at))
            await defer_due_ticks(at)  # a third, later: still nothing new

    asyncio.run(two_deferrers())

    rows = queue_rows(engine, "SELECT task_name, status FROM procrastinate_jobs")
    assert sorted(rows) == sorted((name, "todo") for name in ALL_TASKS)


def test_a_pass_waits_while_another_run_of_it_holds_the_lock(
    committed: partial, engine: Engine
) -> None:
    async def scenario() -> None:
        async with app.open_async():
            manager, task = app.job_manager, app.tasks["deliver_email"]
            worker_id = await manager.register_worker()
            first = await task.defer_async(timestamp=1)
            with pytest.raises(AlreadyEnqueued):  # at most one run waits
                await task.defer_async(timestamp=2)
            running = await manager.fetch_job(queues=None, worker_id=worker_id)
            assert running is not None and running.id == first
            second = await task.defer_async(timestamp=3)  # may wait while the first runs...
            # ...but no worker can take it until the first finishes.
            assert await manager.fetch_job(queues=None, worker_id=worker_id) is None
            await manager.finish_job(running, status=Status.SUCCEEDED, delete_job=True)
            after = await manager.fetch_job(queues=None, worker_id=worker_id)
            assert after is not None and after.id == second

    asyncio.run(scenario())


def test_two_real_workers_never_run_a_pass_at_once(
    committed: partial, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()
    active, peak, calls = [0], [0], []
    guard = threading.Lock()

    def slow_delivery(*_args: object, **_kwargs: object) -> DeliveryReport:
        with guard:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
            calls.append(threading.current_thread().name)
        started.set()
        time.sleep(0.5)
        with guard:
            active[0] -= 1
        return DeliveryReport()

    monkeypatch.setattr("citypulse.jobs.schedule.deliver_pending", slow_delivery)
    task = app.tasks["deliver_email"]

    async def scenario() -> None:
        async with app.open_async():
            await task.defer_async(timestamp=1)
            options = {"wait": True, "install_signal_handlers": False, "listen_notify": False,
                       "fetch_job_polling_interval": 0.05}  # fmt: skip
            workers = [
                asyncio.create_task(app.run_worker_async(name=f"w{i}", **options)) for i in (1, 2)
            ]
            assert await asyncio.to_thread(started.wait, 10)
            # A second run may wait while the first runs (the workers' own periodic
            # deferrers may have queued it already).
            with contextlib.suppress(AlreadyEnqueued):
                await task.defer_async(timestamp=2)
            deadline = time.monotonic() + 10
            while len(calls) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            for running in workers:
                running.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    asyncio.run(scenario())

    assert len(calls) == 2 and peak[0] == 1


def test_housekeeping_releases_a_pass_whose_worker_died(committed: partial, engine: Engine) -> None:
    async def scenario() -> None:
        async with app.open_async():
            manager, task = app.job_manager, app.tasks["deliver_email"]
            dead_worker = await manager.register_worker()
            stuck = await task.defer_async(timestamp=1)
            assert (await manager.fetch_job(queues=None, worker_id=dead_worker)).id == stuck
            await task.defer_async(timestamp=2)  # blocked behind the stuck run's lock
            await app.tasks[HOUSEKEEPING].defer_async(timestamp=3)
            with engine.begin() as connection:  # the worker stopped sending heartbeats
                connection.execute(
                    text(
                        f"UPDATE {SCHEMA}.procrastinate_workers "
                        "SET last_heartbeat = now() - interval '1 hour' WHERE id = :id"
                    ),
                    {"id": dead_worker},
                )
            await drain(concurrency=1)

    asyncio.run(scenario())

    # The stuck run is failed (kept for inspection); the next run of the pass went through.
    rows = queue_rows(engine, "SELECT task_name, status FROM procrastinate_jobs")
    assert rows == [("deliver_email", "failed")]


def test_the_worker_process_loop_beats_and_stops_with_its_parent(
    committed: partial, engine: Engine
) -> None:
    async def scenario() -> None:
        serving = asyncio.create_task(
            worker_module.serve_jobs(parent_pid=os.getppid(), heartbeat_interval=0.05)
        )
        deadline = time.monotonic() + 15
        while not heartbeat_path().exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert worker_health() == 0
        assert queue_rows(engine, "SELECT count(*) FROM procrastinate_workers") == [(1,)]
        serving.cancel()
        with pytest.raises(asyncio.CancelledError):
            await serving
        # A parent that is gone: the loop ends by itself.
        await asyncio.wait_for(worker_module.serve_jobs(parent_pid=-1), timeout=30)

    asyncio.run(scenario())

    assert not heartbeat_path().exists()
    assert worker_health() == 1
    assert queue_rows(engine, "SELECT count(*) FROM procrastinate_workers") == [(0,)]


def test_a_failing_pass_is_kept_as_failed_and_the_others_still_run(
    committed: partial, engine: Engine, email_via_fake_sendgrid: FakeSendGrid,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    def broken_sweep(**_kwargs: object) -> int:
        raise OSError("staging folder unreadable")

    monkeypatch.setattr("citypulse.jobs.schedule.sweep_staging", broken_sweep)
    with committed() as db:
        enqueue(db, verification_email(f"mail@{TEST_DOMAIN}", "Mail Person", "tok"))

    run_due_passes()

    assert email_via_fake_sendgrid.wait_for_message(f"mail@{TEST_DOMAIN}", timeout=10)
    rows = queue_rows(engine, "SELECT task_name, status FROM procrastinate_jobs")
    assert rows == [("sweep_staged_uploads", "failed")]
