"""Start the app as `make run` does (optionally 2 workers + Redis), measure, stop it.

The server is `python -m citypulse.cli serve` (migrate, seed, `reflex run --env prod`)
on its own port and the bench database. Its processes are found through psutil, so the
CPU time and memory figures are the server's alone, never the load generator's.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from citypulse.runtime import LOOP_STATS_ENV
from citypulse.settings import PROJECT_ROOT

# `reflex run --env prod` exports the frontend into .web/, which the e2e and deploy
# tiers share: start-up takes their lock (HELPERS.md), the measured run does not.
WEB_LOCK = Path("/tmp/citypulse-e2e.lock")  # noqa: S108 (the lock HELPERS.md names)
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own; flushed before and after
START_TIMEOUT = 600.0


def free_port() -> int:
    """A currently unused loopback TCP port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Usage:
    """CPU seconds and resident memory of the server's processes at one moment."""

    cpu_seconds: float
    rss_bytes: int


@dataclass
class Server:
    """A running app server and where its figures come from."""

    process: subprocess.Popen[bytes]
    origin: str
    log_path: Path
    stats_dir: Path

    def processes(self) -> list[psutil.Process]:
        """The serve process and every descendant (granian supervisor and workers)."""
        root = psutil.Process(self.process.pid)
        return [root, *root.children(recursive=True)]

    def usage(self) -> Usage:
        """Total CPU time and RSS over the server's processes."""
        cpu, rss = 0.0, 0
        for proc in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                times = proc.cpu_times()
                cpu += times.user + times.system
                rss += proc.memory_info().rss
        return Usage(cpu, rss)

    def loop_records(self, since: float, until: float) -> list[dict]:
        """Per-second event-loop and GC records of every worker within [since, until]."""
        records = []
        for path in self.stats_dir.glob("*.jsonl"):
            for line in path.read_text().splitlines():
                with contextlib.suppress(ValueError):
                    record = json.loads(line)
                    if since <= record["at"] <= until:
                        records.append(record)
        return records


@contextlib.contextmanager
def _web_lock() -> Iterator[None]:
    with WEB_LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def redis_used_bytes() -> int:
    """Memory Redis uses for everything (the bench's database is the only busy one)."""
    import redis

    return int(redis.Redis.from_url(REDIS_URL).info("memory")["used_memory"])


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited; see {server.log_path}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.origin}/ping", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT:.0f} s")


def server_environment(database_url: str, port: int, workers: int, stats_dir: Path) -> dict:
    """The environment of `make run`, pointed at the bench database and port."""
    origin = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FRONTEND_PORT": str(port),
        "PUBLIC_URL": origin,
        "API_URL": origin,
        # Test-only multiplier: bench accounts like faster than a person would.
        "RATE_LIMIT_MULTIPLIER": "100",
        LOOP_STATS_ENV: str(stats_dir),
    }
    env.pop("REDIS_URL", None)
    env.pop("GRANIAN_WORKERS", None)
    if workers > 1:
        env["REDIS_URL"] = REDIS_URL
        env["GRANIAN_WORKERS"] = str(workers)
    return env


@contextlib.contextmanager
def running_server(
    database_url: str, workers: int, workdir: Path, web_dir: Path | None = None
) -> Iterator[Server]:
    """`python -m citypulse.cli serve` on a free port until the block ends.

    With `web_dir` the server exports and serves its pages from that folder of its own
    (REFLEX_WEB_WORKDIR) instead of the shared .web/: nothing another tier exports can
    replace the pages while they are measured, and the e2e lock is not needed.
    """
    port = free_port()
    stats_dir = workdir / "loop-stats"
    stats_dir.mkdir(parents=True, exist_ok=True)
    for old in stats_dir.glob("*.jsonl"):
        old.unlink()
    if workers > 1:
        _flush_redis()
    log_path = workdir / "server.log"
    env = server_environment(database_url, port, workers, stats_dir)
    if web_dir is not None:
        env["REFLEX_WEB_WORKDIR"] = str(web_dir)
    lock = _web_lock() if web_dir is None else contextlib.nullcontext()
    with log_path.open("wb") as log, lock:
        process = subprocess.Popen(
            [sys.executable, "-m", "citypulse.cli", "serve"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        server = Server(process, f"http://127.0.0.1:{port}", log_path, stats_dir)
        try:
            _wait_ready(server)
        except BaseException:
            _stop(process)
            raise
    try:
        yield server
    finally:
        _stop(process)
        if workers > 1:
            _flush_redis()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group (only what this bench started), then wait."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
