"""The production stack on loopback: exported frontend, prestart + 2 backend workers with
Redis, and the real nginx with the production template (issue 5, item 5).

Everything is started as the images start it (deploy/Dockerfile.backend's ENTRYPOINT and
CMD) and stopped by PID. The app is the repository itself (CI runs this tier after the
e2e tier, so rewriting `.web/build` is fine), or a temporary copy when
CITYPULSE_PROD_TEST_APP=copy (useful while other tiers use the repository's `.web`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import redis

from citypulse.settings import PROJECT_ROOT
from tests.deploy.support import (
    NginxSite,
    free_port,
    port_open,
    render_loopback_site,
    require_binary,
    start_process,
    stop_process,
    tail,
    wait_until,
)
from tests.support.database import drop_database, recreate_database

DATABASE_NAME = "citypulse_prod_loopback"
BACKEND_WORKERS = 2
REDIS_DB = 14  # a database of its own on a shared Redis; Reflex keys carry the tab token
VENV_BIN = Path(sys.executable).parent
TOOLS_BIN = PROJECT_ROOT / ".tools" / "node_modules" / ".bin"
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", ".tools", ".web", ".data", ".states", ".env", "__pycache__",
    ".pytest_cache", ".ruff_cache", "test-results", "uploaded_files", "node_modules",
)  # fmt: skip
# Settings the test process may carry (APP_ENV=test, a test DATABASE_URL...): each
# child gets exactly the environment a container would.
INHERITED_SETTINGS = (
    "APP_ENV", "DATABASE_URL", "REDIS_URL", "PUBLIC_URL", "API_URL", "BIND_HOST",
    "JWT_SECRET", "EMAIL_BACKEND", "EMAIL_FROM", "SENDGRID_API_KEY", "SENDGRID_HOST",
    "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "GOOGLE_DISCOVERY_URL", "DATA_DIR",
    "UPLOAD_DIR", "FRONTEND_PORT", "BACKEND_PORT", "GRANIAN_WORKERS", "SEED_DEMO_DATA",
    "TRUST_PROXY_HEADERS",
)  # fmt: skip


@dataclass(frozen=True)
class Stack:
    """A running loopback production deployment."""

    site: NginxSite
    app_dir: Path
    backend: subprocess.Popen
    backend_log: Path
    redis_url: str

    @property
    def origin(self) -> str:
        return self.site.origin


def child_env(**values: str) -> dict[str, str]:
    """The test's environment without CityPulse/Reflex settings, plus `values`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in INHERITED_SETTINGS and not key.startswith("REFLEX_")
    }
    env["PATH"] = os.pathsep.join([str(VENV_BIN), str(TOOLS_BIN), env.get("PATH", "")])
    env.update(
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",  # as in the image: no PyPI call at start
    )
    env.update(values)
    return env


def app_directory(workdir: Path) -> Path:
    """The repository, or a fresh copy of its sources (CITYPULSE_PROD_TEST_APP=copy)."""
    if os.environ.get("CITYPULSE_PROD_TEST_APP", "repo") != "copy":
        return PROJECT_ROOT
    target = workdir / "app"
    shutil.copytree(PROJECT_ROOT, target, ignore=COPY_IGNORE, symlinks=True)
    return target


def export_frontend(app_dir: Path, origin: str, database_url: str, log: Path) -> Path:
    """`reflex export --frontend-only` with the public URL baked in, as the image build does."""
    env = child_env(
        PUBLIC_URL=origin, API_URL=origin, REFLEX_API_URL=origin, DATABASE_URL=database_url
    )
    with log.open("wb") as out:
        result = subprocess.run(
            [str(VENV_BIN / "reflex"), "export", "--frontend-only", "--no-zip"],
            cwd=app_dir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=1200,
            check=False,
        )
    client = app_dir / ".web" / "build" / "client"
    assert result.returncode == 0, f"reflex export failed\n{tail(log)}"
    baked = "".join(p.read_text() for p in (client / "assets").glob("reflex-env-*.js"))
    assert f"wss://{origin.removeprefix('https://')}/_event" in baked, "API URL not baked in"
    return client


@contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """The machine's Redis when it answers on 6379, else a private redis-server."""
    try:
        if redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2).ping():
            yield f"redis://127.0.0.1:6379/{REDIS_DB}"
            return
    except redis.RedisError:
        pass
    binary = require_binary("redis-server")
    port = free_port()
    log = workdir / "redis.log"
    process = start_process(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=workdir,
        env=dict(os.environ),
        log=log,
    )
    try:
        wait_until(
            lambda: port_open(port), what="redis-server", timeout=60, process=process, log=log
        )
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process(process)


def start_backend(
    app_dir: Path, workdir: Path, *, port: int, origin: str, database_url: str, redis_url: str
) -> tuple[subprocess.Popen, Path]:
    """prestart.sh + `reflex run --env prod --backend-only`, as the image's ENTRYPOINT/CMD."""
    uploads = workdir / "uploads"
    uploads.mkdir()
    env = child_env(
        APP_ENV="production",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        GRANIAN_WORKERS=str(BACKEND_WORKERS),
        PUBLIC_URL=origin,
        API_URL=origin,
        JWT_SECRET=secrets.token_hex(32),
        EMAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="SG." + secrets.token_hex(24),
        SENDGRID_HOST="http://127.0.0.1:9",  # never called: no email is sent here
        EMAIL_FROM="CityPulse <hello@citypulse.test>",
        TRUST_PROXY_HEADERS="true",  # as in compose: only nginx reaches the backend
        DATA_DIR=str(workdir / "data"),
        UPLOAD_DIR=str(uploads),
        REFLEX_UPLOADED_FILES_DIR=str(uploads),
        PYTHON=sys.executable,
    )
    command = [str(app_dir / "deploy" / "prestart.sh"), "reflex", "run", "--env", "prod"]
    command += ["--backend-only", "--backend-host", "127.0.0.1", "--backend-port", str(port)]
    log = workdir / "backend.log"
    process = start_process(command, cwd=app_dir, env=env, log=log)
    return process, log


def backend_healthy(port: int) -> bool:
    response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
    return response.status_code == 200


@contextmanager
def production_stack(workdir: Path) -> Iterator[Stack]:
    """Start the whole stack; stop every started process by PID on the way out."""
    with ExitStack() as cleanup:
        app_dir = app_directory(workdir)
        https_port, backend_port = free_port(), free_port()
        origin = f"https://127.0.0.1:{https_port}"
        database_url = recreate_database(DATABASE_NAME)
        cleanup.callback(drop_database, DATABASE_NAME)
        static_root = export_frontend(app_dir, origin, database_url, workdir / "export.log")
        redis_url = cleanup.enter_context(redis_server(workdir))

        backend, backend_log = start_backend(
            app_dir,
            workdir,
            port=backend_port,
            origin=origin,
            database_url=database_url,
            redis_url=redis_url,
        )
        cleanup.callback(stop_process, backend)
        wait_until(
            lambda: backend_healthy(backend_port),
            what="backend /health",
            timeout=300,
            process=backend,
            log=backend_log,
        )

        site = render_loopback_site(
            workdir, static_root=static_root, backend_port=backend_port, https_port=https_port
        )
        checked = subprocess.run(site.command("-t"), capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr
        nginx = start_process(
            site.command("-g", "daemon off;"),
            cwd=workdir,
            env=dict(os.environ),
            log=workdir / "nginx.out",
        )
        # SIGQUIT: graceful stop of the master and its workers.
        cleanup.callback(stop_process, nginx, signal.SIGQUIT)
        wait_until(
            lambda: (
                httpx.get(f"{origin}/", verify=site.tls_context(), timeout=5).status_code == 200
            ),
            what="nginx on " + origin,
            timeout=60,
            process=nginx,
            log=site.error_log,
        )
        yield Stack(site, app_dir, backend, backend_log, redis_url)
