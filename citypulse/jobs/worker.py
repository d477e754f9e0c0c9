"""The worker process: `python -m citypulse.cli worker` (compose service `worker`, `make run`).

It refuses to start on a database that is not migrated to head (like the app), runs the
procrastinate worker until SIGINT/SIGTERM (running passes finish first), and touches a
heartbeat file after each successful round trip to the queue's tables, which
`python -m citypulse.jobs.health` (the container's healthcheck) reads.

`make run` starts it beside the app with `--exit-with-parent`: it stops by itself when
the process that started it (the app) is gone, however the app ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path

from citypulse.jobs.app import app
from citypulse.jobs.health import heartbeat_path
from citypulse.realtime import relay
from citypulse.schema_check import assert_schema_current

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 10.0
PARENT_POLL = 1.0


async def _heartbeat(path: Path, interval: float) -> None:
    while True:
        try:
            if await app.job_manager.check_connection_async():
                path.touch()
        except Exception:  # the healthcheck reports it; the worker keeps trying
            logger.warning("Job worker cannot reach its queue", exc_info=True)
        await asyncio.sleep(interval)


async def _parent_gone(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        await asyncio.sleep(PARENT_POLL)
    logger.info("The app stopped: stopping the job worker")


async def serve_jobs(
    *, parent_pid: int | None = None, heartbeat_interval: float = HEARTBEAT_INTERVAL
) -> None:
    """Run the worker until it is stopped (signal), or until `parent_pid` is no longer
    this process's parent."""
    path = heartbeat_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # a previous run's heartbeat says nothing about this one
    async with app.open_async():
        worker = asyncio.create_task(app.run_worker_async(), name="procrastinate worker")
        side = [asyncio.create_task(_heartbeat(path, heartbeat_interval))]
        if parent_pid is not None:
            side.append(asyncio.create_task(_parent_gone(parent_pid)))
        try:
            await asyncio.wait([worker, *side], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in side:
                task.cancel()
            # Cancelling stops procrastinate gracefully: running passes finish first.
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
            path.unlink(missing_ok=True)


def run_worker(*, exit_with_parent: bool = False) -> int:
    """`worker`: serve the job queue until stopped; returns the exit code."""
    assert_schema_current()
    relay.forward_to_app()  # its passes' live events reach the app's tabs
    parent = os.getppid() if exit_with_parent else None
    logger.info("Job worker started")
    asyncio.run(serve_jobs(parent_pid=parent))
    logger.info("Job worker stopped")
    return 0
