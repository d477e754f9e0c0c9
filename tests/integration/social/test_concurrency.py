"""Buddy commands on one pair from separate transactions are decided one after the other.

Like tests/integration/interactions/test_concurrency.py this commits for real, so it
runs on a database of its own (`own_database`); it still deletes its users at the end.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, select

from citypulse.models import Block, BuddyConnection, EmailOutbox, RateLimitHit, User
from citypulse.models.enums import BuddyStatus
from citypulse.services.social.blocks import block_user
from citypulse.services.social.buddies import PendingRequest, buddy_request, pair_condition
from tests.integration.interactions.support import viewer
from tests.integration.interactions.test_concurrency import together
from tests.integration.support import NOW
from tests.support.factories import create_user

pytestmark = pytest.mark.own_database


@pytest.fixture
def pair(engine: Engine) -> Iterator[tuple[User, User]]:
    tag = secrets.token_hex(3)
    with Session(engine, expire_on_commit=False) as db:
        one = create_user(db, username=f"race_one_{tag}")
        two = create_user(db, username=f"race_two_{tag}")
        db.commit()
    yield one, two
    with Session(engine) as db:
        ids = [one.id, two.id]
        db.execute(sa.delete(EmailOutbox).where(EmailOutbox.to_address.in_([one.email, two.email])))
        db.execute(sa.delete(User).where(User.id.in_(ids)))  # cascades to rows and notices
        keys = [
            f"{limit}:{user_id}" for limit in ("buddy-request", "buddy-action") for user_id in ids
        ]
        db.execute(sa.delete(RateLimitHit).where(RateLimitHit.key.in_(keys)))
        db.commit()


def rows(engine: Engine, one: User, two: User) -> tuple[list[BuddyConnection], list[Block]]:
    with Session(engine) as db:
        connections = list(db.exec(select(BuddyConnection).where(pair_condition(one.id, two.id))))
        blocks = list(db.exec(select(Block).where(Block.blocker_id.in_([one.id, two.id]))))
        return connections, blocks


def test_crossing_requests_make_one_request_and_one_pending_refusal(
    engine: Engine, pair: tuple[User, User]
) -> None:
    one, two = pair
    errors = together(engine, [
        lambda db: buddy_request(db, actor=viewer(one), user_id=two.id, now=NOW),
        lambda db: buddy_request(db, actor=viewer(two), user_id=one.id, now=NOW),
    ])  # fmt: skip
    [error] = errors
    assert isinstance(error, PendingRequest) and error.from_them
    [row], _ = rows(engine, one, two)
    assert row.status == BuddyStatus.pending


def test_a_request_racing_a_block_leaves_no_request(
    engine: Engine, pair: tuple[User, User]
) -> None:
    one, two = pair
    together(engine, [
        lambda db: buddy_request(db, actor=viewer(one), user_id=two.id, now=NOW),
        lambda db: block_user(db, actor=viewer(two), user_id=one.id, now=NOW),
    ])  # fmt: skip
    connections, blocks = rows(engine, one, two)
    assert connections == []
    assert [(block.blocker_id, block.blocked_id) for block in blocks] == [(two.id, one.id)]
