"""Job runner fixtures: an empty queue, sessions that really commit, the real worker.

The worker claims jobs and runs the passes on its own connections, so what a test
arranges must be committed: `committed` sessions do, and the fixtures delete the users
of TEST_DOMAIN, the outbox and the queue before and after each test (the test database
belongs to this pytest process). Files go to a temporary data folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from citypulse.db import session_scope
from citypulse.jobs.app import SCHEMA
from citypulse.settings import get_settings
from tests.support.fake_sendgrid import FakeSendGrid, email_via_fake_sendgrid, fake_sendgrid  # noqa: F401

TEST_DOMAIN = "jobs.test"
QUEUE_TABLES = ", ".join(
    f"{SCHEMA}.procrastinate_{name}" for name in ("events", "periodic_defers", "jobs", "workers")
)


def _clean(engine: Engine) -> None:
    pattern = {"pattern": f"%@{TEST_DOMAIN}"}
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {QUEUE_TABLES}"))
        connection.execute(text("DELETE FROM email_outbox"))
        connection.execute(
            text(
                "DELETE FROM rate_limit_hits WHERE key IN "
                "(SELECT 'export:' || id FROM users WHERE email LIKE :pattern)"
            ),
            pattern,
        )
        connection.execute(text("DELETE FROM users WHERE email LIKE :pattern"), pattern)


@pytest.fixture
def committed(
    engine: Engine,
    email_via_fake_sendgrid: FakeSendGrid,  # noqa: F811 (the fixture)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[partial]:
    """Committing sessions; mail goes to the fake SendGrid, files to a temporary folder."""
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path / "data")
    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path / "uploads")
    _clean(engine)
    yield partial(session_scope, engine)
    _clean(engine)
