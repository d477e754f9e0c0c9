"""The Dockerfiles, .dockerignore and the deploy scripts, checked by parsing (there is no
Docker engine here; the loopback test runs the scripts and config the images carry)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from citypulse.settings import PROJECT_ROOT
from tests.deploy.support import DEPLOY_DIR


def dockerfile(name: str) -> str:
    return (DEPLOY_DIR / name).read_text().replace("\\\n", " ")


def final_stage(text: str) -> str:
    return text[text.rindex("\nFROM ") :]


def test_backend_image() -> None:
    text = dockerfile("Dockerfile.backend")
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
    assert re.search(r"npm install .*bun@\$\{BUN_VERSION\}.*node@\$\{NODE_VERSION\}", text)
    assert "reflex export --frontend-only --no-zip" in text
    runtime = final_stage(text)
    assert "\nUSER citypulse" in runtime
    assert 'ENTRYPOINT ["/app/deploy/prestart.sh"]' in runtime
    assert '"--env", "prod", "--backend-only"' in runtime
    assert "HEALTHCHECK" in runtime and "/health" in runtime


def test_nginx_image() -> None:
    text = dockerfile("Dockerfile.nginx")
    assert "ARG NGINX_IMAGE=nginx:1.25-alpine" in text
    runtime = final_stage(text)
    assert "COPY --from=app /app/.web/build/client/" in runtime
    assert "HEALTHCHECK" in runtime and "nginx-health" in runtime


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
    assert {".git", ".venv", ".tools", ".web", ".data", "**/.env"} <= set(ignored)


@pytest.mark.parametrize(
    "script", ["prestart.sh", "backup.sh", "restore.sh", "remote-deploy.sh", "pg-tools.sh"]
)
def test_shell_scripts_parse(script: str) -> None:
    path = DEPLOY_DIR / script
    shell = "sh" if script == "prestart.sh" else "bash"  # prestart runs on any /bin/sh
    result = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if script != "pg-tools.sh":
        assert path.stat().st_mode & 0o111, f"{script} is not executable"
    if shutil.which("shellcheck"):  # stricter lint where it is installed
        linted = subprocess.run(
            ["shellcheck", "-x", f"deploy/{script}"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
        )
        assert linted.returncode == 0, linted.stdout
