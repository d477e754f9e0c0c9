"""Interaction service tests: the real §5.2 limits and a small world of users."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session

from citypulse.models import BuddyConnection, Recommendation, User
from citypulse.models.enums import BuddyStatus, Role
from citypulse.settings import get_settings
from tests.integration.support import NOW
from tests.support.factories import create_recommendation, create_user


@pytest.fixture(autouse=True)
def real_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests assert the limits of §5.2 themselves, whatever RATE_LIMIT_MULTIPLIER says."""
    monkeypatch.setattr(get_settings(), "rate_limit_multiplier", 1)


@dataclass
class World:
    """alice (author), bob and carol (strangers), dave (alice's buddy), mod (moderator)."""

    alice: User
    bob: User
    carol: User
    dave: User
    mod: User
    rec: Recommendation  # alice's public recommendation


@pytest.fixture
def world(session: Session) -> World:
    alice = create_user(session, username="i_alice", full_name="Alice Martins")
    bob = create_user(session, username="i_bob", full_name="Bob Silva")
    carol = create_user(session, username="i_carol", full_name="Carol Reis")
    dave = create_user(session, username="i_dave", full_name="Dave Costa")
    mod = create_user(session, username="i_mod", full_name="Mo Derator", role=Role.moderator)
    session.add(
        BuddyConnection(
            requester_id=alice.id,
            addressee_id=dave.id,
            status=BuddyStatus.accepted,
            responded_at=NOW,
        )
    )
    rec = create_recommendation(session, author=alice, title="Pastéis at dawn")
    session.flush()
    return World(alice, bob, carol, dave, mod, rec)
