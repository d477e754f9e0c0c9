"""Retention (§4.11): read notifications go after 180 days, all of them after 365."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from citypulse.services.notifications.retention import ALL_KEPT, READ_KEPT, notifications_retention
from tests.integration.notifications.conftest import People
from tests.integration.notifications.support import rows_of, stored
from tests.integration.support import NOW, run_action

SECOND = timedelta(seconds=1)


def test_retention_boundaries(session: Session, people: People) -> None:
    alice, bob = people.alice, people.bob
    kept = [
        stored(session, alice, at=NOW - READ_KEPT, read=True),  # exactly 180 days: kept
        stored(session, alice, at=NOW - READ_KEPT - SECOND),  # unread: kept up to 365 days
        stored(session, alice, at=NOW - ALL_KEPT),  # exactly 365 days: kept
        stored(session, bob, at=NOW, read=True),
    ]
    gone = [
        stored(session, alice, at=NOW - READ_KEPT - SECOND, read=True),
        stored(session, alice, at=NOW - ALL_KEPT - SECOND),
        stored(session, bob, at=NOW - ALL_KEPT - timedelta(days=30), read=True),
    ]

    assert run_action(session, notifications_retention, now=NOW) == len(gone)

    left = {row.id for row in rows_of(session, alice) + rows_of(session, bob)}
    assert left == {row.id for row in kept}
    assert run_action(session, notifications_retention, now=NOW) == 0
