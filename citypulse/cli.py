"""Operator commands: `python -m citypulse.cli <command>`.

serve           migrate, load the demo seed into an empty database, then run the app
                and the job worker beside it (`make run`)
worker          run the job worker: every periodic pass (citypulse/jobs/schedule.py)
worker-health   exit 0 when this machine's worker is alive (as citypulse.jobs.health)
migrate         apply alembic migrations up to head
seed            load the demo data (idempotent)
db-url          print the database URL in use (starts the embedded server if needed)
create-admin    create a verified admin (password from CITYPULSE_ADMIN_PASSWORD or stdin)
purge           by hand, once: overdue deactivated accounts and expired export files
deliver-email   by hand, once: send the due emails of the outbox
build-exports   by hand, once: build every pending data export
outbox          show the latest emails with their links and codes (local runs)
qa-accounts     create or reset the QA accounts the e2e journeys sign in with (issue 16)
achievements-backfill  re-evaluate every user's badges (rule changes, old data); idempotent
media-variants  write the 800-wide copy of photos stored before copies were made; idempotent
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from types import ModuleType

from citypulse import cli_admin, cli_qa
from citypulse.db import database_url
from citypulse.logs import configure_logging
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


def server_command(url: str) -> tuple[list[str], dict[str, str]]:
    """The `reflex run --env prod` command line and environment that `serve` executes.

    One process unless REDIS_URL is set: rxconfig.py then keeps tab states in memory
    (with expiry), never in Reflex's disk manager.
    """
    settings = get_settings()
    env = {**os.environ, "DATABASE_URL": url}
    port = str(settings.frontend_port)  # prod mode serves frontend and backend on one port
    args = ["reflex", "run", "--env", "prod", "--backend-host", settings.bind_host]
    args += ["--frontend-port", port, "--backend-port", port]
    return args, env


def remove_stale_tab_states() -> None:
    """Delete tab states an earlier version left in .states/ (nothing reads them now)."""
    shutil.rmtree(PROJECT_ROOT / ".states", ignore_errors=True)


def worker_command() -> list[str]:
    """The job worker as `serve` starts it: it stops when the app process is gone."""
    return [sys.executable, "-m", "citypulse.cli", "worker", "--exit-with-parent"]


def serve() -> None:
    """Prepare the database, start the job worker, then become the Reflex server.

    The worker is this process's child, so it sees the app (the same process after
    exec) as its parent and stops when the app stops; Ctrl-C reaches both.
    """
    settings = get_settings()
    url = database_url()
    migrate()
    if settings.seed_demo_data:
        seed()
    remove_stale_tab_states()
    args, env = server_command(url)
    subprocess.Popen(worker_command(), env=env)  # noqa: S603 (fixed argv, no shell)
    reflex = os.path.join(os.path.dirname(sys.executable), "reflex")
    os.execve(reflex, args, env)  # noqa: S606 (fixed argv, no shell)


def _jobs() -> ModuleType:
    """The worker module, imported only by the commands that need procrastinate."""
    from citypulse.jobs import worker

    return worker


def _health() -> int:
    from citypulse.jobs.health import worker_health

    return worker_health()


def achievements_backfill() -> int:
    """Re-evaluate every user's achievements, one transaction per batch of users."""
    from datetime import UTC, datetime

    from citypulse.services.achievements.backfill import BATCH
    from citypulse.services.achievements.backfill import achievements_backfill as backfill
    from citypulse.services.unit_of_work import run_transaction

    after, users, awarded = 0, 0, 0
    while True:
        now = datetime.now(UTC)
        report = run_transaction(
            lambda s, a=after, t=now: backfill(s, now=t, after_id=a, limit=BATCH)
        )
        users, awarded, after = users + report.users, awarded + report.awarded, report.last_id
        if report.users < BATCH:
            break
    print(f"Users evaluated: {users}, badges awarded: {awarded}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per operator task."""
    parser = argparse.ArgumentParser(prog="citypulse", description="CityPulse operator commands")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, handler, summary in (
        ("serve", serve, "migrate, seed and run the app"),
        ("migrate", migrate, "apply migrations up to head"),
        ("seed", seed, "load the demo data"),
        ("db-url", lambda: print(database_url()), "print the database URL in use"),
        ("purge", cli_admin.purge, "delete overdue accounts and expired exports"),
        ("deliver-email", cli_admin.deliver_email, "send due emails once"),
        ("build-exports", cli_admin.build_exports, "build pending data exports"),
        ("achievements-backfill", achievements_backfill, "re-evaluate every user's badges"),
        ("media-variants", cli_admin.media_variants, "write photos' missing medium copies"),
    ):
        commands.add_parser(name, help=summary).set_defaults(run=lambda _args, h=handler: h())
    worker = commands.add_parser(
        "worker",
        help="run the job worker",
        description="Run every periodic pass (email delivery, purges, exports, ...) until "
        "SIGINT/SIGTERM.",
    )
    worker.add_argument(
        "--exit-with-parent", action="store_true", help="stop when the starting process ends"
    )
    worker.set_defaults(run=lambda args: _jobs().run_worker(exit_with_parent=args.exit_with_parent))
    commands.add_parser("worker-health", help="is the job worker alive?").set_defaults(
        run=lambda _args: _health()
    )
    shown = commands.add_parser(
        "outbox",
        help="show the latest emails (local runs)",
        description="Print the latest emails, newest last, with their links and reset codes.",
    )
    shown.add_argument("--limit", type=int, default=10, help="how many (default 10)")
    shown.add_argument("--to", help="only emails to this address")
    shown.set_defaults(run=lambda args: cli_admin.outbox(limit=args.limit, to=args.to))
    qa = commands.add_parser(
        "qa-accounts",
        help="create or reset the QA accounts",
        description="Delete every QA account (QA_ACCOUNT_PREFIX + QA_EMAIL_DOMAIN) and create "
        f"<prefix>01..NN fresh, verified, with the password from {cli_qa.PASSWORD_ENV} or "
        "--password-stdin. Refused in production unless QA_MODE=1.",
    )
    qa.add_argument("--count", type=int, default=cli_qa.DEFAULT_COUNT, help="pool size")
    qa.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    qa.set_defaults(
        run=lambda args: cli_qa.qa_accounts(count=args.count, password_stdin=args.password_stdin)
    )
    admin = commands.add_parser(
        "create-admin",
        help="create a verified admin",
        description=f"Create a verified admin. The password comes from --password-stdin "
        f"(first line) or the {cli_admin.PASSWORD_ENV} environment variable.",
    )
    admin.add_argument("--username", required=True)
    admin.add_argument("--email", required=True)
    admin.add_argument("--full-name", required=True)
    admin.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    admin.set_defaults(
        run=lambda args: cli_admin.create_admin(
            username=args.username,
            email=args.email,
            full_name=args.full_name,
            password_stdin=args.password_stdin,
        )
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command; returns its exit code."""
    args = build_parser().parse_args(argv)
    configure_logging()
    result = args.run(args)
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
