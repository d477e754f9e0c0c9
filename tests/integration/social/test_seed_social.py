"""The demo seed's social graph (citypulse/seed/social.py), read through the services."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from citypulse.models import Notification, User
from citypulse.seed import seed_demo_data
from citypulse.services.social.graph import are_buddies, blocked_either_way
from citypulse.services.social.lists import buddies_page
from citypulse.services.social.relationship import relationship
from tests.integration.interactions.support import viewer


@pytest.fixture
def people(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, User]:
    from citypulse.settings import get_settings

    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path)
    seed_demo_data(session)
    return {user.username: user for user in session.exec(select(User)).all()}


def test_alice_has_a_buddy_a_request_each_way_and_unread_notifications(
    session: Session, people: dict[str, User]
) -> None:
    alice = viewer(people["alice"])
    requests = buddies_page(session, viewer=alice, tab="requests")
    assert (requests.counts.buddies, requests.counts.requests, requests.counts.sent) == (1, 1, 1)
    assert [row.username for row in requests.rows] == ["felix"]
    assert requests.rows[0].message
    sent = buddies_page(session, viewer=alice, tab="sent")
    assert [row.username for row in sent.rows] == ["gina"]
    buddies = buddies_page(session, viewer=alice, tab="buddies")
    assert [row.username for row in buddies.rows] == ["dave"]
    unread = session.exec(
        select(Notification.type).where(
            Notification.recipient_id == people["alice"].id, Notification.is_read.is_(False)
        )
    ).all()
    assert sorted(unread) == ["buddy_accepted", "buddy_request", "system"]


def test_the_journey_accounts_are_untouched_by_the_extra_graph(
    session: Session, people: dict[str, User]
) -> None:
    journey = ["alice", "bob", "carol", "dave"]
    for a in journey:
        for b in journey:
            if a != b:
                assert not blocked_either_way(session, people[a].id, people[b].id)
                assert are_buddies(session, people[a].id, people[b].id) == (
                    {a, b} == {"alice", "dave"}
                )
    state = relationship(session, viewer=viewer(people["alice"]), user_id=people["bob"].id)
    assert (state.state, state.can_request) == ("none", True)


def test_the_block_and_the_opt_out(session: Session, people: dict[str, User]) -> None:
    assert blocked_either_way(session, people["carol"].id, people["hugo"].id)
    iris = relationship(session, viewer=viewer(people["bob"]), user_id=people["iris"].id)
    assert (iris.requests_enabled, iris.can_request) == (False, False)
    assert are_buddies(session, people["felix"].id, people["hugo"].id)
    assert are_buddies(session, people["gina"].id, people["iris"].id)


def test_seeding_again_adds_nothing(session: Session, people: dict[str, User]) -> None:
    def snapshot() -> tuple[int, int]:
        return (
            len(session.exec(select(Notification)).all()),
            len(buddies_page(session, viewer=viewer(people["alice"]), tab="buddies").rows),
        )

    before = snapshot()
    seed_demo_data(session)
    assert snapshot() == before
