"""docker-compose.prod.yml and the GitHub workflow, checked by parsing.

There is no Docker engine here, so these files cannot run; their structure is what
production depends on. When the compose plugin is present (GitHub's runners), `docker
compose config` also validates the file against compose's own schema.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from citypulse.jobs.app import WORKER_OPTIONS
from citypulse.settings import PROJECT_ROOT, Settings, production_problems
from tests.deploy.support import DEPLOY_DIR

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.prod.yml"
COMPOSE_TEXT = COMPOSE_FILE.read_text()
# Values only: comments may quote the syntax; `$${...}` is a literal for the container shell.
COMPOSE_VALUES = re.sub(r"(?m)^\s*#.*$", "", COMPOSE_TEXT).replace("$${", "literal{")
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
WORKFLOW = yaml.safe_load((PROJECT_ROOT / ".github" / "workflows" / "ci-cd.yml").read_text())
JOBS = WORKFLOW["jobs"]
SECRETS = {
    "POSTGRES_PASSWORD", "REDIS_PASSWORD", "JWT_SECRET", "SENDGRID_API_KEY",
    "GOOGLE_CLIENT_SECRET", "GOOGLE_CLIENT_ID", "POSTGRES_USER", "POSTGRES_DB",
    "PUBLIC_URL", "EMAIL_FROM", "IMAGE_PREFIX", "CITYPULSE_VERSION",
}  # fmt: skip
VARIABLE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(:\?|:-|\?|-)?")
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


def env_example() -> dict[str, str]:
    lines = (DEPLOY_DIR / "env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))
    return {name: value.strip('"') for name, value in pairs}


def steps(job: str) -> list[dict]:
    return JOBS[job]["steps"]


def uses(job: str) -> list[str]:
    return [step["uses"] for step in steps(job) if "uses" in step]


def runs(job: str) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


# --- compose ------------------------------------------------------------------------


def test_services_ports_and_images() -> None:
    assert set(SERVICES) == {"nginx", "backend", "worker", "postgres", "redis"}
    assert SERVICES["nginx"]["ports"] == ["80:80", "443:443"]
    assert [name for name, svc in SERVICES.items() if "ports" in svc] == ["nginx"]
    assert SERVICES["postgres"]["image"] == "postgres:15-alpine"
    assert SERVICES["redis"]["image"] == "redis:7-alpine"
    assert SERVICES["backend"]["image"].endswith(
        "-backend:${CITYPULSE_VERSION:?set CITYPULSE_VERSION}"
    )
    assert SERVICES["worker"]["image"] == SERVICES["backend"]["image"]


def test_every_service_is_healthchecked_restarted_limited_and_networked() -> None:
    for name, service in SERVICES.items():
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"], name
        assert service["deploy"]["resources"]["limits"]["memory"], name
        assert service["networks"] == ["citypulse-network"], name
    assert "pg_isready" in str(SERVICES["postgres"]["healthcheck"]["test"])
    assert "ping" in str(SERVICES["redis"]["healthcheck"]["test"])
    assert "/health" in str(SERVICES["backend"]["healthcheck"]["test"])
    assert SERVICES["worker"]["healthcheck"]["test"][-2:] == ["-m", "citypulse.jobs.health"]
    assert "citypulse-network" in COMPOSE["networks"]


def test_start_order_waits_for_health() -> None:
    assert SERVICES["nginx"]["depends_on"] == {"backend": {"condition": "service_healthy"}}
    assert SERVICES["backend"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    # The backend's prestart migrates; the worker refuses an unmigrated schema.
    assert SERVICES["worker"]["depends_on"] == {"backend": {"condition": "service_healthy"}}


def test_volumes() -> None:
    assert set(COMPOSE["volumes"]) == {
        "postgres_data", "uploads_data", "exports_data", "staging_data", "letsencrypt"
    }  # fmt: skip
    assert "postgres_data:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    # The worker purges photos and exports, builds exports and sweeps staged uploads.
    app_volumes = ["uploads_data:/data/uploads", "exports_data:/data/exports",
                   "staging_data:/data/staging"]  # fmt: skip
    assert SERVICES["backend"]["volumes"] == SERVICES["worker"]["volumes"] == app_volumes
    assert "letsencrypt:/etc/letsencrypt" in SERVICES["nginx"]["volumes"]


def test_backend_runs_several_workers_on_redis_in_production() -> None:
    env = SERVICES["backend"]["environment"]
    assert env["APP_ENV"] == "production"
    assert env["REDIS_URL"].startswith("redis://") and "@redis:6379" in env["REDIS_URL"]
    assert env["GRANIAN_WORKERS"]
    assert (
        env["DATABASE_URL"].startswith("postgresql+psycopg://")
        and "@postgres:5432/" in env["DATABASE_URL"]
    )
    assert env["EMAIL_BACKEND"] == "sendgrid"
    assert env["TRUST_PROXY_HEADERS"] == "true"  # nginx sets X-Real-IP
    assert env["UPLOAD_DIR"] == env["REFLEX_UPLOADED_FILES_DIR"] == "/data/uploads"


def test_worker_runs_the_job_worker_with_the_backends_configuration() -> None:
    worker, backend = SERVICES["worker"], SERVICES["backend"]
    assert worker["command"] == ["python", "-m", "citypulse.cli", "worker"]
    assert worker["init"] is True and "ports" not in worker and "expose" not in worker
    web_only = {"GRANIAN_WORKERS"}
    assert worker["environment"] == {
        name: value for name, value in backend["environment"].items() if name not in web_only
    }
    # Running passes may finish (the worker's graceful timeout) before compose kills it.
    grace = int(worker["stop_grace_period"].removesuffix("s"))
    assert grace > WORKER_OPTIONS["shutdown_graceful_timeout"]


def test_secrets_are_required_and_nothing_defaults_to_empty() -> None:
    references = VARIABLE.findall(COMPOSE_VALUES)
    assert references
    for name, operator in references:
        assert operator in (":?", ":-"), f"${{{name}}} has neither :? nor a :- default"
        if name in SECRETS:
            assert operator == ":?", f"secret {name} must be ${{{name}:?...}}"
    assert {name for name, _ in references} >= SECRETS


def test_env_example_lists_every_variable_with_placeholders() -> None:
    example = env_example()
    referenced = {name for name, _ in VARIABLE.findall(COMPOSE_VALUES)}
    assert referenced <= set(example), referenced - set(example)
    # The app itself refuses the example's secrets, so a copied file cannot go live.
    settings = Settings(
        _env_file=None,
        app_env="test",
        database_url="postgresql+psycopg://u:p@postgres:5432/citypulse",
        public_url=example["PUBLIC_URL"],
        jwt_secret=example["JWT_SECRET"],
        email_backend="sendgrid",
        sendgrid_api_key=example["SENDGRID_API_KEY"],
        google_client_id=example["GOOGLE_CLIENT_ID"],
        google_client_secret=example["GOOGLE_CLIENT_SECRET"],
    )
    problems = " ".join(production_problems(settings))
    assert "JWT_SECRET" in problems and "SENDGRID_API_KEY" in problems
    assert "GOOGLE_CLIENT_SECRET" in problems


def compose_plugin() -> bool:
    docker = shutil.which("docker")
    if not docker:
        return False
    return subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not compose_plugin(), reason="docker compose plugin not installed")
def test_docker_compose_config_validates() -> None:
    base = ["docker", "compose", "-f", str(COMPOSE_FILE)]
    ok = subprocess.run(
        [*base, "--env-file", str(DEPLOY_DIR / "env.example"), "config", "--quiet"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    missing = subprocess.run([*base, "--env-file", "/dev/null", "config", "--quiet"],
                             capture_output=True, text=True)  # fmt: skip
    assert missing.returncode != 0 and "set " in missing.stderr


# --- workflow -----------------------------------------------------------------------


def test_triggers_and_default_permissions() -> None:
    triggers = WORKFLOW.get("on", WORKFLOW.get(True))  # YAML 1.1 reads `on` as True
    assert triggers["push"]["branches"] == ["main", "production"]
    assert triggers["pull_request"]["branches"] == ["main"]
    assert WORKFLOW["permissions"] == {"contents": "read"}


def test_job_chain() -> None:
    assert list(JOBS) == ["test", "build", "deploy", "notify"]
    assert JOBS["build"]["needs"] == "test"
    assert JOBS["deploy"]["needs"] == "build"
    assert "deploy" in JOBS["notify"]["needs"] and JOBS["notify"]["if"] == "always()"
    assert "github.event_name == 'push'" in JOBS["build"]["if"]
    assert "refs/heads/production" in JOBS["deploy"]["if"]


def test_only_the_build_job_writes_packages() -> None:
    assert JOBS["build"]["permissions"] == {"contents": "read", "packages": "write"}
    for name, job in JOBS.items():
        if name != "build":
            assert job.get("permissions", {}).get("packages") != "write", name


def test_actions_are_pinned() -> None:
    every = [action for name in JOBS for action in uses(name)]
    assert every
    for action in every:
        assert PINNED_ACTION.match(action), f"unpinned action {action}"


def test_test_job_runs_everything_against_postgres() -> None:
    job = JOBS["test"]
    assert job["services"]["postgres"]["image"] == "postgres:15"
    assert job["env"]["TEST_DATABASE_URL"].startswith("postgresql")
    assert {"actions/checkout@v4", "actions/setup-python@v5", "actions/setup-node@v4"} <= set(
        uses("test")
    )
    python = next(s for s in steps("test") if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    assert "make lint" in runs("test") and "make test" in runs("test")
    assert "nginx" in runs("test") and "chromium" in runs("test")


def test_build_job_pushes_both_images_with_version_and_sha() -> None:
    assert {"docker/setup-buildx-action@v3", "docker/login-action@v3"} <= set(uses("build"))
    builds = [s for s in steps("build") if s.get("uses", "").startswith("docker/build-push")]
    assert [b["with"]["file"] for b in builds] == [
        "deploy/Dockerfile.backend",
        "deploy/Dockerfile.nginx",
    ]
    for build in builds:
        assert build["with"]["push"] is True
        assert "${{ github.sha }}" in build["with"]["tags"]
        assert "steps.names.outputs.tag" in build["with"]["tags"]


def test_deploy_job_ships_compose_and_rolls_back() -> None:
    script = runs("deploy")
    assert "docker-compose.prod.yml" in script and ".env.prod" in script
    assert "scp " in script and "/opt/citypulse" in script
    assert "DEPLOY_HEALTH_TIMEOUT=300 deploy/remote-deploy.sh" in script
    remote = (DEPLOY_DIR / "remote-deploy.sh").read_text()
    assert "--env-file .env.prod" in remote and "up -d" in remote
    assert ".env.prod.previous" in remote and "rolling back" in remote
    assert "/health" in runs("notify")
    # A deployment is healthy only when every container is, the job worker included.
    waited = re.search(r"CONTAINERS=\(([^)]*)\)", remote)
    assert waited and set(waited.group(1).split()) == {
        service["container_name"] for service in SERVICES.values()
    }


def test_deploy_runs_the_smoke_journeys_and_rolls_back_when_they_fail() -> None:
    """Issue 16: smoke against the fresh site after its health check; failure rolls back."""
    names = [step.get("name", "") for step in steps("deploy")]
    deploy = names.index("SSH deploy (docker compose up, wait for healthy, roll back on failure)")
    smoke = next(s for s in steps("deploy") if s.get("id") == "smoke")
    assert names.index(smoke["name"]) > deploy
    assert "make e2e BASE_URL=" in smoke["run"] and "MARKERS=smoke" in smoke["run"]
    rollback = next(s for s in steps("deploy") if "--rollback" in s.get("run", ""))
    assert rollback["if"] == "failure() && steps.smoke.outcome == 'failure'"
    assert "exit 1" in rollback["run"]  # a rolled-back deployment still fails the job
    assert names.index(rollback["name"]) > names.index(smoke["name"])


def test_test_evidence_is_uploaded_whatever_the_outcome() -> None:
    for job in ("test", "deploy"):
        upload = next(s for s in steps(job) if s.get("uses", "").startswith("actions/upload"))
        assert upload["with"]["path"] == "test-results/"
        assert upload["if"].startswith("always()")
