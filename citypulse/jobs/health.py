"""Is the job worker alive? `python -m citypulse.jobs.health` (the container healthcheck).

The running worker touches a heartbeat file after each successful round trip to its
queue (citypulse/jobs/worker.py). This module imports only the settings, so the check
that compose runs every 30 s stays cheap; `cli worker-health` is the same check.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from citypulse.settings import get_settings

HEARTBEAT_FILE = "worker.alive"
HEALTHY_WITHIN = 60.0  # seconds since the last heartbeat


def heartbeat_path() -> Path:
    """The file the running worker touches (under the data folder)."""
    return get_settings().data_dir / HEARTBEAT_FILE


def worker_health(out: TextIO | None = None) -> int:
    """0 when the worker touched its heartbeat within HEALTHY_WITHIN seconds, else 1."""
    try:
        age = time.time() - heartbeat_path().stat().st_mtime
    except FileNotFoundError:
        print("worker: no heartbeat (not running, or not connected yet)", file=out)
        return 1
    if age > HEALTHY_WITHIN:
        print(f"worker: last heartbeat {age:.0f} s ago", file=out)
        return 1
    print(f"worker: ok (heartbeat {age:.0f} s ago)", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(worker_health())
