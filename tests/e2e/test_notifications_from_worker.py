"""A notification made by a pass of the job worker PROCESS shows live in an open tab.

The worker (`python -m citypulse.cli worker`, as `make run` and compose start it) has
no live push of its own: its committed events go to the app over PostgreSQL
(citypulse/realtime/relay.py), where the app's listener hands them to the live path.
Here the auto-lift pass (`expire_suspensions`) ends an overdue suspension in the worker
process; the person's open tab gets the bell badge and the toast without reloading.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from citypulse.models import Suspension
from citypulse.services.unit_of_work import run_transaction
from citypulse.settings import PROJECT_ROOT
from tests.deploy.support import start_process, stop_process, wait_until
from tests.e2e.test_notifications import bell, member, user_id

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("starts a job worker process on the test database"),
]
WORKER_START_S = 90  # a cold worker process: imports, schema check, then its first ticks
PASS_DONE = "expire_suspensions: 1 suspensions lifted"


@pytest.fixture
def worker_log(tmp_path: Path) -> Path:
    return tmp_path / "worker.log"


@pytest.fixture
def job_worker(worker_log: Path) -> Iterator[None]:
    """The job worker process on the harness's database (its environment is this one's)."""
    command = [sys.executable, "-m", "citypulse.cli", "worker"]
    process = start_process(command, cwd=PROJECT_ROOT, env=dict(os.environ), log=worker_log)
    try:
        yield
    finally:
        stop_process(process)


def overdue_suspension(username: str) -> None:
    """A suspension whose end has passed, not yet lifted (the pass's work)."""
    now = datetime.now(UTC)
    recipient = user_id(username)

    def add(db) -> None:
        db.add(
            Suspension(
                user_id=recipient,
                kind="suspension",
                reason="Suspended for the relay test",
                starts_at=now - timedelta(days=1),
                ends_at=now - timedelta(minutes=1),
            )
        )

    run_transaction(add)


def test_a_pass_in_the_worker_process_notifies_an_open_tab_live(
    browser: Browser, base_url: str, worker_log: Path, request: pytest.FixtureRequest
) -> None:
    _, page = member(browser, base_url, "wk_dana")
    expect(bell(page, 0)).to_be_visible()
    overdue_suspension("wk_dana")

    request.getfixturevalue("job_worker")  # its start-up runs each pass's latest tick
    expect(bell(page, 1)).to_be_visible(timeout=WORKER_START_S * 1000)
    toast = page.locator("[data-sonner-toast]").filter(has_text="Your suspension has ended")
    expect(toast).to_be_visible()
    # Made by the worker process (the app lifts an overdue suspension on a request too).
    wait_until(lambda: PASS_DONE in worker_log.read_text(), what=PASS_DONE, timeout=10,
               log=worker_log)  # fmt: skip
