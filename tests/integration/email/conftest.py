"""Email integration fixtures: the fake SendGrid and sessions that really commit.

`deliver_pending` claims rows with `FOR UPDATE SKIP LOCKED` on its own connections, so
the rows it delivers must be committed and visible to other connections, which rows in
the per-test `session` transaction are not. These tests therefore commit through
`session_factory` (real sessions on the test engine), and the fixture empties
`email_outbox` and deletes the users of TEST_DOMAIN before and after each test. The
test database belongs to this pytest process (its name holds the pid), and every other
test rolls back, so nothing else is deleted.
"""

from collections.abc import Iterator
from functools import partial

import pytest
from sqlalchemy import Engine, text

from citypulse.db import session_scope
from citypulse.email.outbox import SessionFactory
from tests.support.fake_sendgrid import email_via_fake_sendgrid, fake_sendgrid  # noqa: F401

TEST_DOMAIN = "outbox.test"
TEST_IP = "192.0.2.10"  # the client of committed sign-ups and resets (rate limits counted)


def _clean(engine: Engine) -> None:
    pattern = {"pattern": f"%@{TEST_DOMAIN}", "ip": f"%:{TEST_IP}"}
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM email_outbox"))
        connection.execute(text("DELETE FROM users WHERE email LIKE :pattern"), pattern)
        connection.execute(
            text("DELETE FROM rate_limit_hits WHERE key LIKE :pattern OR key LIKE :ip"), pattern
        )


@pytest.fixture
def session_factory(engine: Engine) -> Iterator[SessionFactory]:
    """Sessions on the test database that commit for real (cleaned up afterwards)."""
    _clean(engine)
    yield partial(session_scope, engine)
    _clean(engine)
