"""The job schedule table and its procrastinate registration (no database here).

Every pass must be a locked periodic task on the schedule the spec asks for; the
migrated queue schema must be the pinned procrastinate's; the worker's healthcheck
reads the heartbeat file its process touches.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import time
from datetime import UTC, datetime, timedelta
from importlib import metadata, resources
from pathlib import Path

import pytest
from croniter import croniter

from citypulse import cli
from citypulse.jobs import health
from citypulse.jobs.app import HOUSEKEEPING, HOUSEKEEPING_CRON, app
from citypulse.jobs.schedule import SCHEDULE, job_named
from citypulse.settings import PROJECT_ROOT, get_settings

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
# How often each pass runs (PRODUCT.md §4.11/§4.12, §5.6; issue 10 item 6).
EXPECTED_PERIODS = {
    "deliver_email": MINUTE,
    "build_exports": MINUTE,
    "sweep_staged_uploads": HOUR,
    "refresh_engagement": MINUTE,  # leaderboard freshness ≤1 min (§4.8)
    "refresh_trending": 5 * MINUTE,  # the feed's Trending tab (§4.9.3)
    "refresh_feed_pool": MINUTE,  # For You's pool (issue 11); newer places are read live
    "refresh_feed_rankings": MINUTE,  # For You ranked ahead for open feed sessions (issue 11)
    "purge_feed_snapshots": 10 * MINUTE,  # feed sessions live 30 minutes (§4.9.5)
    "expire_suspensions": MINUTE,  # auto-lift at least every 5 min (§4.13.5)
    "send_daily_summaries": HOUR,  # at most one per user per 24 h, sent within the hour
    "notifications_retention": DAY,
    "purge_accounts": DAY,
    "purge_exports": DAY,
}
START = datetime(2026, 12, 6, 0, 0, 30, tzinfo=UTC)


def periods(cron: str, count: int = 30) -> set[timedelta]:
    """The gaps between the next `count` ticks of `cron` after START."""
    ticks = croniter(cron, START)
    times = [ticks.get_next(datetime) for _ in range(count)]
    return {later - earlier for earlier, later in itertools.pairwise(times)}


def test_every_pass_has_a_unique_name_and_a_valid_cron() -> None:
    names = [job.name for job in SCHEDULE]
    assert len(names) == len(set(names))
    for job in SCHEDULE:
        assert croniter.is_valid(job.cron), job.name
        assert re.fullmatch(r"[a-z_]+", job.name), job.name
    assert job_named("deliver_email").name == "deliver_email"
    with pytest.raises(KeyError):
        job_named("no_such_pass")


@pytest.mark.parametrize(("name", "period"), sorted(EXPECTED_PERIODS.items()))
def test_each_pass_runs_as_often_as_the_spec_asks(name: str, period: timedelta) -> None:
    assert periods(job_named(name).cron) == {period}


def test_the_table_is_exactly_the_expected_passes() -> None:
    assert {job.name for job in SCHEDULE} == set(EXPECTED_PERIODS)


def test_daily_passes_run_at_night_and_not_at_the_same_minute() -> None:
    daily = [job for job in SCHEDULE if periods(job.cron) == {DAY}]
    firsts = [croniter(job.cron, START).get_next(datetime) for job in daily]
    assert all(first.hour < 6 for first in firsts)
    assert len({(first.hour, first.minute) for first in firsts}) == len(daily)


def test_every_pass_is_a_locked_periodic_task_of_the_app() -> None:
    periodic = app.periodic_registry.periodic_tasks
    registered = {task_name: entry for (task_name, _), entry in periodic.items()}
    for job in SCHEDULE:
        task = app.tasks[job.name]
        # One run at a time across every worker, and at most one waiting.
        assert task.lock == task.queueing_lock == job.name
        assert registered[job.name].cron == job.cron
        assert registered[job.name].periodic_id == job.name
    housekeeping = app.tasks[HOUSEKEEPING]
    assert housekeeping.lock == housekeeping.queueing_lock == HOUSEKEEPING
    assert registered[HOUSEKEEPING].cron == HOUSEKEEPING_CRON
    assert set(registered) == {job.name for job in SCHEDULE} | {HOUSEKEEPING}


def test_the_migrated_queue_schema_is_the_pinned_procrastinate() -> None:
    pinned = re.search(
        r"^procrastinate==(\S+)", (PROJECT_ROOT / "requirements.txt").read_text(), re.MULTILINE
    )
    assert pinned and metadata.version("procrastinate") == pinned.group(1)
    copy = PROJECT_ROOT / "alembic" / "sql" / f"procrastinate-{pinned.group(1)}.sql"
    installed = (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")
    # A new pin needs a revision with procrastinate's own migrations, not an edited copy.
    assert copy.read_text(encoding="utf-8") == installed


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path


def test_health_needs_a_recent_heartbeat(data_dir: Path) -> None:
    out = io.StringIO()
    assert health.worker_health(out) == 1
    assert "no heartbeat" in out.getvalue()

    health.heartbeat_path().touch()
    assert health.worker_health(io.StringIO()) == 0

    stale = time.time() - health.HEALTHY_WITHIN - 5
    os.utime(health.heartbeat_path(), (stale, stale))
    out = io.StringIO()
    assert health.worker_health(out) == 1
    assert "last heartbeat" in out.getvalue()


def test_make_run_starts_the_worker_tied_to_the_app() -> None:
    command = cli.worker_command()
    assert command[1:] == ["-m", "citypulse.cli", "worker", "--exit-with-parent"]
    args = cli.build_parser().parse_args(command[3:])
    assert args.command == "worker" and args.exit_with_parent
    assert cli.build_parser().parse_args(["worker-health"]).command == "worker-health"
