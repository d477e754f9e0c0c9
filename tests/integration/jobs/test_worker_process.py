"""`cli worker --exit-with-parent`, as `make run` starts it: it ends when its parent does.

`serve` starts the worker and then becomes the app (exec), so the app is the worker's
parent. Here a stand-in parent starts the worker the same way (`cli.worker_command()`),
waits until it is healthy and exits; the worker must stop by itself, cleanly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from citypulse.settings import PROJECT_ROOT

PARENT = """
import subprocess, sys, time
from pathlib import Path
from citypulse import cli
log = open(sys.argv[1], "ab")
worker = subprocess.Popen(cli.worker_command(), stdout=log, stderr=subprocess.STDOUT)
print(worker.pid, flush=True)
deadline = time.monotonic() + 60
while not Path(sys.argv[2]).exists() and time.monotonic() < deadline:
    time.sleep(0.1)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A stopped child of the gone parent is reaped by init; until then it is a zombie.
    status = (
        Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}").exists() else "X"
    )
    return status not in ("Z", "X")


@pytest.mark.own_database  # the real worker commits (its periodic deferrer's rows)
def test_the_worker_started_by_serve_stops_when_the_app_process_ends(
    engine: Engine, tmp_path: Path
) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "worker.log"
    url = engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir)}
    heartbeat = data_dir / "worker.alive"
    parent = subprocess.run(
        [sys.executable, "-c", PARENT, str(log), str(heartbeat)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    worker_pid = int(parent.stdout.split()[0])
    assert heartbeat.exists(), log.read_text()

    deadline = time.monotonic() + 30
    while alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert not alive(worker_pid), log.read_text()
    text = log.read_text()
    assert "Job worker stopped" in text and "Traceback" not in text
    assert not heartbeat.exists()
