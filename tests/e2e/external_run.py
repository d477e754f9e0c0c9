"""`make test-e2e-external`: the journeys against a plain `make run`, as QA runs them (issue 16).

Acceptance of issue 16: `make e2e BASE_URL=http://127.0.0.1:<port>` passes against the
app started separately by `make run`. This script is that, end to end:

1. creates an empty database on the test server (TEST_DATABASE_URL, as the tiers do);
2. starts `make run` on a free port in QA mode (file email backend, a random QA token);
   `make run` migrates, loads the demo seed and serves the production build;
3. waits for /health, then runs `python -m citypulse.cli qa-accounts` against it;
4. runs `make e2e BASE_URL=… MARKERS="smoke or journeys"` with the QA settings only (the
   tests get no database URL at all);
5. stops the app and drops the database, whatever happened.

Evidence: test-results/external/ (traces, screenshots, videos of failures),
test-results/external-report.html, and the app's own output in test-results/external-app.log.
The exit code is the test run's.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from citypulse import cli_qa
from citypulse.settings import PROJECT_ROOT
from tests.support.database import drop_database, recreate_database
from tests.support.harness import free_port

DATABASE_NAME = f"citypulse_e2e_external_{os.getpid()}"
START_TIMEOUT = 900  # `make run` builds the production frontend first: minutes when loaded
STOP_TIMEOUT = 30
POOL_SIZE = cli_qa.DEFAULT_COUNT
RESULTS = PROJECT_ROOT / "test-results"
# Settings of the app under test that must not leak in from the caller's environment.
APP_KEYS_CLEARED = ("REDIS_URL", "APP_ENV", "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")


def app_environment(database_url: str, port: int, data_dir: Path, qa: dict[str, str]) -> dict:
    """`make run`'s environment: its own database and port, QA mode, mail captured in files."""
    env = {k: v for k, v in os.environ.items() if k not in APP_KEYS_CLEARED}
    site = f"http://127.0.0.1:{port}"
    env.update(
        DATABASE_URL=database_url,
        FRONTEND_PORT=str(port),
        BACKEND_PORT=str(port),
        PUBLIC_URL=site,
        API_URL=site,
        DATA_DIR=str(data_dir),
        UPLOAD_DIR=str(data_dir / "uploads"),
        EMAIL_BACKEND="file",
        QA_MODE="1",
        # Every journey signs in from 127.0.0.1: raise the per-IP limits as the harness does.
        RATE_LIMIT_MULTIPLIER="20",
        **qa,
    )
    return env


def tests_environment(qa: dict[str, str]) -> dict:
    """What QA gives the suite: the QA settings, and no way to reach a database."""
    drop = ("DATABASE_URL", "TEST_DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(qa, QA_DEMO_DATA="1", QA_ACCOUNT_COUNT=str(POOL_SIZE))
    return env


def wait_for_health(site: str, app: subprocess.Popen, timeout: float = START_TIMEOUT) -> None:
    """Until /health answers 200; fails if the app exits or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise RuntimeError(f"`make run` exited with {app.returncode} before serving")
        try:
            if httpx.get(f"{site}/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass  # not listening yet
        time.sleep(1)  # the app announces nothing: poll its health endpoint
    raise RuntimeError(f"{site}/health did not answer 200 within {timeout} s")


def stop(app: subprocess.Popen) -> None:
    """Stop `make run` and everything it started (its own process group)."""
    if app.poll() is not None:
        return
    os.killpg(app.pid, signal.SIGTERM)
    try:
        app.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(app.pid, signal.SIGKILL)
        app.wait(STOP_TIMEOUT)


def run(markers: str, make: str = "make") -> int:
    RESULTS.mkdir(exist_ok=True)
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    qa = {
        "QA_TOKEN": secrets.token_urlsafe(32),
        "QA_ACCOUNT_PASSWORD": f"Qa!{secrets.token_urlsafe(12)}9a",
    }
    # The app's DATA_DIR (captured mail, uploads): private to this run, removed after it.
    data_dir = Path(tempfile.mkdtemp(prefix="citypulse-external-"))
    database_url = recreate_database(DATABASE_NAME)
    app_env = app_environment(database_url, port, data_dir, qa)
    log = (RESULTS / "external-app.log").open("w")
    print(f"external run: `make run` on {site} (log: {log.name})", flush=True)
    app = subprocess.Popen(
        [make, "--no-print-directory", "run"],
        cwd=PROJECT_ROOT,
        env=app_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so stop() reaches reflex's children
    )
    try:
        wait_for_health(site, app)
        cli = [sys.executable, "-m", "citypulse.cli", "qa-accounts", "--count", str(POOL_SIZE)]
        subprocess.run(cli, cwd=PROJECT_ROOT, env=app_env, check=True)
        tests = [make, "--no-print-directory", "e2e", f"BASE_URL={site}", f"MARKERS={markers}"]
        tests += ["E2E_RESULTS=test-results/external"]
        return subprocess.run(tests, cwd=PROJECT_ROOT, env=tests_environment(qa)).returncode
    finally:
        stop(app)
        log.close()
        drop_database(DATABASE_NAME)
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--markers", default="smoke or journeys", help="pytest -m expression")
    args = parser.parse_args(argv)
    return run(args.markers)


if __name__ == "__main__":
    sys.exit(main())
