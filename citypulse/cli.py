"""Operator commands: `python -m citypulse.cli <command>`.

serve     migrate, load the demo seed into an empty database, then run the app
migrate   apply alembic migrations up to head
seed      load the demo data (idempotent)
db-url    print the database URL in use (starts the embedded server if needed)
"""

from __future__ import annotations

import argparse
import os
import sys

from citypulse.db import database_url
from citypulse.settings import PROJECT_ROOT, get_settings


def migrate() -> None:
    """Upgrade the database schema to the newest revision."""
    from alembic import command
    from alembic.config import Config

    command.upgrade(Config(str(PROJECT_ROOT / "alembic.ini")), "head")


def seed() -> None:
    """Load the demo world; existing rows are left alone."""
    from citypulse.seed import seed_demo_data

    summary = seed_demo_data()
    print(summary)


def serve() -> None:
    """Prepare the database, then replace this process with the Reflex server."""
    settings = get_settings()
    url = database_url()
    migrate()
    if settings.seed_demo_data:
        seed()
    env = {**os.environ, "DATABASE_URL": url}
    port = str(settings.frontend_port)  # prod mode serves frontend and backend on one port
    args = ["reflex", "run", "--env", "prod", "--backend-host", settings.bind_host]
    args += ["--frontend-port", port, "--backend-port", port]
    reflex = os.path.join(os.path.dirname(sys.executable), "reflex")
    os.execve(reflex, args, env)  # noqa: S606 (fixed argv, no shell)


COMMANDS = {
    "serve": serve,
    "migrate": migrate,
    "seed": seed,
    "db-url": lambda: print(database_url()),
}


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="citypulse", description=__doc__)
    parser.add_argument("command", choices=sorted(COMMANDS))
    COMMANDS[parser.parse_args(argv).command]()


if __name__ == "__main__":
    main()
