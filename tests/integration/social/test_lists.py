"""The /buddies tab loaders: counts, rows, keyset pages, and who is left out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from citypulse.models import Profile
from citypulse.models.enums import AccountStatus
from citypulse.services.errors import PermissionDenied, ValidationFailed
from citypulse.services.social.blocks import block_user
from citypulse.services.social.buddies import buddy_request
from citypulse.services.social.lists import BuddyCounts, buddies_page, buddy_counts
from tests.integration.social.support import NOW, World, connect, pending, run, viewer
from tests.support.factories import create_user


def test_every_tab_with_its_rows_and_counts(session: Session, world: World) -> None:
    avatar = session.exec(select(Profile).where(Profile.user_id == world.dave.id)).one()
    avatar.avatar_key = "avatars/dave.jpg"
    session.add(avatar)
    run(session, buddy_request, world.bob, user_id=world.alice.id, message="Hi Alice")
    run(session, buddy_request, world.alice, user_id=world.carol.id, now=NOW + timedelta(hours=1))
    extra = create_user(session, username="s_extra", full_name="Extra Person")
    run(session, block_user, world.alice, user_id=extra.id)
    me = viewer(world.alice)
    counts = BuddyCounts(buddies=1, requests=1, sent=1, blocked=1)

    buddies = buddies_page(session, viewer=me, tab="buddies")
    assert (buddies.tab, buddies.counts, buddies.next_cursor) == ("buddies", counts, None)
    [dave] = buddies.rows
    assert (dave.user_id, dave.username, dave.full_name, dave.avatar_url, dave.message) == (
        world.dave.id, "s_dave", "Dave Costa", "/_upload/avatars/dave.jpg", "")  # fmt: skip

    [bob] = buddies_page(session, viewer=me, tab="requests").rows
    assert (bob.username, bob.message, bob.at, bob.avatar_url) == ("s_bob", "Hi Alice", NOW, "")
    [carol] = buddies_page(session, viewer=me, tab="sent").rows
    assert (carol.username, carol.at) == ("s_carol", NOW + timedelta(hours=1))
    [blocked] = buddies_page(session, viewer=me, tab="blocked").rows
    assert blocked.username == "s_extra"
    assert buddy_counts(session, viewer=me) == counts


def test_the_other_side_sees_the_mirror(session: Session, world: World) -> None:
    run(session, buddy_request, world.bob, user_id=world.alice.id)
    page = buddies_page(session, viewer=viewer(world.bob), tab="sent")
    assert [row.username for row in page.rows] == ["s_alice"]
    assert page.counts == BuddyCounts(buddies=0, requests=0, sent=1, blocked=0)
    assert buddies_page(session, viewer=viewer(world.carol), tab="requests").rows == ()


def test_pages_of_twenty_newest_first_without_repeats(session: Session, world: World) -> None:
    friends = [create_user(session, username=f"s_friend_{n:02d}") for n in range(45)]
    for n, friend in enumerate(friends):
        row = connect(session, friend, world.bob)
        row.responded_at = NOW - timedelta(minutes=n // 2)  # pairs share a moment: ids decide
        session.add(row)
    session.flush()
    seen: list[str] = []
    cursor = None
    for size in (20, 20, 5):
        page = buddies_page(session, viewer=viewer(world.bob), tab="buddies", cursor=cursor)
        assert len(page.rows) == size and page.counts.buddies == 45
        seen += [row.username for row in page.rows]
        cursor = page.next_cursor
    assert cursor is None
    assert len(set(seen)) == 45
    ats = [(row.at) for row in buddies_page(session, viewer=viewer(world.bob), tab="buddies").rows]
    assert ats == sorted(ats, reverse=True)


def test_an_invalid_cursor_restarts_the_list(session: Session, world: World) -> None:
    page = buddies_page(session, viewer=viewer(world.alice), tab="buddies", cursor="%%nonsense")
    assert [row.username for row in page.rows] == ["s_dave"]


def test_inactive_users_leave_rows_and_counts_but_stay_on_the_blocked_tab(
    session: Session, world: World
) -> None:
    pending(session, world.bob, world.alice)
    run(session, block_user, world.alice, user_id=world.carol.id)
    for user in (world.bob, world.dave, world.carol):
        user.account_status = AccountStatus.suspended
        session.add(user)
    session.flush()
    page = buddies_page(session, viewer=viewer(world.alice), tab="blocked")
    assert page.counts == BuddyCounts(buddies=0, requests=0, sent=0, blocked=1)
    assert [row.username for row in page.rows] == ["s_carol"]
    assert buddies_page(session, viewer=viewer(world.alice), tab="buddies").rows == ()


def test_an_unknown_tab_and_a_visitor_are_refused(session: Session, world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        buddies_page(session, viewer=viewer(world.alice), tab="find")
    assert refused.value.field_errors == {"tab": "Unknown tab"}
    with pytest.raises(PermissionDenied):
        buddies_page(session, viewer=None, tab="buddies")
