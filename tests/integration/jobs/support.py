"""Helpers of the job runner tests: defer ticks as a worker's deferrer does, run the worker."""

from __future__ import annotations

import asyncio
import time

from procrastinate.periodic import PeriodicDeferrer
from sqlalchemy import Engine, text

from citypulse.jobs.app import SCHEMA, app

# Deferring "the previous tick" of every pass, daily ones included.
TWO_DAYS = 2 * 24 * 3600


def queue_rows(engine: Engine, sql: str) -> list[tuple]:
    """Rows of a query on the queue's schema."""
    with engine.connect() as connection:
        connection.execute(text(f"SET LOCAL search_path TO {SCHEMA}"))
        return [tuple(row) for row in connection.execute(text(sql))]


async def defer_due_ticks(at: float | None = None) -> None:
    """What a worker's periodic deferrer does: defer each pass's latest tick before `at`."""
    deferrer = PeriodicDeferrer(registry=app.periodic_registry, max_delay=TWO_DAYS)
    await deferrer.defer_jobs(deferrer.get_previous_tasks(at=at or time.time()))


async def drain(**options: object) -> None:
    """One real worker run that stops once the queue is empty."""
    await app.run_worker_async(
        wait=False, install_signal_handlers=False, listen_notify=False, **options
    )


def run_due_passes() -> None:
    """Defer every pass's latest tick and let the real worker run them all."""

    async def run() -> None:
        async with app.open_async():
            await defer_due_ticks()
            await drain()

    asyncio.run(run())
