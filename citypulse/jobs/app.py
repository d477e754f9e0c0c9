"""The job runner: procrastinate on CityPulse's PostgreSQL, one task per schedule row.

The queue lives in the schema `procrastinate` (alembic revision 0005); only the worker's
own connections put it on their search_path, so nothing of it is visible to the app's
models. Each row of `schedule.SCHEDULE` becomes a task with `lock` and `queueing_lock`
set to its name and a periodic schedule: the periodic deferrer of every running worker
tries to defer each tick, and the database keeps exactly one job per task and tick, so
any number of worker replicas run a pass once per tick and never two runs of it at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import procrastinate
from procrastinate.app import WorkerOptions
from procrastinate.jobs import Status

from citypulse.db import database_url, to_libpq_url
from citypulse.jobs.schedule import SCHEDULE, Job

logger = logging.getLogger(__name__)

SCHEMA = "procrastinate"
CONCURRENCY = 4  # passes are blocking functions; each runs in a thread of its own
WORKER_OPTIONS: WorkerOptions = {
    "name": "citypulse-worker",
    "concurrency": CONCURRENCY,
    # A finished pass leaves no row (thousands a day); failed ones stay for inspection
    # until `job_housekeeping` removes them.
    "delete_jobs": "successful",
    "shutdown_graceful_timeout": 60,
}
# A worker that starts within this long after a missed tick still runs that tick (a
# redeploy at 03:10 must not skip the day's purge).
PERIODIC_MAX_DELAY = 3600
HOUSEKEEPING = "job_housekeeping"
HOUSEKEEPING_CRON = "*/5 * * * *"
STALLED_AFTER_SECONDS = 120  # no heartbeat from the job's worker for this long
FAILED_KEPT_HOURS = 30 * 24


def conninfo() -> str:
    """The libpq URL of the app's database, resolved when the pool first connects."""
    return to_libpq_url(database_url())


app = procrastinate.App(
    connector=procrastinate.PsycopgConnector(
        conninfo=conninfo,
        kwargs={"options": f"-c search_path={SCHEMA}"},
        min_size=1,
        max_size=CONCURRENCY + 2,  # + the LISTEN connection and the periodic deferrer
    ),
    worker_defaults=WORKER_OPTIONS,
    periodic_defaults={"max_delay": PERIODIC_MAX_DELAY},
)


def _task_for(job: Job) -> Callable[..., int]:
    def run_pass(timestamp: int | None = None) -> int:
        # The pass runs on the clock, not on the tick: a run that waited still sees now.
        done = job.run(datetime.now(UTC))
        if done:
            logger.info("%s: %d %s", job.name, done, job.counts)
        return done

    run_pass.__name__ = run_pass.__qualname__ = job.name
    return run_pass


for _job in SCHEDULE:
    _task = app.task(name=_job.name, lock=_job.name, queueing_lock=_job.name)(_task_for(_job))
    app.periodic(cron=_job.cron, periodic_id=_job.name)(_task)


@app.periodic(cron=HOUSEKEEPING_CRON, periodic_id=HOUSEKEEPING)
@app.task(name=HOUSEKEEPING, lock=HOUSEKEEPING, queueing_lock=HOUSEKEEPING, pass_context=True)
async def job_housekeeping(context: procrastinate.JobContext, timestamp: int) -> int:
    """Release passes whose worker died mid-run, and forget old failed runs.

    A job left `doing` by a killed worker would hold its pass's lock forever: it is
    marked failed (the next tick runs the pass again). Returns how many were released.
    """
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS)
    for job in stalled:
        logger.warning("Releasing %s (job %s): its worker stopped mid-run", job.task_name, job.id)
        await manager.finish_job(job, status=Status.FAILED, delete_job=False)
    await manager.delete_old_jobs(nb_hours=FAILED_KEPT_HOURS, include_failed=True)
    return len(stalled)
