"""The compose `worker` service, run the way its container runs it.

deploy/prestart.sh (the image's ENTRYPOINT) then `python -m citypulse.cli worker` (the
service's command) with production settings, on a database of its own: it becomes
healthy by its healthcheck command, delivers queued mail through SendGrid (a fake on
loopback), and stops cleanly on SIGTERM (what `docker compose stop` sends).
"""

from __future__ import annotations

import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from citypulse.db import to_libpq_url
from citypulse.settings import PROJECT_ROOT
from tests.deploy.stack import child_env
from tests.deploy.support import DEPLOY_DIR, start_process, stop_process, tail, wait_until
from tests.support.database import drop_database, recreate_database
from tests.support.fake_sendgrid import FAKE_API_KEY, FakeSendGrid

DATABASE_NAME = "citypulse_worker_process"
RECIPIENT = "someone@worker.test"


@pytest.fixture
def database() -> Iterator[str]:
    url = recreate_database(DATABASE_NAME)
    yield url
    drop_database(DATABASE_NAME)


@pytest.fixture
def sendgrid() -> Iterator[FakeSendGrid]:
    fake = FakeSendGrid.start(FAKE_API_KEY)
    yield fake
    fake.stop()


def production_env(database_url: str, sendgrid: FakeSendGrid, data_dir: Path) -> dict[str, str]:
    """What compose gives the worker container (its shared app environment)."""
    return child_env(
        APP_ENV="production",
        DATABASE_URL=database_url,
        PUBLIC_URL="https://citypulse.test",
        API_URL="https://citypulse.test",
        JWT_SECRET=secrets.token_hex(32),
        EMAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY=sendgrid.api_key,
        SENDGRID_HOST=sendgrid.url,
        EMAIL_FROM="CityPulse <hello@citypulse.test>",
        DATA_DIR=str(data_dir),
        UPLOAD_DIR=str(data_dir / "uploads"),
        PYTHON=sys.executable,
    )


def healthy(env: dict[str, str]) -> bool:
    """The compose healthcheck's command."""
    check = [sys.executable, "-m", "citypulse.jobs.health"]
    result = subprocess.run(check, cwd=PROJECT_ROOT, env=env, capture_output=True, timeout=60)
    return result.returncode == 0


def queue_mail(database_url: str) -> None:
    """A due email in the outbox, as a service's transaction leaves it."""
    with psycopg.connect(to_libpq_url(database_url)) as conn:
        conn.execute(
            "INSERT INTO email_outbox (to_address, subject, html, text, category)"
            " VALUES (%s, 'Hello', '<p>Hi</p>', 'Hi', 'verification')",
            (RECIPIENT,),
        )


def test_the_worker_container_migrates_runs_passes_and_stops_on_sigterm(
    database: str, sendgrid: FakeSendGrid, tmp_path: Path
) -> None:
    env = production_env(database, sendgrid, tmp_path / "data")
    log = tmp_path / "worker.log"
    # Mail queued before the worker starts: its start-up catch-up of the last
    # delivery tick sends it (a later one would wait for the next minute).
    migrate = [sys.executable, "-m", "citypulse.cli", "migrate"]
    subprocess.run(migrate, cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, timeout=120)
    queue_mail(database)
    command = [str(DEPLOY_DIR / "prestart.sh"), sys.executable, "-m", "citypulse.cli", "worker"]
    process = start_process(command, cwd=PROJECT_ROOT, env=env, log=log)
    try:
        wait_until(
            lambda: healthy(env), what="worker healthcheck", timeout=120, process=process, log=log
        )
        message = sendgrid.wait_for_message(RECIPIENT, timeout=30)
        assert message["subject"] == "Hello", tail(log)

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=90) == 0, tail(log)
    finally:
        stop_process(process)
    assert "prestart: migrations applied" in log.read_text()
    assert not healthy(env)
