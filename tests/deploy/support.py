"""Helpers for the deployment tier: ports, polling, processes, nginx and certificates."""

from __future__ import annotations

import contextlib
import grp
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from citypulse.settings import PROJECT_ROOT

DEPLOY_DIR = PROJECT_ROOT / "deploy"
NGINX_DIR = DEPLOY_DIR / "nginx"


def load_renderer() -> ModuleType:
    """deploy/nginx/render.py as a module (it is a script, not part of a package)."""
    spec = importlib.util.spec_from_file_location("citypulse_nginx_render", NGINX_DIR / "render.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def require_binary(name: str, *fallbacks: str) -> str:
    """Path of a system tool the tier needs; fail (not skip) so CI cannot pass without it."""
    found = shutil.which(name) or next((p for p in fallbacks if Path(p).exists()), None)
    if not found:
        pytest.fail(f"{name} is not installed: run `make test-prod`, which installs it")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:port."""
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def tail(path: Path, lines: int = 60) -> str:
    """The end of a log file, for failure messages."""
    if not path.exists():
        return f"({path} does not exist)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_until(
    check: Callable[[], bool],
    *,
    what: str,
    timeout: float,
    process: subprocess.Popen | None = None,
    log: Path | None = None,
) -> None:
    """Poll `check` until it is true; fail early if `process` dies. Generous timeouts only."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except Exception:  # noqa: S110 (not ready yet: connection refused, 502, ...)
            pass
        if process is not None and process.poll() is not None:
            pytest.fail(
                f"{what}: process exited with {process.returncode}\n{tail(log) if log else ''}"
            )
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n{tail(log) if log else ''}")
        time.sleep(0.25)


def start_process(
    args: list[str], *, cwd: Path, env: dict[str, str], log: Path
) -> subprocess.Popen:
    """Start a process in its own session so it and its children can be stopped as a group."""
    with log.open("ab") as out:
        return subprocess.Popen(
            args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_process(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Stop a process started by start_process, and its group, by its PID."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
    # Workers of a stopped master may linger a moment; the group id is our child's PID.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def self_signed_certificate(directory: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A throwaway certificate for `host` (an IP address) made with openssl."""
    openssl = require_binary("openssl")
    cert, key = directory / "cert.pem", directory / "key.pem"
    command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", f"/CN={host}"]
    command += ["-addext", f"subjectAltName=IP:{host}"]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key


@dataclass(frozen=True)
class NginxSite:
    """A rendered loopback nginx: its config, prefix, logs and addresses."""

    config: Path
    prefix: Path
    error_log: Path
    access_log: Path
    acme_root: Path
    certificate: Path
    http_port: int
    https_port: int

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def http_origin(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def tls_context(self) -> ssl.SSLContext:
        """Trusts exactly this site's self-signed certificate."""
        return ssl.create_default_context(cafile=str(self.certificate))

    def command(self, *extra: str) -> list[str]:
        nginx = require_binary("nginx", "/usr/sbin/nginx")
        base = [nginx, "-c", str(self.config), "-p", str(self.prefix), "-e", str(self.error_log)]
        return base + list(extra)


def render_loopback_site(
    workdir: Path, *, static_root: Path, backend_port: int, https_port: int | None = None
) -> NginxSite:
    """Render the production template for 127.0.0.1: only ports, paths and cert differ."""
    prefix = workdir / "nginx"
    for sub in ("logs", "temp", "acme", "tls"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    cert, key = self_signed_certificate(prefix / "tls")
    https_port = https_port or free_port()
    http_port = free_port()
    # `user` only matters when nginx starts as root: keep workers as the current user so
    # they can read the temporary static root.
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    values = {
        "NGINX_USER": f"{user} {group}",
        "NGINX_PID": str(prefix / "nginx.pid"),
        "NGINX_ERROR_LOG": str(prefix / "logs" / "error.log"),
        "NGINX_ACCESS_LOG": str(prefix / "logs" / "access.log"),
        "NGINX_TEMP_DIR": str(prefix / "temp"),
        "HTTP_PORT": str(http_port),
        "HTTPS_PORT": str(https_port),
        "SERVER_NAME": "127.0.0.1",
        "PUBLIC_ORIGIN": f"https://127.0.0.1:{https_port}",
        "PUBLIC_HOST": f"127.0.0.1:{https_port}",
        "TLS_CERTIFICATE": str(cert),
        "TLS_CERTIFICATE_KEY": str(key),
        "ACME_WEBROOT": str(prefix / "acme"),
        "STATIC_ROOT": str(static_root),
        "BACKEND_UPSTREAM": f"127.0.0.1:{backend_port}",
    }
    config = load_renderer().render_file(prefix / "nginx.conf", values)
    return NginxSite(
        config=config,
        prefix=prefix,
        error_log=prefix / "logs" / "error.log",
        access_log=prefix / "logs" / "access.log",
        acme_root=prefix / "acme",
        certificate=cert,
        http_port=http_port,
        https_port=https_port,
    )
