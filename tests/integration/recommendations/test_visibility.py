"""The shared visibility rule, checked for each kind of viewer (PRODUCT.md §7.12)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlmodel import Session

from citypulse.models import Block, BuddyConnection, Recommendation
from citypulse.models.enums import AccountStatus, ContentStatus, Visibility
from citypulse.services.recommendations.visibility import (
    recommendation_visible,
    recommendation_visible_to,
)
from citypulse.services.social.graph import are_buddies, blocked_either_way
from tests.support.factories import create_recommendation, create_user


@pytest.fixture
def world(session: Session):
    alice = create_user(session, username="v_alice")
    dave = create_user(session, username="v_dave")
    bob = create_user(session, username="v_bob")
    session.add(BuddyConnection(requester_id=alice.id, addressee_id=dave.id, status="accepted",
                                responded_at=datetime.now(UTC)))  # fmt: skip
    recs = {
        vis: create_recommendation(session, author=alice, visibility=vis)
        for vis in (Visibility.public, Visibility.friends_only, Visibility.private)
    }
    session.flush()
    return alice, dave, bob, recs


@pytest.fixture(params=["query", "query over many rows", "prepared check"])
def sees(request: pytest.FixtureRequest):
    """The rule as the condition lists filter with (blocks and buddies probed per row, or
    hashed once for many rows), and as the hot path's prepared check."""

    def check(session: Session, rec, viewer) -> bool:
        viewer_id = viewer.id if viewer else None
        if request.param != "prepared check":
            many_rows = request.param == "query over many rows"
            query = select(Recommendation.id).where(
                Recommendation.id == rec.id,
                recommendation_visible_to(viewer_id, many_rows=many_rows),
            )
            return session.execute(query).first() is not None
        found = recommendation_visible(session, viewer_id, rec.id)
        assert found is None or (found.id, found.author_id, found.status) == (
            rec.id,
            rec.author_id,
            rec.status,
        )
        return found is not None

    return check


def test_visitor_buddy_stranger_and_author(session: Session, world, sees) -> None:
    alice, dave, bob, recs = world
    public, buddies, private = (recs[v] for v in Visibility)
    assert [sees(session, r, None) for r in (public, buddies, private)] == [True, False, False]
    assert [sees(session, r, dave) for r in (public, buddies, private)] == [True, True, False]
    assert [sees(session, r, bob) for r in (public, buddies, private)] == [True, False, False]
    assert [sees(session, r, alice) for r in (public, buddies, private)] == [True, True, True]
    assert are_buddies(session, alice.id, dave.id) and not are_buddies(session, alice.id, bob.id)


def test_a_block_hides_everything_both_ways(session: Session, world, sees) -> None:
    alice, dave, _, recs = world
    session.add(Block(blocker_id=alice.id, blocked_id=dave.id))
    session.flush()
    assert blocked_either_way(session, dave.id, alice.id)
    assert not sees(session, recs[Visibility.public], dave)


def test_inactive_author_and_removed_or_deleted_content(session: Session, world, sees) -> None:
    alice, _, bob, recs = world
    public = recs[Visibility.public]
    public.status = ContentStatus.removed
    session.flush()
    assert sees(session, public, alice)  # the author sees it with a banner
    assert not sees(session, public, bob)
    public.status = ContentStatus.deleted
    session.flush()
    assert not sees(session, public, alice)
    public.status = ContentStatus.active
    alice.account_status = AccountStatus.suspended
    session.flush()
    assert not sees(session, public, bob) and not sees(session, public, None)
